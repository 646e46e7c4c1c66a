"""Run test programs on the real MicroPython VM and on mpyref; report agreement.

    python compare.py MPYREF PROGRAM.py...
    python compare.py --board PROGRAM.py...

Each program is compiled by the official 1.29 mpy-cross, then imported by
the MicroPython VM (`__import__("NAME")`) and run by mpyref (with --board: by mpyref on the
emulated Cortex-M3, through tools/board-run, in its 64 KiB heap); stdout and
the exit status (0 or not) are compared. Prints one line per program and a
summary. The real VM runs `-c '__import__("NAME")'`, so its tracebacks start with a
frame for that command line (`File "<stdin>", line 1`); mpyref runs the file
itself, so that one line is left out of the real VM's output before
comparing.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.oracles import micropython_vm, official  # noqa: E402


BOARD_RUN = Path(__file__).resolve().parent / "board-run"
HARNESS_FRAME = b'  File "<stdin>", line 1, in <module>\n'


def run_pair(mpyref: list[str], src: Path) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory() as tmp:
        name = src.stem
        mpy = Path(tmp) / f"{name}.mpy"
        r = subprocess.run([str(official("1.29")), "-o", str(mpy), "-s", src.name, str(src)], capture_output=True)
        if r.returncode:
            return False, "official compiler rejects it"
        # __import__, not an import statement: some test names are not identifiers (0prelim) or are keywords (break)
        ref = subprocess.run([str(micropython_vm()), "-c", f"__import__({name!r})"], cwd=tmp, capture_output=True,
                             timeout=60)
        ref.stdout = ref.stdout.replace(HARNESS_FRAME, b"")
        got = subprocess.run([*mpyref, "run", str(mpy)], cwd=tmp, capture_output=True, timeout=300)
        if got.returncode == 70:
            return False, got.stderr.decode(errors="replace").strip().splitlines()[-1]
        if got.returncode in (65, 66) or got.returncode < 0 or got.returncode > 1:
            return False, f"exit {got.returncode}: {got.stderr.decode(errors='replace').strip()[:200]}"
        if ref.stdout != got.stdout or (ref.returncode == 0) != (got.returncode == 0):
            a = ref.stdout.decode(errors="replace").splitlines()
            b = got.stdout.decode(errors="replace").splitlines()
            for i in range(max(len(a), len(b))):
                x = a[i] if i < len(a) else "<missing>"
                y = b[i] if i < len(b) else "<missing>"
                if x != y:
                    return False, f"line {i + 1}: expected {x[:80]!r}, got {y[:80]!r}"
            return False, f"exit status {ref.returncode} vs {got.returncode}: {got.stdout.decode(errors='replace')[-200:]}"
        return True, ""


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit("usage: compare.py MPYREF PROGRAM.py... | compare.py --board PROGRAM.py...")
    mpyref = [sys.executable, str(BOARD_RUN)] if sys.argv[1] == "--board" else [str(Path(sys.argv[1]).resolve())]
    ok = 0
    files = [Path(p) for p in sys.argv[2:]]
    for src in files:
        good, why = run_pair(mpyref, src)
        ok += good
        print(f"{'ok  ' if good else 'FAIL'} {src.name} {why}")
    print(f"{ok}/{len(files)} agree ({100 * ok / max(1, len(files)):.1f}%)")


if __name__ == "__main__":
    main()
