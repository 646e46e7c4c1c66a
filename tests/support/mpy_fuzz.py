"""Mutation fuzzing of every command that reads a `.mpy` file.

Seeds are real `.mpy` files of every format version (v2 .. v6.3, bytecode
and native code), written by the official compilers the test extras provide
and by ours. Each case is a seed with a few byte flips, insertions, deletions,
splices or a truncation, fed to `mpycross dis`, `dis --json`, `inspect`,
`inspect --json` and `footprint`. A case passes when the command exits 0, 1
or 2, prints no Python traceback and no "internal error", every line it
writes to stderr is short, and it stays under CPU_SECONDS of CPU time and
MEMORY_BYTES of memory.

Each file is run in a process of its own, forked from a server that has
already imported mpycross (so a case costs milliseconds, not a Python start),
under setrlimit bounds (CPU time, address space); the child runs the commands
one after another through the `mpycross` entry point, each with stdout a
strict UTF-8 stream (as PYTHONIOENCODING=utf-8 makes it), and notes each
one's exit code, CPU time and peak memory.

    python -m tests.support.mpy_fuzz 20000 --seed 1    # a long run; prints the counts
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
COMMANDS = (("dis",), ("dis", "--json"), ("dis", "--fields"), ("inspect",), ("inspect", "--json"), ("footprint",))
CPU_SECONDS = 10
MEMORY_BYTES = 500 * 1024 * 1024
MAX_ERROR_LINE = 200            # characters, beyond the file's path

_SOURCES = [HERE / "data" / "format_programs" / n for n in
            ("basics.py", "locals_jumps.py", "with_async.py", "since_1_17.py")]
_SOURCES += [HERE / "programs" / n for n in ("class_property.py", "bigints.py", "closures_deep.py",
                                             "fstrings.py", "exc_try.py")]
_NATIVE = HERE / "data" / "format_programs" / "native_code.py"
# official release -> the format it writes (the test extras' binaries)
OFFICIAL = {"1.9": "v2", "1.9.3": "v3", "1.11": "v4", "1.12": "v5", "1.19": "v6.0", "1.20": "v6.1",
            "1.22": "v6.2", "1.23": "v6.3", "1.29": "v6.3"}
# native code: the only bytecode-free files, and the only ones that carry the v6 sub-version
OFFICIAL_NATIVE = {"1.19": ("-march=armv7m",), "1.20": ("-march=armv7m",), "1.22": ("-march=armv6m",),
                   "1.29": ("-march=armv7m",), "v5": ("-march=x64",), "1.12": ("-march=xtensa",)}
OURS = ("micropython-1.9", "micropython-1.9.3", "micropython-1.11", "micropython-1.12",
        "micropython-1.19", "micropython-1.20.0", "micropython-1.22.0", "micropython-1.29",
        "circuitpython-8.2", "circuitpython-10.2")


@dataclass
class Outcome:
    command: tuple[str, ...]
    status: int | None          # exit code, None if killed by a signal
    signal: int | None
    cpu: float
    max_rss: int                # bytes
    stdout_tail: str
    stderr: str

    def problems(self, path: str) -> list[str]:
        """What is wrong with this run (empty: the case passes)."""
        found = []
        if self.signal is not None:
            found.append(f"killed by signal {self.signal}")
        elif self.status not in (0, 1, 2):
            found.append(f"exit code {self.status}")
        text = self.stdout_tail + self.stderr
        if "Traceback (most recent call last)" in text:
            found.append("traceback")
        if "internal error" in text:
            found.append("internal error")
        if self.cpu > CPU_SECONDS:
            found.append(f"{self.cpu:.1f} s of CPU")
        if self.max_rss > MEMORY_BYTES:
            found.append(f"{self.max_rss >> 20} MB")
        long = [ln for ln in self.stderr.splitlines() if len(ln.replace(path, "")) > MAX_ERROR_LINE]
        if long and not found:
            found.append(f"stderr line of {len(long[0])} characters")
        return found


# -- seeds --------------------------------------------------------------------

def _official_seeds(tmp: Path) -> list[tuple[str, bytes]]:
    from tests.oracles import compile_official_file, official_binaries

    binaries = official_binaries()
    seeds = []
    jobs = [(rel, src, ()) for rel in OFFICIAL for src in _SOURCES]
    jobs += [(rel, _NATIVE, opts) for rel, opts in OFFICIAL_NATIVE.items()]
    for release, source, options in jobs:
        if release not in binaries:
            continue
        done = compile_official_file(source, args=[*options, "-s", source.name], binary=binaries[release])
        if done.mpy is not None:   # older releases refuse newer syntax
            seeds.append((f"official-{release}-{source.stem}", done.mpy))
    return seeds


def _our_seeds() -> list[tuple[str, bytes]]:
    from mpycross import compile_source
    from mpycross.errors import MpyCrossError

    seeds = []
    for target in OURS:
        for source in _SOURCES:
            try:
                seeds.append((f"ours-{target}-{source.stem}",
                              compile_source(source.read_bytes(), source.name, target=target)))
            except MpyCrossError:
                continue
    return seeds


@functools.cache
def seed_files() -> tuple[tuple[str, bytes], ...]:
    """(label, bytes) of every seed, official first; the same list on every machine."""
    with tempfile.TemporaryDirectory() as tmp:
        return tuple(_official_seeds(Path(tmp)) + _our_seeds())


# -- mutations ----------------------------------------------------------------

# bytes that make var-uints long or counts large, and type/opcode boundaries
_INTERESTING = (0x00, 0x01, 0x7F, 0x80, 0x81, 0xFE, 0xFF, 0x0A, 0x20, 0x40)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four random edits of `data`, then perhaps a truncation."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(out) + 1)
        kind = rng.randrange(7)
        if kind == 0 and out:
            out[min(pos, len(out) - 1)] ^= 1 << rng.randrange(8)
        elif kind == 1 and out:
            out[min(pos, len(out) - 1)] = rng.randrange(256)
        elif kind == 2 and out:
            out[min(pos, len(out) - 1)] = rng.choice(_INTERESTING)
        elif kind == 3:
            out[pos:pos] = bytes(rng.choice((rng.randrange(256), 0xFF, 0x80))
                                 for _ in range(rng.randint(1, 6)))
        elif kind == 4 and out:
            del out[pos:pos + rng.randint(1, 8)]
        elif kind == 5 and out:
            start = rng.randrange(len(out))
            chunk = out[start:start + rng.randint(1, 32)]
            out[pos:pos] = chunk
        elif kind == 6:
            # a large var-uint in place of whatever was there
            out[pos:pos + 1] = bytes([0x80 | rng.randrange(128)] * rng.randint(1, 5) + [rng.randrange(128)])
    if out and rng.random() < 0.2:
        del out[rng.randrange(len(out)):]
    return bytes(out)


def cases(n: int, seed: int) -> list[tuple[str, bytes]]:
    """n mutated files, spread evenly over the seeds; the same for the same seed."""
    seeds = seed_files()
    rng = random.Random(seed)
    return [(seeds[i % len(seeds)][0], mutate(seeds[i % len(seeds)][1], rng)) for i in range(n)]


# -- running ------------------------------------------------------------------

class Runner:
    """A server process that forks one bounded child per file, which runs every command."""

    def __init__(self):
        env = dict(os.environ)
        env["PYTHONIOENCODING"] = "utf-8"
        env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.support.mpy_fuzz", "--serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                     cwd=str(HERE.parent), text=True)

    def run(self, path: str, commands=COMMANDS) -> list[Outcome]:
        self.proc.stdin.write(json.dumps([[list(c) for c in commands], path]) + "\n")
        self.proc.stdin.flush()
        replies = json.loads(self.proc.stdout.readline())
        return [Outcome(tuple(c), **r) for c, r in zip(commands, replies)]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _run_one(argv: list[str], out_path: str, err_path: str) -> int:
    """One command in the child, through the entry point, with its own stdout/stderr files."""
    import io
    import traceback

    for fd, path in ((1, out_path), (2, err_path)):
        new = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(new, fd)
        os.close(new)
    # the streams a fresh interpreter with PYTHONIOENCODING=utf-8 would have
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="strict")
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                  errors="backslashreplace", line_buffering=True)
    sys.argv = ["mpycross", *argv]
    code = 0
    try:
        from mpycross.cli.toolchain import main
        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        traceback.print_exc()       # what the interpreter would print
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        traceback.print_exc(file=sys.__stderr__)
        code = 1
    return code


def _child(commands: list[list[str]], path: str, tmp: str) -> None:
    """In the forked child: bound it, run each command, note each result as it ends."""
    import resource

    n = len(commands)
    resource.setrlimit(resource.RLIMIT_CPU, (n * CPU_SECONDS + 1, n * CPU_SECONDS + 2))
    # address space: the memory bound plus what the server had mapped before the fork
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES + _mapped_bytes(),) * 2)
    with open(os.path.join(tmp, "results"), "w") as results:
        for i, argv in enumerate(commands):
            before = resource.getrusage(resource.RUSAGE_SELF)
            code = _run_one([*argv, path], os.path.join(tmp, f"out{i}"), os.path.join(tmp, f"err{i}"))
            after = resource.getrusage(resource.RUSAGE_SELF)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            results.write(json.dumps([code, cpu, after.ru_maxrss * 1024]) + "\n")
            results.flush()
    os._exit(0)


def _mapped_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _tail(path: str, n: int = 4000) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - n))
            return f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""


def _wait_for(pid: int, seconds: float) -> bool:
    """Wait until the child exits or `seconds` (wall clock) pass; True if it exited."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):     # no pidfd (old kernel, sandbox): poll
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
            time.sleep(0.002)
        return False
    try:
        return bool(select.select([fd], [], [], seconds)[0])
    finally:
        os.close(fd)


