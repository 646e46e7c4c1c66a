# Closures three levels deep, several cells per function, cells that are parameters, and zero-arg super().
def level1(a):
    b = a * 2
    def level2(c):
        d = c + b
        def level3(e):
            nonlocal d
            d += e
            return a + b + c + d + e
        return level3
    return level2
f = level1(1)(10)
print(f(100), f(100))
def many_cells():
    x1, x2, x3, x4, x5 = 1, 2, 3, 4, 5
    def use():
        return x5 * 10000 + x4 * 1000 + x3 * 100 + x2 * 10 + x1
    x3 = 9
    return use()
print(many_cells())
def param_cells(p, q=5, *rest, k=7, **kw):
    def show():
        return p, q, rest, k, sorted(kw)
    return show()
print(param_cells(1, 2, 3, k=4, z=0))
class Base:
    def who(self):
        return "base"
class Child(Base):
    def who(self):
        def inner():
            return "child/" + super(Child, self).who()
        return inner()
    def direct(self):
        return super().who() + "!"
print(Child().who(), Child().direct())
def counter_factory():
    counters = []
    for start in (0, 100):
        def make(start=start):
            n = start
            def inc():
                nonlocal n
                n += 1
                return n
            return inc
        counters.append(make())
    return counters
c1, c2 = counter_factory()
print(c1(), c1(), c2(), c1())
def shared():
    value = []
    def add(x):
        value.append(x)
    def get():
        return list(value)
    return add, get
add, get = shared()
add(1); add(2)
print(get())
