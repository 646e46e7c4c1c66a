"""`mpycross inspect`: one line per file, loaders, and --target verdicts on a board's lib/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.oracles import official

from mpycross.cli.commands import cli
from tests.oracles import GOLDEN_DIR as GOLDEN_ROOT
from tests.oracles import GOLDEN_MISSING

HERE = Path(__file__).resolve().parent
GOLDEN = GOLDEN_ROOT / "out"


def compile_to(dest: Path, release: str, text: str = "x = 1\n", *options: str) -> Path:
    src = dest.with_suffix(".py")
    src.write_text(text)
    subprocess.run([str(official(release)), *options, "-o", str(dest), str(src)], check=True)
    src.unlink()
    return dest


@pytest.fixture
def lib(tmp_path):
    lib = tmp_path / "lib"
    (lib / "pkg").mkdir(parents=True)
    compile_to(lib / "new.mpy", "1.29")
    compile_to(lib / "old.mpy", "1.12")
    compile_to(lib / "pkg" / "native.mpy", "1.22", "@micropython.native\ndef f(): pass\n", "-march=armv7m")
    return lib


def run(*args):
    return CliRunner().invoke(cli, ["inspect", *args])


def test_one_line_per_file(lib):
    result = run(str(lib))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3
    new = next(line for line in lines if "new.mpy" in line)
    assert "magic 'M', version 6" in new and "loads on MicroPython 1.19 - 1.29" in new
    assert "source 'new.py'" in new or "new.py" in new
    old = next(line for line in lines if "old.mpy" in line)
    assert "version 5" in old and "MicroPython 1.12 - 1.18" in old
    native = next(line for line in lines if "native.mpy" in line)
    assert "sub-version 2" in native and "arch armv7m" in native and "MicroPython 1.22" in native


def test_target_verdicts(lib):
    result = run("--target", "micropython-1.29", str(lib))
    assert result.exit_code == 1
    assert "old.mpy" in result.output and "loads version 6" in result.output
    assert "native code is for .mpy 6.2" in result.output
    result = run("--target", "circuitpython-9", str(lib / "new.mpy"))
    assert result.exit_code == 1
    assert "CircuitPython 9.2 cannot load this: it is a MicroPython .mpy (header 'M')" in result.output
    result = run("--target", "micropython-1.20", str(lib / "new.mpy"))
    assert result.exit_code == 0 and "OK for micropython-1.20.0" in result.output


@pytest.mark.skipif(not GOLDEN.is_dir(), reason=GOLDEN_MISSING)
def test_circuitpython_files(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    for ver in ("8.2.10", "9.2.9", "10.2.1"):
        shutil.copy(GOLDEN / f"circuitpython-{ver}" / "O0" / "annotations.mpy", lib / f"arith_{ver}.mpy")
    result = run("--target", "circuitpython-10", str(lib))
    assert result.exit_code == 1
    assert "arith_8.2.10.mpy" in result.output and "loads version 6" in result.output
    result = run("--target", "circuitpython-10", str(lib / "arith_9.2.9.mpy"), str(lib / "arith_10.2.1.mpy"))
    assert result.exit_code == 0
    result = run("--json", str(lib))
    data = json.loads(result.output)
    assert [d["magic"] for d in data] == ["C", "C", "C"]
    assert sorted(data[0]["loaded_by"]) == [f"circuitpython-{r}" for r in
                                            ("10.0", "10.1", "10.2", "10.3", "9.0", "9.1", "9.2")]


def test_bad_file_in_lib(lib):
    (lib / "broken.mpy").write_bytes(b"M\x06\x00")
    result = run(str(lib))
    assert result.exit_code == 1
    bad = [line for line in result.output.splitlines() if "broken.mpy" in line]
    assert len(bad) == 1 and "at offset 3" in bad[0] and "expected the small-int bits" in bad[0]


def test_unknown_target_and_empty_folder(tmp_path):
    result = run("--target", "nonsense", str(tmp_path))
    assert result.exit_code == 2 and "valid targets" in result.output
    result = run(str(tmp_path))
    assert result.exit_code == 1 and "no .mpy files" in result.output
