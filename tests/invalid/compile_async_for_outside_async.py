def f(y):
    for a in y:
        pass
    async for x in y:
        pass
