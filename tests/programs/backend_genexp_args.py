# A generator expression as a call's only argument, bare and parenthesised,
# split over lines: the line table differs between the two forms.
def total(items):
    return sum(items)


print(total((x * 2
             for x in
             range(4))))
print(total(x + 1 for x in
            range(3)))
print(list((c
            for c in "ab")))
