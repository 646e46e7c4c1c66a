# `elif` chains versus `else:` blocks holding an `if`: compile.c shares one end
# label across elif clauses but gives a nested if statement its own.


def classify(x):
    if x == 1:
        r = "one"
    else:
        if x == 2:
            r = "two"
        else:
            r = "other"
    if x:
        pass
    elif x == 4:
        r += "!"
    else:
        if x:
            r += "?"
        elif x < 0:
            r += "-"
    return r


print([classify(v) for v in (0, 1, 2, 3, -1)])
