"""Speed of the `.mpy` format layer: read and write every corpus file, per `.mpy` version.

    python benchmarks/format_speed.py [--out DIR] [--repeat N] [--schema]

Compiles the corpus (`$MPYCROSS_CORPUS_DIR/src`, every `.py`) once with the
official compilers of each format (1.9 v2, 1.9.3 v3, 1.11 v4, 1.12 v5,
1.19 v6.0, 1.29 v6.3, and 1.29 `-march=armv7m` for native sections) into
DIR (kept between runs), then times `read_mpy` and `write_mpy` over all
files (best of N). `--schema` also times the Construct schemas
(`mpycross.mpy.schema`) parsing and building the same files.
Needs the test extras (the official binaries).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (label, official release, extra arguments)
SETS = [("v2", "1.9", []), ("v3", "1.9.3", []), ("v4", "1.11", []), ("v5", "1.12", []),
        ("v6.0", "1.19", []), ("v6.3", "1.29", []), ("v6.3-armv7m", "1.29", ["-march=armv7m"])]


def compile_corpus(out: Path) -> dict[str, list[bytes]]:
    from tests.oracles import official

    corpus = Path(os.environ.get("MPYCROSS_CORPUS_DIR", ROOT / ".cache" / "corpus")) / "src"
    sources = sorted(corpus.rglob("*.py"))
    files: dict[str, list[bytes]] = {}
    for label, release, extra in SETS:
        folder = out / label
        folder.mkdir(parents=True, exist_ok=True)
        binary = str(official(release))
        for i, src in enumerate(sources):
            target = folder / f"{i:04d}.mpy"
            if not target.exists():
                # the official compiler refuses some sources (syntax newer than the release)
                subprocess.run([binary, *extra, "-o", str(target), str(src)], capture_output=True, check=False)
        files[label] = [p.read_bytes() for p in sorted(folder.glob("*.mpy"))]
    return files


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "mpycross-format-speed")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--schema", action="store_true", help="time the Construct schemas too")
    args = ap.parse_args()

    from mpycross.mpy import read_mpy, write_mpy

    files = compile_corpus(args.out)
    total_read = total_write = 0.0
    print(f"{'set':<12} {'files':>5} {'KiB':>7} {'read ms':>8} {'write ms':>8}"
          + (f" {'schema parse ms':>15} {'schema build ms':>15}" if args.schema else ""))
    for label, datas in files.items():
        models = [read_mpy(d) for d in datas]
        assert [write_mpy(m) for m in models] == datas, label
        t_read = best(lambda datas=datas: [read_mpy(d) for d in datas], args.repeat)
        t_write = best(lambda models=models: [write_mpy(m) for m in models], args.repeat)
        total_read += t_read
        total_write += t_write
        line = (f"{label:<12} {len(datas):>5} {sum(map(len, datas)) / 1024:>7.0f} "
                f"{t_read * 1000:>8.1f} {t_write * 1000:>8.1f}")
        if args.schema:
            from mpycross.mpy.schema import schema_for

            schemas = [schema_for(d) for d in datas]
            parsed = [s.parse(d) for s, d in zip(schemas, datas)]
            pairs = list(zip(schemas, datas))
            built = list(zip(schemas, parsed))
            t_parse = best(lambda pairs=pairs: [s.parse(d) for s, d in pairs], 1)
            t_build = best(lambda built=built: [s.build(p) for s, p in built], 1)
            line += f" {t_parse * 1000:>15.1f} {t_build * 1000:>15.1f}"
        print(line)
    print(f"{'total':<12} {'':>5} {'':>7} {total_read * 1000:>8.1f} {total_write * 1000:>8.1f}")


if __name__ == "__main__":
    main()
