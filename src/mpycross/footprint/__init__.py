"""`mpycross footprint`: what a library costs in flash and RAM on a board.

    from mpycross.footprint import footprint_of, get_board
    fp = footprint_of(module_input, get_board("rp2040"))
    fp.flash, fp.ram, fp.ram_parts, fp.peak

estimate.py holds the model (what the loader and the module body allocate),
heap.py the object sizes, boards.py the board data, source.py the compile
peak of a `.py`, inputs.py the inputs and the device walk, report.py the
outputs.
"""

from __future__ import annotations

import os

from mpycross.errors import CompileError, FormatError, MpyCrossError
from mpycross.targets import DEFAULT_TARGET
from mpycross.footprint.boards import Board, all_boards, get_board, get_target, parse_size
from mpycross.footprint.estimate import CATEGORIES, Footprint, estimate_mpy
from mpycross.footprint.inputs import InputError, ModuleInput

__all__ = ["Board", "CATEGORIES", "Footprint", "ModuleInput", "all_boards", "footprint_of",
           "get_board", "get_target", "parse_size", "program_footprint"]


def _compile(module: ModuleInput, compile_target: str) -> bytes:
    from mpycross import compile_source
    try:
        return compile_source(module.data, os.path.basename(module.device_path), target=compile_target)
    except CompileError as e:
        raise InputError(f"{module.display}, line {e.line}: {e.kind}: {e.message}") from None
    except MpyCrossError:
        raise
    except Exception as e:  # the compiler is still growing: report, never a traceback
        raise InputError(f"{module.display}: could not compile: {type(e).__name__}: {e}") from None


def footprint_of(module: ModuleInput, board: Board, compile_target: str = DEFAULT_TARGET,
                 interned: set[str] | None = None, classes: dict | None = None,
                 unavailable: frozenset[str] = frozenset()) -> Footprint:
    """The footprint of one input module; `.py` inputs are compiled first.

    `interned` collects the qstrs of earlier modules of the same program,
    `classes` their classes (so that calls to them at import are costed);
    `unavailable` the modules the device lacks (an import of one fails).
    """
    from mpycross.mpy import read_mpy
    from mpycross.mpy.qstrs import display_str

    data = module.data if module.kind == "mpy" else _compile(module, compile_target)
    try:
        mpy = read_mpy(data, module.display)
    except FormatError as e:
        raise InputError(str(e)) from None
    fp = estimate_mpy(mpy, board, module.name, module.device_path, module.is_package, interned,
                      classes=classes, unavailable=unavailable)
    fp.kind = module.kind
    fp.path = module.display
    # names that are not UTF-8 are shown with \xNN escapes (any output encoding prints them)
    fp.new_qstrs = [display_str(q) for q in fp.new_qstrs]
    fp.unmodeled = [display_str(note) for note in fp.unmodeled]
    for function in fp.functions:
        function.name = display_str(function.name)
    if module.kind == "py":
        from mpycross.footprint.source import source_load_peak
        fp.file_size = len(module.data)
        fp.flash = board.flash(len(module.data))
        fp.source_load_peak = source_load_peak(module.data, fp.peak, board)
    return fp


def _peak(modules: list[Footprint], as_mpy: frozenset[str] = frozenset(), collects: bool = True) -> int:
    # the RAM of every module stays while the next one loads; on a board the garbage
    # of one import is collected before the next (the GC runs when the heap is full);
    # a firmware that collects only between top-level calls keeps all of it. The memory
    # a .py's compile frees itself (parse tree, scopes, lexer) counts there too: it is
    # freed under the code just made, as holes the later imports fill only in part
    # (counting it as free made 5 wrong "fits" in tests/test_footprint_verdict.py)
    ram = sum(m.ram for m in modules)
    extras = [(m.peak if m.name in as_mpy else m.load_peak) - m.ram for m in modules]
    return ram + (max(extras, default=0) if collects else sum(extras))


def program_footprint(modules: list[Footprint], board: Board | None = None) -> dict:
    """Totals of modules loaded together: RAM adds up, the import peak is the worst one.

    Each input counts as given: a .py by what compiling it on the board needs.
    With a board, also the verdict (does the peak fit its heap) and, for each
    `.py` library, the peak the program would have with that one as a `.mpy`
    (never for code.py/main.py: the firmware runs those from source only).
    """
    totals = {"ram": sum(m.ram for m in modules), "flash": sum(m.flash for m in modules),
              "peak": _peak(modules, collects=board is None or board.collects_when_full), "new_qstrs": sum(len(m.new_qstrs) for m in modules)}
    if board is not None:
        totals["verdict"] = {"fits": totals["peak"] <= board.heap, "heap": board.heap,
                             "percent": round(100 * totals["peak"] / board.heap, 1) if board.heap else None}
        savings = []
        libraries = [m.name for m in modules
                     if m.kind == "py" and m.name != "__main__" and m.source_load_peak is not None]
        for name in libraries:
            peak = _peak(modules, as_mpy=frozenset([name]), collects=board.collects_when_full)
            if peak < totals["peak"]:
                savings.append({"module": name, "peak_as_mpy": peak, "saves": totals["peak"] - peak})
        totals["as_mpy"] = sorted(savings, key=lambda s: -s["saves"])
        if len(libraries) > 1:
            # one library alone often saves nothing when another .py compiles almost as big
            peak = _peak(modules, as_mpy=frozenset(libraries), collects=board.collects_when_full)
            if peak < totals["peak"]:
                totals["all_as_mpy"] = {"modules": len(libraries), "peak_as_mpy": peak,
                                        "saves": totals["peak"] - peak}
    return totals
