""""Will it fit": the verdict against real MemoryErrors on a 32-bit MicroPython.

Programs of several real libraries (the corpus, compiled by the official
1.29 mpy-cross) are costed the way `--device` costs them: each library in
import order, then a code.py that imports them, one program sharing its
qstrs, qstr pools and sys.modules slots averaged. The same program then runs
on MicroPython's WebAssembly port with a fixed heap (tests/support/wasm_vm):
the hardware stubs first (they stand in for the firmware's built-in modules),
then a ballast `bytearray` that leaves the program a chosen number of free
bytes (what a board's `heap` means to the verdict), then code.py, in one
top-level call as the port runs a program. A MemoryError means the program
does not fit.

The port collects garbage only between top-level calls
(ports/webassembly/main.c), so all the garbage the imports leave stays until
code.py ends: the `wasm32` board says so (`collects_when_full = false`) and
its verdict sums what each import needs on top of what it keeps, where a
board that collects when full needs only the largest.

The free heap is set around the estimate (a fraction of it and a little
more). The verdict must agree with the VM in 95% of the cases and must never
say "fits" where the VM ran out with more than 10% to spare. The slow runs
also bisect, for each program, the least free heap it imports with, and
report how the estimate compares; one of them checks a held-out set of
programs (other modules, combined in another pattern).
"""

from __future__ import annotations

import dataclasses
import shutil
import statistics
import tempfile
from pathlib import Path

import pytest

from mpycross.footprint import footprint_of, get_board, program_footprint
from mpycross.footprint.inputs import ModuleInput
from tests.corpus.fetch import cache_dir
from tests.footprint_harness import (compile_corpus, dependencies, is_stub, library_file, library_order,
                                     stub_names, wasm_files)

FAST_PROGRAMS, FAST_FACTORS = 8, (0.8, 1.25)
SLOW_PROGRAMS, SLOW_FACTORS = 60, (0.8, 0.9, 1.1, 1.25)
# the VM's heap: room for the stubs, the largest program and the ballast
HEAPSIZE = 1 << 20
AGREEMENT, MARGIN = 0.95, 0.10


@pytest.fixture(scope="module")
def corpus():
    """(folder of the compiled corpus, the shortest-named module of each distribution,
    the longest-named one: the held-out set)."""
    root = Path(tempfile.mkdtemp(prefix="mpyfv-"))
    try:
        modules = compile_corpus(root)
        shortest, longest = {}, {}
        for module in modules:
            best = shortest.get(module.dist)
            if best is None or len(module.name) < len(best.name):
                shortest[module.dist] = module
            best = longest.get(module.dist)
            if best is None or (len(module.name), module.name) > (len(best.name), best.name):
                longest[module.dist] = module
        yield (root, sorted(shortest.values(), key=lambda m: m.name),
               sorted(longest.values(), key=lambda m: m.name))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _programs(root: Path, libraries: list, count: int, pattern: tuple[int, int] = (7, 11)) -> list[list]:
    """`count` programs of 2 to 4 libraries each, picked in a fixed pattern (library
    `(i * a + k * b) % n` for the k-th of program i), each library one that imports on
    the unix VM with the stubs (its dependencies found)."""
    deps_of: dict = {}

    def usable(module):
        if module.name not in deps_of:
            deps = dependencies(root, module)
            ok = deps is not None and wasm_files(root, module, deps) is not None
            deps_of[module.name] = deps if ok else None
        return deps_of[module.name] is not None

    programs, n, i = [], len(libraries), 0
    while len(programs) < count and i < 20 * count:
        picks = []
        for k in range(2 + i % 3):
            module = libraries[(i * pattern[0] + k * pattern[1]) % n]
            if usable(module) and all(m is not module for m, _ in picks):
                picks.append((module, deps_of[module.name]))
        if len(picks) >= 2:
            programs.append(picks)
        i += 1
    return programs


def _code_py(program) -> bytes:
    return "".join(f"import {module.name}\n" for module, _ in program).encode()


