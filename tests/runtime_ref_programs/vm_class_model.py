# The class model: __set_name__ and descriptors' __set__/__delete__,
# __new__ static without the decorator, __bases__, NotImplemented,
# reflected operators for in-place ones, bound-method equality and hash,
# static and class methods as special methods.


class Field:
    def __set_name__(self, owner, name):
        print("set_name", owner.__name__, name)
        self.name = name

    def __get__(self, obj, cls):
        return "get " + self.name

    def __set__(self, obj, value):
        print("set", self.name, value)

    def __delete__(self, obj):
        print("delete", self.name)


class Record:
    first = Field()
    second = Field()

    def __new__(cls, x):
        print("new", cls.__name__, x)
        return object.__new__(cls)

    def __init__(self, x):
        self.x = x


r = Record(5)
print(r.first, r.second, r.x)
r.first = 1
del r.second
r2 = r.__new__(Record, 6)
print(type(r2) is Record)


class A:
    pass


class B(A):
    pass


class C(B, A):
    pass


print(A.__bases__ == (object,), B.__bases__ == (A,), len(C.__bases__), object.__bases__)


class Tagged:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        return NotImplemented

    def __ror__(self, other):
        return Tagged(other + "|" + self.v)

    def __radd__(self, other):
        return Tagged(other + "+" + self.v)

    def __neg__(self):
        return NotImplemented


x = "a"
x |= Tagged("b")
print(x.v)
x = "c"
x += Tagged("d")
print(x.v)
print(-Tagged("e"), NotImplemented)
try:
    Tagged("f") + 1
except TypeError:
    print("TypeError")

t = Tagged("g")
m1, m2 = t.__neg__, t.__neg__
print(m1 == m2, m1 != m2, m1 == Tagged("g").__neg__, m1 == None, hash(m1) == hash(m2))


class Table:
    @staticmethod
    def __getitem__(key):
        return "static get " + str(key)

    @classmethod
    def __setitem__(cls, key, value):
        print("class set", cls.__name__, key, value)

    @staticmethod
    def __delitem__(key):
        print("static del", key)

    @classmethod
    def __add__(cls, other):
        return cls.__name__ + " + " + str(other)


tb = Table()
print(tb[1])
tb[2] = 3
del tb[4]
print(tb + 5)


class Eq:
    def __eq__(self, other):
        print("Eq.__eq__", other)
        return 7


print(None != Eq(), 0 == Eq(), Eq() != 1)
