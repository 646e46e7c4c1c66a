@micropython.bytecode.extra
def f():
    pass
