"""Speed of mpycross against the official mpy-cross 1.29, measured in one run on one machine.

    python benchmarks/run.py [--repeat N] [--limit N]

(a) batch: the real-library corpus (tests/corpus) compiled by one
    `mpycross compile -j1` process, against the official binary started
    once per file (how build scripts drive it);
(b) big file: one generated 2,000-line module, `mpy-cross big.py` end to
    end as a new process (first run, then best of N);
(c) startup: `mpy-cross examples/hello.py` (best and median of N).

Prints a table and writes benchmarks/results.json. Needs the test extras
(the official binary) and the corpus cache (`python -m tests.corpus.fetch`).

mpycross's modules run from compiled bytecode (a private __pycache__ prefix,
warmed first), as after `pip install`; with `--no-pyc` (or when comparing
with figures taken under PYTHONDONTWRITEBYTECODE=1) every run compiles them
from source, which adds ~60 ms to each start. See also benchmarks/compare.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.corpus.fetch import cache_dir, corpus_files  # noqa: E402
from tests.oracles import official  # noqa: E402


def our_mpy_cross() -> list[str]:
    """The installed `mpy-cross` if it is mpycross's, else the module run directly."""
    script = Path(sys.executable).parent / "mpy-cross"
    if script.is_file() and b"mpycross.cli.mpy_cross" in script.read_bytes()[:2000]:
        return [str(script)]
    return [sys.executable, "-m", "mpycross.cli.mpy_cross"]


def timed(cmd, **kw) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, **kw)
    return time.perf_counter() - start, proc


def generate_big_module(lines: int = 2000) -> str:
    """A deterministic module of ordinary code: classes, functions, loops, literals."""
    out = ['"""Generated benchmark module."""', "import sys", "from micropython import const", ""]
    i = 0
    block_size = 30
    while len(out) + block_size + 1 <= lines:
        out += [
            f"LIMIT_{i} = const({i * 7 + 3})",
            f"class Sensor{i}:",
            f'    """Sensor number {i}."""',
            "    def __init__(self, bus, address=0x40):",
            "        self.bus = bus",
            "        self.address = address",
            f"        self._cache = [0] * {i % 8 + 4}",
            "    def read(self, register, count=2):",
            "        data = self.bus.read(self.address, register, count)",
            "        value = 0",
            "        for b in data:",
            "            value = (value << 8) | b",
            f"        if value > LIMIT_{i}:",
            f'            raise ValueError("sensor {i}: %d out of range" % value)',
            "        return value",
            "    @property",
            "    def average(self):",
            "        return sum(self._cache) / len(self._cache)",
            f"def process_{i}(items, scale={i}.5):",
            "    result = {k: v * scale for k, v in items if v}",
            "    total = 0",
            "    try:",
            "        for key in sorted(result):",
            "            total += result[key] if key % 2 else -result[key]",
            "    except (KeyError, TypeError) as err:",
            f'        print("error in process_{i}", err)',
            "    finally:",
            "        total = round(total, 2)",
            f'    return total, [x for x in range({i % 10 + 1}) if x % 3], f"{{total:.2f}}"',
            "",
        ]
        i += 1
    while len(out) < lines:
        out.append(f"print(process_{len(out) % i}([(1, 2), (3, 4)]))")
    assert len(out) == lines
    return "\n".join(out) + "\n"


