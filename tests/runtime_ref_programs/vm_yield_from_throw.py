# close() and throw() through `yield from`: into generators and into
# iterator objects with their own throw()/close(), StopIteration as the
# result of the delegation, throw() with a second argument; generator.pend_throw.


def inner():
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print("inner GeneratorExit")
        raise
    except ValueError as e:
        print("inner ValueError", e.args)
        yield 3


def outer():
    try:
        r = yield from inner()
        print("result", r)
    except GeneratorExit:
        print("outer GeneratorExit")
        raise


g = outer()
print(next(g))
g.close()

g = outer()
print(next(g))
print(g.throw(ValueError("x")))
try:
    g.throw(ValueError, ValueError(7))
except ValueError as e:
    print("out of outer", e.args)


def swallow():
    try:
        yield 10
    except GeneratorExit:
        print("swallowed")


def delegate():
    try:
        yield from swallow()
    except GeneratorExit:
        print("re-raised in delegate")
    yield 20


g = delegate()
print(next(g))
print(g.throw(GeneratorExit))


class Duck:
    def __iter__(self):
        return self

    def __next__(self):
        return 5

    def send(self, v):
        return v * 2

    def throw(self, x):
        print("Duck.throw", x)
        return 6

    def close(self):
        print("Duck.close")


def via_duck():
    yield from Duck()


g = via_duck()
print(next(g), g.send(21), g.throw(123))
g.close()


def stopper(x):
    if x < 2:
        return x
    raise StopIteration(99)


def via_map():
    print("map result", (yield from map(stopper, range(10))))


print(list(via_map()))

g = inner()
print(next(g))
g.close()
try:
    g.throw(ValueError)
except StopIteration:
    print("finished generator: StopIteration")


# generator.pend_throw: thrown in at the next resume, at the start of an
# unstarted generator; it returns what was pending; None cancels
def counter():
    i = 0
    while True:
        try:
            yield i
        except KeyError:
            print("caught KeyError")
        i += 1


g = counter()
print(next(g), repr(g.pend_throw(KeyError())), repr(g.pend_throw(KeyError())))
print(next(g))
print(repr(g.pend_throw(ValueError())), repr(g.pend_throw(None)), next(g))
g = counter()
g.pend_throw(OSError(5))
try:
    next(g)
except OSError as e:
    print("OSError", e.errno)
