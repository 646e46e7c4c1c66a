# Decorators: plain, with arguments, stacked, on methods and on classes.
def trace(fn):
    def wrapper(*a, **k):
        print("call", fn.__name__, len(a))
        return fn(*a, **k)
    return wrapper
def times(n):
    def deco(fn):
        def wrapper(x):
            return fn(x) * n
        return wrapper
    return deco
@trace
def add(a, b):
    return a + b
print(add(1, 2))
@times(3)
@times(2)
def ident(x):
    return x
print(ident(5))
registry = []
def register(cls):
    registry.append(cls.__name__)
    return cls
@register
class A:
    @trace
    def m(self, v):
        return v + 1
@register
class B(A):
    pass
print(registry, B().m(1))
class NS:
    pass
ns = NS()
ns.deco = times(10)
@ns.deco
def f(x):
    return x + 1
print(f(1))
class Holder:
    pass
Holder.inner = NS()
Holder.inner.twice = times(2)
@Holder.inner.twice
def g(x):
    return x
print(g(3))
