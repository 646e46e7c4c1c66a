# set and frozenset methods over iterables
s = {1, 2, 3}
print(sorted(s.union([4, 5])), sorted(s.intersection([2, 3, 9])), sorted(s.difference([1], [2])))
try:
    s.union([4], [5])
except TypeError:
    print("TypeError")
print(sorted(s.symmetric_difference([3, 4])), s.issubset(range(5)), s.issuperset([1]), s.isdisjoint("ab"))
t = set(s)
print(t.update([7], [8]), sorted(t))
t.intersection_update([1, 7, 8])
print(sorted(t))
t.difference_update([7])
t.symmetric_difference_update([1, 2])
print(sorted(t), s.__contains__(2))
f = frozenset([1, 2])
print(type(f.copy()), type(f.union([3])), sorted(f.difference([1])), f.__contains__(1))
try:
    f.update([1])
except AttributeError:
    print("AttributeError")
