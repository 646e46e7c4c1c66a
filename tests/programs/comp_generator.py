# Generator expressions: as call arguments, consumed lazily, nested, capturing variables.
print(sum(x * x for x in range(5)))
print(list(x for x in "abc"), tuple(x + 1 for x in (1, 2)))
g = (x * 2 for x in range(3))
print(next(g), next(g), list(g))
print(max(len(w) for w in ["a", "abc", "ab"]), any(x > 2 for x in [1, 3]), all(x for x in [1, 0]))
def f(n):
    base = 10
    return list(base + i for i in range(n) if i != 1)
print(f(4))
nested = ((i, j) for i in range(3) for j in range(i))
print(list(nested))
print(sorted((v for v in [3, 1, 2]), reverse=True))
print("-".join(str(i) for i in range(4)))
gen = (y for y in (x * x for x in range(4)) if y)
print(list(gen))
def lazy():
    print("start")
    yield 1
    print("end")
print([v * 10 for v in lazy()])
