"""The command-line front ends: `mpy-cross` (mpy_cross.py) and `mpycross` (toolchain.py)."""

from __future__ import annotations

import sys
import warnings


def print_target_warnings(prog: str) -> None:
    """Show each TargetWarning once, as one line `prog: warning: ...` on stderr."""
    from mpycross.errors import TargetWarning

    default = warnings.showwarning
    shown: set[str] = set()

    def show(message, category, filename, lineno, file=None, line=None):
        if not issubclass(category, TargetWarning):
            default(message, category, filename, lineno, file, line)
        elif str(message) not in shown:
            shown.add(str(message))
            sys.stderr.write(f"{prog}: warning: {message}\n")

    warnings.showwarning = show
    warnings.simplefilter("always", TargetWarning)
