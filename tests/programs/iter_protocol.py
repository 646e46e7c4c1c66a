# User iterators (__iter__/__next__), iteration via __getitem__, and consuming iterators by hand.
class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
print(list(Countdown(3)), [x * 2 for x in Countdown(2)], sum(Countdown(4)))
for v in Countdown(2):
    print("v", v)
class Seq:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError
        return i * i
print(list(Seq()), 4 in Seq())
class Wrapper:
    def __init__(self, data):
        self.data = data
    def __iter__(self):
        for x in self.data:
            yield x.upper()
print(list(Wrapper("abc")), "-".join(Wrapper(["x", "y"])))
it = iter(Countdown(2))
print(next(it), next(it))
try:
    next(it)
except StopIteration:
    print("exhausted")
a, b, c = Countdown(3)
print(a, b, c)
print(dict(zip(Countdown(2), Wrapper("pq"))) == {2: "P", 1: "Q"})
