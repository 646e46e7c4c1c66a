# Control flow the assembler must size and unwind exactly: break/continue out of
# try/finally and with blocks, for-range forms, else clauses, elif versus else-if.


class Ctx:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("enter", self.name)
        return self

    def __exit__(self, *exc):
        print("exit", self.name, exc[0] is not None)
        return False


def unwind(n):
    out = []
    for i in range(n):
        try:
            if i == 1:
                continue
            if i == 4:
                break
            out.append(i)
        finally:
            out.append(-i)
    else:
        out.append("else")
    return out


def with_break():
    for i in range(3):
        with Ctx("w%d" % i):
            if i == 1:
                break
    return i


def ranges():
    r = []
    for i in range(5, 0, -2):
        r.append(i)
    for j in range(3):
        pass
    else:
        r.append(j)
    n = 4
    for k in range(1, n):
        r.append(k * 10)
    else:
        r.append("done")
    for m in range(2, 100, 30):
        if m > 40:
            break
        r.append(m)
    else:
        r.append("no")
    return r


def chain(x):
    if x < 0:
        return "neg"
    elif x == 0:
        return "zero"
    else:
        if x > 100:
            return "big"
        elif x > 10:
            return "mid"
    return "small"


def nested_loops():
    total = 0
    i = 0
    while i < 4:
        i += 1
        j = 0
        while True:
            j += 1
            if j > i:
                break
            if (i + j) % 3 == 0:
                continue
            total += i * j
    else:
        total += 1000
    return total


def ret_in_finally(v):
    try:
        return v * 2
    finally:
        print("finally", v)


def deep(x):
    try:
        try:
            try:
                if x:
                    raise KeyError(x)
            except KeyError as e:
                print("inner", e)
                raise ValueError("again")
        finally:
            print("middle")
    except ValueError as e:
        return str(e)
    return "none"


print(unwind(6))
print(with_break())
print(ranges())
print([chain(v) for v in (-1, 0, 5, 50, 500)])
print(nested_loops())
print(ret_in_finally(21))
print(deep(1), deep(0))
