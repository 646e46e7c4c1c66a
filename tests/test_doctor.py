"""`mpycross doctor` on fake drives: unloadable .mpy files, shadows, leftovers, missing dependencies.

The verdicts on .mpy files must be the ones `mpycross inspect --target` gives
(the same loader rule); foreign files come from the official compilers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mpycross.bundle.build import BundleTarget, build_bundle, write_outputs
from mpycross.cli.commands import cli
from tests.oracles import compile_official
from tests.test_bundle import libraries
from tests.test_install import CP_LINE, MP_LINE, fake_drive

MP = [BundleTarget("micropython-1.29", "mp-1.29")]


def official_file(source: str, release: str, extra: list[str] = ()) -> bytes:
    done = compile_official(source, release, args=list(extra), name="m.py")
    assert done.mpy is not None, done.text
    return done.mpy


def doctor(*args):
    return CliRunner().invoke(cli, ["doctor", *map(str, args)])


def inspect_reason(path: Path, target: str) -> str:
    result = CliRunner().invoke(cli, ["inspect", str(path), "--target", target])
    return result.output.splitlines()[-1].strip()


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle")
    libs = libraries(["adafruit-circuitpython-debouncer", "adafruit-circuitpython-ticks"])
    write_outputs(build_bundle(libs, "b", "20260101", MP), out)
    return out


def test_clean_drive_is_fine(tmp_path, bundle_dir):
    drive = fake_drive(tmp_path / "d")
    zip_path = bundle_dir / "b-mp-1.29-mpy-20260101.zip"
    assert CliRunner().invoke(cli, ["install", "adafruit_debouncer", "--device", str(drive),
                                    "--bundle", str(zip_path)]).exit_code == 0
    result = doctor("--device", drive, "--bundle", zip_path)
    assert result.exit_code == 0, result.output
    assert "micropython 1.29.0 (micropython-1.29)" in result.output and "no problems found" in result.output


def test_unloadable_files_with_inspects_reason(tmp_path):
    drive = fake_drive(tmp_path / "d")
    lib = drive / "lib"
    (lib / "pkg").mkdir(parents=True)
    (lib / "old_v5.mpy").write_bytes(official_file("x = 1\n", "v5"))
    (lib / "pkg" / "native.mpy").write_bytes(official_file("@micropython.native\ndef f():\n    return 1\n",
                                                           "1.20", ["-march=armv6m"]))
    (lib / "good.mpy").write_bytes(official_file("y = 2\n", "1.29"))
    (lib / "junk.mpy").write_bytes(b"not an mpy at all")
    result = doctor("--device", drive)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"lib/old_v5.mpy: {inspect_reason(lib / 'old_v5.mpy', 'micropython-1.29')}" in lines
    assert f"lib/pkg/native.mpy: {inspect_reason(lib / 'pkg' / 'native.mpy', 'micropython-1.29')}" in lines
    assert any(line.startswith("lib/junk.mpy: not a loadable .mpy") for line in lines)
    assert not any(line.startswith("lib/good.mpy") for line in lines)
    assert "3 problems found" in result.output


def test_circuitpython_board_rejects_micropython_files(tmp_path):
    drive = fake_drive(tmp_path / "d", CP_LINE)
    (drive / "lib").mkdir()
    (drive / "lib" / "m.mpy").write_bytes(official_file("x = 1\n", "1.29"))
    result = doctor("--device", drive)
    assert result.exit_code == 1
    assert "lib/m.mpy: CircuitPython 9.2 cannot load this: it is a MicroPython .mpy" in result.output
    assert doctor("--device", drive, "--target", "micropython-1.29").exit_code == 0


def test_shadows_and_leftovers(tmp_path):
    drive = fake_drive(tmp_path / "d")
    lib = drive / "lib"
    (lib / "pkg").mkdir(parents=True)
    (lib / "pkg" / "__init__.py").write_text("")
    (lib / "pkg.mpy").write_bytes(official_file("x = 1\n", "1.29"))
    (lib / "mod.py").write_text("x = 1\n")
    (lib / "mod.mpy").write_bytes(official_file("x = 1\n", "1.29"))
    (lib / ".mpycross-a.mpy.tmp").write_bytes(b"half")
    result = doctor("--device", drive)
    assert result.exit_code == 1
    assert "lib/mod.py: shadows lib/mod.mpy (a .py is imported before a .mpy)" in result.output
    assert "lib/pkg/: the package folder shadows lib/pkg.mpy" in result.output
    assert "lib/.mpycross-a.mpy.tmp: temporary file of an interrupted install" in result.output
    assert "dependencies not checked" in result.output


def test_missing_dependency_from_bundle_json(tmp_path, bundle_dir):
    drive = fake_drive(tmp_path / "d")
    zip_path = bundle_dir / "b-mp-1.29-mpy-20260101.zip"
    assert CliRunner().invoke(cli, ["install", "adafruit_debouncer", "--no-deps", "--device", str(drive),
                                    "--bundle", str(zip_path)]).exit_code == 0
    for bundle in (zip_path, bundle_dir / "b-20260101.json"):
        result = doctor("--device", drive, "--bundle", bundle)
        assert result.exit_code == 1
        assert "lib/adafruit_debouncer: needs adafruit_ticks, which is not installed" in result.output


def test_bad_usage_is_one_line(tmp_path):
    result = doctor("--device", tmp_path / "absent")
    assert result.exit_code == 1 and result.output.count("\n") == 1 and "no such folder" in result.output
    drive = fake_drive(tmp_path / "d", MP_LINE)
    result = doctor("--device", drive, "--target", "nonsense-9")
    assert result.exit_code == 1 and result.output.startswith("error: unknown target")
