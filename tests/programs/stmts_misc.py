# Small statements and layout: pass, semicolons, line continuation, if/elif/else, docstrings, empty bodies.
"""Module docstring."""
pass
a = 1; b = 2; c = a + b; print(c)
total = a + \
    b + \
    c
print(total)
values = [
    1,
    2,  # comment inside brackets
    3,
]
print(values)
def doc():
    """Function docstring."""
    pass
print(doc())
class E:
    pass
if a > 5:
    print("big")
elif a > 0:
    print("positive")
elif a == 0:
    print("zero")
else:
    print("negative")
if a: print("one-line if")
while False: pass
for _ in (): pass
def one_liner(): return "one"
print(one_liner())
x = (
    "implicit"
    "join"
)
print(x)
if not a:
    pass
elif b:
    pass
else:
    pass
print("end")  # trailing comment
count: int = 5
label: str
pair: "tuple" = (1, 2)
class Annotated:
    size: int = 3
    def __init__(self):
        self.value: int = self.size * 2
print(count, pair, Annotated().value, Annotated.size)
