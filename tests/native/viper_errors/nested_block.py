@micropython.viper
def f(x: int) -> int:
    y = 0
    if x:
        y = 1
        y = "a"
        y = 2
    else:
        y = 1.5
    return y
