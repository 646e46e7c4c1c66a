# Subclasses of native types (py/objtype.c mp_obj_instance_make_new): the
# native value gets the call's arguments unless __init__ made it through
# super().__init__(), which makes it again when called later; tuple and
# namedtuple subclasses; a dict subclass built from keywords.
from collections import OrderedDict, namedtuple


class Pair(list):
    def __init__(self, a, b):
        super().__init__([a, b])


class Loud:
    def __init__(self, *args):
        print("Loud.__init__", args)


class LoudTuple(Loud, tuple):
    pass


class Options(dict):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class Again(list):
    def refill(self):
        super().__init__(range(2))


print(Pair(2, 3), len(LoudTuple([1, 2, 3])), LoudTuple([4]) == (4,))
print(Options(), Options([("a", 1)], b=2))
a = Again(range(5))
a.refill()
print(a)
N = namedtuple("N", ("x", "y"))


class SubN(N):
    def total(self):
        return self.x + self.y


class MyTuple(tuple):
    pass


s = SubN(3, 4)
print(s.x, s.y, s.total(), (1,) + s, s + MyTuple((5,)), isinstance(s, tuple))
print(OrderedDict(b=1, a=2), type(OrderedDict(c=3)).__name__)
