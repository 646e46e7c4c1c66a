class C(metaclass):
    pass
class D(x for x in y, z):
    pass
class E(:
    pass
