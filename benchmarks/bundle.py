"""`mpycross bundle` on the real-library corpus: cold and cached, against the official compiler.

    python benchmarks/bundle.py [--jobs N] [--limit N]

Builds one bundle of every corpus distribution (tests/corpus, .cache/corpus/dist)
for micropython-1.29:

- cold: an empty compile cache, `--jobs` workers;
- cached: the same build again (every file a cache hit);
- official: the official mpy-cross 1.29 started once per file, one after the
  other, as circuitpython-build-tools drives it (the same version-stamped
  sources and stored names; zipping not included);

then compares every .mpy of the bundle with the official bytes. Prints a
table and the figures as JSON (to stdout). Needs the test extras.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mpycross.bundle import BundleError  # noqa: E402
from mpycross.bundle.build import BundleTarget, build_bundle, compiles  # noqa: E402
from mpycross.bundle.cache import CompileCache  # noqa: E402
from mpycross.bundle.library import discover  # noqa: E402
from tests.corpus.fetch import cache_dir, ensure_corpus  # noqa: E402
from tests.oracles import official  # noqa: E402

TARGET = [BundleTarget("micropython-1.29", "mp-1.29")]
TAG = "bench"


def corpus_libraries(limit: int | None):
    ensure_corpus()
    libs = []
    for p in sorted((cache_dir() / "dist").iterdir()):
        try:
            libs += discover(p)
        except BundleError:
            continue
    return libs[:limit] if limit else libs


def official_once_per_file(libs) -> tuple[float, dict[str, bytes | None]]:
    """Seconds for one official mpy-cross process per file; and its outputs by lib path."""
    out: dict[str, bytes | None] = {}
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []
        for n, lib in enumerate(libs):
            for path, data in sorted(lib.stamped_files().items()):
                if compiles(path, data):   # empty files are copied, not compiled
                    src = Path(tmp) / f"{n}-{len(jobs)}.py"
                    src.write_bytes(data)
                    jobs.append((path, src, src.with_suffix(".mpy")))
        binary = str(official("1.29"))
        started = time.perf_counter()
        for path, src, dst in jobs:
            subprocess.run([binary, "-o", str(dst), "-s", path, str(src)], capture_output=True)
        seconds = time.perf_counter() - started
        for path, _, dst in jobs:
            out[path] = dst.read_bytes() if dst.exists() else None
    return seconds, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--limit", type=int, default=None, help="only the first N libraries")
    args = ap.parse_args()

    libs = corpus_libraries(args.limit)
    files = sum(1 for lib in libs for p, d in lib.stamped_files().items() if compiles(p, d))
    with tempfile.TemporaryDirectory() as cache_root:
        cache = CompileCache(Path(cache_root))
        t = time.perf_counter()
        cold = build_bundle(libs, "corpus", TAG, TARGET, workers=args.jobs, cache=cache, skip_failed=True)
        cold_s = time.perf_counter() - t
        t = time.perf_counter()
        warm = build_bundle(libs, "corpus", TAG, TARGET, workers=args.jobs, cache=cache, skip_failed=True)
        warm_s = time.perf_counter() - t
    official_s, ref = official_once_per_file(libs)

    zip_name = f"corpus-mp-1.29-mpy-{TAG}.zip"
    members = {}
    with zipfile.ZipFile(io.BytesIO(cold.outputs[zip_name])) as z:
        for name in z.namelist():
            rel = name.split("/lib/", 1)[1] if "/lib/" in name else None
            if rel and rel.endswith(".mpy"):
                members[rel[:-4] + ".py"] = z.read(name)
    identical = sum(1 for p, b in ref.items() if b is not None and members.get(p) == b)
    differ = sorted(p for p, b in ref.items() if b is not None and p in members and members[p] != b)
    both_reject = sum(1 for p, b in ref.items() if b is None and p not in members)
    # files of a library left out because another of its files is rejected
    left_out_files = sum(1 for p, b in ref.items() if b is not None and p not in members)
    figures = {
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}, "
                   f"{os.cpu_count()} CPUs",
        "libraries": len(libs), "py_files": files, "jobs": args.jobs,
        "cold_seconds": round(cold_s, 2), "cached_seconds": round(warm_s, 2),
        "official_once_per_file_seconds": round(official_s, 2),
        "identical": identical, "different": len(differ), "rejected_by_both": both_reject, "left_out_files": left_out_files,
        "left_out": cold.stats[1].skipped, "reproducible": cold.outputs == warm.outputs,
        "different_files": differ[:50],
    }
    print(f"bundle of {len(libs)} libraries ({files} non-empty .py files), -j {args.jobs}:")
    print(f"  cold (empty cache)        {cold_s:8.2f} s")
    print(f"  cached                    {warm_s:8.2f} s")
    print(f"  official, once per file   {official_s:8.2f} s  (compiling only, sequential)")
    print(f"  .mpy identical to official: {identical} of {identical + len(differ)}"
          f" ({both_reject} rejected by both; {left_out_files} more left out with their library)")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
