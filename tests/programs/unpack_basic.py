# Tuple/list unpacking: swaps, nested targets, starred targets, targets of every kind.
a, b = 1, 2
a, b = b, a
print(a, b)
a, b, c = 1, 2, 3
a, b, c = c, a, b
print(a, b, c)
(p, q), r = (1, 2), 3
[s, [t, u]] = [4, [5, 6]]
print(p, q, r, s, t, u)
first, *rest = [1, 2, 3, 4]
*init, last = "abcd"
head, *mid, tail = range(6)
print(first, rest, init, last, head, mid, tail)
x, *y = (1,)
print(x, y)
*z, = [7, 8]
print(z)
class O:
    pass
o = O()
d = {}
l = [0, 0]
o.a, d["k"], l[1] = "A", "K", "L"
print(o.a, d, l)
for i, (j, k) in enumerate([(1, 2), (3, 4)]):
    print(i, j, k)
for m, *n in [(1, 2, 3), (4,)]:
    print(m, n)
def f():
    x1, x2 = 10, 20
    x1, x2 = x2, x1
    y1, y2, y3 = 1, 2, 3
    y1, y2, y3 = y3, y1, y2
    g, *h = [5, 6, 7]
    return x1, x2, y1, y2, y3, g, h
print(f())
try:
    a, b = [1, 2, 3]
except ValueError:
    print("ValueError")
e = f = g = [0]
print(e is g, f)
v1, v2 = w = (3, 4)
print(v1, v2, w)
