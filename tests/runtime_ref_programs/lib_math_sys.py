# math functions with MicroPython's domain errors; sys attributes
import math
import sys
print("%.4f %.4f %.4f" % (math.acos(0.5), math.log2(8), math.expm1(1e-3)))
print(math.floor(-1.5), math.ceil(1.2), math.trunc(-2.7), math.factorial(20), math.isclose(1.0, 1.0 + 1e-10))
print(math.frexp(8.0), math.modf(-1.5), math.ldexp(1, 4), math.degrees(math.pi), math.tau > 6)
for f, x in ((math.sqrt, -1), (math.log, 0), (math.acos, 2), (math.gamma, -math.inf)):
    try:
        f(x)
    except ValueError as e:
        print(e)
class F:
    def __float__(self):
        return 2.0
print(math.sqrt(F()), float(F()))
print(sys.implementation.name, type(sys.implementation._mpy), sys.byteorder in ("little", "big"))
print(type(sys.path), sys.maxsize > 2**30, sys.version_info[0])
try:
    sys.x = 1
except AttributeError:
    print("AttributeError")
