import micropython
@micropython.fast
def f():
    pass
