# assert with and without a message, passing and failing.
assert True
assert 1 == 1, "never shown"
x = 5
assert x > 0 and x < 10
try:
    assert x < 0
except AssertionError as e:
    print("AssertionError", e.args)
try:
    assert x < 0, "x must be negative: %d" % x
except AssertionError as e:
    print("AssertionError", e.args)
def check(v):
    assert isinstance(v, int), ("not an int", v)
    return v * 2
print(check(3))
try:
    check("a")
except AssertionError as e:
    print(e.args[0])
