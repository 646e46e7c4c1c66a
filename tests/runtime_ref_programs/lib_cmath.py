# The cmath module (py/modcmath.c): its constants and functions on
# complex numbers, ints, floats and objects with __complex__ or __float__.
import cmath

print("%.5g %.5g" % (cmath.e, cmath.pi))


class HasComplex:
    def __complex__(self):
        return complex(3, -4)


class HasFloat:
    def __float__(self):
        return -2.0


for z in (1 + 2j, -0.5 - 1j, 2, -3.5, HasComplex(), HasFloat()):
    print("%.5g" % cmath.phase(z), "%.5g %.5g" % cmath.polar(z))
    for f in (cmath.exp, cmath.log, cmath.log10, cmath.sqrt, cmath.cos, cmath.sin):
        r = f(z)
        print("  %.5g %.5g" % (r.real, r.imag))
r = cmath.rect(2, 0.5)
print("%.5g %.5g" % (r.real, r.imag))
for bad in ([], "1"):
    try:
        cmath.sqrt(bad)
    except TypeError:
        print("TypeError")
