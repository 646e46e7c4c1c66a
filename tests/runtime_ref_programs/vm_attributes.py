# Attributes and namespaces: dir(), delattr(), locals(), __dict__ of
# classes, instances and modules, __globals__, __setattr__/__delattr__ and
# object's, the builtins module overriding builtins, `import __main__`,
# `import *` from a class or an instance, properties without getter or
# deleter, fixed namedtuple attributes, the gc module; what binds self.
import builtins
import gc
import sys
from collections import namedtuple


class Base:
    def a(self):
        pass


class Point(Base):
    kind = "point"

    def __init__(self):
        self.x = 1


p = Point()
print(sorted(n for n in dir(p) if not n.startswith("_")))
print("append" in dir(list), "version" in dir(sys), "Point" in dir())
print(sorted(n for n in Point.__dict__ if not n.startswith("_")), p.__dict__)
print("from_bytes" in int.__dict__, sys.__dict__["__name__"])


def f():
    pass


print(f.__globals__ is globals())
delattr(p, "x")
try:
    delattr(p, "x")
except AttributeError:
    print("AttributeError")
y = 5
print(locals()["y"])


class Body:
    z = 1
    print(sorted(locals()))


class Logged:
    def __setattr__(self, name, value):
        print("set", name, value)
        object.__setattr__(self, name, value * 2)

    def __delattr__(self, name):
        print("del", name)
        object.__delattr__(self, name)


q = Logged()
q.v = 3
print(q.v)
del q.v
try:
    object.__setattr__(q, 1, 2)
except TypeError:
    print("TypeError")

original_abs = abs
builtins.abs = lambda v: "overridden"
print(abs(-3))
builtins.abs = original_abs
print(abs(-3))
original_import = builtins.__import__


def loud_import(name, *args):
    print("import", name, args[2:])
    return original_import(name, *args)


builtins.__import__ = loud_import
import sys as again
from collections import namedtuple as nt

builtins.__import__ = original_import
print(again is sys, nt is namedtuple)

import __main__

print(type(__main__).__name__)


class FromClass:
    __all__ = ("shown",)
    shown = "all"
    hidden = "no"


sys.modules["fake"] = FromClass
from fake import *

print(shown)


class Plain:
    def __init__(self):
        self.visible = "instance"
        self._private = "no"


sys.modules["fake"] = Plain()
from fake import *

print(visible, "_private" in globals())
sys.modules["fake"] = 1
try:
    from fake import *
except AttributeError:
    print("AttributeError")


class Props:
    empty = property()
    read = property(lambda self: 1)


for action in ("get", "set", "del"):
    try:
        if action == "get":
            Props().empty
        elif action == "set":
            Props().read = 2
        else:
            del Props().read
    except AttributeError:
        print(action, "AttributeError")
T = namedtuple("T", "a b")
try:
    T(1, 2).a = 3
except AttributeError:
    print("AttributeError")
print(gc.isenabled())
gc.disable()
print(gc.isenabled())
gc.enable()
gc.collect()
print(type(gc.mem_free()), type(gc.mem_alloc()))
gc.threshold(1)
print(gc.threshold())
gc.threshold(-1)
print(gc.threshold())


# what binds self when read through an instance: functions (closures and
# generator functions too), not classes, instances, bound methods or
# builtin functions stored in the class
def make_closure():
    def closure(self, y):
        return "closure", y

    return closure


class Callable:
    def __call__(self, arg):
        return "called", arg


class Holder:
    method = make_closure()
    builtin = abs
    kind = Point
    callable_instance = Callable()
    bound = Callable().__call__


h = Holder()
print(h.method(1), h.builtin(-2), type(h.kind()).__name__, h.callable_instance(3), h.bound(4))
