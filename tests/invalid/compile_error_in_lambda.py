f = lambda: (yield)
class C:
    g = lambda: [(yield) for x in y]
