"""The target of the compile in progress, for front-end code that has no target parameter.

The lexer and the number parser are called deep inside `parser.parse`, whose
interface knows nothing about targets. The driver sets `TARGET` around one
compile (a context variable, so concurrent compiles in threads do not mix),
and those passes ask `has("feature")` (formats/targets.toml).
"""

from __future__ import annotations

import contextvars

TARGET: contextvars.ContextVar = contextvars.ContextVar("mpycross_compile_target", default=None)


def has(feature: str) -> bool:
    """Whether the current target has a release feature; with no target set, the newest does."""
    target = TARGET.get()
    return target is None or target.has(feature)
