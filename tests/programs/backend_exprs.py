# Expression forms with their own code paths: method calls on assignment targets,
# chained comparisons, star calls, keyword arguments, slices, augmented targets.


class Box:
    def __init__(self):
        self.items = [0, 1, 2, 3, 4, 5]
        self.inner = None

    def me(self):
        return self

    def get(self, *a, **k):
        return (a, sorted(k.items()))


b = Box()
b.me().inner = Box()
b.me().inner.items[2] += 40
b.items[1:3] = [9, 9]
del b.items[0]
del b.me().items[-1]
print(b.items, b.inner.items)
x = 5
print(1 < x < 10, 1 < x > 10, x == 5 != 6, 0 <= x <= 5 < 6)
args = [1, 2]
kw = {"z": 3}
print(b.get(*args, 7, *args, y=1, **kw))
print(b.get(0, *args), b.get(**kw))
s = "abcdefghij"
print(s[1:], s[:3], s[-3:], s[:-1:], s[2:5:])
m = [[1, 2], [3, 4]]
m[1][0] *= 10
b.inner.inner = b
b.inner.inner.items[0] -= 100
print(m, b.items)
t = 1, 2
u = (3, 4)
a1, a2 = t
c, d = u
e, f = d, c
g, h, i = 1, x, 3
j, *k = [1, 2, 3]
(l, n) = (x, x)
print(a1, a2, c, d, e, f, g, h, i, j, k, l, n)
print((lambda p, q=2, *r, s=4, **w: (p, q, r, s, sorted(w)))(1, 2, 3, s=5, t=6))
print(list("ab") if x else None, {} if not x else {1: 2})
