# property with getter/setter/deleter, computed attributes, and validation.
class Temp:
    def __init__(self, c):
        self._c = c
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, v):
        if v < -273:
            raise ValueError("too cold")
        self._c = v
    @celsius.deleter
    def celsius(self):
        print("deleting")
        self._c = None
    @property
    def fahrenheit(self):
        return self._c * 9 // 5 + 32
t = Temp(100)
print(t.celsius, t.fahrenheit)
t.celsius = 0
print(t.celsius, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError", e.args[0])
del t.celsius
print(t.celsius)
try:
    t.fahrenheit = 5
except AttributeError:
    print("AttributeError")
class Old:
    def _get(self):
        return "got"
    def _set(self, v):
        print("set", v)
    x = property(_get, _set)
o = Old()
o.x = 3
print(o.x)
