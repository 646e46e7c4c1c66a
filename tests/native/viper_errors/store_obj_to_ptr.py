@micropython.viper
def f(p: ptr8, o):
    p[0] = o
