"""Errors shared by every part of mpycross.

Each carries what a user needs to act on it; the CLIs turn them into one
line (or MicroPython's traceback format for syntax errors), never a Python
traceback.
"""

from __future__ import annotations


class MpyCrossError(Exception):
    """Base of all errors mpycross reports to the user."""


class CompileError(MpyCrossError):
    """The source was rejected, as MicroPython's compiler rejects it.

    `kind` is the MicroPython exception name ("SyntaxError",
    "IndentationError", ...); `message` its text; `line` the 1-based line.
    `scope` is the function name MicroPython prints after the line for
    errors raised by the compiler proper (", in <module>"); parse errors
    have none.
    """

    def __init__(self, message: str, filename: str = "<stdin>", line: int = 1,
                 kind: str = "SyntaxError", scope: str | None = None):
        super().__init__(message)
        self.message = message
        self.filename = filename
        self.line = line
        self.kind = kind
        self.scope = scope

    def traceback_text(self, crlf: bool = False) -> str:
        """The text MicroPython's mpy-cross prints for this error.

        An exception raised without a traceback entry (line None: "RuntimeError:
        bytecode overflow", "NotImplementedError: unicode name escapes") prints
        only its last line, as mp_obj_print_exception does with no traceback.
        `crlf`: CircuitPython's compilers end the "Traceback" line, and a File
        line that names a scope, with CR LF (the target feature crlf_traceback).
        """
        if self.line is None:
            return f"{self.kind}: {self.message}\n"
        end = "\r\n" if crlf else "\n"
        where = f'  File "{self.filename}", line {self.line}'
        where += f", in {self.scope}{end}" if self.scope else "\n"
        return f"Traceback (most recent call last):{end}{where}{self.kind}: {self.message}\n"


class FormatError(MpyCrossError):
    """A `.mpy` file could not be read: names the byte offset and what was expected."""

    def __init__(self, message: str, offset: int | None = None, filename: str | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.filename = filename

    def __str__(self) -> str:
        where = self.filename or "<bytes>"
        at = f" at offset {self.offset}" if self.offset is not None else ""
        return f"{where}{at}: {self.message}"


class TargetError(MpyCrossError):
    """An unknown or ambiguous target name."""


class TargetWarning(UserWarning):
    """A target name was served by another release's rules (a release newer or older than our data)."""
