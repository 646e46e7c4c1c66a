@micropython.viper
def f(x: int) -> int:
    return x ** 2
