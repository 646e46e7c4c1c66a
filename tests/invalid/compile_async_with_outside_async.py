def f(y):
    async with y:
        pass
