# Dict and set comprehensions, including nested and conditional ones.
d = {x: x * x for x in range(6) if x % 2 == 0}
print(sorted(d.items()))
s = {x % 4 for x in range(20)}
print(sorted(s))
inv = {v: k for k, v in {"a": 1, "b": 2}.items()}
print(sorted(inv.items()))
def f(words):
    n = 2
    return {w: len(w) * n for w in words}, {w[0] for w in words if len(w) > n}
a, b = f(["apple", "fig", "banana"])
print(sorted(a.items()), sorted(b))
grid = {(i, j): i * j for i in range(3) for j in range(3) if i <= j}
print(sorted(grid.items()))
print(sorted({c for c in "mississippi"}), {k: {v for v in range(k)} for k in range(3)}[2] == {0, 1})
