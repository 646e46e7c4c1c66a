# break / continue / return crossing finally blocks and exception handlers, nested several deep.
def loop_finally():
    out = []
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append("f%d" % i)
    return out
print(loop_finally())
def nested():
    out = []
    for i in range(3):
        try:
            for j in range(3):
                try:
                    if j == 1:
                        continue
                    if j == 2:
                        break
                    out.append((i, j))
                finally:
                    out.append("inner")
        finally:
            out.append("outer")
        if i == 1:
            break
    return out
print(nested())
def while_finally():
    n = 0
    while True:
        try:
            n += 1
            if n < 3:
                continue
            break
        finally:
            print("finally", n)
    return n
print(while_finally())
def return_through():
    for i in range(3):
        try:
            try:
                return i
            finally:
                print("inner", i)
        finally:
            print("outer", i)
print(return_through())
def in_except():
    for i in range(3):
        try:
            raise ValueError(i)
        except ValueError:
            if i == 0:
                continue
            break
        finally:
            print("fin", i)
    return i
print(in_except())
def break_in_else():
    for i in range(2):
        try:
            pass
        except Exception:
            pass
        else:
            if i == 1:
                break
            continue
    return "ok"
print(break_in_else())
def finally_continue():
    out = []
    for i in range(3):
        try:
            out.append(i)
        finally:
            if i == 1:
                continue
            out.append(-i)
    return out
print(finally_continue())
def deep_break():
    for a in range(2):
        for b in range(2):
            try:
                try:
                    try:
                        break
                    finally:
                        print("l3", a, b)
                finally:
                    print("l2", a, b)
            finally:
                print("l1", a, b)
    return "done"
print(deep_break())
