# Calls with *args/**kwargs on functions and methods, mixed with positional and keyword arguments.
def f(*a, **k):
    return a, sorted(k.items())
class C:
    def m(self, *a, **k):
        return "m", a, sorted(k.items())
    def plain(self, a, b=0):
        return a - b
c = C()
args = [1, 2]
kw = {"x": 1}
print(f(*args), f(**kw), f(0, *args), f(*args, y=2), f(*args, **kw), f(1, *args, 3, z=0, **kw))
print(c.m(*args), c.m(**kw), c.m(0, *args, **kw), c.m(*args, 9, w=1))
print(c.plain(*[5]), c.plain(**{"a": 5, "b": 1}), c.plain(5, **{"b": 2}))
print(f(*"ab", *[3]), f(**{"p": 1}, q=2), c.m(*(), **{}))
print(max(*[3, 1, 2]), "{}-{}".format(*"xy"), dict(**{"a": 1}) == {"a": 1})
def kwonly(*, a, b):
    return a * b
print(kwonly(**{"a": 2, "b": 3}))
print(getattr(c, "m")(*args))
