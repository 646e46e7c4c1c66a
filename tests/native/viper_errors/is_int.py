@micropython.viper
def f(x: int) -> bool:
    return x is 2
