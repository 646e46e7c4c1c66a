"""The `.mpy` format: data model, reader, writer, disassembler.

    from mpycross.mpy import read_mpy, write_mpy, MpyFile, Header, RawCode

See mpycross.mpy.model for the model and formats/README.md for the data files.
"""

# where each public name lives; loaded on first use, so that compiling (which only
# writes) never imports the reader
_EXPORTS = {
    "ComplexConst": "model", "FloatConst": "model", "Header": "model", "MpyFile": "model",
    "RawCode": "model", "MAGIC_CIRCUITPYTHON": "model", "MAGIC_MICROPYTHON": "model",
    "read_mpy": "reader", "write_mpy": "writer", "encode_uint": "writer",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *_EXPORTS})
