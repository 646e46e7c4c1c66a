# float() and complex() from text as py/parsenum.c reads it, __complex__,
# the float power rules of py/objfloat.c (0 ** -1, 0.0 ** -inf, a negative
# base to a fractional power, x ** nan) and %f too long for MicroPython's
# buffer, printed as %g.
for text in ("1_2_3", " 1_2.5e1_0 ", "INF", "-Infinity", "nan", "1e300", "-0.0", ".5", "1.", b"2.5"):
    print(repr(text), float(text))
for text in ("", "1e+", "1z", "1_2j", "inf_"):
    try:
        float(text)
    except ValueError:
        print(repr(text), "ValueError")
for text in ("j", "-j", "1.5", "2j", "1+j", "-1-2.5j", " +1-2j ", "nanj", "1e1+1e1j"):
    print(repr(text), complex(text))
for text in ("1+2", "1j+2", "1+2j+3", "1 + 2j"):
    try:
        complex(text)
    except ValueError:
        print(repr(text), "ValueError")


class C:
    def __complex__(self):
        return 3 + 4j


class NotComplex:
    def __complex__(self):
        return 1


print(complex(C()))
try:
    complex(NotComplex())
except TypeError:
    print("TypeError")
for x, y in ((0, -1), (0, -1.5), (0.0, float("-inf")), (-1, float("nan")), (1, float("nan")), (2, -2)):
    try:
        print(x, y, x ** y, pow(x, y))
    except ZeroDivisionError:
        print(x, y, "ZeroDivisionError")
r = (-8) ** (1 / 3)
print("%.5f %.5f" % (r.real, r.imag))
try:
    (1 << 70) / 0
except ZeroDivisionError:
    print("ZeroDivisionError")
print("%.2f" % 8.888e32, "%.3f" % 1.5e30, "%.1f" % -2.5e31, "%f" % 1e10)
