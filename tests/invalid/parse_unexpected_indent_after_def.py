def f():
    pass
        pass
