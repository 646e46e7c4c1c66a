# staticmethod and classmethod, alternative constructors and class-level counters.
class Date:
    created = 0
    def __init__(self, y, m, d):
        self.y, self.m, self.d = y, m, d
        Date.created += 1
    @classmethod
    def from_string(cls, s):
        y, m, d = s.split("-")
        return cls(int(y), int(m), int(d))
    @staticmethod
    def is_leap(y):
        return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    @classmethod
    def count(cls):
        return cls.created
    def __str__(self):
        return "%04d/%02d/%02d" % (self.y, self.m, self.d)
d = Date.from_string("2024-02-29")
print(d, Date.is_leap(2024), Date.is_leap(1900), d.is_leap(2000), Date.count())
class Sub(Date):
    pass
s = Sub.from_string("1999-12-31")
print(type(s).__name__, s, Sub.count())
