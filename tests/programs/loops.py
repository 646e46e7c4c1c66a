# for / while with else, break, continue, nested loops, loop over various iterables.
for i in range(3):
    print("for", i)
else:
    print("for else")
for i in range(3):
    if i == 1:
        break
else:
    print("not printed")
n = 0
while n < 3:
    n += 1
else:
    print("while else", n)
while True:
    n -= 1
    if n == 1:
        continue
    if n < 0:
        break
    print("while", n)
for c in "ab":
    for d in (1, 2):
        if d == 2:
            continue
        print(c, d)
for k in {"z": 1}:
    print(k)
for x in []:
    print("never")
else:
    print("empty else")
total = 0
for i in range(100):
    if i % 2:
        continue
    total += i
print(total)
for i in range(10, 0, -3):
    print(i, end=" ")
print()
i = 0
while i < 10:
    i += 1
    if i % 3 == 0:
        continue
    if i > 7:
        break
    print("w", i, end=";")
print()
def in_function():
    acc = []
    for a in range(3):
        for b in range(3):
            if a == b:
                break
            acc.append((a, b))
        else:
            acc.append("else")
    return acc
print(in_function())
