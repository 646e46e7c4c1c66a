"""Differential fuzzing of the compiler: mutated real code, generated programs, big numbers.

`cases(release, seed, count)` draws `count` sources, deterministic per seed:

* "token": a file of the pinned real-code corpus (tests/corpus) with a few
  tokens deleted, duplicated, swapped or replaced;
* "line": the same with whole lines deleted, duplicated, moved, re-indented
  or joined with a backslash;
* "generated": a random module (tests/support/program_strategies.py) or a
  control-flow function (tests/support/genprog.py);
* "bignum": assignments and const() of random big-int / float expressions,
  where folding, overflow and int-to-float rounding meet.

Each case gets an option set the release accepts. `run(release, seed, count)`
compiles every case with ours and with the official binary of that release
(tests/support/differential.py) and tallies the verdicts; each disagreement
gets a short cause key (what each side did), so a run's report groups them.

    python -m tests.support.source_fuzz 1.29:20000 1.22:3000 --seed 1 --out report.txt
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support import differential

# Releases the test extras provide (1.18 comes from the PyPI wheel cache, tests/support/more_oracles.py).
RELEASES = ("1.29", "1.22", "1.18", "1.12", "1.9.3")
KINDS = ("token", "line", "generated", "bignum")

# Options each release's mpy-cross accepts (-X no-source-lines is new in 1.29).
_COMMON_OPTIONS = ([], [], ["-O1"], ["-O2"], ["-O3"], ["-s", "odd/na me.py"], ["-msmall-int-bits=63"])
_OPTIONS = {"1.29": _COMMON_OPTIONS + (["-X", "no-source-lines"], ["-O2", "-s", "\u00e9t\u00e9.py"])}

# Ours gets this long per case; the official binary gets differential's limit.
OUR_TIME_LIMIT = 20.0


@dataclass(frozen=True)
class Case:
    kind: str
    source: bytes
    args: tuple[str, ...]
    origin: str  # corpus file, generator seed or "bignum"


# ---------------------------------------------------------------- corpus mutations

def corpus_files() -> list[Path]:
    """The pinned real-code corpus, sorted (empty when it has not been fetched)."""
    from tests.corpus.fetch import cache_dir

    root = cache_dir() / "src"
    return sorted(p for p in root.rglob("*.py") if p.stat().st_size < 40_000) if root.is_dir() else []


# names, numbers, strings (one line), operators and brackets, the rest one char at a time
_TOKEN = re.compile(rb"""[A-Za-z_][A-Za-z0-9_]*|0[xXoObB][0-9a-fA-F_]+|\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?[jJ]?"""
                    rb"""|[rbfRBF]{0,2}(?:'[^'\n]*'|"[^"\n]*")|\*\*=?|//=?|<<=?|>>=?|->|:=|[-+*/%&|^@<>=!]=|\S""")
_EXTRA_TOKENS = (b"(", b")", b"[", b"]", b"{", b"}", b",", b":", b"=", b"*", b"**", b".", b"lambda", b"yield",
                 b"await", b"async", b"def", b"class", b"return", b"const", b"const(1)", b"global", b"nonlocal",
                 b"del", b"if", b"else", b"for", b"in", b"not", b"is", b"None", b"__debug__", b"f'{x}'",
                 b"f'{", b"\\", b"\n", b"    ", b";", b":=", b"10**400", b"1.5", b"-", b"~", b"@", b"'", b'"',
                 b"import", b"from", b"as", b"try", b"except", b"finally", b"with", b"pass", b"break", b"raise")


def mutate_tokens(source: bytes, rnd: random.Random) -> bytes:
    spans = [m.span() for m in _TOKEN.finditer(source)]
    if not spans:
        return source
    pieces = [source[a:b] for a, b in spans]
    gaps = [source[:spans[0][0]]] + [source[spans[i][1]:spans[i + 1][0]] for i in range(len(spans) - 1)]
    gaps.append(source[spans[-1][1]:])
    for _ in range(rnd.choice((1, 1, 1, 2, 3))):
        i = rnd.randrange(len(pieces))
        op = rnd.randrange(5)
        if op == 0:
            pieces[i] = b""
        elif op == 1:
            pieces[i] = pieces[i] + b" " + pieces[i]
        elif op == 2 and i + 1 < len(pieces):
            pieces[i], pieces[i + 1] = pieces[i + 1], pieces[i]
        elif op == 3:
            pieces[i] = rnd.choice(pieces)
        else:
            pieces[i] = rnd.choice(_EXTRA_TOKENS) + b" " + pieces[i]
    out = [gaps[0]]
    for piece, gap in zip(pieces, gaps[1:]):
        out += [piece, gap]
    return b"".join(out)


