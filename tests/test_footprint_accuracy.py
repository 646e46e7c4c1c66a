"""The footprint model against the real VM, on real library modules.

For each corpus module that imports on the unix VM (with the hardware stubs
of tests/support/stubs), the harness measures the heap growth of importing
its official 1.29 `.mpy` in a fresh VM, after its dependencies
(tests/footprint_harness.py). The model estimates the same import for the
`unix` board (64-bit words, 32-byte GC blocks), told which qstrs the VM
already holds, where its last qstr pool stands (micropython.qstr_info()) and
how many modules sys.modules holds, and given the .mpy files of the corpus modules
it imports (so that their classes, called at import time, are known).

The default run checks a fixed sample; `-m slow` checks every module. A
whole program (code.py and its libraries on a device folder) is checked
with the board's averages, as a user runs the command.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import pytest

from mpycross.footprint import get_board
from mpycross.footprint.estimate import estimate_mpy
from mpycross.mpy import read_mpy
from tests.footprint_harness import compile_corpus, dependencies, measure

TOLERANCE = 0.10
SAMPLE_EVERY = 4      # the default run measures every 4th module (~110 of ~440)


@pytest.fixture(scope="module")
def corpus_mpy():
    # a short folder, like a board's /lib: long import paths make the VM's qstr
    # text chunks waste more than the model charges (docs/footprint.md)
    root = Path(tempfile.mkdtemp(prefix="mpyfp-"))
    try:
        yield root, compile_corpus(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _dependency_classes(board, module, deps: list[str], by_name: dict) -> dict:
    """The classes of the corpus modules `module` imports, as the model sees them.

    The model runs each dependency's .mpy (its own costs are thrown away) so
    that calls to their classes at import time are costed; stubs are not
    corpus modules and stay unknown.
    """
    classes: dict = {}
    interned: set[str] = set()
    for dep in deps:
        found = by_name.get((module.dist, dep)) or by_name.get((None, dep))
        if found is not None:
            mpy = read_mpy(found.mpy.read_bytes(), str(found.mpy))
            estimate_mpy(mpy, board, dep, str(found.mpy), found.mpy.name == "__init__.mpy",
                         interned=interned, classes=classes)
    return classes, interned


def _errors(root: Path, modules, everything=None) -> list[tuple]:
    """(error, name, estimate, measured, not costed, error without VM state) per module."""
    board = get_board("unix")
    by_name = {}
    for m in reversed(everything or modules):
        by_name[(m.dist, m.name)] = m
        by_name[(None, m.name)] = m
    rows = []
    for module in modules:
        deps = dependencies(root, module)
        if deps is None:
            continue          # does not import on the unix VM, even with the stubs
        measured = measure(root, module, deps)
        if not measured["ok"] or measured["growth"] < 256:
            continue          # imported by its own dependencies, or too small to weigh
        classes, dep_qstrs = _dependency_classes(board, module, deps, by_name)
        mpy = read_mpy(module.mpy.read_bytes(), str(module.mpy))
        # as a user gets it: only the files, VM pools and slots averaged
        plain = estimate_mpy(mpy, board, module.name, measured["file"], module.mpy.name == "__init__.mpy",
                             interned=dep_qstrs, classes=classes)
        fp = estimate_mpy(mpy, board, module.name, measured["file"], module.mpy.name == "__init__.mpy",
                          interned=set(measured["interned"]), qstr_pool=list(measured["qstr_pool_state"]),
                          classes=classes, loaded_modules=measured["loaded_modules"])
        error = (fp.ram - measured["growth"]) / measured["growth"]
        plain_error = (plain.ram - measured["growth"]) / measured["growth"]
        rows.append((error, module.name, fp.ram, measured["growth"], fp.unmodeled, plain_error))
    return rows


def _check(rows, minimum_within: int) -> None:
    within = [r for r in rows if abs(r[0]) <= TOLERANCE]
    errors = [abs(r[0]) for r in rows]
    summary = (f"{len(within)}/{len(rows)} modules within {TOLERANCE:.0%}; mean error "
               f"{statistics.mean(errors):.1%}, median {statistics.median(errors):.1%}, max {max(errors):.1%}")
    clean = [abs(r[0]) for r in rows if not r[4]]
    print(summary)
    print(f"fully costed: {sum(e <= TOLERANCE for e in clean)}/{len(clean)} within {TOLERANCE:.0%}; "
          f"mean {statistics.mean(clean):.1%}, max {max(clean):.1%}")
    plain = [abs(r[5]) for r in rows]
    print(f"without VM state: {sum(e <= TOLERANCE for e in plain)}/{len(plain)} within {TOLERANCE:.0%}; "
          f"mean {statistics.mean(plain):.1%}, median {statistics.median(plain):.1%}")
    worst = sorted(rows, key=lambda r: -abs(r[0]))[:5]
    for error, name, est, meas, notes, _ in worst:
        print(f"  {error:+.1%} {name}: estimate {est}, measured {meas}; not costed: {notes}")
    assert len(within) >= minimum_within, summary
    # the modules whose module-level code the model follows entirely must do better still
    assert statistics.mean(clean) < 0.06, summary
    # the averages a user gets are coarser for one module, but not off the mark
    assert statistics.median(plain) < 0.2, summary


def test_model_matches_vm_on_a_sample(corpus_mpy):
    root, modules = corpus_mpy
    rows = _errors(root, modules[::SAMPLE_EVERY], modules)
    assert len(rows) >= 60
    _check(rows, minimum_within=50)


@pytest.mark.slow
def test_model_matches_vm_on_every_module(corpus_mpy):
    root, modules = corpus_mpy
    rows = _errors(root, modules)
    assert len(rows) >= 300
    _check(rows, minimum_within=max(50, int(0.8 * len(rows))))


CODE_PY = '''import adafruit_logging as logging
from adafruit_debouncer import Debouncer
from adafruit_datetime import datetime, timedelta
import adafruit_midi
from adafruit_midi.note_on import NoteOn
import adafruit_hashlib
import adafruit_json_stream

log = logging.getLogger("demo")
START = timedelta(seconds=5)


class Player:
    def __init__(self, channel):
        self.channel = channel
        self.notes = []

    def play(self, note):
        self.notes.append(NoteOn(note, 100))
'''

DEVICE_LIBS = {"adafruit-circuitpython-ticks": "adafruit_ticks.py",
               "adafruit-circuitpython-debouncer": "adafruit_debouncer.py",
               "adafruit-circuitpython-logging": "adafruit_logging.py",
               "adafruit-circuitpython-datetime": "adafruit_datetime.py",
               "adafruit-circuitpython-json-stream": "adafruit_json_stream.py",
               "adafruit-circuitpython-midi": "adafruit_midi",
               "adafruit-circuitpython-hashlib": "adafruit_hashlib"}


def test_whole_program_on_a_device_matches_the_vm(tmp_path):
    """`--device` sums a program; the VM imports the same code.py from the same lib/.

    The model is used as a user would use it (`--board unix`): no VM state is
    given, qstr pools and sys.modules slots are averaged.
    """
    from click.testing import CliRunner

    from mpycross.cli.toolchain import cli
    from tests.corpus.fetch import cache_dir
    from tests.oracles import micropython_vm, official

    device = tmp_path / "dev"
    (device / "lib").mkdir(parents=True)
    (device / "boot_out.txt").write_text("MicroPython\n")
    src = cache_dir() / "src"
    for dist, entry in DEVICE_LIBS.items():
        for py in sorted((src / dist).rglob("*.py")) if not entry.endswith(".py") else [src / dist / entry]:
            rel = py.relative_to(src / dist)
            out = device / "lib" / rel.with_suffix(".mpy")
            out.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([str(official("1.29")), "-o", str(out), "-s", rel.name, str(py)], check=True)
    (device / "code.py").write_text(CODE_PY)
    result = CliRunner().invoke(cli, ["footprint", str(device / "code.py"), "--device", str(device),
                                      "--board", "unix", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert len(doc["modules"]) >= 12 and doc["modules"][-1]["name"] == "__main__"
    prog = f"""
import sys, gc
sys.path.insert(0, {str(device / 'lib')!r})
sys.path.insert(0, {str(device)!r})
def scrub(n):
    x0 = x1 = x2 = x3 = x4 = x5 = x6 = x7 = 0
    return scrub(n - 1) if n else 0
a = b = 0
scrub(100)
gc.collect()
a = gc.mem_alloc()
import code
scrub(100)
gc.collect()
b = gc.mem_alloc()
print(b - a)
"""
    measured = int(subprocess.run([str(micropython_vm()), "-c", prog], capture_output=True, text=True,
                                  check=True).stdout.split()[-1])
    estimate = doc["total"]["ram"]
    print(f"program: estimate {estimate}, measured {measured}")
    assert abs(estimate - measured) <= 0.05 * measured
