@micropython.viper
def f(p: ptr):
    if p:
        pass
