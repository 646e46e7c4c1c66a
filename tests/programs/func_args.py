# Parameters of every kind and calls with positional, keyword, *args and **kwargs.
def f(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, sorted(kw.items())
print(f(1, c=3))
print(f(1, 5, 6, 7, c=8, d=9, e=10, g=11))
def g(*, x, y=1):
    return x + y
print(g(x=5), g(y=2, x=3))
def h(*args, **kwargs):
    return args, sorted(kwargs.items())
args = (1, 2)
kwargs = {"k": 3}
print(h(*args), h(**kwargs), h(*args, **kwargs), h(0, *args, 9, k2=1, **kwargs))
print(h(*[1], *(2, 3)), h(**{"a": 1}, **{"b": 2}))
def defaults(a, b=[], c=(1, 2), d=None, e="s", f=1.5):
    return a, b, c, d, e, f
print(defaults(0), defaults(1, c=3))
def mutable(x, acc=[]):
    acc.append(x)
    return len(acc)
print(mutable(1), mutable(2))
def only_star(*a):
    return len(a)
print(only_star(), only_star(*range(10)))
def kwonly_defaults(a, *, b=10, c=20):
    return a + b + c
print(kwonly_defaults(1), kwonly_defaults(1, c=0))
def ann(a: int, b: "str" = "x", *c: int, d: float = 1.0, **e: dict) -> tuple:
    return a, b, c, d
print(ann(1, "y", 2, d=3.0))
try:
    f()
except TypeError:
    print("TypeError")
print((lambda *a, **k: (a, sorted(k)))(1, z=2))
