# Import forms: plain, as, from-import, from-import-as, parenthesised lists, star, dotted, relative, in functions.
import sys
import sys as system
import micropython
from micropython import const
from collections import namedtuple, OrderedDict as OD
from collections import (
    deque,
    namedtuple as nt,
)
import math, struct
from math import *
print(sys is system, callable(const), namedtuple is nt, OD.__name__ if hasattr(OD, "__name__") else "OD")
print(sqrt(16.0), floor(2.5), pi == math.pi, struct.pack("<H", 258))
P = namedtuple("P", ("x", "y"))
p = P(1, 2)
print(p.x + p.y, p[0], p)
dq = deque((), 5)
dq.append(1)
dq.append(2)
print(dq.popleft(), len(dq))
od = OD()
od["b"] = 1
od["a"] = 2
print(list(od.keys()))
def late_import():
    import struct as s
    from math import fabs
    return s.calcsize("<i"), fabs(-2.0)
print(late_import())
try:
    import asyncio.core
    dotted = True
except ImportError:
    dotted = True
print("dotted import", dotted)
try:
    from . import sibling
except ImportError:
    print("relative import failed as expected")
try:
    from .. import parent
except ImportError:
    print("relative import failed as expected")
try:
    from ... import grandparent
except ImportError:
    print("relative import failed as expected")
try:
    from .sibling import name as alias
except ImportError:
    print("relative import failed as expected")
try:
    import no_such_module_here
except ImportError:
    print("ImportError")
print(type(sys.argv).__name__, isinstance(sys.maxsize, int))
