"""Qstr helpers shared by the reader and the writer: the static qstr list and
the v4/v5 qstr window.
"""

from __future__ import annotations

import functools
import re

from mpycross.resources import data_path, load_toml


@functools.cache
def static_qstrs() -> tuple[str, ...]:
    """Static qstrs; qstr number i + 1 is static_qstrs()[i] (formats/qstr/static.toml)."""
    return tuple(load_toml(data_path("formats", "qstr", "static.toml"))["static"])


@functools.cache
def static_qstr_numbers() -> dict[str, int]:
    return {s: i + 1 for i, s in enumerate(static_qstrs())}


def encode_str(s: str) -> bytes:
    # surrogateescape: names read from a file with invalid UTF-8 write back unchanged
    return s.encode("utf-8", "surrogateescape")


def decode_str(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def display_str(s: str) -> str:
    """`s` for printing: a byte that is not UTF-8 (read as a surrogate escape, which
    no output encoding accepts) shows as \\xNN."""
    if s.isascii():
        return s
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else c for c in s)


# repr() writes a surrogate escape as \udcNN (after an even number of backslashes)
_REPR_SURROGATE = re.compile(r"(?<!\\)((?:\\\\)*)\\udc([89a-f][0-9a-f])")


def display_repr(s: str) -> str:
    """repr(s), with each byte that is not UTF-8 as \\xNN (as a bytes repr shows it)."""
    text = repr(s)
    return _REPR_SURROGATE.sub(r"\1\\x\2", text) if "\\udc" in text else text


class QstrWindow:
    """The qstr window of .mpy v4/v5 (py/persistentcode.c qstr_window_t).

    Recently used non-static qstrs; a qstr found in it is written as its
    distance from the head instead of its text.
    """

    def __init__(self, size: int):
        self.size = size
        self.idx = 0
        self.window: list[str | None] = [None] * size

    def push(self, qst: str) -> None:
        # qstr_window_push
        self.idx = (self.idx + 1) % self.size
        self.window[self.idx] = qst

    def pull(self, idx: int) -> str | None:
        # qstr_window_pull: move entry idx to the head
        w = self.window
        qst = w[idx]
        if idx > self.idx:
            w[idx:self.size - 1] = w[idx + 1:self.size]
            w[self.size - 1] = w[0]
            idx = 0
        w[idx:self.idx] = w[idx + 1:self.idx + 1]
        w[self.idx] = qst
        return qst

    def access(self, distance: int) -> str | None:
        # qstr_window_access: distance 0 is the head
        return self.pull((self.idx + self.size - distance) % self.size)

    def insert(self, qst: str) -> int | None:
        """Writer side (qstr_window_insert): the distance if present, else None (and push)."""
        for idx in range(self.size):
            if self.window[idx] == qst:
                self.pull(idx)
                return (self.idx + self.size - idx) % self.size
        self.push(qst)
        return None
