"""Shared pieces of the hardware stubs: names that resolve to something usable at import time.

`make_getattr(enums)` returns a module-level `__getattr__`: names listed in
`enums` resolve to a `Value` (any attribute, any call), every other name to a
fresh class (so library classes can subclass it).
"""


class Value:
    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return Value()

    def __getattr__(self, name):
        return Value()


class Base:
    def __init__(self, *args, **kwargs):
        pass


def make_getattr(enums=()):
    made = {}

    def getattr_(name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name not in made:
            made[name] = Value() if name in enums or name.isupper() else type(name, (Base,), {})
        return made[name]

    return getattr_
