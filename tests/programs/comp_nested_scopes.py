# Comprehensions that close over function locals, loop variables and class bodies.
def outer():
    factor = 3
    fns = [lambda x, i=i: x * i * factor for i in range(3)]
    return [fn(2) for fn in fns]
print(outer())
def make():
    acc = []
    data = [1, 2, 3]
    total = sum([x for x in data if x > min(data)])
    acc.append(total)
    return acc, [[x * y for y in data] for x in data]
print(make())
class K:
    items = [1, 2, 3]
    doubled = [x * 2 for x in items]
    table = {x: str(x) for x in range(2)}
print(K.doubled, sorted(K.table.items()))
def counter():
    n = 0
    def bump():
        nonlocal n
        n += 1
        return n
    return [bump() for _ in range(3)], n
print(counter())
x = "global"
print([x for x in range(2)], x)
