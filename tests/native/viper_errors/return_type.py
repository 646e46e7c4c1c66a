import micropython
@micropython.viper
def f(x: int):
    y = x + 1
    return y
