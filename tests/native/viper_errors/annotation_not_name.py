@micropython.viper
def f(x: int.y) -> int:
    return 1
