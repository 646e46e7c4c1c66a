@micropython.viper
def f(x: foo) -> int:
    return 1