def _serve() -> None:
    """Read [commands, path] lines; answer each with the outcomes of one bounded child."""
    import gc

    # what the commands import, so that each child starts at once
    import mpycross.cli.cmd_dis  # noqa: F401
    import mpycross.cli.cmd_footprint  # noqa: F401
    import mpycross.cli.cmd_inspect  # noqa: F401
    import mpycross.footprint.report  # noqa: F401
    import mpycross.mpy.dis  # noqa: F401
    import rich.console  # noqa: F401
    import rich.table  # noqa: F401
    from mpycross.cli.commands import cli
    from mpycross.footprint import get_board
    from mpycross.mpy.qstrs import static_qstrs

    cli.list_commands(None)
    get_board("rp2040")
    static_qstrs()
    gc.freeze()     # the children's collections then leave the server's pages shared

    tmp = tempfile.mkdtemp(prefix="mpy-fuzz-")
    for line in sys.stdin:
        commands, path = json.loads(line)
        for name in os.listdir(tmp):
            os.unlink(os.path.join(tmp, name))
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            _child(commands, path, tmp)
        ready = _wait_for(pid, 3 * CPU_SECONDS * len(commands))
        if not ready:
            os.kill(pid, 9)
        _, status, usage = os.wait4(pid, 0)
        done = [json.loads(ln) for ln in _tail(os.path.join(tmp, "results"), 1 << 20).splitlines()]
        replies = []
        for i in range(len(commands)):
            reply = {"status": None, "signal": None, "cpu": 0.0, "max_rss": usage.ru_maxrss * 1024,
                     "stdout_tail": _tail(os.path.join(tmp, f"out{i}")),
                     "stderr": _tail(os.path.join(tmp, f"err{i}"), 20000)}
            if i < len(done):
                reply["status"], reply["cpu"], reply["max_rss"] = done[i]
            elif i == len(done):
                # the command the child was running when it died
                reply["signal"] = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
                reply["status"] = os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else None
                reply["cpu"] = usage.ru_utime + usage.ru_stime - sum(d[1] for d in done)
                if not ready:
                    reply["cpu"] = max(reply["cpu"], CPU_SECONDS + 0.1)   # wall-clock limit
            else:
                reply["status"] = "not run"
            replies.append(reply)
        sys.stdout.write(json.dumps(replies) + "\n")
        sys.stdout.flush()


