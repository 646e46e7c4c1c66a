# dict views, hash, int.to_bytes/from_bytes, deque, OrderedDict, exceptions, getattr
from collections import OrderedDict, deque
d = {1: "a", 2: "b"}
k = d.keys()
d[3] = "c"
print(k, d.values(), d.items(), len(k), 2 in k, (1, "a") in d.items(), list(k))
print(hash(-5), hash(2.0), hash(True))
try:
    hash(k)
except TypeError:
    print("TypeError")
print((258).to_bytes(2, "big"), (-1).to_bytes(2, "little", signed=True), (5).to_bytes(), int.from_bytes(b"\xff\x00", "little"))
try:
    int.from_bytes(b"\xff", "big", signed=True)
except TypeError:
    print("TypeError")
try:
    (256).to_bytes(1, "big")
except OverflowError:
    print("OverflowError")
q = deque([1, 2, 3, 4], 3)
q.append(5)
q.appendleft(0)
print(list(q), len(q), q[0], q.pop(), q.popleft())
full = deque((), 1, 1)
full.append(1)
try:
    full.append(2)
except IndexError as e:
    print("IndexError", e)
try:
    deque(())
except TypeError:
    print("TypeError")
o = OrderedDict()
o["z"] = 1
o["a"] = 2
p = OrderedDict([("a", 2), ("z", 1)])
print(o, o == p, dict(o) == dict(p))
print(OSError(2, "x").errno, issubclass(IndentationError, SyntaxError), range(10)[1:8:3], pow(0, 0, 5))
class G:
    def __getattr__(self, name):
        raise AttributeError(name)
print(getattr(G(), "nope", "default"), hasattr(G(), "nope"), int("0x10", 16), int(bytearray(b"12")))
for bad in ("01", "1_"):
    try:
        int(bad, 0)
    except ValueError:
        print("ValueError", bad)
try:
    [].append(x=1)
except TypeError:
    print("TypeError")
try:
    1 in "abc"
except TypeError:
    print("TypeError")
T = type("T", (object,), {"x": 1, "f": lambda self: 2})
print(T().x, T().f(), T.__name__, isinstance(T(), object))
class N:
    def meth(self):
        pass
print(N.meth.__name__, N().meth.__name__)
print(slice(None).indices(5) if False else (lambda s: s)(range(1, 9, 2)).start, range(1, 9, 2).stop, range(1, 9, 2).step)
class Sl:
    def __getitem__(self, idx):
        return idx
print(Sl()[2:7:2].indices(10), Sl()[::-1].indices(4), Sl()[:].indices(0))
import errno
print(errno.EINVAL, errno.errorcode[errno.EIO], str(OSError(errno.EIO)), str(OSError(errno.ENOENT, "gone")), str(OSError(9999)))
