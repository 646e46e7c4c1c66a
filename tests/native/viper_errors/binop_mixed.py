@micropython.viper
def f(x: int, o):
    a = 1
    b = x + o
    return b
