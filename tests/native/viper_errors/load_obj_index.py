@micropython.viper
def f(p: ptr16, o) -> int:
    return p[o]
