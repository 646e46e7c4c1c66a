# Operator precedence and grouping across every level of the expression grammar.
a, b, c, d = 2, 3, 4, 5
print(a + b * c, (a + b) * c, a * b ** 2, -a ** 2, (-a) ** 2)
print(a | b & c ^ d, a << 1 + 1, a < b == b < c, not a == b)
print(a if b > c else d if c > b else 0, (lambda: 0 if False else 1)())
print(a + b if a else c, [a, b][a > b], a or b and c, (a or b) and c)
print(~a + 1, -a * -b, a - -b, a--b if False else a - (-b))
print(a * b // c % d, a ** -1, 2 ** -a, -a // b)
print(1 + 2 < 4 and 5 > 3 + 1 or 0, "x" * 2 + "y", 3 * (2 + 1) ** 2)
print((lambda x: x * 2)(a) + 1, [i * 2 for i in (a, b)][1] ** 2)
