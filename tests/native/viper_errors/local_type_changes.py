@micropython.viper
def f(x: int):
    y = 1
    y = x
    y = "s"
    return None
