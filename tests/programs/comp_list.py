# List comprehensions: filters, nested loops, closures over outer names, in functions and at module level.
print([x for x in range(5)])
print([x * y for x in range(1, 4) for y in range(1, 4) if x != y])
print([x for x in range(20) if x % 2 if x % 3])
print([[j for j in range(i)] for i in range(4)])
k = 10
print([x + k for x in (1, 2, 3)])
def f(n):
    m = 100
    return [x + m + n for x in range(n) if x != 1]
print(f(3))
pairs = [(a, b) for a in "ab" for b in "xy"]
print(pairs)
print([c.upper() for c in "hello" if c not in "l"])
matrix = [[1, 2, 3], [4, 5, 6]]
print([row[i] for i in range(3) for row in matrix])
print([[row[i] for row in matrix] for i in range(3)])
print([(lambda v: v * 2)(x) for x in range(3)])
print([y for x in [[1, 2], [3]] for y in x])
print([x for x, in [(1,), (2,)]], [a + b for a, b in zip("ab", "cd")])
