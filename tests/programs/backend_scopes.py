# Scopes and locals: cells, free variables, nonlocal, global, star parameters,
# keyword-only defaults, many locals, comprehension scopes, class cells.

counter = 0


def bump(by=1):
    global counter
    counter += by
    return counter


def make(a, *rest, k=3, **kw):
    b = a + k

    def inner(x, *more, y=1):
        nonlocal b
        b += x + y + len(more)
        return b + len(rest) + len(kw)

    return inner


def many(p0, p1, p2=2):
    v0 = p0 + 1; v1 = v0 + 1; v2 = v1 + 1; v3 = v2 + 1; v4 = v3 + 1
    v5 = v4 + 1; v6 = v5 + 1; v7 = v6 + 1; v8 = v7 + 1; v9 = v8 + 1
    v10 = v9 + p1; v11 = v10 + 1; v12 = v11 + 1; v13 = v12 + 1; v14 = v13 + 1
    v15 = v14 + 1; v16 = v15 + 1; v17 = v16 + 1; v18 = v17 + p2; v19 = v18 + 1
    f = lambda: v19 + v0
    return [v0, v5, v10, v15, v19, f()]


def comps(n):
    base = 10
    sq = [i * i for i in range(n) if i % 2]
    d = {i: base + i for i in range(n)}
    s = {(i, j) for i in range(2) for j in range(i, 2)}
    g = list(x + base for x in sq)
    nested = [[i * j for j in range(i)] for i in range(n)]
    return sq, sorted(d.items()), sorted(s), g, nested


class Base:
    def hello(self):
        return "base"


class Child(Base):
    tag = "child"

    def hello(self):
        def helper():
            return __class__.tag
        return super().hello() + "+" + helper()

    @staticmethod
    def stat(a, b=2, *, c=3):
        return a + b + c

    @classmethod
    def make(cls):
        return cls()


def walrus(data):
    found = [y for x in data if (y := x * 2) > 4]
    return found, y


f = make(1, 2, 3, k=4, z=5)
print(f(10), f(1, 2, 3, y=0))
print(bump(), bump(5), counter)
print(many(1, 2))
print(comps(4))
print(Child.make().hello(), Child.stat(1), Child.stat(1, c=10))
print(walrus([1, 2, 3, 4]))
