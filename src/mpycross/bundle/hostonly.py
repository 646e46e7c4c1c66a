"""Distributions that never go on a board (formats/host_only.toml), for install and bundle alike.

`HOST_ONLY` holds their PEP 503 names, `HOST_ONLY_MODULES` their import
names; `host_only_note(name)` is the one line printed when one is skipped.
"""

from __future__ import annotations

import functools
import re


@functools.cache
def _table() -> dict[str, dict]:
    from mpycross.resources import data_dir

    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    data = tomllib.loads((data_dir("formats") / "host_only.toml").read_text("utf-8"))
    return {entry["name"]: entry for entry in data["package"]}


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


HOST_ONLY: frozenset[str] = frozenset(_table())
HOST_ONLY_MODULES: frozenset[str] = frozenset(m for e in _table().values() for m in e["modules"])


def is_host_only(name: str) -> bool:
    """A distribution name (any spelling) or the import name of one that never goes on a board."""
    return _normalize(name) in HOST_ONLY or name in HOST_ONLY_MODULES


def host_only_note(name: str, needed_by: list[str] = ()) -> str:
    """"skipped NAME (needed by A, B and 3 more): not for a board, WHY"."""
    entry = _table().get(_normalize(name)) or next(
        (e for e in _table().values() if name in e["modules"]), {"why": "host only"})
    shown = ", ".join(needed_by[:3]) + (f" and {len(needed_by) - 3} more" if len(needed_by) > 3 else "")
    by = f" (needed by {shown})" if needed_by else ""
    return f"skipped {name}{by}: not for a board, {entry['why']}"
