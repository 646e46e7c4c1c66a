"""Minimised programs on which the compiler once disagreed with an official release.

Each case is compiled by ours and by the official mpy-cross of its release
(tests/support/differential.py); both must give the same bytes, or the same
error text (kind, message, line, scope). The expected result is never written
here: the official binary decides at test time.
"""

from __future__ import annotations

import pytest

from tests.support.differential import DISAGREE, SAME_BYTES, SAME_ERROR, verdict

# (name, release, mpy-cross options, source)
CASES = [
    # const() is checked as the parser reduces each statement (py/parse.c), so its
    # error comes before a syntax error later in the file
    ("const-before-syntax-error", "1.29", [], b"X = const(x)\n1 +\n"),
    ("const-then-bad-token", "1.29", [], b"X = const(x) 1\n"),
    ("const-in-open-def", "1.29", [], b"def f():\n  X = const(x)\n  1 +\n"),
    ("const-chain-then-bad-token", "1.29", [], b"X = const(1); Y = const(X+1); Z = const(Y*z) 1\n"),
    ("const-in-open-if", "1.29", [], b"if 1:\n  X = const(x)\nelse\n"),
    ("const-unfinished-ifexp", "1.29", [], b"X = const(x) if 1\n"),
    ("const-before-bad-number", "1.29", [], b"X = const(x)\ny = 0x\n"),
    ("const-str-before-syntax-error-1.18", "1.18", [], b'X = const("a")\n1 +\n'),
    ("const-name-before-syntax-error-1.18", "1.18", [], b"X = const(x)\n1 +\n"),
    ("const-str-before-syntax-error-1.12", "1.12", [], b'X = const("a")\n1 +\n'),
]


@pytest.mark.parametrize("release, args, source", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_agrees_with_official(release, args, source):
    result, detail = verdict(source, release, args)
    assert result in (SAME_BYTES, SAME_ERROR), detail
    assert result != DISAGREE
