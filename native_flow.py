import micropython


@micropython.native
def guarded(x):
    try:
        return 10 // x
    except ZeroDivisionError as e:
        return "div"
    finally:
        print("finally", x)


@micropython.native
def nested_try(items):
    out = []
    for it in items:
        try:
            try:
                out.append(int(it))
            except ValueError:
                out.append(None)
                continue
        finally:
            out.append("f")
        if len(out) > 6:
            break
    return out


class Ctx:
    def __enter__(self):
        print("enter")
        return self

    def __exit__(self, *a):
        print("exit", a[0] is None)
        return True


@micropython.native
def with_block(fail):
    with Ctx() as c:
        if fail:
            raise ValueError("x")
        return 1
    return 2


@micropython.native
def gen(n):
    for i in range(n):
        yield i * i
    yield from [7, 8]
    return 5


@micropython.native
def closures(a):
    def inner(b):
        return a + b
    f = lambda c: c * a
    return inner(1), f(2), [a * k for k in range(3)], {k: a for k in "xy"}, sum(x for x in range(a))


@micropython.native
def star(*args, **kw):
    return args, sorted(kw.items()), max(*args), dict(**kw)


@micropython.native
def raising(kind):
    if kind == 1:
        raise TypeError
    elif kind == 2:
        raise ValueError("v")
    try:
        raise KeyError(kind)
    except KeyError:
        raise IndexError(kind)


@micropython.native
def imports():
    import sys
    from collections import OrderedDict as OD
    return OD is not None, sys.byteorder


@micropython.native
def unpacking(seq):
    a, *b, c = seq
    x, y = y2, x2 = 1, 2
    return a, b, c, x, y, y2, x2


print(guarded(2), guarded(0))
print(nested_try(["1", "x", "3", "4", "5"]))
print(with_block(False), with_block(True))
print(list(gen(4)))
print(closures(3))
print(star(1, 5, 2, k=1, j=2))
for k in (1, 2, 3):
    try:
        raising(k)
    except Exception as e:
        print(type(e).__name__, e)
print(imports())
print(unpacking([1, 2, 3, 4]))
