# break / continue / return out of with blocks inside loops (unwinding the context managers).
class CM:
    def __init__(self, n):
        self.n = n
    def __enter__(self):
        return self.n
    def __exit__(self, *a):
        print("exit", self.n)
def loop():
    for i in range(4):
        with CM(i) as n:
            if n == 1:
                continue
            if n == 3:
                break
            print("body", n)
    return "loop done"
print(loop())
def nested_with_break():
    while True:
        with CM("x"):
            with CM("y"):
                try:
                    break
                finally:
                    print("finally")
    return "broke out"
print(nested_with_break())
def return_value():
    for i in range(3):
        with CM("r%d" % i):
            if i == 2:
                return i * 100
print(return_value())
def continue_nested():
    total = 0
    for i in range(3):
        for j in range(3):
            with CM((i, j)):
                if j == 0:
                    continue
                total += 1
            if j == 2:
                break
    return total
print(continue_nested())
