"""Shared pieces of the hardware stubs: names that resolve to something usable at import time.

`make_getattr(enums)` returns a module-level `__getattr__`: names listed in
`enums` (and UPPER_CASE names) resolve to a `Value` (any attribute, any
call), every other name to a fresh class (so library classes can subclass
it). A stub makes each name on first use; the measuring harness touches the
names a module takes before it measures.
"""

# names used as values, not classes (digitalio.Direction.OUTPUT, board.I2C, ...)
ENUMS = ("Attribute", "Direction", "Pull", "DriveMode", "RunMode", "Colorspace", "board", "FONT",
         "pin", "cpu", "nvm")


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


def make_getattr(enums=ENUMS):
    made = {}

    def getattr_(name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name not in made:
            made[name] = Value() if name in enums or name.isupper() else type(name, (Base,), {})
        return made[name]

    return getattr_