def bench_batch(files: list[Path], src_root: Path, work: Path, env: dict) -> dict:
    tree = work / "tree"
    for f in files:
        dest = tree / f.relative_to(src_root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
    rels = [f.relative_to(src_root) for f in files]

    ours_out = work / "ours"
    t_ours, proc = timed([sys.executable, "-m", "mpycross", "compile", "-j", "1", "-o", str(ours_out), str(tree)],
                         env=env)
    ours_ok = len(list(ours_out.rglob("*.mpy"))) if ours_out.exists() else 0
    summary = proc.stdout.decode(errors="replace").strip().splitlines()[-1:] or [""]

    theirs_out = work / "theirs"
    for rel in rels:
        (theirs_out / rel).parent.mkdir(parents=True, exist_ok=True)
    binary = str(official("1.29"))
    theirs_ok = 0
    identical = 0
    start = time.perf_counter()
    for rel in rels:
        out = (theirs_out / rel).with_suffix(".mpy")
        p = subprocess.run([binary, "-s", rel.as_posix(), "-o", str(out), str(tree / rel)], capture_output=True)
        theirs_ok += p.returncode == 0
    t_theirs = time.perf_counter() - start
    for rel in rels:
        a, b = (ours_out / rel).with_suffix(".mpy"), (theirs_out / rel).with_suffix(".mpy")
        if a.exists() and b.exists() and a.read_bytes() == b.read_bytes():
            identical += 1
    return {
        "files": len(files), "mpycross_s": t_ours, "official_s": t_theirs,
        "mpycross_ok": ours_ok, "official_ok": theirs_ok, "byte_identical": identical,
        "mpycross_exit": proc.returncode, "mpycross_summary": summary[0],
    }


def bench_command(cmd: list[str], cwd: Path, repeat: int, env: dict | None = None) -> dict:
    first, proc = timed(cmd, cwd=cwd, env=env)
    runs = [first] + [timed(cmd, cwd=cwd, env=env)[0] for _ in range(repeat - 1)]
    return {"first_s": first, "best_s": min(runs), "median_s": statistics.median(runs),
            "exit": proc.returncode, "stderr": proc.stderr.decode(errors="replace")[-300:]}


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "-"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs per single-file measurement")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N corpus files")
    ap.add_argument("--no-pyc", action="store_true", help="run mpycross's modules from source (no .pyc)")
    args = ap.parse_args()

    ours_cmd = our_mpy_cross()
    binary = str(official("1.29"))
    results: dict = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "python": sys.version.split()[0], "machine": platform.platform(),
                     "cpus": os.cpu_count(), "mpy_cross": " ".join(ours_cmd)}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = dict(os.environ)
        if args.no_pyc:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env.pop("PYTHONPYCACHEPREFIX", None)
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
            subprocess.run([*ours_cmd, "--version"], env=env, capture_output=True)  # write the .pyc files
        results["python_modules"] = "from source" if args.no_pyc else "from .pyc"
        files = corpus_files()
        if args.limit:
            files = files[:args.limit]
        results["batch"] = bench_batch(files, cache_dir() / "src", work, env)

        big = work / "big" / "big.py"
        big.parent.mkdir()
        big.write_text(generate_big_module())
        results["big_file"] = {
            "lines": big.read_text().count("\n"),
            "mpycross": bench_command([*ours_cmd, "-o", str(work / "big" / "ours.mpy"), "big.py"],
                                      big.parent, args.repeat, env),
            "official": bench_command([binary, "-o", str(work / "big" / "theirs.mpy"), "big.py"],
                                      big.parent, args.repeat),
        }
        a, b = work / "big" / "ours.mpy", work / "big" / "theirs.mpy"
        results["big_file"]["byte_identical"] = a.exists() and b.exists() and a.read_bytes() == b.read_bytes()

        hello = work / "hello"
        shutil.copytree(ROOT / "examples", hello)
        results["startup"] = {
            "mpycross": bench_command([*ours_cmd, "hello.py"], hello, max(args.repeat, 10), env),
            "official": bench_command([binary, "hello.py"], hello, max(args.repeat, 10)),
        }

    batch, bigf, start = results["batch"], results["big_file"], results["startup"]
    rows = [
        ("(a) corpus batch, %d files" % batch["files"], batch["mpycross_s"], batch["official_s"]),
        ("(b) %d-line file, first run" % bigf["lines"], bigf["mpycross"]["first_s"], bigf["official"]["first_s"]),
        ("(b) %d-line file, best" % bigf["lines"], bigf["mpycross"]["best_s"], bigf["official"]["best_s"]),
        ("(c) startup hello.py, best", start["mpycross"]["best_s"], start["official"]["best_s"]),
        ("(c) startup hello.py, median", start["mpycross"]["median_s"], start["official"]["median_s"]),
    ]
    results["table"] = [{"measure": m, "mpycross_s": a, "official_s": b, "ratio": a / b if b else None}
                        for m, a, b in rows]
    print(f"mpycross modules run {results['python_modules']}")
    print(f"{'measurement':34} {'mpycross':>10} {'official':>10} {'ratio':>8}  (mpycross time / official time)")
    for m, a, b in rows:
        print(f"{m:34} {a:9.3f}s {b:9.3f}s {ratio(a, b):>8}")
    print(f"corpus: mpycross wrote {batch['mpycross_ok']}/{batch['files']}, official {batch['official_ok']}, "
          f"byte-identical {batch['byte_identical']}  ({batch['mpycross_summary']})")
    print(f"big file: exit {bigf['mpycross']['exit']} (official {bigf['official']['exit']}), "
          f"byte-identical: {bigf['byte_identical']}")
    for what, r in (("big file", bigf["mpycross"]), ("startup", start["mpycross"])):
        if r["exit"]:
            print(f"note: mpycross failed on {what}: {r['stderr'].strip().splitlines()[-1:]}")
    out = Path(__file__).resolve().parent / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
