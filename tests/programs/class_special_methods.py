# Special methods: arithmetic, comparison, container protocol, call, bool, len, hash, iteration.
class V:
    def __init__(self, *c):
        self.c = list(c)
    def __add__(self, o):
        return V(*[a + b for a, b in zip(self.c, o.c)])
    def __sub__(self, o):
        return V(*[a - b for a, b in zip(self.c, o.c)])
    def __mul__(self, k):
        return V(*[a * k for a in self.c])
    def __eq__(self, o):
        return self.c == o.c
    def __lt__(self, o):
        return sum(self.c) < sum(o.c)
    def __len__(self):
        return len(self.c)
    def __getitem__(self, i):
        return self.c[i]
    def __setitem__(self, i, v):
        self.c[i] = v
    def __delitem__(self, i):
        del self.c[i]
    def __contains__(self, v):
        return v in self.c
    def __iter__(self):
        return iter(self.c)
    def __call__(self, k):
        return self.c[k] * 100
    def __bool__(self):
        return any(self.c)
    def __repr__(self):
        return "V%r" % (tuple(self.c),)
    def __hash__(self):
        return sum(self.c)
a = V(1, 2, 3)
b = V(4, 5, 6)
print(a + b, b - a, a * 2, a == V(1, 2, 3), a != b, a < b, len(a), a[1], 3 in a, 9 in a)
a[0] = 10
del a[1]
print(a, list(a), a(0), bool(V(0, 0)), bool(a), [x for x in b])
print(sorted([b, a, V(0)]), repr(a), str(a), hash(V(1, 1)) == hash(V(2, 0)))
class Ctx:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, *exc):
        print("exit", exc[0] is None)
        return False
with Ctx() as c:
    print("inside", type(c).__name__)
class Attr:
    def __getattr__(self, name):
        return "dyn_" + name
print(Attr().anything)
