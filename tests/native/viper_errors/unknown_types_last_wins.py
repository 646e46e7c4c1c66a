@micropython.viper
def f(x: foo, y: bar) -> baz:
    return 1
