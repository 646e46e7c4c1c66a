# Generator send(), throw() and close(), and yield used as an expression.
def accumulator():
    total = 0
    while True:
        v = yield total
        if v is None:
            break
        total += v
    yield "final %d" % total
acc = accumulator()
print(next(acc), acc.send(5), acc.send(10), acc.send(None))
def catcher():
    while True:
        try:
            yield "ready"
        except ValueError as e:
            print("caught", e.args[0])
        except KeyError:
            print("stopping")
            return
c = catcher()
print(next(c))
print(c.throw(ValueError("oops")))
try:
    c.throw(KeyError("k"))
except StopIteration:
    print("StopIteration")
def closer():
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print("GeneratorExit")
        raise
    finally:
        print("finally")
d = closer()
print(next(d))
d.close()
print("closed")
def echo():
    r = []
    while True:
        x = yield (len(r))
        r.append(x)
        if len(r) == 3:
            return r
e = echo()
next(e)
e.send("a"); e.send("b")
try:
    e.send("c")
except StopIteration as s:
    print(s.args[0])
