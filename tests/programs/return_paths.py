# return from inside nested loops, with blocks, try/except/finally and else clauses.
class CM:
    def __enter__(self):
        print("enter")
    def __exit__(self, *a):
        print("exit")
def find(matrix, target):
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            if v == target:
                return i, j
    return None
print(find([[1, 2], [3, 4]], 4), find([[1]], 9))
def from_with():
    with CM():
        for i in range(5):
            if i == 2:
                return i
def from_try(x):
    try:
        if x:
            return "try"
    except Exception:
        return "except"
    else:
        return "else"
    finally:
        print("finally", x)
def from_except():
    try:
        raise KeyError
    except KeyError:
        return "except"
    finally:
        print("finally")
def from_while_else(n):
    while n > 0:
        n -= 1
        if n == 10:
            return "never"
    else:
        return "while-else"
def no_return():
    pass
def bare_return():
    return
def ternary_return(x):
    return "yes" if x else "no"
print(from_with(), from_try(1), from_try(0), from_except(), from_while_else(3))
print(no_return(), bare_return(), ternary_return(1), ternary_return(0))
def nested_finally():
    try:
        try:
            return "inner"
        finally:
            print("f1")
    finally:
        print("f2")
print(nested_finally())
