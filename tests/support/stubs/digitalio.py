"""Import-time stand-in for CircuitPython's `digitalio` module (footprint measurements only)."""
from _stub import make_getattr

__getattr__ = make_getattr()
