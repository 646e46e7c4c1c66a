# Lambdas: no args, defaults, star args, nested, immediately called, in data structures.
f0 = lambda: 42
f1 = lambda x: x + 1
f2 = lambda x, y=10: x * y
f3 = lambda *a, **k: (len(a), len(k))
f4 = lambda x: lambda y: x + y
print(f0(), f1(1), f2(3), f2(3, 2), f3(1, 2, z=3), f4(1)(2))
print((lambda: "now")(), (lambda a, *, b: a - b)(5, b=2))
ops = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b}
print(ops["add"](2, 3), ops["mul"](2, 3))
print(sorted([(1, "b"), (0, "c"), (2, "a")], key=lambda t: t[1]))
print(list(map(lambda v: v * v, range(4))), list(filter(lambda v: v % 2, range(6))))
compose = lambda f, g: lambda x: f(g(x))
print(compose(f1, f1)(0))
def mk(n):
    return lambda: n * 2
print(mk(21)())
