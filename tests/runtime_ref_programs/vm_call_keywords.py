# Keyword arguments spread from several ** mappings: a name given twice, a
# key that is not a string, a mapping that is not a dict; `del` of a
# closure variable that is already unbound.


def f(a, b=None, c=None):
    print(a, b, c)


f(**{"a": 1}, **{"b": 2}, c=3)
for bad in ({"b": 3}, {len: 3}):
    try:
        f(1, **{"b": 2}, **bad)
    except TypeError:
        print("TypeError", bad == {"b": 3})
try:
    f(1, b=2, **{"b": 3})
except TypeError:
    print("TypeError")


class Mapping:
    def keys(self):
        return ["b", "c"]

    def __getitem__(self, key):
        return key * 2


f(0, **Mapping())
f(a=0, **Mapping())


def outer():
    x = 1

    def show():
        try:
            print(x)
        except NameError:
            print("NameError on load")

    def drop():
        nonlocal x
        try:
            del x
        except NameError:
            print("NameError on del")

    show()
    drop()
    show()
    drop()


outer()
