# None, True, False, Ellipsis and __debug__.
print(None, True, False, ...)
print(None is None, True is not False, ... is Ellipsis)
print(__debug__)
if __debug__:
    print("debug on")
x = None
print(x is None, not x, bool(x), True + True, False * 3)
def f():
    return None, True, False, ...
print(f())
print(type(None).__name__, type(True).__name__, type(...).__name__ if False else "ellipsis")
