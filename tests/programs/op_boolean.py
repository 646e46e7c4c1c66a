# and / or / not in value and condition context, with short-circuit evaluation.
def t(v):
    print("t", v)
    return v
print(t(1) and t(2), t(0) and t(2), t(0) or t(3), t(4) or t(5))
print(1 and 2 and 3, 1 and 0 and 3, 0 or "" or None, 0 or "x" or 1)
x = [] or [1]
y = {} and "never"
print(x, y, not x, not y)
if t(1) and (t(0) or t(2)):
    print("cond1")
if not (t(0) or t(0)):
    print("cond2")
if t(0) and t(1) or t(1):
    print("cond3")
while t(0) or False:
    pass
a = 5
print(a > 3 and a < 10, a < 3 or a > 4, not a == 5)
print(None or 0 or [] or "last", 1 and [] and 3)
v = t(0) or t(0) or t(7)
print(v)