def run_cases(n: int, seed: int, commands=COMMANDS, report=None) -> tuple[Counter, list[dict]]:
    """Run n mutated files through every command: (counts, failures)."""
    counts: Counter = Counter()
    failures = []
    with tempfile.TemporaryDirectory() as tmp, Runner() as runner:
        for i, (label, data) in enumerate(cases(n, seed)):
            path = os.path.join(tmp, "case.mpy")
            with open(path, "wb") as f:
                f.write(data)
            for outcome in runner.run(path, commands):
                command = outcome.command
                problems = outcome.problems(path)
                counts["runs"] += 1
                counts[f"exit {outcome.status}"] += 1
                counts["max cpu ms"] = max(counts["max cpu ms"], int(outcome.cpu * 1000))
                counts["max rss MB"] = max(counts["max rss MB"], outcome.max_rss >> 20)
                if problems:
                    counts["failures"] += 1
                    failures.append({"case": i, "seed": label, "command": " ".join(command),
                                     "problems": problems, "stderr": outcome.stderr[-600:],
                                     "data": data.hex()})
            counts["files"] += 1
            if report and (i + 1) % 500 == 0:
                report(i + 1, counts)
    return counts, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=1000, help="number of mutated files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--failures", help="write the failing cases to this JSON file")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve()
        return
    start = time.monotonic()
    counts, failures = run_cases(args.n, args.seed, report=lambda i, c: print(
        f"{i} files, {c['failures']} failures, {time.monotonic() - start:.0f} s", flush=True))
    print(json.dumps(dict(counts), indent=1, sort_keys=True))
    print(f"{len(seed_files())} seeds, {time.monotonic() - start:.0f} s")
    if args.failures:
        Path(args.failures).write_text(json.dumps(failures, indent=1))
    for f in failures[:20]:
        print(f["command"], f["seed"], f["problems"], f["stderr"][-300:].replace("\n", " | "))


if __name__ == "__main__":
    main()
