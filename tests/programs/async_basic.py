# async def / await driven by a tiny round-robin scheduler (no event-loop module needed).
class Sleep:
    """Awaitable that suspends once; __iter__ serves MicroPython, __await__ CPython."""
    def __init__(self, tag):
        self.tag = tag
    def __iter__(self):
        yield self.tag
        return self.tag + "!"
    __await__ = __iter__
def run(*coros):
    queue = list(coros)
    results = []
    while queue:
        c = queue.pop(0)
        try:
            c.send(None)
            queue.append(c)
        except StopIteration as e:
            results.append(e.args[0] if e.args else None)
    return results
async def add(a, b):
    r = await Sleep("add")
    print("add resumed with", r)
    return a + b
async def worker(name, n):
    total = 0
    for i in range(n):
        print(name, "step", i)
        total += await add(i, 1)
    return name, total
print(run(worker("A", 2), worker("B", 3)))
async def nothing():
    pass
print(run(nothing()))
async def raiser():
    await Sleep("x")
    raise ValueError("async error")
async def catcher():
    try:
        await raiser()
    except ValueError as e:
        return "caught " + e.args[0]
print(run(catcher()))
def logged(fn):
    def wrapper(*args):
        print("starting", fn.__name__)
        return fn(*args)
    return wrapper
@logged
async def decorated(x):
    return await add(x, x)
print(run(decorated(21)))