def mutate_lines(source: bytes, rnd: random.Random) -> bytes:
    lines = source.split(b"\n")
    for _ in range(rnd.choice((1, 1, 2, 3))):
        i = rnd.randrange(len(lines))
        op = rnd.randrange(6)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            lines.insert(rnd.randrange(len(lines) + 1), lines.pop(i))
        elif op == 3:
            lines[i] = rnd.choice((b"", b" ", b"    ", b"\t")) + lines[i].lstrip() if rnd.random() < 0.5 \
                else lines[i][rnd.choice((1, 2, 4)):]
        elif op == 4:
            lines[i] = lines[i] + b" \\"
        else:
            lines[i] = lines[i][:rnd.randrange(len(lines[i]) + 1)]
        if not lines:
            lines = [b""]
    return b"\n".join(lines)


# ---------------------------------------------------------------- generated programs

def generated(rnd: random.Random) -> tuple[bytes, str]:
    """A random module from program_strategies (driven by rnd), or a genprog function."""
    if rnd.random() < 0.2:
        from tests.support.genprog import program

        seed = rnd.randrange(10 ** 6)
        return program(seed, budget=rnd.choice((40, 120, 300))).encode(), f"genprog {seed}"
    from hypothesis.internal.conjecture.data import ConjectureData
    from tests.support.program_strategies import programs

    seed = rnd.randrange(10 ** 9)
    data = ConjectureData(random=random.Random(seed))
    try:
        text = data.draw(programs())
    except Exception:  # the draw ran out of choices: a tiny program instead
        text = "x = 1\n"
    return text.encode("utf-8"), f"programs {seed}"


# ---------------------------------------------------------------- big-number expressions

_LEAVES = ("0", "1", "-1", "2", "3", "7", "10", "255", "2**29", "2**30", "2**31", "2**62", "2**63", "2**64",
           "10**20", "10**30", "10**309", "10**400", "39732247196349562100463055", "0x7fffffff", "-(2**62)",
           "1.0", "1.5", "0.1", "2.5", "-0.0", "1e300", "1e308", "7e-320", "X", "Y")
_BINOPS = ("+", "-", "*", "//", "%", "<<", ">>", "**", "/", "&", "|", "^")


def _number_expr(rnd: random.Random, depth: int) -> str:
    if depth <= 0 or rnd.random() < 0.3:
        return rnd.choice(_LEAVES)
    if rnd.random() < 0.15:
        return rnd.choice(("-", "~", "+")) + "(" + _number_expr(rnd, depth - 1) + ")"
    op = rnd.choice(_BINOPS)
    left = _number_expr(rnd, depth - 1)
    # keep shifts and powers small enough that neither compiler runs out of time
    if op == "**":
        right = rnd.choice(("0", "1", "2", "3", "7", "-1", "-2", "0.5"))
    elif op in ("<<", ">>"):
        right = rnd.choice(("0", "1", "7", "31", "32", "63", "64", "100", "1000", "-1"))
    else:
        right = _number_expr(rnd, depth - 1)
    return f"({left} {op} {right})"


def bignum(rnd: random.Random) -> bytes:
    lines = ["from micropython import const", "X = const(%s)" % rnd.choice(("1", "2**30", "-7", "2**40")),
             "Y = const(%s)" % rnd.choice(("3", "X * 2", "X << 40", "10**20"))]
    for _ in range(rnd.randint(1, 4)):
        expr = _number_expr(rnd, rnd.randint(1, 4))
        lines.append(rnd.choice(("x = %s", "Z = const(%s)", "print(%s)", "if %s:\n    pass")) % expr)
    return ("\n".join(lines) + "\n").encode()


# ---------------------------------------------------------------- cases and verdicts

def cases(release: str, seed: int, count: int):
    """The cases of one release, drawn as they are needed (the same ones for the same seed)."""
    rnd = random.Random(f"{release}/{seed}")
    files = corpus_files()
    options = _OPTIONS.get(release, _COMMON_OPTIONS)
    for _ in range(count):
        kind = rnd.choice(KINDS if files else ("generated", "bignum"))
        if kind in ("token", "line"):
            path = rnd.choice(files)
            mutate = mutate_tokens if kind == "token" else mutate_lines
            source, origin = mutate(path.read_bytes(), rnd), path.name
        elif kind == "generated":
            source, origin = generated(rnd)
        else:
            source, origin = bignum(rnd), "bignum"
        yield Case(kind, source, tuple(rnd.choice(options)), origin)


class _OurTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise _OurTimeout


def our_outcome(case: Case, release: str) -> differential.Outcome | str:
    """Ours, with a time limit (a hang is a finding, not a stuck run)."""
    if not hasattr(signal, "setitimer"):
        return differential.our_outcome(case.source, release, list(case.args))
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, OUR_TIME_LIMIT)
    try:
        return differential.our_outcome(case.source, release, list(case.args))
    except _OurTimeout:
        return "ours timeout"
    except Exception as exc:  # an escaped exception is a disagreement with its own cause
        return f"ours exception {type(exc).__name__}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _error_key(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1][:80] if lines else "no message"


