# Classes in functions, classes in classes, methods closing over enclosing scopes, class-body scoping.
def factory(prefix):
    class Named:
        def __init__(self, n):
            self.n = n
        def label(self):
            return prefix + str(self.n)
    return Named
N = factory("item-")
print(N(1).label(), N(2).label())
class Outer:
    class Inner:
        v = "inner"
        def get(self):
            return self.v
    def make(self):
        return self.Inner()
print(Outer().make().get(), Outer.Inner.v)
x = "module"
class Scope:
    x = "class"
    y = x + "!"
    def m(self):
        return x
print(Scope.y, Scope().m())
class Dyn:
    for i in range(3):
        locals_ok = i
    if True:
        flag = "set in if"
print(Dyn.locals_ok, Dyn.flag)
def f():
    v = 10
    class C:
        w = 5
        def m(self):
            return v + self.w
    return C().m()
print(f())
