"""Speed of mpycross against the official mpy-cross 1.29, measured in one run on one machine.

    python benchmarks/run.py [--repeat N] [--limit N]

(a) batch: the real-library corpus (tests/corpus), and any --tree DIR, compiled
    by `mpycross compile` cold (empty cache) with 1 worker, 2 workers and the
    default (one per core), and warm (unchanged tree, cache filled: once right
    after the cold run, then best of 3 once the outputs are 2 s old), against
    the official binary started once per file, serially (how build scripts
    drive it);
(b) big file: one generated 2,000-line module, `mpy-cross big.py` end to
    end as a new process (first run, then best of N);
(c) startup: `mpy-cross examples/hello.py` (best and median of N), beside a bare
    `python -c pass` for scale.

Prints a table, each speed goal with its measured value and whether it is
met, and writes benchmarks/results.json. Needs the test extras
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
import re
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


def our_mpycross() -> list[str]:
    """The installed `mpycross` command if it is this project's, else the package run directly."""
    script = Path(sys.executable).parent / "mpycross"
    if script.is_file() and b"mpycross.cli.toolchain" in script.read_bytes()[:2000]:
        return [str(script)]
    return [sys.executable, "-m", "mpycross"]


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


def _ours_compile(tree: Path, out: Path, env: dict, cache: Path, workers: int | None) -> tuple[float, dict]:
    """One `mpycross compile` process over the tree, as a user types it (its text summary, not
    --format json: importing json costs a warm run ~10%); (seconds, {"from_cache": N})."""
    cmd = [*our_mpycross(), "compile", "-o", str(out), str(tree)]
    if workers is not None:
        cmd[-3:-3] = ["-j", str(workers)]
    elapsed, proc = timed(cmd, env=dict(env, MPYCROSS_CACHE_DIR=str(cache)))
    summary = proc.stdout.decode(errors="replace").strip().splitlines()[-1:] or [""]
    served = re.search(r", (\d+) unchanged \(from the cache\)", summary[0])
    report = {"from_cache": int(served.group(1)) if served else 0, "summary": summary[0]}
    if not summary[0].startswith("compiled "):
        report["error"] = proc.stderr.decode(errors="replace")[-300:]
    return elapsed, report


