# Statements and expressions every MicroPython release compiles.
import sys
from os import path as p, sep
x = 1; y = 2.5; z = 3j; w = 1.5e300; v = -0.0
big = 1 << 100; neg = -12345678901234567890
small = (-17, -16, 47, 48, 63, 64, 8191, -8192, 1073741823, -1073741824)
s = "text"; u = "unicod\u00e9 \u2603"; bb = b"by\x00tes"; e = ...
t = (1, 2, "three")


def f(a, b=2, *args, k, kw=3, **kws):
    global x
    q = lambda: a
    return [i for i in args if i] + [a, b, k, kw, x, q()]


def counter():
    n = 0

    def inc(step=1):
        nonlocal n
        n += step
        return n
    return inc


class C(object):
    attr = 1

    def m(self):
        return super().m()

    @staticmethod
    def st(*a):
        return a


def gen():
    yield 1
    yield from range(3)


try:
    raise ValueError("v")
except (ValueError, TypeError) as err:
    pass
except Exception:
    raise
else:
    pass
finally:
    pass

for i in range(10):
    if i == 3:
        break
    elif i:
        continue
else:
    pass

while x:
    x -= 1
    if x > 100:
        break

print(f(1, k=2), {1: 2}, {3}, (1, 2), [1], t[1:2], t[::2], -x, ~x, not x, x is not y, x not in t)
print({k: v for k, v in ((1, 2),)}, {a for a in t}, list(b for b in t))
d = {}
d["a"] = 1
del d["a"]
a1, *rest = t
a2, b2 = b2, a2 = 1, 2
x = y if x else z
x = x and y or z
x = 1 < y <= 3
assert x, "message"
x **= 2; x //= 2; x %= 3; x <<= 1; x >>= 1; x &= 7; x |= 8; x ^= 1
del x
