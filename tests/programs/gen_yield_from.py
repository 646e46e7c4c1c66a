# yield from: delegation, return values, send/throw pass-through, nested delegation.
def inner():
    x = yield 1
    print("inner got", x)
    yield 2
    return "inner result"
def outer():
    r = yield from inner()
    print("outer got", r)
    yield from [10, 20]
    yield from range(2)
    yield from (c for c in "ab")
g = outer()
print(next(g))
print(g.send("hello"))
print(list(g))
def flatten(x):
    if isinstance(x, list):
        for y in x:
            yield from flatten(y)
    else:
        yield x
print(list(flatten([1, [2, [3, [4, 5]], 6], [[7]]])))
def sub():
    try:
        yield "sub"
    except ValueError:
        yield "sub handled"
def top():
    yield from sub()
t = top()
print(next(t), t.throw(ValueError()))
def ret_chain(n):
    if n == 0:
        return 0
    v = yield from ret_chain(n - 1)
    yield n
    return v + n
print(list(ret_chain(3)))
def collect():
    total = yield from ret_chain(4)
    yield "total", total
print(list(collect()))
