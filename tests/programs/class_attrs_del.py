# Attribute store/load/delete on instances and classes; del of attributes and items.
class O:
    shared = "s"
o = O()
o.a = 1
o.b = [1, 2]
o.b.append(3)
print(o.a, o.b, o.shared)
del o.a
print(hasattr(o, "a"))
try:
    del o.a
except AttributeError:
    print("AttributeError")
O.extra = "class attr"
print(o.extra)
del O.extra
print(hasattr(o, "extra"))
o.inner = O()
o.inner.deep = O()
o.inner.deep.v = 5
print(o.inner.deep.v)
del o.inner.deep.v
print(hasattr(o.inner.deep, "v"))
d = {"x": 1, "y": 2}
del d["x"]
print(d)
l = [1, 2, 3]
del l[0], l[-1]
print(l)
