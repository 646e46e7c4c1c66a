"""Locate the data folders (`grammar/`, `formats/`) in a wheel or a source tree.

In a wheel they sit inside the package; in a source checkout (editable
install, or tests run from the tree) they sit at the repository root.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@functools.cache
def data_dir(name: str) -> Path:
    """Return the folder `name` ("grammar" or "formats")."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"mpycross data folder {name!r} is missing from the installation")


def load_toml(path: Path) -> dict:
    """Parse a TOML data file (tomllib on 3.11+, tomli before)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    with open(path, "rb") as f:
        return tomllib.load(f)
