# Generators and exceptions: yield in try/except/finally, exceptions crossing yield from, cleanup order.
def guarded(n):
    for i in range(n):
        try:
            if i == 2:
                raise ValueError(i)
            yield i
        except ValueError as e:
            yield "handled %d" % e.args[0]
        finally:
            print("finally", i)
print(list(guarded(4)))
def inner():
    try:
        yield 1
        raise KeyError("from inner")
    finally:
        print("inner cleanup")
def outer():
    try:
        yield from inner()
    except KeyError as e:
        yield "outer caught " + e.args[0]
print(list(outer()))
def stop_early():
    try:
        yield 1
        yield 2
    finally:
        print("closing")
g = stop_early()
print(next(g))
g.close()
def raise_in_next():
    yield 1
    1 / 0
try:
    for v in raise_in_next():
        print("got", v)
except ZeroDivisionError:
    print("ZeroDivisionError from generator")
def with_in_gen():
    class CM:
        def __enter__(self):
            print("enter")
        def __exit__(self, *a):
            print("exit")
    with CM():
        yield "inside with"
print(list(with_in_gen()))
