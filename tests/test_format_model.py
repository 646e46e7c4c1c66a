"""The model as a compiler uses it: build an MpyFile from parts, write it,
and check the bytes against the official compiler and the real VM.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.oracles import official, run_micropython

from mpycross.errors import FormatError
from mpycross.mpy import FloatConst, Header, MpyFile, RawCode, read_mpy, write_mpy
from mpycross.mpy.qstrs import QstrWindow, static_qstrs

PROGRAM = 'print("hello", b"xy", 1.5, 10**30, (1, "a"))\n'


def compile_text(tmp_path: Path, text: str, release: str = "1.29", name: str = "prog") -> bytes:
    src = tmp_path / f"{name}.py"
    src.write_text(text)
    out = tmp_path / f"{name}.mpy"
    subprocess.run([str(official(release)), "-s", src.name, "-o", str(out), str(src)], check=True)
    return out.read_bytes()


def rebuild(rc: RawCode) -> RawCode:
    """A fresh RawCode with only what a compiler would fill in."""
    return RawCode(kind=rc.kind, fun_data=bytes(rc.fun_data), children=[rebuild(c) for c in rc.children])


def test_model_built_from_parts_writes_official_bytes(tmp_path):
    data = compile_text(tmp_path, PROGRAM)
    read = read_mpy(data)
    built = MpyFile(Header(magic="M", version=6, feature=0, small_int_bits=31),
                    rebuild(read.root), qstr_table=list(read.qstr_table),
                    obj_table=[b"xy", FloatConst("1.5"), 10 ** 30, (1, "a")])
    assert read.obj_table == built.obj_table
    assert write_mpy(built) == data


def test_static_qstrs_are_written_by_number(tmp_path):
    data = compile_text(tmp_path, PROGRAM)
    mpy = read_mpy(data)
    assert "print" in static_qstrs() and "<module>" in static_qstrs()
    # 'print' and '<module>' are static: stored as a number, their text is absent
    assert b"print" not in data and b"<module>" not in data
    assert b"hello" in data
    assert mpy.qstr_table[1:] == ["<module>", "hello", "print"]


def test_written_file_runs_on_the_vm(tmp_path):
    data = compile_text(tmp_path, PROGRAM, name="prog")
    mpy = read_mpy(data)
    mpy.obj_table[0] = b"changed"          # edit a constant through the model
    mpy.qstr_table[2] = "bonjour"          # and a string constant (a qstr)
    (tmp_path / "edited.mpy").write_bytes(write_mpy(mpy))
    proc = run_micropython(["-c", "import sys; sys.path.insert(0, '.'); import edited"], cwd=tmp_path)
    assert proc.stdout.decode() == "bonjour b'changed' 1.5 1000000000000000000000000000000 (1, 'a')\n"


def test_float_const_keeps_text():
    f = FloatConst("1e+100")
    assert f == 1e100 and f.text == "1e+100"
    mpy = MpyFile(Header(), RawCode(fun_data=b"\x00\x01\x00"), qstr_table=["x.py"], obj_table=[f])
    again = read_mpy(write_mpy(mpy))
    assert again.obj_table[0].text == "1e+100"


def test_unwritable_constant_is_a_format_error():
    mpy = MpyFile(Header(), RawCode(), qstr_table=["x.py"], obj_table=[object()])
    with pytest.raises(FormatError):
        write_mpy(mpy)


def test_qstr_window_reader_and_writer_agree():
    # the writer's window and a reader's window stay in step through hits and misses
    writer, reader = QstrWindow(4), QstrWindow(4)
    sequence = ["a", "b", "c", "a", "d", "e", "b", "f", "a", "a", "g", "c"]
    for name in sequence:
        distance = writer.insert(name)
        if distance is None:
            reader.push(name)
        else:
            assert reader.access(distance) == name
    assert writer.window == reader.window


def test_circuitpython_magic_survives(tmp_path):
    data = compile_text(tmp_path, "x = 1\n")
    mpy = read_mpy(data)
    mpy.header.magic = "C"
    out = write_mpy(mpy)
    assert out[:1] == b"C" and out[1:] == data[1:]
    assert read_mpy(out).header.magic == "C"


@pytest.mark.parametrize("release,version", [("1.9", 2), ("1.9.3", 3), ("1.11", 4), ("1.12", 5), ("v5", 5)])
def test_old_versions_keep_names_per_raw_code(tmp_path, release, version):
    data = compile_text(tmp_path, "def f(a, b):\n    return len(a) + b\nprint(f('x', 2.5))\n", release)
    mpy = read_mpy(data)
    assert mpy.header.version == version
    assert mpy.root.qstrs[:2] == ["<module>", "prog.py"]
    assert mpy.source_name == "prog.py"
    f = mpy.root.children[0]
    assert f.qstrs[:2] == ["f", "prog.py"]
    assert f.arg_names == ["a", "b"]
    assert "len" in f.qstrs[2:]
    assert 2.5 in mpy.root.consts
    assert write_mpy(mpy) == data
