# Float and complex literals; printed values are exactly representable.
print(0.0, 1.0, 0.5, 1.25, -2.75, 1e3, 1E-2 * 100, 2.5e2, .5, 5., 1_0.2_5)
print(1e10, 1e16, 1e22, 1e-5, 3.0e-3 * 1000)
print(2j, 1.5j, 3 + 4j, abs(3 + 4j), (1 + 2j) * (1 - 2j), 0j)
print(type(1.0).__name__, type(1j).__name__)
x = 7.0
print(x / 2, x // 2, x % 2, -x, x ** 2)
print(float("1.5"), float(3), int(2.75), int(-2.75))
print("%.3f" % (1 / 3), "{:.4f}".format(2 / 3))
print(1.0 == 1, 0.5 < 1, 2.0 > 3)
big = 1e300
print(big * 10 > big, -big < 0)
