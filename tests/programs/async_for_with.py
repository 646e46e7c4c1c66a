# async for and async with, with a scheduler that steps coroutines by hand.
class Tick:
    def __iter__(self):
        yield "tick"
    __await__ = __iter__
class ARange:
    def __init__(self, n):
        self.i = 0
        self.n = n
    def __aiter__(self):
        return self
    async def __anext__(self):
        await Tick()
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        return self.i * 10
class Lock:
    def __init__(self, name):
        self.name = name
    async def __aenter__(self):
        await Tick()
        print("acquire", self.name)
        return self.name.upper()
    async def __aexit__(self, exc_type, exc, tb):
        await Tick()
        print("release", self.name, exc_type is not None)
        return exc_type is KeyError
def run(coro):
    steps = 0
    while True:
        try:
            coro.send(None)
            steps += 1
        except StopIteration as e:
            return e.args[0] if e.args else None, steps
async def main():
    got = []
    async for v in ARange(3):
        got.append(v)
    async with Lock("a") as name:
        got.append(name)
    async with Lock("b"):
        raise KeyError("suppressed")
    try:
        async with Lock("c"):
            raise ValueError("escapes")
    except ValueError:
        got.append("ValueError")
    async for v in ARange(2):
        if v > 10:
            break
        got.append(v)
    else:
        got.append("no else")
    return got
print(run(main()))
