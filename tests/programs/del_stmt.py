# del of module names, locals, closed-over cells, globals, items, slices, attributes and tuples of targets.
a = 1
b = 2
del a
try:
    a
except NameError:
    print("a deleted")
def local_del():
    x = 5
    del x
    try:
        print(x)
    except NameError:
        print("local deleted")
local_del()
def cell_del():
    c = "cell"
    def read():
        return c
    print(read())
    del c
    try:
        read()
    except NameError:
        print("cell deleted")
cell_del()
def global_del():
    global b
    del b
global_del()
print("b" in globals())
l = list(range(8))
del l[0]
del l[-1]
del l[1:3]
print(l)
d = {1: "a", 2: "b", 3: "c"}
del d[2], d[3]
print(d)
class O:
    pass
o = O()
o.x = o.y = 1
del o.x, o.y
print(hasattr(o, "x"), hasattr(o, "y"))
p, q = 1, 2
del (p, q)
print("p" in globals(), "q" in globals())
def del_loop():
    for i in range(2):
        tmp = i
        del tmp
    return i
print(del_loop())
