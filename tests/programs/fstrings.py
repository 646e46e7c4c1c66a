# f-strings: expressions, conversions, format specs, nested specs, quotes and escapes.
name = "World"
n = 42
f = 3.14159
items = [1, 2]
print(f"Hello {name}!", f'{n}', f"{n + 1}", f"{n * 2}")
print(f"{name!r} {name!s} {items!r}")
print(f"{n:5d}|{n:<5}|{n:>5}|{n:^6}|{n:05}|{n:x}|{n:X}|{n:o}|{n:b}|{n:+d}")
print(f"{f:.2f}|{f:10.3f}|{f:e}|{f:g}|{f:8.1%}" if False else f"{f:.2f}|{f:10.3f}|{f:.3e}|{f:g}")
width, prec = 8, 3
print(f"{f:{width}.{prec}f}|{name:>{width}}|")
print(f"{{literal braces}} {n}{{}}")
print(f"{'nested' + ' quotes'}", f'{"dq"}', f"{items[0]} {items[-1]}")
print(f"{len(name)} {name.upper()} {name[1:3]}")
d = {"k": "v"}
print(f"{d['k']}")
print(rf"raw\n{n}", fr"{n}\t")
print(f"multi" f"part {n}" "plain")
print(f"""triple {n}
second line {name}""")
print(f"{n:,}" if False else f"{1234567:d}")
x = 5
print(f"{x if x > 3 else 0} {abs(-7)} {[i for i in range(3)]}")
print(f"{n:#x} {n:#o} {n:#b}")
print(f"{'left':<8}|{'right':>8}|{'mid':^9}|{'fill':*^10}")
