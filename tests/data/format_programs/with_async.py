# with, async def / await / async for / async with.
class CM:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False

    async def __aenter__(self):
        return self

    async def __aexit__(self, *a):
        return False


with CM() as c1, CM() as c2:
    print(c1, c2)


async def agen(n):
    for i in range(n):
        yield i


async def main():
    async with CM() as c:
        print(c)
    async for i in AIter():
        print(i)
    await other()


class AIter:
    def __aiter__(self):
        return self

    async def __anext__(self):
        raise StopAsyncIteration


async def other():
    return 1
