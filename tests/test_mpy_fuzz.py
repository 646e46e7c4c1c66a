"""Mutated `.mpy` files of every version through every command that reads one
(tests.support.mpy_fuzz): exit 0, 1 or 2, no traceback, short error lines,
at most 10 s of CPU and 500 MB per case.

The default run takes a fixed-seed sample; `-m slow` runs 20,000 files
(MPYCROSS_MPY_FUZZ_FILES to change that), as `python -m tests.support.mpy_fuzz
20000` does from the command line.
"""

from __future__ import annotations

import os
import sys

import pytest

from tests.support import mpy_fuzz

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the bounded runner forks and reads /proc")

SAMPLE_FILES = 250


def _versions(prefix: str) -> set[str]:
    from mpycross.mpy import read_mpy

    return {read_mpy(data).header.version_name for label, data in mpy_fuzz.seed_files()
            if label.startswith(prefix)}


def test_seeds_cover_every_version():
    """Each .mpy version is fuzzed: v6.1 - v6.3 are told apart by native code only,
    which our compiler does not write yet."""
    assert {"2", "3", "4", "5", "6", "6.1", "6.2", "6.3"} <= _versions("official-")
    assert {"2", "3", "4", "5", "6"} <= _versions("ours-")


def _check(n: int, seed: int) -> None:
    counts, failures = mpy_fuzz.run_cases(n, seed)
    assert counts["files"] == n and counts["runs"] == n * len(mpy_fuzz.COMMANDS)
    # the sample must reach past the reader: some mutants still disassemble
    assert counts["exit 0"] > 0 and counts["exit 1"] > 0, counts
    assert failures == [], [(f["command"], f["seed"], f["problems"], f["stderr"][-300:], f["data"])
                            for f in failures[:5]]


def test_mutated_files_sample():
    _check(SAMPLE_FILES, seed=12)


@pytest.mark.slow
def test_mutated_files_long_run():
    _check(int(os.environ.get("MPYCROSS_MPY_FUZZ_FILES", "20000")), seed=1)
