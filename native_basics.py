import micropython

G = 10


@micropython.native
def add(a, b):
    return a + b


@micropython.native
def loop(n):
    total = 0
    for i in range(n):
        total += i * 2
    return total


@micropython.native
def branches(x):
    if x < 0:
        return "neg"
    elif x == 0:
        return "zero"
    while x > 100:
        x //= 2
    return x


@micropython.native
def uses_globals(k):
    global G
    G = G + k
    return [G, len("abc"), (1, 2), {"a": k}]


@micropython.native
def strings(s):
    parts = s.split(",")
    out = []
    for p in parts:
        out.append(p.strip().upper())
    return "-".join(out)


@micropython.native
def many_locals(a, b, c, d):
    e = a + b
    f = c - d
    g = e * f
    h = not g
    return e, f, g, h, a is b, c in [d], -a, ~b


@micropython.native
def iterate(seq):
    acc = []
    for x in seq:
        if x % 2:
            continue
        if x > 8:
            break
        acc.append(x)
    else:
        acc.append(-1)
    return acc


@micropython.native
def slices(lst):
    lst[0] = lst[-1]
    del lst[1]
    return lst[1:3], lst[::2]


class K:
    def __init__(self, v):
        self.v = v

    @micropython.native
    def get(self, d=5):
        return self.v + d


print(add(1, 2), add("a", "b"))
print(loop(10))
print(branches(-3), branches(0), branches(1000))
print(uses_globals(5))
print(strings("a, b ,c"))
print(many_locals(1, 2, 3, 4))
print(iterate([0, 1, 2, 3, 4, 10, 12]), iterate([2]))
print(slices([1, 2, 3, 4, 5]))
print(K(3).get(), K(3).get(1))
