# Closures: cells read, written through nonlocal, shared, nested, with defaults, in loops.
def counter(start=0):
    count = start
    def inc(step=1):
        nonlocal count
        count += step
        return count
    def get():
        return count
    return inc, get
inc, get = counter(10)
inc(); inc(5)
print(get())
def outer():
    x = 1
    def mid():
        y = 2
        def inner():
            return x + y
        return inner
    return mid()()
print(outer())
def adders():
    return [lambda v, n=n: v + n for n in range(3)]
print([a(10) for a in adders()])
def late():
    fns = []
    for i in range(3):
        fns.append(lambda: i)
    return [fn() for fn in fns]
print(late())
def param_cell(p):
    def show():
        return p * 2
    p += 1
    return show()
print(param_cell(5))
def closure_with_defaults(a):
    def f(b=a * 2, *, c=a):
        return a + b + c
    return f
print(closure_with_defaults(1)(), closure_with_defaults(1)(0, c=0))
def rebinding():
    v = "first"
    def r():
        return v
    v = "second"
    return r()
print(rebinding())
def deep():
    a = 1
    def l1():
        nonlocal a
        a += 1
        def l2():
            nonlocal a
            a *= 10
        l2()
    l1()
    return a
print(deep())
def gen_closure(n):
    def g():
        for i in range(n):
            yield i * n
    return list(g())
print(gen_closure(3))
def make_class(tag):
    class T:
        def name(self):
            return tag
    return T().name()
print(make_class("tagged"))
