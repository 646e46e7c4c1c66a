# Classes: attributes, methods, instances, class vs instance attributes, __init__, __str__.
class Point:
    """A 2-D point."""
    dims = 2
    def __init__(self, x=0, y=0):
        self.x = x
        self.y = y
    def __str__(self):
        return "Point(%d, %d)" % (self.x, self.y)
    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)
    def norm1(self):
        return abs(self.x) + abs(self.y)
p = Point(1, 2)
q = p.moved(3, -4)
print(p, q, q.norm1(), Point.dims, p.dims)
p.dims = 3
print(p.dims, Point.dims)
Point.dims = 5
print(Point(0).dims, p.dims)
class Empty:
    pass
e = Empty()
e.anything = [1]
print(e.anything, isinstance(e, Empty), type(e).__name__, Empty.__name__)
class WithDoc:
    "doc string"
print(WithDoc.__name__)
m = p.moved
print(m(1, 1))
print(Point.moved(p, 10, 10))
print(hasattr(p, "x"), hasattr(p, "z"), getattr(p, "y"), getattr(p, "z", "dflt"))
setattr(p, "z", 9)
print(p.z)
class Counter:
    total = 0
    def __init__(self):
        Counter.total += 1
for _ in range(3):
    Counter()
print(Counter.total)
