"""The opcode tables in formats/bytecode/ agree with themselves and, where the
upstream sources are present, with py/bc0.h of the release they cite.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from mpycross.mpy.opcodes import opcode_table
from mpycross.resources import data_dir, load_toml

# a folder with one checkout of MicroPython's py/ per release (mp-v1.9, ...,
# mp-master): developers set it to compare the tables with py/bc0.h; the
# byte-identity tests check the opcode numbers everywhere else
UPSTREAM = Path(os.environ.get("MPYCROSS_UPSTREAM", "../upstream"))
GENERATIONS = {"v2": "mp-v1.9", "v3": "mp-v1.9.3", "v4": "mp-v1.11", "v5": "mp-v1.18", "v6": "mp-master"}
FORMAT_OF = {"none": 0, "qstr": 1, "uint": 2, "sint": 2, "obj": 2, "child": 2,
             "jump_signed": 3, "jump_unsigned": 3}


@pytest.mark.parametrize("gen", ["v5", "v6"])
def test_operands_match_format_magic(gen):
    data = load_toml(data_dir("formats") / "bytecode" / f"{gen}.toml")
    magic, mask = data["format_magic"], data["extra_byte_mask"]
    for op in data["opcode"]:
        for code in range(op["code"], op["code"] + op.get("count", 1)):
            # py/bc0.h MP_BC_FORMAT and MP_BC_MASK_EXTRA_BYTE
            assert (magic >> (2 * (code >> 4))) & 3 == FORMAT_OF[op["operand"]], op["name"]
            assert ((code & mask) == 0) == (op.get("extra") == "byte"), op["name"]


@pytest.mark.parametrize("gen", sorted(GENERATIONS))
def test_stack_effects_are_numbers_or_expressions(gen):
    table = opcode_table(gen)
    for info in set(s for s in table.slots if s):
        if isinstance(info.stack, str):
            value = eval(info.stack, {}, {"arg": 0x0203, "extra": 1})  # noqa: S307 - our own data
            assert isinstance(value, int), info.name
            assert set(info.stack) <= set("argextr0123456789abcdefx+-*&>=() "), info.name


@pytest.mark.parametrize("gen,release", sorted(GENERATIONS.items()))
def test_codes_match_upstream_bc0(gen, release):
    bc0 = UPSTREAM / release / "py" / "bc0.h"
    if not bc0.exists():
        pytest.skip("upstream sources not present")
    text = bc0.read_text()
    bases = {m[0]: int(m[1], 16) for m in re.findall(r"#define (MP_BC_BASE_\w+)\s+\((0x[0-9a-f]+)\)", text)}
    upstream = {}
    for name, value in re.findall(r"#define MP_BC_(\w+)\s+\(([^)]*)\)", text):
        if name.startswith(("BASE_", "MASK_", "FORMAT")) or "NUM" in name or "EXCESS" in name:
            continue
        m = re.fullmatch(r"(MP_BC_BASE_\w+) \+ (0x[0-9a-f]+)", value.strip())
        upstream[name] = bases[m[1]] + int(m[2], 16) if m else int(value, 16)
    ours = {name: info.code for name, info in opcode_table(gen).by_name.items()}
    assert ours == upstream


def test_v6_is_shared_by_every_v6_release():
    ref = UPSTREAM / "mp-master" / "py" / "bc0.h"
    if not ref.exists():
        pytest.skip("upstream sources not present")
    for rel in ("mp-v1.19.1", "mp-v1.20.0", "mp-v1.22.0", "mp-v1.23.0", "mp-v1.25.0", "mp-v1.27.0",
                "cp-9.2.9", "cp-10.0.3", "cp-10.2.1"):
        other = UPSTREAM / rel / "py" / "bc0.h"
        if other.exists():
            strip = lambda t: re.sub(r"/\*.*?\*/", "", t, flags=re.S)  # noqa: E731 - licence header differs
            assert strip(other.read_text()).split("#ifndef", 1)[1] == strip(ref.read_text()).split("#ifndef", 1)[1], rel


def test_every_versions_toml_key_is_read():
    """formats/versions.toml holds only what the code reads: the layout keys
    (mpy.layout), name / mpy_version / sub_version / bytecode (targets.py)."""
    from mpycross.mpy import layout as layout_module

    data = load_toml(data_dir("formats") / "versions.toml")
    assert set(data) == {"native_archs", "magic", "version"}
    read = {"name", "mpy_version", "sub_version"} | set(layout_module._LAYOUT_KEYS)
    for entry in data["version"]:
        assert set(entry) == read, entry["name"]
    assert sorted(layout_module.layouts()) == [2, 3, 4, 5, 6]
    assert layout_module.magics() == {"micropython": "M", "circuitpython": "C"}


@pytest.mark.parametrize("version", [2, 3, 4, 5, 6])
def test_feature_byte_fields_round_trip(version):
    from mpycross.mpy.layout import layout

    lay = layout(version)
    for feature in range(256):
        if lay.feature_byte == "subver_arch" and feature & 0x40:
            continue  # the arch-flags bit, not part of the arch number
        if lay.feature_byte == "flags" and feature > 3:
            continue
        rebuilt = lay.feature(lay.flags(feature), lay.arch(feature), lay.sub_version(feature))
        assert rebuilt == feature, (version, feature)