def bench_batch(name: str, files: list[Path], src_root: Path, work: Path, env: dict) -> dict:
    """A tree of real code: the official binary once per file, serially, against
    `mpycross compile` cold (empty cache) with 1 worker, 2 workers and the default
    (one per core), and warm (nothing changed, best of 3)."""
    tree = work / name / "tree"
    for f in files:
        dest = tree / f.relative_to(src_root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
    rels = [f.relative_to(src_root) for f in files]

    theirs_out = work / name / "theirs"
    for rel in rels:
        (theirs_out / rel).parent.mkdir(parents=True, exist_ok=True)
    binary = str(official("1.29"))
    theirs_ok = 0
    start = time.perf_counter()
    for rel in rels:
        out = (theirs_out / rel).with_suffix(".mpy")
        p = subprocess.run([binary, "-s", rel.as_posix(), "-o", str(out), str(tree / rel)], capture_output=True)
        theirs_ok += p.returncode == 0
    t_theirs = time.perf_counter() - start

    runs = {}
    for label, workers in (("one_worker", 1), ("two_workers", 2), ("default_workers", None)):
        cache = work / name / f"cache-{label}"
        runs[label], _ = _ours_compile(tree, work / name / f"ours-{label}", env, cache, workers)
    warm_cache = work / name / "cache-default_workers"
    # right after the cold run the outputs are younger than the 2 s a filesystem's timestamps may
    # lag (bundle.cache.OutputIndex), so each is read back and compared; a rebuild after an edit
    # finds them older (the goal's figure, best of 3 after a pause)
    just_written = _ours_compile(tree, work / name / "ours-default_workers", env, warm_cache, None)
    time.sleep(2.5)
    warm = [_ours_compile(tree, work / name / "ours-default_workers", env, warm_cache, None) for _ in range(3)]
    ours_out = work / name / "ours-default_workers"
    identical = sum(1 for rel in rels
                    if (ours_out / rel).with_suffix(".mpy").is_file() and (theirs_out / rel).with_suffix(".mpy").is_file()
                    and (ours_out / rel).with_suffix(".mpy").read_bytes() == (theirs_out / rel).with_suffix(".mpy").read_bytes())
    return {
        "files": len(files), "official_s": t_theirs, "official_ok": theirs_ok, "byte_identical": identical,
        "cold_one_worker_s": runs["one_worker"], "cold_two_workers_s": runs["two_workers"],
        "cold_default_workers_s": runs["default_workers"], "warm_s": min(t for t, _ in warm),
        "warm_just_written_s": just_written[0],
        "warm_from_cache": warm[-1][1].get("from_cache"), "default_workers": os.cpu_count(),
    }


def peak_memory_mb(cmd: list[str], cwd: Path, env: dict) -> float:
    """The child's peak resident memory (ru_maxrss of that process alone)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return usage.ru_maxrss / 1024


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
    ap.add_argument("--tree", action="append", default=[], metavar="DIR",
                    help="another tree of real code to measure like the corpus (repeatable)")
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
        results["batch"] = bench_batch("corpus", files, cache_dir() / "src", work, env)
        results["trees"] = {}
        for extra in args.tree:
            root = Path(extra).resolve()
            tree_files = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
            results["trees"][root.name] = bench_batch(f"tree-{root.name}", tree_files, root, work, env)
        largest = max(files, key=lambda f: f.stat().st_size)
        results["peak_memory"] = {"file": largest.name, "bytes": largest.stat().st_size,
                                  "mpycross_mb": peak_memory_mb([*ours_cmd, "-o", str(work / "largest.mpy"),
                                                                 str(largest)], work, env)}

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
            "mpycross": bench_command([*ours_cmd, "hello.py"], hello, max(args.repeat, 20), env),
            "official": bench_command([binary, "hello.py"], hello, max(args.repeat, 20)),
            # the interpreter's own start, for scale (the part of mpycross's no change to it can save)
            "bare_python": bench_command([sys.executable, "-c", "pass"], hello, max(args.repeat, 20), env),
        }

    batch, bigf, start = results["batch"], results["big_file"], results["startup"]
    rows = [("(b) %d-line file, first run" % bigf["lines"], bigf["mpycross"]["first_s"], bigf["official"]["first_s"]),
            ("(b) %d-line file, best" % bigf["lines"], bigf["mpycross"]["best_s"], bigf["official"]["best_s"]),
            ("(c) startup hello.py, best", start["mpycross"]["best_s"], start["official"]["best_s"]),
            ("(c) startup hello.py, median", start["mpycross"]["median_s"], start["official"]["median_s"]),
            ("(c) bare `python -c pass`, best", start["bare_python"]["best_s"], start["official"]["best_s"])]
    goals = []
    for name, b in (("corpus", batch), *results["trees"].items()):
        rows += [(f"(a) {name} batch cold, -j1 ({b['files']} files)", b["cold_one_worker_s"], b["official_s"]),
                 (f"(a) {name} batch cold, -j2", b["cold_two_workers_s"], b["official_s"]),
                 (f"(a) {name} batch cold, default -j", b["cold_default_workers_s"], b["official_s"]),
                 (f"(a) {name} batch warm, just written", b["warm_just_written_s"], b["official_s"]),
                 (f"(a) {name} batch warm", b["warm_s"], b["official_s"])]
        goals += [(f"{name}: cold batch, default workers <= 1.0x official", b["cold_default_workers_s"] / b["official_s"], 1.0, "x"),
                  (f"{name}: cold batch, one worker <= 2x official", b["cold_one_worker_s"] / b["official_s"], 2.0, "x"),
                  (f"{name}: warm batch <= 0.05x official", b["warm_s"] / b["official_s"], 0.05, "x"),
                  (f"{name}: 2 workers >= 1.7x faster than one", b["cold_two_workers_s"] / b["cold_one_worker_s"], 1 / 1.7, "x time")]
    goals += [("2,000-line file end to end <= 100 ms (best)", bigf["mpycross"]["best_s"] * 1000, 100, "ms"),
              ("mpy-cross hello.py <= 50 ms (best)", start["mpycross"]["best_s"] * 1000, 50, "ms"),
              (f"peak memory, largest corpus file ({results['peak_memory']['file']}) <= 100 MB",
               results["peak_memory"]["mpycross_mb"], 100, "MB")]
    results["table"] = [{"measure": m, "mpycross_s": a, "official_s": b, "ratio": a / b if b else None}
                        for m, a, b in rows]
    results["goals"] = [{"goal": g, "measured": v, "limit": lim, "unit": u, "met": v <= lim} for g, v, lim, u in goals]
    print(f"mpycross modules run {results['python_modules']}; default workers = {os.cpu_count()} (one per core)")
    print(f"{'measurement':44} {'mpycross':>10} {'official':>10} {'ratio':>8}  (mpycross time / official time)")
    for m, a, b in rows:
        print(f"{m:44} {a:9.3f}s {b:9.3f}s {ratio(a, b):>8}")
    print()
    print(f"{'goal':60} {'measured':>12}  met")
    for g in results["goals"]:
        print(f"{g['goal']:60} {g['measured']:9.3f} {g['unit']:>4}  {'yes' if g['met'] else 'NO'}")
    print(f"corpus: official wrote {batch['official_ok']}/{batch['files']}, byte-identical {batch['byte_identical']}; "
          f"warm run served {batch['warm_from_cache']} from the cache")
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
