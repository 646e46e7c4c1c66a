# super() in methods, __init__ chains, super with attribute access and in classmethods.
class Base:
    def __init__(self, v):
        self.v = v
        print("Base init", v)
    def describe(self, extra=""):
        return "Base(%s)%s" % (self.v, extra)
    def value(self):
        return self.v
class Mid(Base):
    def __init__(self, v):
        super().__init__(v * 2)
        print("Mid init")
    def describe(self, extra=""):
        return "Mid>" + super().describe(extra)
class Leaf(Mid):
    def __init__(self):
        super().__init__(5)
    def describe(self):
        return "Leaf>" + super().describe(extra="!")
    def value(self):
        f = super().value
        return f() + 1
l = Leaf()
print(l.describe(), l.value())
class A:
    def hello(self, *a, **k):
        return ("A.hello", a, sorted(k))
class B(A):
    def hello(self, *a, **k):
        return super().hello(*a, **k)
print(B().hello(1, 2, x=3))
class WithKw(Base):
    def __init__(self, **kw):
        super().__init__(**kw)
print(WithKw(v=7).value())