def _order(root: Path, program) -> list[str]:
    """The program's library modules in the order their imports finish."""
    order: list[str] = []
    for module, deps in program:
        for name in [*library_order(root, module, deps), module.name]:
            if name not in order:
                order.append(name)
    return order


def _estimate(root: Path, program, board, code: bytes) -> list:
    """The program's modules costed as `--device` costs them (no VM state: averages), with
    `code` as its code.py."""
    owner = {name: module for module, deps in program for name in [module.name, *deps]}
    interned: set[str] = set()
    classes: dict = {}
    results = []
    for name in _order(root, program):
        base, path = library_file(root, owner[name], name)
        rel = path.relative_to(base).as_posix()
        module = ModuleInput(name, "mpy", path.read_bytes(), str(path), f"/lib/{rel}",
                             path.stem == "__init__")
        results.append(footprint_of(module, board, interned=interned, classes=classes))
    main = ModuleInput("__main__", "py", code, "code.py", "/code.py")
    results.append(footprint_of(main, board, interned=interned, classes=classes))
    return results


@dataclasses.dataclass
class Program:
    names: str
    files: dict
    setup: str
    run: list[str]
    results: list        # the model's footprints
    need: int            # their peak


def _program(root: Path, program, board) -> Program:
    files: dict = {}
    stubs: list[str] = []
    touched: set = set()
    for module, deps in program:
        files.update(wasm_files(root, module, deps))
        stubs += [d for d in deps if is_stub(d) and d not in stubs]
        # the names every library module of the program takes from the stubs (made on
        # first use, they stand in for the firmware's objects)
        for name in [*library_order(root, module, deps), module.name]:
            base, path = library_file(root, module, name)
            source = cache_dir() / "src" / base.name / path.relative_to(base).with_suffix(".py")
            touched.update(stub_names(dataclasses.replace(module, name=name, py=source), deps))
    # every name the steps bind exists before the ballast, so that no dict grows later
    setup = f"""import gc, sys
sys.path[:0] = ["/stubs", "/lib"]
failed = None
ballast = None
free = n = 0
def heap_free():
    # the port's mem_free() adds the 128 MiB it could still ask malloc for
    # (ports/webassembly/main.c gc_get_max_new_split), which the fixed heap cannot have
    return gc.mem_free() - (128 << 20)
for d in {stubs!r}:
    __import__(d)
for m, attr in {sorted(touched)!r}:
    getattr(sys.modules[m], attr, None)
"""
    # code.py itself is the step (compiled from the text as a board compiles its file), in
    # a try that notes the MemoryError: an uncaught one can leave the VM unable to report it.
    # The step prints the outcome itself: a later step would need heap to compile, and its
    # MemoryError is not the program's. The model costs that text as the code.py it is.
    body = "".join(f"    {line}\n" for line in _code_py(program).decode().splitlines())
    run = f"try:\n{body}except MemoryError:\n    failed = 'code.py'\nprint(free, failed)\n"
    results = _estimate(root, program, board, run.encode())
    return Program("+".join(m.name for m, _ in program), files, setup, [run], results,
                   program_footprint(results, board)["peak"])


def _runs(programs: list[Program], frees: list[int | None], strict: bool = True):
    """(free bytes the program had, did it import) for each program and free heap
    (None: no ballast); an error other than running out of heap fails the test,
    or with `strict` False counts as not importing."""
    from tests.support.wasm_vm import Job, run_jobs

    jobs = []
    for p, free in zip(programs, frees):
        ballast = [] if free is None else [
            # the ballast object's own header and block rounding take 32 bytes
            f"n = heap_free() - {free} - 32\nballast = bytearray(n) if n > 0 else None", "gc.collect()"]
        jobs.append(Job(HEAPSIZE, [p.setup, "gc.collect()", *ballast, "free = heap_free()", "gc.collect()",
                                   *p.run], p.files, fixed_heap=True))
    out = []
    for p, result in zip(programs, run_jobs(jobs)):
        if result.error is None:
            free, failed = result.outputs[-1].split()
            out.append((int(free), failed == "None"))
        elif result.error.startswith(("MemoryError", "Hang")):
            out.append((None, False))   # out of heap outside the guarded imports
        elif strict:
            raise AssertionError(f"{p.names}: {result.error}")
        else:
            out.append((None, False))
    return out


