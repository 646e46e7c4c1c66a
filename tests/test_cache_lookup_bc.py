"""mpy-cross -mcache-lookup-bc (MicroPython 1.9 - 1.17): a map-lookup cache byte after the
qstr of LOAD_NAME, LOAD_GLOBAL, LOAD_ATTR and STORE_ATTR, and header feature bit 0; byte for
byte against each official binary that has the option."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mpycross import compile_source
from mpycross.compiler.driver import UnsupportedOptionError
from mpycross.errors import CompileError
from mpycross.mpy import read_mpy
from mpycross.mpy.dis import disassemble
from tests.oracles import official_binaries, run_official

HERE = Path(__file__).resolve().parent
PROGRAMS = sorted((HERE / "programs").glob("*.py"))[:16]
RELEASES = [r for r in ("1.9", "1.9.3", "1.11", "1.12") if r in official_binaries()]


@pytest.mark.parametrize("release", RELEASES)
def test_cache_lookup_bc_byte_identical(release, tmp_path):
    compiled = 0
    for program in PROGRAMS:
        source = program.read_bytes()
        (tmp_path / "t.py").write_bytes(source)
        out = tmp_path / "t.mpy"
        out.unlink(missing_ok=True)
        proc = run_official(["-mcache-lookup-bc", "-o", "t.mpy", "t.py"], release=release, cwd=tmp_path)
        if proc.returncode != 0:
            with pytest.raises(CompileError):
                compile_source(source, "t.py", target=f"micropython-{release}", cache_lookup_bc=True)
            continue
        theirs = out.read_bytes()
        ours = compile_source(source, "t.py", target=f"micropython-{release}", cache_lookup_bc=True)
        assert ours == theirs, f"{release} {program.name}"
        assert theirs[2] & 1  # the header says the bytecode carries cache bytes
        compiled += 1
        # and the disassembler steps over the cache bytes
        disassemble(read_mpy(theirs))
    assert compiled >= len(PROGRAMS) // 2


def test_cache_lookup_bc_is_refused_where_mpy_cross_has_no_such_option():
    with pytest.raises(UnsupportedOptionError, match="1.9 - 1.17 have it"):
        compile_source("x = 1\n", "t.py", cache_lookup_bc=True)
    with pytest.raises(UnsupportedOptionError):
        compile_source("x = 1\n", "t.py", target="micropython-1.19", cache_lookup_bc=True)


def test_mpy_cross_command_line_option(tmp_path):
    (tmp_path / "t.py").write_text("import os\nprint(os.sep)\n")
    ours = subprocess.run(["python", "-m", "mpycross.cli.mpy_cross", "-mcache-lookup-bc", "--target",
                           "micropython-1.12", "-o", "ours.mpy", "t.py"], cwd=tmp_path, capture_output=True)
    assert ours.returncode == 0, ours.stderr
    if "1.12" in official_binaries():
        run_official(["-mcache-lookup-bc", "-o", "theirs.mpy", "t.py"], release="1.12", cwd=tmp_path)
        assert (tmp_path / "ours.mpy").read_bytes() == (tmp_path / "theirs.mpy").read_bytes()
    refused = subprocess.run(["python", "-m", "mpycross.cli.mpy_cross", "-mcache-lookup-bc", "t.py"],
                             cwd=tmp_path, capture_output=True, text=True)
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
