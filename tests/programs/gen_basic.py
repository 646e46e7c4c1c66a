# Generators: yield in loops, return values, infinite generators, generator state.
def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1
print(list(count_up(4)))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
g = fib()
print([next(g) for _ in range(10)])
def with_return():
    yield 1
    return "done"
w = with_return()
print(next(w))
try:
    next(w)
except StopIteration as e:
    print("StopIteration", e.args)
def empty():
    return
    yield
print(list(empty()))
def pairs(seq):
    for i, x in enumerate(seq):
        yield i, x
print(dict(pairs("ab")) == {0: "a", 1: "b"})
def bare_yield():
    x = yield
    print("received", x)
    yield
b = bare_yield()
print(next(b))
print(b.send("value"))
def chain(*its):
    for it in its:
        for x in it:
            yield x
print(list(chain([1], (2, 3), "ab")))
def in_try():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
for v in in_try():
    print("got", v)
it = in_try()
for v in it:
    break
it.close()
print("after close")
