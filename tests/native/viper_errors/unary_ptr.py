@micropython.viper
def f(p: ptr8) -> int:
    return -p
