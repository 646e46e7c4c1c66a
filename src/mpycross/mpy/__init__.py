"""The `.mpy` format: data model, reader, writer, disassembler.

    from mpycross.mpy import read_mpy, write_mpy, MpyFile, Header, RawCode

See mpycross.mpy.model for the model and formats/README.md for the data files.
"""

from mpycross.mpy.model import (ComplexConst, FloatConst, Header, MpyFile, RawCode,
                                MAGIC_CIRCUITPYTHON, MAGIC_MICROPYTHON)
from mpycross.mpy.reader import read_mpy
from mpycross.mpy.writer import encode_uint, write_mpy

__all__ = ["ComplexConst", "FloatConst", "Header", "MpyFile", "RawCode", "MAGIC_CIRCUITPYTHON",
           "MAGIC_MICROPYTHON", "read_mpy", "write_mpy", "encode_uint"]
