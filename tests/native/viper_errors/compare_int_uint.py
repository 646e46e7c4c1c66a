@micropython.viper
def f(x: uint, y: int) -> bool:
    return x < y
