# Conditional expressions and assignment expressions (walrus).
x = 5
print("big" if x > 3 else "small", "a" if x < 0 else "b" if x < 10 else "c")
f = lambda v: "pos" if v > 0 else "zero" if v == 0 else "neg"
print(f(3), f(0), f(-2))
if (n := len("hello")) > 3:
    print("n is", n)
data = [1, 2, 3, 4, 5, 6]
print([y for v in data if (y := v * v) > 10], y)
items = iter([3, 2, 1, 0, 9])
while (v := next(items)) != 0:
    print("v", v)
def g():
    if (w := 10) and (z := w + 1):
        return w, z
print(g())
print((a := 1), (b := a + 1), a + b)
def h(seq):
    return [last := s for s in seq], last
print(h("xyz"))
print(x if (t := x * 2) < 5 else t)
def show(v):
    return v * 2
print(show(q := 21), q, [show(r := i) for i in range(2)], r)
