"""MicroPython's text for a float constant (py/objfloat.c float_print, PRINT_REPR)."""

from __future__ import annotations


def float_repr(value: float, complex_part: bool = False) -> str:
    return repr(value)
