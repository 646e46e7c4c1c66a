"""`mpycross install` from PyPI, as a new user runs it: cold, cached, and again onto a full drive.

    python benchmarks/install.py [--list tests/data/popular_libraries.txt] [--jobs N] [--cp 9.2.1]

Each run is the real command in a fresh process (`python -m mpycross install
-r LIST`), onto a fake CIRCUITPY drive found by mount detection
($MPYCROSS_MOUNT_ROOT), with its own empty cache folder:

- cold: empty download and compile caches (pip downloads every distribution);
- cached: a new empty drive, both caches warm;
- again: the same drive once more (nothing to write).

Prints the libraries installed, files, bytes and the three times as JSON.
Needs the network for the cold run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mpycross", "install", *args], env=env, capture_output=True,
                          text=True)
    if done.returncode != 0:
        sys.exit(f"install failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", default=str(ROOT / "tests" / "data" / "popular_libraries.txt"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cp", default="9.2.1", help="CircuitPython release in the drive's boot_out.txt")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mpycross-install-bench-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "MPYCROSS_MOUNT_ROOT": str(tmp / "root"), "MPYCROSS_CACHE_DIR": str(tmp / "cache"),
               "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
        line = f"Adafruit CircuitPython {args.cp} on 2025-01-01; Adafruit Feather RP2040 with rp2040\r\n"
        command = ["-r", args.list, "-j", str(args.jobs)]
        times = {}
        for phase in ("cold", "cached", "again"):
            drive = tmp / "root" / "media" / phase / "CIRCUITPY"
            if phase != "again":
                if drive.parent.parent.is_dir():
                    for old in drive.parent.parent.iterdir():   # exactly one mounted drive at a time
                        old.rename(tmp / f"unmounted-{old.name}")
                drive.mkdir(parents=True)
                (drive / "boot_out.txt").write_text(line, newline="")
            else:
                drive = next((tmp / "root" / "media").glob("*/CIRCUITPY"))
            times[phase] = round(run(command, env), 2)
        manifest = json.loads((drive / "lib" / ".mpycross.json").read_text())["libraries"]
        files = [p for p in (drive / "lib").rglob("*.mpy")]
        print(json.dumps({"libraries": len(manifest), "requested": sum(f["requested"] for f in manifest.values()),
                          "files": len(files), "bytes": sum(p.stat().st_size for p in files),
                          "seconds": times, "jobs": args.jobs}, indent=1))


if __name__ == "__main__":
    main()
