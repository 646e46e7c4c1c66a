# Where the VM must raise: except with a non-exception class, slices as
# keys, errno's fixed errorcode dict, __init__ returning a value, type()
# and super() arguments, object.__new__ of a builtin class, __int__ and __complex__ results, bases that cannot
# be subclassed; and what MicroPython does instead of CPython: in-place
# operators other than += and -= use the plain method, ranges compare by
# identity, an empty dict finds a slice without hashing it, an
# OrderedDict takes unhashable keys; MemoryError for more than the heap;
# the length of range(maxsize, 0, -1).
import errno
from collections import OrderedDict


def check(label, fn):
    try:
        fn()
        print(label, "no error")
    except Exception as e:
        print(label, type(e).__name__)


def bad_except(spec):
    try:
        raise ValueError
    except spec:
        pass


check("except 1", lambda: bad_except(1))
check("except (1,)", lambda: bad_except((1,)))
check("except (ValueError, 1)", lambda: bad_except((ValueError, 1)))
check("slice key", lambda: {}.__setitem__(slice(1), 1))
check("slice lookup", lambda: {}[:])
check("errorcode pop", lambda: errno.errorcode.pop(0))
check("errorcode set", lambda: errno.errorcode.__setitem__(1, "x"))
check("errorcode clear", lambda: errno.errorcode.clear())
print(errno.errorcode[errno.EIO])


class InitReturns:
    def __init__(self):
        return 1


check("__init__ returns", InitReturns)
check("type()", lambda: type())
check("type bases", lambda: type("A", (1,), {}))
check("super(1, 1)", lambda: super(1, 1))
check("super(str, int)", lambda: super(str, int))
check("object.__new__(int)", lambda: object.__new__(int))
check("object.__new__(1)", lambda: object.__new__(1))


class BadInt:
    def __int__(self):
        return None


check("__int__ None", lambda: int(BadInt()))


def subclass_bound_method():
    class X(type([].append)):
        pass


def layout_conflict():
    class X(type, tuple):
        pass


check("bound method base", subclass_bound_method)
check("layout conflict", layout_conflict)


class Ops:
    def __iadd__(self, other):
        print("__iadd__")
        return self

    def __imul__(self, other):
        print("__imul__")
        return self

    def __mul__(self, other):
        print("__mul__")
        return self


o = Ops()
o += 1
o *= 2
print(range(1) == range(1), range(2) != range(2))
d = OrderedDict()
d[:"a"] = 1
d[[1]] = 2
print(list(d.values()), d[[1]])
check("shift", lambda: (1 << 70) << -1)
print(0 ** (1 << 70), 1 ** (1 << 70), (-1) ** ((1 << 70) + 1))
print(list(enumerate(iterable="ab", start=3)))
print(iter(range(3)).__next__(), (x for x in "q").__next__())
try:
    [0] * (1 << 40)
except MemoryError:
    print("MemoryError")
big = range(9223372036854775807, 0, -1)
print(len(big), big[0], big[-1])
