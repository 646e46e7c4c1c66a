"""How much heap importing a `.py` needs versus its `.mpy`, on the real VM; and the model's figures.

For each module, the smallest `-X heapsize` at which a fresh unix VM (64-bit)
can import it is found by bisection, once from the `.py` and once from the
official 1.29 `.mpy`; the difference is what compiling on the board costs.
`mpycross footprint` estimates the same difference (its `.py load` minus the
`.mpy` import peak). The `.mpy` bisection, less that of an empty module,
also checks the `peak` column. Usage: python benchmarks/footprint_source_peak.py [N]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mpycross.errors import MpyCrossError  # noqa: E402
from mpycross.footprint import get_board  # noqa: E402
from mpycross.footprint.inputs import from_file  # noqa: E402
from mpycross.footprint import footprint_of  # noqa: E402
from tests.corpus.fetch import corpus_files  # noqa: E402
from tests.oracles import micropython_vm, official  # noqa: E402

STUBS = ROOT / "tests" / "support" / "stubs"


def imports_with(folder: Path, name: str, heap: int) -> bool:
    prog = f"import sys\nsys.path[:0] = [{str(folder)!r}, {str(STUBS)!r}]\nimport {name}\nprint('OK')\n"
    done = subprocess.run([str(micropython_vm()), "-X", f"heapsize={heap}", "-c", prog],
                          capture_output=True, text=True, timeout=60)
    return done.stdout.strip().endswith("OK")


def min_heap(folder: Path, name: str) -> int | None:
    lo, hi = 4096, 1 << 21
    if not imports_with(folder, name, hi):
        return None
    while hi - lo > 256:
        mid = (lo + hi) // 2
        if imports_with(folder, name, mid):
            hi = mid
        else:
            lo = mid
    return hi


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    board = get_board("unix")
    # single-file modules (not in a package) that import with the stubs alone
    picked = [p for p in corpus_files() if p.parent.name.startswith(("adafruit-circuitpython", "micropython-"))
              and p.name != "__init__.py"]
    picked = picked[::max(1, len(picked) // (count * 4))]
    rows, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        # the heap a VM needs to import nothing much: the baseline of every bisection
        empty = Path(tmp) / "fp_empty.py"
        empty.write_text("")
        subprocess.run([str(official("1.29")), "-o", str(Path(tmp) / "fp_empty.mpy"), str(empty)], check=True)
        empty.unlink()
        baseline = min_heap(Path(tmp), "fp_empty")
        empty_peak = footprint_of(from_file(str(Path(tmp) / "fp_empty.mpy")), board).peak
    for py in picked:
        if len(rows) >= count:
            break
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            name = py.stem
            (tmp / "py").mkdir()
            (tmp / "mpy").mkdir()
            shutil.copy(py, tmp / "py" / py.name)
            mpy = tmp / "mpy" / (name + ".mpy")
            if subprocess.run([str(official("1.29")), "-o", str(mpy), str(py)], capture_output=True).returncode:
                continue
            heap_py = min_heap(tmp / "py", name)
            heap_mpy = min_heap(tmp / "mpy", name)
            if heap_py is None or heap_mpy is None:
                continue
            try:
                fp = footprint_of(from_file(str(py)), board)
            except MpyCrossError as e:
                print(f"{name:32} skipped: {e}")
                continue
            model = (fp.source_load_peak or 0) - (fp.ram + fp.peak_extra)
            rows.append((name, heap_py - heap_mpy, model))
            peaks.append((name, heap_mpy - baseline, fp.peak - empty_peak))
            print(f"{name:32} measured .py extra {heap_py - heap_mpy:7}  model {model:7}   "
                  f".mpy peak measured {heap_mpy - baseline:7}  model {fp.peak - empty_peak:7}", flush=True)
    if rows:
        ratio = [m / r for _, r, m in rows if r > 0]
        print(f"{len(rows)} modules; .py extra, model / measured: min {min(ratio):.2f}, "
              f"median {sorted(ratio)[len(ratio) // 2]:.2f}, max {max(ratio):.2f}")
        ratio = [m / r for _, r, m in peaks if r > 0]
        print(f".mpy import peak above an empty module's, model / measured: min {min(ratio):.2f}, "
              f"median {sorted(ratio)[len(ratio) // 2]:.2f}, max {max(ratio):.2f}")


if __name__ == "__main__":
    main()