def cause(official: differential.Outcome | str, ours: differential.Outcome | str) -> str:
    """A short key saying how two outcomes differ, so disagreements group by cause."""
    if isinstance(ours, str):
        return ours
    if isinstance(official, str):
        return official
    if official.data is not None and ours.data is not None:
        return "both compile, bytes differ"
    if official.data is not None:
        return f"ours rejects: {_error_key(ours.error)}"
    if ours.data is not None:
        return f"official rejects: {_error_key(official.error)}"
    off, our = _error_key(official.error), _error_key(ours.error)
    if off != our:
        return f"different error: {off} / {our}"
    return f"same error, other line or scope: {off}"


@dataclass
class Tally:
    release: str
    cases: int = 0
    counts: collections.Counter = field(default_factory=collections.Counter)
    causes: collections.Counter = field(default_factory=collections.Counter)
    examples: dict = field(default_factory=dict)  # cause -> first case

    def report(self) -> str:
        lines = [f"release {self.release}: {self.cases} cases, " + ", ".join(
            f"{self.counts[v]} {v}" for v in (differential.SAME_BYTES, differential.SAME_ERROR, HEAP_LIMIT,
                                            differential.DISAGREE, differential.OFFICIAL_CRASH,
                                            differential.OFFICIAL_TIMEOUT))]
        for key, n in self.causes.most_common():
            case = self.examples[key]
            lines.append(f"  {n:6d}  {key}  [{case.kind} {case.origin} {' '.join(case.args)}]")
        return "\n".join(lines)


def judge(case: Case, release: str) -> tuple[str, str]:
    """(verdict, cause) of one case ("" cause unless they disagree)."""
    official = differential.official_outcome(case.source, release, list(case.args))
    ours = our_outcome(case, release)
    if isinstance(official, str):  # the official crashed or ran out of time: nothing to compare
        return official, ""
    if isinstance(ours, str):
        return differential.DISAGREE, ours
    result = differential.compare(official, ours)
    if result == differential.DISAGREE and heap_limit(official, ours):
        return HEAP_LIMIT, ""
    return result, (cause(official, ours) if result == differential.DISAGREE else "")


# docs/targets.md "The official compiler's fixed heap": where the official runs out of its
# 2 MB heap in a way not predicted, ours compiles; counted apart, never as agreement
HEAP_LIMIT = "documented heap limit"


def heap_limit(official: differential.Outcome, ours: differential.Outcome) -> bool:
    """The official failed for want of heap (MemoryError) and ours compiled, or ours ran out
    of the modelled heap at another allocation (nested f-strings: docs/targets.md)."""
    failed = "MemoryError: memory allocation failed"
    return (official.data is None and official.error.strip().startswith(failed)
            and (ours.data is not None or ours.error.strip().startswith(failed)))


def run(release: str, seed: int, count: int, keep: Path | None = None, progress=None) -> Tally:
    """Compile `count` cases both ways; `keep` (a folder) receives each disagreeing source."""
    return run_many({release: count}, seed, keep, progress)[release]


def run_many(counts: dict[str, int], seed: int, keep: Path | None = None, progress=None) -> dict[str, Tally]:
    """Several releases at once, their cases interleaved in proportion to their counts, so a
    run stopped early has sampled every release."""
    tallies = {release: Tally(release) for release in counts}
    queues = {release: iter(enumerate(cases(release, seed, n))) for release, n in counts.items()}
    total, done = sum(counts.values()), 0
    while queues:
        for release in list(queues):
            share = max(1, round(counts[release] * len(counts) / max(counts.values())))
            for _ in range(share):
                step = next(queues[release], None)
                if step is None:
                    del queues[release]
                    break
                n, case = step
                _judge_into(tallies[release], n, case, seed, keep)
                done += 1
                if progress is not None and done % 250 == 0:
                    progress(f"{done}/{total}\n" + "\n".join(t.report() for t in tallies.values()))
    return tallies


def _judge_into(tally: Tally, n: int, case: Case, seed: int, keep: Path | None) -> None:
    result, why = judge(case, tally.release)
    tally.cases += 1
    tally.counts[result] += 1
    if why:
        tally.causes[why] += 1
        tally.examples.setdefault(why, case)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"{tally.release}-{seed}-{n}.py").write_bytes(case.source)
            (keep / f"{tally.release}-{seed}-{n}.args").write_text(json.dumps(list(case.args)) + "\n" + why + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.source_fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", help="RELEASE:COUNT, e.g. 1.29:20000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="folder for the sources that disagree")
    args = parser.parse_args(argv)
    counts = {}
    for spec in args.runs:
        release, _, count = spec.partition(":")
        counts[release] = int(count or 100)
    start = time.monotonic()
    tallies = run_many(counts, args.seed, args.keep, progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    for tally in tallies.values():
        print(tally.report(), flush=True)
    print(f"({time.monotonic() - start:.0f} s)")
    bad = sum(t.counts[differential.DISAGREE] for t in tallies.values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
