# Expressions of constants that MicroPython folds at compile time (and some it must not fold).
print(1 + 2, 3 * 4 - 5, 7 // 2, -7 // 2, 7 % 3, -7 % 3, 2 ** 10, 1 << 10, 1024 >> 3, ~5, -(-5), +5)
print(0xff & 0x0f, 0xf0 | 0x0f, 0xff ^ 0x0f, 1 << 62, 1 << 64, 2 ** 62, 2 ** 64, -2 ** 63)
print(1 < 2, 2 == 2, not 1, 1 and 2, 0 or 3, "a" + "b", "ab" * 3, (1, 2) + (3,))
print(3 / 2, 2 ** -1, 10 ** 20, 7 // -2, 1 << 31, (1 << 30) - 1, -(1 << 30), -(1 << 30) - 1)
print(2 ** 30 * 2, 0x3fffffff + 1, -0x40000000 - 1, 46341 * 46341, -1 >> 1, -(2 ** 100) // 3)
print(1.5 * 2, 1 / 4, 2.0 ** 3, -0.0 + 0.0, 1e3 + 1)
print(0 and 1 / 0, 1 or 1 / 0, "x" if 1 else 1 / 0, "%d%%" % 5, len("abc"))
try:
    print(1 // 0)
except ZeroDivisionError:
    print("not folded: 1 // 0")
try:
    print(1 % 0)
except ZeroDivisionError:
    print("not folded: 1 % 0")
try:
    print(1 << -1)
except ValueError:
    print("not folded: 1 << -1")
A = 3
print(A * 2 + 1, -A, A << 2)
print(((((1 + 2) * 3) - 4) << 2) // 5 % 7)
