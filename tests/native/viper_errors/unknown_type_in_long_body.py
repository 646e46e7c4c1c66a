@micropython.viper
def f(x: foo) -> int:
    a = 1
    return a
