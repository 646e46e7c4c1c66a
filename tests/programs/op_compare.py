# Comparisons of every kind and chained comparisons, in value and branch context.
a, b, c = 1, 2, 3
print(a < b, a > b, a == b, a != b, a <= b, a >= b)
print(a < b < c, a < b > c, a == 1 == a, c > b >= a, 1 < 2 < 3 < 4 < 5)
print(a is a, a is not b, a in [1, 2], a not in (2, 3), "x" in "xyz", "q" not in "xyz")
if a < b < c:
    print("chain true")
if not (a < c < b):
    print("chain false")
def side(v):
    print("eval", v)
    return v
print(side(1) < side(2) < side(0) < side(5))
print([1, 2] < [1, 3], (1, 2) == (1, 2), "abc" < "abd", [] == [], None is None)
x = None
print(x is None, x is not None, x == None)
print(1 == 1.0, 2 != 2.5, 3 <= 3.0, -1 < 0 <= 0)
while a < b <= c:
    a += 1
print(a)
print(1 < 2 == 2 != 3 > 2 >= 2 <= 5 in [5] not in [[5]] is not None)
