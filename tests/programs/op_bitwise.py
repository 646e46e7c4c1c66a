# Bitwise and shift operators, including big-int results.
a, b = 0b1100, 0b1010
print(a & b, a | b, a ^ b, ~a, a << 3, a >> 2)
print(-a & 0xff, -a | 1, -a ^ 5, -a >> 1, ~-a)
one = 1
print(one << 40, one << 100, (one << 100) >> 99, (one << 64) - 1)
big = (1 << 80) | 0xffff
print(big & 0xff00, big ^ (1 << 80), hex(big))
print(0xff & 0x0f | 0x30 ^ 0x01, 1 << 2 + 1, (1 << 2) + 1)
flags = 0
for bit in (0, 3, 5):
    flags |= 1 << bit
print(flags, bin(flags), flags & (1 << 3) != 0, flags & (1 << 4) != 0)
