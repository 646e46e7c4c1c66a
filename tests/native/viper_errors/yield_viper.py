@micropython.viper
def f(x: int):
    yield x
