"""Telling a crash of ours from an error report MicroPython itself prints.

mpy-cross reports a syntax error in the shape of a traceback::

    Traceback (most recent call last):
      File "t.py", line 3, in f
    SyntaxError: invalid syntax

so "no traceback" cannot mean "no `Traceback (most recent call last)`".
A Python traceback differs in two ways MicroPython's reports never have: a
frame is followed by the source line it ran (indented four spaces), or a
frame names a Python module (our package, the standard library, a frozen
module). Either one, or the words "internal error", is a crash of ours.
"""

from __future__ import annotations

import re

_FRAME = re.compile(r'^  File "([^"\n]*)", line \d+')
_PYTHON_FILE = re.compile(r'(/mpycross/|/site-packages/|/lib/python3|^<frozen )')


def crash_in(text: str) -> str | None:
    """The first sign of a Python crash in `text` (a line of it), or None if there is none."""
    if "internal error" in text:
        return next(line for line in text.splitlines() if "internal error" in line)
    lines = text.splitlines()
    for i, line in enumerate(lines):
        frame = _FRAME.match(line)
        if not frame:
            continue
        if _PYTHON_FILE.search(frame.group(1)):
            return line
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if following.startswith("    ") and following.strip():
            return f"{line} / {following.strip()}"
    return None


def assert_no_crash(text: str) -> None:
    """Fail with the whole text if it shows a Python traceback or an internal error."""
    found = crash_in(text)
    assert found is None, f"a crash ({found}):\n{text}"
