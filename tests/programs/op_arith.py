# Arithmetic binary operators on ints, floats and sequences (values from variables so nothing folds).
a, b = 17, 5
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** b)
a, b = -17, 5
print(a + b, a - b, a * b, a // b, a % b, -a ** 2)
x, y = 7.5, 2.0
print(x + y, x - y, x * y, x / y, x // y, x % y, x ** y)
s, n = "ab", 3
print(s + "cd", s * n, n * s, [0] * n, (1, 2) + (3,))
print(2 ** 10, 2 ** 100, 10 ** -1, (-2) ** 3)
print(1 + 2 * 3 - 4 / 2, (1 + 2) * 3, 2 ** 3 ** 2, -2 ** 2)
z = 0
try:
    print(a // z)
except ZeroDivisionError:
    print("ZeroDivisionError")
try:
    print(x / z)
except ZeroDivisionError:
    print("ZeroDivisionError float")
print(divmod(a, b), abs(a), pow(a, 2), pow(3, 4, 7))
