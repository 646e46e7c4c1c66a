# Arbitrary-precision integers: arithmetic, comparison, conversion, powers and mixed small/big operands.
a = 2 ** 64
b = 3 ** 50
print(a, b, a + b, b - a, a * b)
print(b // a, b % a, -b // a, -b % a, divmod(b, a))
print(a ** 3, (a * b) >> 17, (b << 70) & ((1 << 90) - 1))
print(a > b, a < b, a == 18446744073709551616, a != b)
print(hex(a), hex(b), int("123456789012345678901234567890"), str(b)[:10])
print(-a, abs(-b), a & b, a | b, a ^ b, ~a)
f = 1
for i in range(1, 26):
    f *= i
print(f)
print(f // 10 ** 20, f % 1000003, pow(2, 100, 10 ** 9 + 7))
print(int.from_bytes(b"\xff" * 12, "big"), (2 ** 70).to_bytes(9, "big"))
print(12345678901234567890 * 98765432109876543210)
print(float(2 ** 60) == 2.0 ** 60, 2 ** 62 + 2 ** 62, -(2 ** 63))
x = 1 << 30
print(x, x * 4, x - 1, -x - 1, x >> 31)