def _check(root: Path, libraries: list, count: int, factors, agreement: float = AGREEMENT,
           wrong_fit_share: float = 0.0, bisect: bool = False, pattern: tuple[int, int] = (7, 11)) -> None:
    board = get_board("wasm32")
    programs = [_program(root, p, board) for p in _programs(root, libraries, count, pattern)]
    # the programs that import when the heap is large (a few need a module the
    # WebAssembly port lacks, such as socket)
    roomy = _runs(programs, [None] * len(programs), strict=False)
    programs = [p for p, (_, ok) in zip(programs, roomy) if ok]
    assert len(programs) >= count * 0.9, f"only {len(programs)} of {count} programs import at all"
    cases = [(p, factor) for p in programs for factor in factors]
    outcomes = _runs([p for p, _ in cases], [int(f * p.need) for p, f in cases])
    agree, wrong_fits, rows = 0, [], []
    for (p, factor), (free, fits) in zip(cases, outcomes):
        free = free if free is not None else int(factor * p.need)
        # the verdict as the command gives it, for a board whose heap is what the program found
        predicted = program_footprint(p.results, dataclasses.replace(board, heap=free))["verdict"]["fits"]
        agree += predicted == fits
        rows.append((p.names, p.need, free, predicted, fits))
        if predicted and not fits and free > (1 + MARGIN) * p.need:
            wrong_fits.append((p.names, p.need, free))
    print(f"{len(programs)} programs x {len(factors)} heaps: {agree}/{len(rows)} verdicts agree with the VM "
          f"({agree / len(rows):.1%})")
    for names, need, free, predicted, fits in rows:
        if predicted != fits:
            print(f"  {names}: need {need}, free {free}: predicted {'fits' if predicted else 'no'}, "
                  f"VM {'fits' if fits else 'MemoryError'}")
    if bisect:
        ratios = _least_free_ratios(programs)
        print(f"estimate / least free heap that imports, {len(ratios)} programs: median "
              f"{statistics.median(ratios):.3f}, min {min(ratios):.3f}, max {max(ratios):.3f}")
    print(f"{len(wrong_fits)} say 'fits' where the VM ran out with more than {MARGIN:.0%} to spare")
    assert agree >= agreement * len(rows), rows
    assert len(wrong_fits) <= wrong_fit_share * len(rows), wrong_fits


def _least_free_ratios(programs: list[Program]) -> list[float]:
    """Estimate / the least free heap each program imports with (bisected to 1%)."""
    low = [int(0.5 * p.need) for p in programs]
    high = [int(2.0 * p.need) for p in programs]
    while any(h - lo > max(64, 0.01 * h) for lo, h in zip(low, high)):
        mids = [(lo + h) // 2 for lo, h in zip(low, high)]
        for i, (_, fits) in enumerate(_runs(programs, mids)):
            if fits:
                high[i] = mids[i]
            else:
                low[i] = mids[i]
    for p, h in sorted(zip(programs, high), key=lambda ph: ph[0].need / ph[1])[:8]:
        print(f"    {p.need / h:.3f} {p.names}: estimate {p.need}, least free heap {h}")
    return [p.need / h for p, h in zip(programs, high)]


def test_verdict_matches_memory_errors_on_a_sample(corpus):
    root, shortest, _ = corpus
    _check(root, shortest, FAST_PROGRAMS, FAST_FACTORS)


@pytest.mark.slow
def test_verdict_matches_memory_errors_on_the_wasm_vm(corpus):
    root, shortest, _ = corpus
    _check(root, shortest, SLOW_PROGRAMS, SLOW_FACTORS, bisect=True)


@pytest.mark.slow
def test_verdict_holds_on_held_out_programs(corpus):
    """Programs the model was not corrected on: another module of each distribution (the
    longest-named), combined in another pattern."""
    root, _, longest = corpus
    _check(root, longest, SLOW_PROGRAMS, SLOW_FACTORS, bisect=True, pattern=(5, 13))
