@micropython.viper
def f(x: uint) -> uint:
    return x // uint(2)
