@micropython.viper
def f(x: int) -> bool:
    return not x
