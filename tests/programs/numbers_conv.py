# Conversions between numbers and strings, rounding and integer formatting.
print(int("123"), int("-7"), int("0x1f", 16), int("1f", 16), int("z", 36), int(" 5 "), int("1_000"))
print(float("1e3"), float("-0.5"), float(" 2 "), str(10), str(-2.5), str(1e20))
print(round(3.7), round(-3.2), round(1.25, 1), round(2.5), round(7, -1) if False else round(75, -1))
print(int(3.99), int(-3.99), float(7) / 2, 7 // 2, 7 % -3, -7 % 3)
print("%d %i %5.2f %e %s %r" % (3, 4, 2.25, 1500.0, 1, "s"))
print("{:d} {:5.2f} {:e} {:x} {:08b}".format(42, 3.14159, 1234.5, 255, 5))
print(bool(""), bool("0"), bool(0.0), bool([]), bool([0]), True == 1, False == 0)
print(1 + True, 1.5 + True, 3 * False)
print(abs(-0.0) == 0, -0.0 == 0.0, 1 / 4, 2 ** 0.5 > 1.41)
try:
    int("abc")
except ValueError:
    print("ValueError")
try:
    float("x")
except ValueError:
    print("ValueError float")
print(int(2 ** 40), int("9" * 25), str(2 ** 70))
