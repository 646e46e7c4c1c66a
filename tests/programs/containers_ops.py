# Operations on lists, tuples, dicts and sets.
l = [3, 1, 2]
l.append(4); l.extend([5, 6]); l.insert(0, 0); l.remove(3)
print(l, l.pop(), l.pop(0), l.index(2), l.count(1), len(l))
l.sort(); print(l)
l.sort(reverse=True); print(l)
l.reverse(); print(l, l[::-1], l * 2, l + [9])
print(sorted(["bb", "a", "ccc"], key=len), [1, 2] == [1, 2], [1] < [2])
t = (1, 2, 3, 2)
print(t.count(2), t.index(3), t + (4,), t[1:3], len(t), 2 in t)
d = {"a": 1}
d["b"] = 2
d.update({"c": 3})
d.setdefault("d", 4)
print(sorted(d.items()), d.pop("a"), d.get("zz"), sorted(d.keys()), sorted(d.values()))
print(d.popitem() is not None, len(d), "b" in d, list(sorted({1: 2}.items())))
e = dict.fromkeys(["x", "y"], 0)
print(sorted(e.items()), e.copy() == e)
d.clear(); print(d)
s = {1, 2, 3}
s.add(4); s.discard(1); s.remove(2)
print(sorted(s), sorted(s | {9}), sorted(s & {3, 9}), sorted(s - {3}), sorted(s ^ {3, 5}))
print({1, 2} <= {1, 2, 3}, {1, 2} < {1, 2}, {1} >= set(), s.issubset({3, 4, 5}), {1}.isdisjoint({2}))
fs = frozenset([1, 2])
print(sorted(fs), 1 in fs, len(fs))
nested = [[0] * 3 for _ in range(2)]
nested[0][1] = 5
print(nested)
stack = []
for i in range(3):
    stack.append(i)
print(stack.pop(), stack.pop(), stack)
