"""Import-time stand-in for `__future__` (only `annotations` is ever imported)."""
annotations = True
