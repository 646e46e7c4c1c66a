# with statements: single, multiple items, nested, exception suppression and propagation.
class CM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name
    def __exit__(self, t, v, tb):
        print("exit", self.name, t.__name__ if t else None)
        return self.suppress
with CM("a") as a:
    print("body", a)
with CM("b") as b, CM("c") as c:
    print("body", b, c)
with CM("d"), CM("e"):
    print("no targets")
with CM("s", suppress=True):
    raise ValueError("hidden")
print("after suppressed")
try:
    with CM("p"):
        raise KeyError("shown")
except KeyError:
    print("propagated")
with CM("outer"):
    with CM("inner") as i:
        print("nested", i)
class Pair:
    def __enter__(self):
        return (1, 2)
    def __exit__(self, *a):
        pass
with Pair() as (x, y):
    print(x + y)
def in_function():
    with CM("f") as f:
        return "returned from with " + f
print(in_function())
def target_attr():
    class T:
        pass
    t = T()
    with CM("attr") as t.value:
        pass
    return t.value
print(target_attr())
