"""Speed of two versions of mpycross side by side, and of the official mpy-cross 1.29.

    python benchmarks/compare.py [--base REV] [--rounds N] [--limit N] [--no-pyc]

The working tree is measured against `git archive REV` (default HEAD),
unpacked in a temporary folder; the official binary is measured in the same
rounds. The runs are interleaved round by round, so that load from other
processes on the machine hits all versions alike. Each measurement gives the
best process CPU time (user + sys, from wait4) and the best wall time:
on a busy machine CPU time is the steadier figure.

(a) batch: the corpus compiled by one `mpycross compile -j 1` process
    (the official binary: started once per file);
(b) big: `mpy-cross big.py` on the 2,000-line module of run.py;
(c) startup: `mpy-cross hello.py`.

Python modules are run from compiled bytecode (a private `__pycache__`
prefix, warmed first), as after `pip install`; `--no-pyc` compiles them
from source on every run instead (PYTHONDONTWRITEBYTECODE).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import generate_big_module  # noqa: E402
from tests.corpus.fetch import cache_dir, corpus_files  # noqa: E402
from tests.oracles import official  # noqa: E402

# `python -c` program: run a mpycross entry point from the given source folder
_LAUNCH = ("import sys; sys.path.insert(0, sys.argv.pop(1)); entry = sys.argv.pop(1); "
           "import importlib; m, a = entry.split(':'); sys.argv[0] = 'mpy-cross'; "
           "sys.exit(getattr(importlib.import_module(m), a)())")


def run_measured(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit status) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


def unpack(rev: str, dest: Path) -> Path:
    """The tracked files of src/, grammar/ and formats/ at `rev`."""
    dest.mkdir(parents=True)
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src", "grammar", "formats"],
                          check=True, capture_output=True).stdout
    archive = dest / "src.tar"
    archive.write_bytes(data)
    with tarfile.open(archive) as tar:
        tar.extractall(dest)
    archive.unlink()
    return dest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="HEAD", help="git revision to compare the working tree with")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--batch-rounds", type=int, default=1, help="rounds of the corpus batch (slow)")
    ap.add_argument("--limit", type=int, default=0, help="first N corpus files only")
    ap.add_argument("--no-pyc", action="store_true", help="compile the modules from source on every run")
    ap.add_argument("--skip-batch", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = dict(os.environ)
        if args.no_pyc:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env.pop("PYTHONPYCACHEPREFIX", None)
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        versions = {f"base {args.base}": unpack(args.base, work / "base") / "src",
                    "working tree": ROOT / "src"}
        binary = str(official("1.29"))

        def ours(src: Path, entry: str, *rest: str) -> list[str]:
            return [sys.executable, "-c", _LAUNCH, str(src), entry, *rest]

        big = work / "big"
        big.mkdir()
        (big / "big.py").write_text(generate_big_module())
        hello = work / "hello"
        shutil.copytree(ROOT / "examples", hello)

        files = corpus_files()
        if args.limit:
            files = files[:args.limit]
        src_root = cache_dir() / "src"
        tree = work / "tree"
        for f in files:
            dest = tree / f.relative_to(src_root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
        rels = [f.relative_to(src_root).as_posix() for f in files]

        def batch_ours(src):
            out = work / "out"
            shutil.rmtree(out, ignore_errors=True)
            return run_measured(ours(src, "mpycross.cli.toolchain:main", "compile", "-j", "1", "-o", str(out),
                                     str(tree)), work, env)

        def batch_official():
            wall = cpu = 0.0
            out = work / "official.mpy"
            for rel in rels:
                w, c, _ = run_measured([binary, "-s", rel, "-o", str(out), str(tree / rel)], tree, env)
                wall += w
                cpu += c
            return wall, cpu, 0

        cases = {
            "(b) big file": ({name: (lambda s=src: run_measured(
                ours(s, "mpycross.cli.mpy_cross:main", "-o", "ours.mpy", "big.py"), big, env))
                for name, src in versions.items()},
                lambda: run_measured([binary, "-o", "theirs.mpy", "big.py"], big, env)),
            "(c) startup hello.py": ({name: (lambda s=src: run_measured(
                ours(s, "mpycross.cli.mpy_cross:main", "-o", "hello.mpy", "hello.py"), hello, env))
                for name, src in versions.items()},
                lambda: run_measured([binary, "-o", "theirs.mpy", "hello.py"], hello, env)),
        }
        if not args.skip_batch:
            cases["(a) corpus batch, %d files" % len(files)] = (
                {name: (lambda s=src: batch_ours(s)) for name, src in versions.items()}, batch_official)

        # warm the bytecode caches (and the grammar table cache)
        for name, src in versions.items():
            run_measured(ours(src, "mpycross.cli.mpy_cross:main", "-o", "hello.mpy", "hello.py"), hello, env)

        results: dict = {}
        for case, (mine, theirs) in cases.items():
            rounds = args.batch_rounds if case.startswith("(a)") else args.rounds
            for _ in range(rounds):
                for name, fn in [*mine.items(), ("official 1.29", theirs)]:
                    wall, cpu, status = fn()
                    entry = results.setdefault(case, {}).setdefault(name, {"wall": [], "cpu": [], "status": set()})
                    entry["wall"].append(wall)
                    entry["cpu"].append(cpu)
                    entry["status"].add(status)

    mode = "from source (no .pyc)" if args.no_pyc else "from .pyc"
    print(f"best of N; Python modules run {mode}; ratio = time / official time")
    print(f"{'measurement':30} {'version':22} {'cpu':>9} {'wall':>9} {'cpu ratio':>10} {'wall ratio':>10}")
    for case, per in results.items():
        off = per["official 1.29"]
        for name, r in per.items():
            cpu, wall = min(r["cpu"]), min(r["wall"])
            print(f"{case:30} {name:22} {cpu:8.3f}s {wall:8.3f}s {cpu / min(off['cpu']):9.2f}x "
                  f"{wall / min(off['wall']):9.2f}x  exit {sorted(r['status'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
