# async code in native functions: CircuitPython marks an async def with its own scope flag
# (0x10, part of the prelude signature) and compiles `await x` as x.__await__() + yield from.
import micropython


@micropython.native
async def waits(x, y=2):
    await x
    r = await y
    return r


@micropython.native
async def loops(items):
    total = 0
    async for i in items:
        total += i
    return total


@micropython.native
def plain(*args, **kw):
    return len(args) + len(kw)


@micropython.native
async def nested(a):
    async def inner(b):
        return await b
    return await inner(a)


class Awaitable:
    @micropython.native
    async def method(self, v):
        return await v
