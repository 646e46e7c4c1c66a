"""What imports drop as garbage, measured on the WebAssembly port (`wasm32`).

On the port nothing is collected until the program's top-level call returns,
so the garbage an import leaves counts towards the heap a program needs
(the verdict). Checked here: the frozen modules' figures in boards.toml, and
the calls of built-ins over sequences the model costs.

A frozen module (Python code in the firmware's ROM) is not free to import: its
module, functions and classes go on the heap, and running its body leaves
garbage. boards.toml lists both for `wasm32` (`frozen_imports`: `heap`, what
stays; `garbage`, what the import drops). Each is measured here as the
difference between two one-line modules imported into a fresh VM: one that
imports the frozen module and one that imports a built-in C module instead
(`struct`), both after the frozen modules it imports in turn, so that only its
own cost remains.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from mpycross.footprint import get_board
from mpycross.footprint.estimate import estimate_mpy
from mpycross.mpy import read_mpy
from tests.oracles import official

# the measurement moves by a block or two with where the VM's allocations fall
TOLERANCE = 32


def _mpy(source: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="mpyfz-") as folder:
        py = Path(folder) / "m.py"
        py.write_text(source)
        subprocess.run([str(official("1.29")), "-o", str(py.with_suffix(".mpy")), str(py)], check=True)
        return py.with_suffix(".mpy").read_bytes()


def _steps() -> list[str]:
    # each reading is its own top-level call after a collection (the port collects only
    # when a call returns); the import's garbage is read before the collection that ends it
    return ["import gc, sys\nsys.path.insert(0, '/lib')\na = b = c = 0", "gc.collect()",
            "a = gc.mem_alloc()", "import m\nb = gc.mem_alloc()", "gc.collect()",
            "c = gc.mem_alloc()", "print(b - a, c - a)"]


def measure_frozen(board) -> dict[str, tuple[int, int]]:
    """{module: (heap kept, garbage)} of each frozen module of the board, on the port."""
    from tests.support.wasm_vm import Job, run_jobs

    names = sorted(board.frozen_imports)
    sources = {}
    for name in names:
        before = "".join(f"import {d}\n" for d in board.frozen_imports[name].get("imports", ()))
        sources[name] = (before + f"import {name}\n", before + "import struct\n")
    jobs = [Job(1 << 20, _steps(), {"/lib/m.mpy": _mpy(source)}, fixed_heap=True)
            for pair in sources.values() for source in pair]
    results = run_jobs(jobs)
    out = {}
    for i, name in enumerate(names):
        (peak, kept), (base_peak, base_kept) = (
            map(int, r.outputs[-1].split()) for r in results[2 * i: 2 * i + 2])
        out[name] = (kept - base_kept, (peak - kept) - (base_peak - base_kept))
    return out


def test_frozen_module_figures_match_the_webassembly_port():
    board = get_board("wasm32")
    try:
        measured = measure_frozen(board)
    except LookupError as e:
        pytest.skip(str(e))
    wrong = []
    for name, (kept, garbage) in measured.items():
        listed = board.frozen_imports[name]
        print(f"{name}: heap {kept} (listed {listed['heap']}), garbage {garbage} "
              f"(listed {listed.get('garbage', 0)})")
        if abs(kept - listed["heap"]) > TOLERANCE or abs(garbage - listed.get("garbage", 0)) > TOLERANCE:
            wrong.append(name)
    assert not wrong, f"boards.toml's frozen_imports differ from the port for {wrong}"


SEQUENCE_BASE = "def f(n):\n    return 'a'\nT = (" + ", ".join(map(str, range(100))) + ")\n"
SEQUENCE_LINES = ["X = ''.join(map(f, T))", "X = list(map(f, T))", "X = tuple(map(f, T))",
                  "X = list(T)", "X = tuple(T)",
                  "X = tuple(list(T))"]


def test_sequence_builtins_cost_what_the_port_allocates():
    """map over a tuple (an argument array per call, never freed), list/tuple/str.join of
    it: the model's RAM and peak for each line, against the port's (peak: gc.mem_alloc()
    before the collection that ends the import), both less the same module without it."""
    from tests.support.wasm_vm import Job, run_jobs

    board = get_board("wasm32")
    sources = [SEQUENCE_BASE] + [SEQUENCE_BASE + line + "\n" for line in SEQUENCE_LINES]
    files = [_mpy(source) for source in sources]
    try:
        results = run_jobs([Job(1 << 20, _steps(), {"/lib/m.mpy": data}, fixed_heap=True) for data in files])
    except LookupError as e:
        pytest.skip(str(e))
    measured = [tuple(map(int, r.outputs[-1].split())) for r in results]
    model = [estimate_mpy(read_mpy(data), board, "m", "/lib/m.mpy") for data in files]
    (base_peak, base_kept), base = measured[0], model[0]
    for line, (peak, kept), fp in zip(SEQUENCE_LINES, measured[1:], model[1:]):
        real = (kept - base_kept, peak - base_peak)
        est = (fp.ram - base.ram, fp.peak - base.peak)
        print(f"{line}: RAM {est[0]} (port {real[0]}), peak {est[1]} (port {real[1]})")
        # the mapped function's one-character results are qstrs the model does not see
        assert abs(est[0] - real[0]) <= 32 and abs(est[1] - real[1]) <= 64 + 0.05 * real[1], line


def test_import_garbage_matches_the_port():
    """What a file import drops (`import_transient` in boards.toml, plus the module body's
    code): four empty modules imported in one call, the growth of gc.mem_alloc() before
    the collection less after it, per import."""
    from tests.support.wasm_vm import Job, run_jobs

    board = get_board("wasm32")
    data = _mpy("")
    names = ["ma", "mb", "mc", "md"]
    run = ("a0 = gc.mem_alloc()\n" + "".join(f"import {n}\n" for n in names)
           + "a1 = gc.mem_alloc()\n")
    steps = ["import gc, sys\nsys.path.insert(0, '/lib')\na0 = a1 = a2 = 0", "gc.collect()", run,
             "gc.collect()", "a2 = gc.mem_alloc()", "print(a1 - a2)"]
    try:
        done = run_jobs([Job(1 << 20, steps, {f"/lib/{n}.mpy": data for n in names}, fixed_heap=True)])[0]
    except LookupError as e:
        pytest.skip(str(e))
    garbage = int(done.outputs[-1]) / len(names)
    fp = estimate_mpy(read_mpy(data), board, "ma", "/lib/ma.mpy")
    print(f"garbage per import: {garbage} (model {fp.peak_extra})")
    assert abs(fp.peak_extra - garbage) <= board.gc_block


def test_import_garbage_matches_the_unix_vm(tmp_path):
    """The same on the 64-bit unix VM (its collection scans the C stack, so a deep call
    overwrites the stack first, as the accuracy harness does)."""
    from tests.oracles import micropython_vm

    board = get_board("unix")
    names = ["ma", "mb", "mc", "md"]
    for name in names:
        (tmp_path / f"{name}.mpy").write_bytes(_mpy(""))
    prog = (f"import gc, sys\nsys.path.insert(0, {str(tmp_path)!r})\na0 = a1 = a2 = 0\n"
            "def scrub(n):\n    x0 = x1 = x2 = x3 = x4 = x5 = x6 = x7 = 0\n"
            "    return scrub(n - 1) if n else 0\n"
            "scrub(200)\ngc.collect()\na0 = gc.mem_alloc()\n"
            + "".join(f"import {n}\n" for n in names)
            + "a1 = gc.mem_alloc()\nscrub(200)\ngc.collect()\ngc.collect()\na2 = gc.mem_alloc()\n"
            "print(a1 - a2)\n")
    out = subprocess.run([str(micropython_vm()), "-c", prog], capture_output=True, text=True).stdout
    garbage = int(out.split()[-1]) / len(names)
    fp = estimate_mpy(read_mpy(_mpy("")), board, "ma", str(tmp_path / "ma.mpy"))
    print(f"garbage per import: {garbage} (model {fp.peak_extra})")
    assert abs(fp.peak_extra - garbage) <= board.gc_block
