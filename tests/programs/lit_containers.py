# Tuple, list, dict and set displays, empty and nested, trailing commas.
t0 = ()
t1 = (1,)
t2 = 1, 2
t3 = (1, "a", (2, 3),)
print(t0, t1, t2, t3, len(t3))
l0 = []
l1 = [1, [2, [3, []]], (4,)]
print(l0, l1, [1, 2, 3,])
d0 = {}
d1 = {"a": 1, "b": [1, 2], 3: {"x": None}}
print(d0, sorted(d1.keys(), key=str), d1["b"], d1[3])
s1 = {1, 2, 3}
s2 = {(1, 2), "x"}
print(sorted(s1), len(s2), (1, 2) in s2, set())
x = 5
print([x, x + 1, x * 2], (x,), {x: x * x}, {x})
nested = {"k": [{"n": (1, {2})}]}
print(nested["k"][0]["n"][0], 2 in nested["k"][0]["n"][1])
big = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
print(len(big), sum(big))
print({1: "a", 1: "b"}[1], len({1, 1, 2}))
