"""The disassembler: every byte of every official output decodes, jumps land
on instructions, and known programs read as MicroPython's showbc.c words.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.oracles import official

from mpycross.cli.commands import cli
from mpycross.mpy import read_mpy
from mpycross.mpy.dis import disassemble, format_text
from tests.oracles import GOLDEN_DIR as GOLDEN_ROOT

HERE = Path(__file__).resolve().parent
PROGRAMS = sorted((HERE / "data" / "format_programs").glob("*.py")) + sorted((HERE / "programs").glob("*.py"))[:40]
RELEASES = ["1.9", "1.9.3", "1.11", "1.12", "1.19", "1.20", "1.22", "1.23", "1.29", "v5"]


def compile_file(tmp_path: Path, release: str, source: Path, *options: str) -> bytes | None:
    out = tmp_path / (source.stem + ".mpy")
    proc = subprocess.run([str(official(release)), *options, "-s", source.name, "-o", str(out), str(source)],
                          capture_output=True)
    return out.read_bytes() if proc.returncode == 0 else None


def compile_text(tmp_path: Path, release: str, text: str) -> bytes:
    src = tmp_path / "prog.py"
    src.write_text(text)
    data = compile_file(tmp_path, release, src)
    assert data is not None
    return data


def walk(listing):
    stack = [listing["raw_code"]]
    while stack:
        rc = stack.pop()
        yield rc
        stack.extend(rc["children"])


@pytest.mark.parametrize("release", RELEASES)
def test_every_instruction_decodes(tmp_path, release):
    checked = 0
    for source in PROGRAMS:
        data = compile_file(tmp_path, release, source)
        if data is None:
            continue
        mpy = read_mpy(data, source.name)
        listing = disassemble(mpy)
        for d, rc in zip(walk(listing), _walk_model(mpy.root)):
            if d["kind"] != "bytecode":
                continue
            ins = d["instructions"]
            end = len(rc.fun_data) - d["prelude"]["prelude_size"]
            # instructions tile the bytecode exactly
            offsets = [i["offset"] for i in ins]
            sizes = [len(i["bytes"]) // 2 for i in ins]
            assert offsets[0] == 0
            assert all(a + s == b for a, s, b in zip(offsets, sizes, offsets[1:]))
            assert offsets[-1] + sizes[-1] == end
            # jumps land on an instruction (or the end)
            starts = set(offsets) | {end}
            for i in ins:
                if i["name"] in ("JUMP", "POP_JUMP_IF_TRUE", "POP_JUMP_IF_FALSE", "JUMP_IF_TRUE_OR_POP",
                                 "JUMP_IF_FALSE_OR_POP", "SETUP_WITH", "SETUP_EXCEPT", "SETUP_FINALLY",
                                 "FOR_ITER", "POP_EXCEPT_JUMP", "UNWIND_JUMP"):
                    assert i["arg"] in starts, (source.name, i)
            # the line table stays inside the bytecode
            assert all(0 <= e["bc"] <= end for e in d["prelude"]["line_info"])
            checked += 1
        format_text(listing)
    assert checked > 10


def _walk_model(rc):
    stack = [rc]
    while stack:
        r = stack.pop()
        yield r
        stack.extend(r.children)


@pytest.mark.parametrize("release", RELEASES)
def test_known_program_in_showbc_words(tmp_path, release):
    data = compile_text(tmp_path, release, "x = 1\ndef f(a, b):\n    return a + b\nf(x, 300)\n")
    listing = disassemble(read_mpy(data))
    module = listing["raw_code"]
    texts = [i["text"] for i in module["instructions"]]
    assert texts[:2] == ["LOAD_CONST_SMALL_INT 1", "STORE_NAME x"]
    assert "LOAD_CONST_SMALL_INT 300" in texts
    assert "CALL_FUNCTION n=2 nkw=0" in texts
    assert texts[-2:] == ["LOAD_CONST_NONE", "RETURN_VALUE"]
    assert [e["line"] for e in module["prelude"]["line_info"]][-3:] == [1, 2, 4]
    f = module["children"][0]
    assert f["prelude"]["simple_name"] == "f" and f["prelude"]["arg_names"] == ["a", "b"]
    assert f["prelude"]["source_file"] == "prog.py"
    assert [i["text"] for i in f["instructions"]] == ["LOAD_FAST 0", "LOAD_FAST 1", "BINARY_OP " + (
        "5 __add__" if release in ("1.9",) else "26 __add__" if release in ("1.9.3", "1.11") else "27 __add__"),
        "RETURN_VALUE"]


def test_constants_and_closures(tmp_path):
    data = compile_text(tmp_path, "1.29", "def outer(n):\n    def inner():\n        return n, 1.5, b'z'\n"
                                          "    return inner\n")
    listing = disassemble(read_mpy(data))
    outer = listing["raw_code"]["children"][0]
    texts = [i["text"] for i in outer["instructions"]]
    assert outer["prelude"]["cells"] == [0]
    assert any(t.startswith("MAKE_CLOSURE child 0 1") for t in texts)
    inner = outer["children"][0]
    consts = [i.get("const") for i in inner["instructions"] if i["name"] == "LOAD_CONST_OBJ"]
    assert consts == ["1.5", "b'z'"]


def test_cli_text_and_json_agree(tmp_path):
    data = compile_text(tmp_path, "1.29", "import os\nfor i in [1, 2]:\n    print(os.sep, i)\n")
    path = tmp_path / "p.mpy"
    path.write_bytes(data)
    runner = CliRunner()
    text = runner.invoke(cli, ["dis", str(path)])
    js = runner.invoke(cli, ["dis", "--json", str(path)])
    assert text.exit_code == js.exit_code == 0
    listing = json.loads(js.output)
    assert listing["qstr_table"][0] == "prog.py"
    for ins in listing["raw_code"]["instructions"]:
        assert f"{ins['offset']:02d} {ins['text']}" in text.output
    assert "IMPORT_NAME 'os'" in text.output and "FOR_ITER" in text.output


def test_native_and_circuitpython_files(tmp_path):
    src = HERE / "data" / "format_programs" / "native_code.py"
    data = compile_file(tmp_path, "1.29", src, "-march=armv7m")
    listing = disassemble(read_mpy(data))
    kinds = [rc["kind"] for rc in walk(listing)]
    assert "native" in kinds and "viper" in kinds
    native = next(rc for rc in walk(listing) if rc["kind"] == "native")
    assert native["prelude"]["simple_name"] in ("nat", "inner", "m")
    golden = GOLDEN_ROOT / "out" / "circuitpython-8.2.10" / "O0"
    if golden.is_dir():
        for path in sorted(golden.glob("*.mpy"))[:20]:
            listing = disassemble(read_mpy(path.read_bytes(), str(path)))
            assert listing["header"]["magic"] == "C" and listing["header"]["version"] == 5


@pytest.mark.parametrize("release", RELEASES)
def test_cli_fields_in_file_order(tmp_path, release):
    """`dis --fields` prints the schema's parse: each version's own fields, names as text."""
    data = compile_text(tmp_path, release, "x = 'abc'\ndef f(a, b):\n    return a + b + 1.5\n")
    path = tmp_path / "p.mpy"
    path.write_bytes(data)
    out = CliRunner().invoke(cli, ["dis", "--fields", str(path)])
    assert out.exit_code == 0, out.output
    text = out.output
    version = data[1]
    assert f"header: magic='M' version={version} " in text
    assert ("qstr_window_size=32" in text) == (version in (4, 5))
    assert ("\n  n_qstr: " in text and "\n  objs: " in text) == (version == 6)  # module tables
    assert "'prog.py'" in text and "'abc'" in text and "'1.5'" in text
    if version in (4, 5):
        assert "instructions:" in text and "arg_names: 2 entries" in text
    # every field sits below the one it belongs to, in file order
    assert text.index("header:") < text.index("root:")


def test_cli_fields_refuses_what_it_cannot_show(tmp_path):
    bad = tmp_path / "bad.mpy"
    bad.write_bytes(b"M\x06\x00\x1f\x05")
    out = CliRunner().invoke(cli, ["dis", "--fields", str(bad)])
    assert out.exit_code == 1
    assert out.output.strip().splitlines() == [f"{bad} at offset 5: file ends early: expected the object count"]
    deep = tmp_path / "deep.py"
    deep.write_text("".join("    " * i + f"def f{i}():\n" for i in range(120)) + "    " * 120 + "pass\n")
    data = compile_file(tmp_path, "1.29", deep)
    (tmp_path / "deep.mpy").write_bytes(data)
    out = CliRunner().invoke(cli, ["dis", "--fields", str(tmp_path / "deep.mpy")])
    assert out.exit_code == 1
    assert "nest more than 100 deep" in out.output and "Traceback" not in out.output


@pytest.mark.parametrize("release,arch,program", [
    ("1.29", "x64", "native_basics"), ("1.29", "armv7m", "viper_basics"), ("1.29", "xtensawin", "native_flow"),
    ("1.12", "x64", "native_basics"), ("1.19", "armv6m", "viper_basics"), ("1.29", "armv7emdp", "inline/thumb_vfp"),
    ("1.29", "xtensa", "inline/xtensa_all")])
def test_native_sections(tmp_path, release, arch, program):
    """Each native function: its architecture, machine code and prelude sizes adding up to the
    code, the prelude a native loader reads; the file's native summary totals them."""
    data = compile_file(tmp_path, release, HERE / "native" / f"{program}.py", f"-march={arch}")
    assert data is not None
    mpy = read_mpy(data)
    listing = disassemble(mpy)
    native = [rc for rc in walk(listing) if rc["kind"] != "bytecode"]
    assert native
    for rc in native:
        assert rc["arch"] == arch
        assert rc["machine_code_size"] + rc["native_prelude_size"] == rc["size"]
        if rc["kind"] == "native":
            assert rc["native_prelude_size"] > 0 and rc["prelude"]["simple_name"]
        if rc["kind"] == "asm":
            assert rc["return_type"] in ("object", "bool", "int", "uint") and "n_pos_args" in rc
    summary = listing["native_summary"]
    assert summary["arch"] == arch
    assert summary["machine_code_size"] == sum(rc["machine_code_size"] for rc in native)
    assert sum(summary["functions"].values()) == len(native)
    text = format_text(listing)
    assert f"native code: arch {arch}" in text
    assert f"{arch} machine code {native[0]['machine_code_size']} bytes" in text
    if release == "1.12" or (release == "1.19" and mpy.header.version == 5):
        # v5 native code links qstrs into the machine code
        links = [link for rc in native for link in rc.get("qstr_links", ())]
        assert links and all(link["kind_name"] for link in links)
        assert "qstr link at" in text


def test_relocations_decode_as_the_loader_reads_them():
    """py/persistentcode.c mp_native_relocate (the relocations of mpy_ld's natmod files)."""
    from mpycross.mpy.dis import decode_relocations

    # 3 words of text from word 2 get the text base; rodata word 2 gets mp_fun_table[0];
    # the next word gets the bss base; then mp_fun_table itself
    data = bytes([0x03, 0x04, 0x03, 0x0F, 0x05, 0x08, 0x0C, 0xFF])
    assert decode_relocations(data) == [
        {"section": "text", "word": 2, "count": 3, "adds": "text"},
        {"section": "rodata", "word": 2, "count": 1, "adds": "mp_fun_table[0]"},
        {"section": "rodata", "word": 3, "count": 1, "adds": "bss"},
        {"section": "rodata", "word": 4, "count": 1, "adds": "mp_fun_table"},
    ]
