"""One source, two compilers: ours and the official mpy-cross of a release, with a verdict.

`verdict(source, release, args)` compiles `source` (bytes) with the official
binary of `release` ("1.29", "1.18", ...; tests/support/more_oracles.py finds
or fetches it) and with ours for the same target and options, and says:

* "same bytes": both compiled it, to the same `.mpy`;
* "same error": both rejected it with the same text (kind, message, line, scope);
* "disagreement": anything else (the detail says what each printed).

The official binary runs with a time limit; a release that crashes or times
out is its own verdict ("official crash", "official timeout"), not ours.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

from tests.support.compile_diff import option_kwargs
from tests.oracles import compile_official

SAME_BYTES = "same bytes"
SAME_ERROR = "same error"
DISAGREE = "disagreement"
OFFICIAL_CRASH = "official crash"
OFFICIAL_TIMEOUT = "official timeout"


@dataclass(frozen=True)
class Outcome:
    """What one compiler made of a source: `data` (the .mpy) or `error` (the text it printed)."""

    data: bytes | None
    error: str = ""


def target_name(release: str) -> str | None:
    """The target for an official release name (None: the default, 1.29)."""
    return None if release == "1.29" else f"micropython-{release}"


def official_outcome(source: bytes, release: str, args: list[str], timeout: float = 30) -> Outcome | str:
    """The official compiler's outcome, or OFFICIAL_CRASH / OFFICIAL_TIMEOUT."""
    from tests.support.more_oracles import oracle

    try:
        done = compile_official(source, args=args, binary=oracle(release), timeout=timeout)
    except subprocess.TimeoutExpired:
        return OFFICIAL_TIMEOUT
    if done.returncode < 0:
        return OFFICIAL_CRASH
    return Outcome(done.mpy, "" if done.mpy is not None else done.text)


def our_outcome(source: bytes, release: str, args: list[str]) -> Outcome:
    """Our compiler's outcome for the same target and options."""
    from mpycross.compiler.driver import compile_source
    from mpycross.errors import CompileError

    kwargs = option_kwargs(args)
    name = target_name(release)
    if name is not None:
        kwargs["target"] = name
    try:
        return Outcome(compile_source(source, "t.py", **kwargs))
    except CompileError as err:
        return Outcome(None, err.traceback_text())


def compare(official: Outcome | str, ours: Outcome) -> str:
    if isinstance(official, str):
        return official
    if official.data is not None:
        return SAME_BYTES if ours.data == official.data else DISAGREE
    return SAME_ERROR if ours.data is None and ours.error == official.error else DISAGREE


def verdict(source: bytes, release: str = "1.29", args: list[str] = ()) -> tuple[str, str]:
    """(verdict, detail) for one source; the detail shows both outcomes on a disagreement."""
    args = list(args)
    official = official_outcome(source, release, args)
    ours = our_outcome(source, release, args)
    result = compare(official, ours)
    detail = ""
    if result == DISAGREE:
        detail = f"official {release}: {describe(official)}\nours: {describe(ours)}"
    return result, detail


def describe(outcome: Outcome | str) -> str:
    if isinstance(outcome, str):
        return outcome
    if outcome.data is not None:
        return f"{len(outcome.data)} bytes {outcome.data[:64].hex()}"
    return outcome.error.strip()
