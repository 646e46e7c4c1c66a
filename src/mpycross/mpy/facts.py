"""What a `.mpy` file is and which firmware loads it: the facts `inspect` and `doctor` show."""

from __future__ import annotations


def inspect_file(path: str) -> dict:
    """Facts about one file; {"error": ...} when it cannot be read."""
    from mpycross.errors import FormatError
    from mpycross.mpy import read_mpy
    from mpycross.mpy.qstrs import display_repr, display_str
    from mpycross.targets import loaders, loaders_summary

    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return {"path": path, "error": f"{path}: cannot read: {e.strerror or e}"}
    try:
        mpy = read_mpy(data, path)
    except FormatError as e:
        return {"path": path, "error": str(e)}
    h = mpy.header
    source = mpy.source_name
    who = loaders(h.magic, h.version, h.sub_version, h.arch)
    return {
        "path": path, "magic": h.magic, "version": h.version,
        "sub_version": h.sub_version if h.layout.feature_byte == "subver_arch" and h.arch else None,
        "version_name": h.version_name, "arch": h.arch_name, "small_int_bits": h.small_int_bits,
        "source_file": None if source is None else display_str(source),
        "_source_repr": repr(None) if source is None else display_repr(source),
        "size": len(data), "native": mpy.has_native,
        "loaded_by": [t.name for t in who], "loaded_by_text": loaders_summary(who),
        "_header": h,
    }
