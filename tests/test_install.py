"""`mpycross install` into fake drives: folders with a boot_out.txt.

Covers firmware detection, installing from local sources (compiled here) and
from a bundle zip with its json, dependencies, unchanged files left alone,
.py shadows removed, the free-space check, --dry-run, and a copy that fails
halfway (the board unplugged): every file is then either the old or the new
one, and a rerun completes the install.
"""

from __future__ import annotations

import errno
import shutil
from collections import namedtuple
from pathlib import Path

import pytest
from click.testing import CliRunner

from mpycross import compile_source
from mpycross.bundle import BundleError, device
from mpycross.bundle.build import BundleTarget, build_bundle, write_outputs
from mpycross.bundle.device import TMP_PREFIX, parse_boot_line, plan_install
from mpycross.cli.commands import cli
from tests.test_bundle import import_on_vm, libraries, official_mpy

MP_LINE = "MicroPython v1.29.0 on 2026-01-01; Generic board with RP2040\n"
CP_LINE = "Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit Feather RP2040 with rp2040\r\nBoard ID:x\r\n"
MP = [BundleTarget("micropython-1.29", "mp-1.29")]


def fake_drive(root: Path, line: str = MP_LINE) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "boot_out.txt").write_text(line)
    return root


def make_lib(root: Path, version: str, n_modules: int = 6) -> Path:
    """A library repository whose files all change with the version."""
    pkg = root / "multi"
    pkg.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "multi"\nversion = "{version}"\n')
    (pkg / "__init__.py").write_text('__version__ = "0.0.0+auto.0"\n')
    for i in range(n_modules):
        (pkg / f"m{i}.py").write_text(f"VALUE = {version!r}\ndef f{i}():\n    return {i}\n")
    return root


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """No test sees the user's download cache (installs without network use --offline)."""
    monkeypatch.setenv("MPYCROSS_CACHE_DIR", str(tmp_path / "user-cache"))


def lib_names(drive: Path) -> list[str]:
    """What lib/ holds, less the install manifest."""
    return sorted(p.name for p in (drive / "lib").iterdir() if p.name != ".mpycross.json")


def run(*args):
    return CliRunner().invoke(cli, ["install", *map(str, args), "--no-cache", "--offline"])


@pytest.mark.parametrize("line, target, note", [
    (CP_LINE, "circuitpython-9.2", False),
    ("Adafruit CircuitPython 10.0.3 on 2025-10-01; Raspberry Pi Pico 2 with rp2350a", "circuitpython-10.0", False),
    ("Adafruit CircuitPython 9.1.4 on 2024-09-17; Adafruit QT Py ESP32S2 with ESP32S2", "circuitpython-9.1", False),
    ("Adafruit CircuitPython 11.0.0-alpha.1 on 2026-10-01; Adafruit QT Py ESP32S2 with ESP32S2",
     "circuitpython-10.3", True),
    ("Adafruit CircuitPython 7.3.3 on 2022-08-29; Adafruit Feather M4 Express with samd51j19", "circuitpython-8.2", True),
    ("MicroPython v1.22.2 on 2024-02-22; Raspberry Pi Pico with RP2040", "micropython-1.22.2", False),
    ("MicroPython v1.24.0-preview.201.g1234 on 2024-08-01; ESP32 module with ESP32", "micropython-1.24.0", False),
    (MP_LINE, "micropython-1.29", False),
])
def test_boot_out_lines(line, target, note):
    fw = parse_boot_line(line)
    assert fw.target == target and bool(fw.note) == note
    assert fw.board and fw.version[0].isdigit()


def test_boot_out_problems(tmp_path):
    with pytest.raises(BundleError, match="no CircuitPython or MicroPython version found"):
        parse_boot_line("hello\n")
    with pytest.raises(BundleError, match="CircuitPython 3.1.2: mpycross has no compiler rules for CircuitPython before 7"):
        parse_boot_line("Adafruit CircuitPython 3.1.2 on 2018-12-01; Trinket M0 with samd21e18")
    result = run("x.py", "--device", tmp_path)
    assert result.exit_code == 1 and "no boot_out.txt" in result.output and result.output.count("\n") == 1


def test_micropython_folder_with_sys_implementation(tmp_path):
    drive = tmp_path / "pico"
    drive.mkdir()
    (drive / "sys_implementation.txt").write_text("(name='micropython', version=(1, 29, 0, ''), _mpy=7942)\n")
    result = run(make_lib(tmp_path / "src", "1.0"), "--device", drive, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "micropython 1.29.0 -> micropython-1.29" in result.output and "write lib/multi/m0.mpy" in result.output


def test_install_local_source_matches_official(tmp_path):
    drive = fake_drive(tmp_path / "CIRCUITPY")
    lib = make_lib(tmp_path / "src", "1.0.0")
    result = run(lib, "--device", drive)
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(drive).as_posix() for p in (drive / "lib").rglob("*"))
    assert files == ["lib/.mpycross.json", "lib/multi", "lib/multi/__init__.mpy"] + [
        f"lib/multi/m{i}.mpy" for i in range(6)]
    init = (drive / "lib/multi/__init__.mpy").read_bytes()
    assert init == official_mpy(b'__version__ = "1.0.0"\n', "multi/__init__.py")
    assert import_on_vm(drive / "lib", "multi") == "OK"

    again = run(lib, "--device", drive)
    assert again.exit_code == 0 and "0 to write, 0 to remove, 7 unchanged" in again.output


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle")
    libs = libraries(["adafruit-circuitpython-debouncer", "adafruit-circuitpython-ticks",
                      "adafruit-circuitpython-display-text", "adafruit-circuitpython-bitmap-font"])
    write_outputs(build_bundle(libs, "b", "20260101", MP), out)
    return out


def test_install_from_bundle_with_dependencies(tmp_path, bundle_dir):
    drive = fake_drive(tmp_path / "d")
    (drive / "lib").mkdir()
    (drive / "lib" / "adafruit_ticks.py").write_text("raise ImportError('old source copy')\n")
    zip_path = bundle_dir / "b-mp-1.29-mpy-20260101.zip"
    result = run("adafruit-circuitpython-debouncer", "--device", drive, "--bundle", zip_path)
    assert result.exit_code == 0, result.output
    # A dependency already on the device is kept as it is.
    assert "already on the device, kept: adafruit_ticks" in result.output
    assert lib_names(drive) == ["adafruit_debouncer.mpy", "adafruit_ticks.py"]
    result = run("adafruit-circuitpython-debouncer", "adafruit_ticks", "--device", drive, "--bundle", zip_path)
    assert result.exit_code == 0, result.output
    # The user's .py is reported and kept until --replace-py says otherwise.
    assert lib_names(drive) == ["adafruit_debouncer.mpy", "adafruit_ticks.mpy", "adafruit_ticks.py"]
    assert "lib/adafruit_ticks.py is kept: it would shadow lib/adafruit_ticks.mpy (pass --replace-py" in result.output
    result = run("adafruit_ticks", "--device", drive, "--bundle", zip_path, "--replace-py")
    assert result.exit_code == 0, result.output
    assert lib_names(drive) == ["adafruit_debouncer.mpy", "adafruit_ticks.mpy"]
    assert "remove lib/adafruit_ticks.py: it would shadow lib/adafruit_ticks.mpy" in result.output
    assert import_on_vm(drive / "lib", "adafruit_debouncer") == "OK"

    result = run("adafruit_display_text", "--device", drive, "--bundle", zip_path, "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.output and "write lib/adafruit_bitmap_font/" in result.output
    assert not (drive / "lib" / "adafruit_display_text").exists()

    result = run("adafruit_display_text", "--device", drive, "--bundle", zip_path, "--no-deps")
    assert result.exit_code == 0 and not (drive / "lib" / "adafruit_bitmap_font").exists()


def test_bundle_without_json_uses_its_requirements_folder(tmp_path, bundle_dir):
    zip_path = tmp_path / "b-mp-1.29-mpy-20260101.zip"
    shutil.copy(bundle_dir / zip_path.name, zip_path)   # no json beside this copy
    drive = fake_drive(tmp_path / "d")
    result = run("adafruit_debouncer", "--device", drive, "--bundle", zip_path)
    assert result.exit_code == 0, result.output
    assert lib_names(drive) == ["adafruit_debouncer.mpy", "adafruit_ticks.mpy"]


def test_bundle_folder_picks_the_zip_for_the_firmware(tmp_path):
    out = tmp_path / "bundles"
    libs = libraries(["adafruit-circuitpython-ticks"])
    write_outputs(build_bundle(libs, "b", "20260101", [*MP, BundleTarget("circuitpython-9.2", "9.x")]), out)
    for line, expected in ((CP_LINE, "b-9.x-mpy-20260101.zip"), (MP_LINE, "b-mp-1.29-mpy-20260101.zip")):
        drive = fake_drive(tmp_path / expected, line)
        result = run("adafruit_ticks", "--device", drive, "--bundle", out)
        assert result.exit_code == 0, result.output
        assert f"bundle: {out / expected}" in result.output
    drive = fake_drive(tmp_path / "old", "Adafruit CircuitPython 8.2.10 on 2024-01-01; Pico with rp2040")
    result = run("adafruit_ticks", "--device", drive, "--bundle", out)
    assert result.exit_code == 1 and "no bundle for circuitpython-8.2" in result.output


def test_library_with_several_modules_installs_whole(tmp_path):
    from tests.test_bundle import _make_repo
    from mpycross.bundle.library import discover

    out = tmp_path / "bundles"
    write_outputs(build_bundle(discover(_make_repo(tmp_path / "repo")) + libraries(["adafruit-circuitpython-ticks"]),
                               "b", "20260101", MP), out)
    drive = fake_drive(tmp_path / "d")
    result = run("mylib-dist", "--device", drive, "--bundle", out / "b-mp-1.29-mpy-20260101.zip")
    assert result.exit_code == 0, result.output
    assert lib_names(drive) == ["adafruit_ticks.mpy", "mylib", "mylib_extra.mpy"]
    assert (drive / "lib" / "mylib" / "font.bin").read_bytes() == b"\x00\x01\x02"


def test_adafruit_style_names():
    from mpycross.bundle.catalog import _ZIP_NAME
    m = _ZIP_NAME.match("adafruit-circuitpython-bundle-9.x-mpy-20241120.zip")
    assert (m.group("name"), m.group("tag")) == ("adafruit-circuitpython-bundle", "20241120")
    m = _ZIP_NAME.match("my-bundle-mp-1.29-mpy-20260101.zip")
    assert (m.group("name"), m.group("tag")) == ("my-bundle", "20260101")


def test_bundle_for_other_firmware_is_refused(tmp_path, bundle_dir):
    drive = fake_drive(tmp_path / "d", CP_LINE)
    result = run("adafruit_ticks", "--device", drive, "--bundle", bundle_dir / "b-mp-1.29-mpy-20260101.zip")
    assert result.exit_code == 1
    assert "CircuitPython 9.2 cannot load this: it is a MicroPython .mpy" in result.output
    assert not (drive / "lib").exists()


def test_unknown_and_missing_libraries(tmp_path, bundle_dir):
    drive = fake_drive(tmp_path / "d")
    zip_path = bundle_dir / "b-mp-1.29-mpy-20260101.zip"
    result = run("adafruit_nothing", "--device", drive, "--bundle", zip_path)
    assert result.exit_code == 1 and "not found" in result.output and "adafruit_nothing" in result.output
    lib = make_lib(tmp_path / "src", "1.0")
    (lib / "requirements.txt").write_text("adafruit-circuitpython-ticks\nsomething-not-here\n")
    result = run(lib, "--device", drive, "--bundle", zip_path)
    assert result.exit_code == 1 and "something-not-here (needed by multi)" in result.output
    assert not (drive / "lib").exists()


def test_free_space_is_checked_first(tmp_path, monkeypatch):
    drive = fake_drive(tmp_path / "d")
    lib = make_lib(tmp_path / "src", "1.0.0")
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(device.shutil, "disk_usage", lambda p: usage(4096, 4096 - 1000, 1000))
    result = run(lib, "--device", drive)
    assert result.exit_code == 1 and "not enough free space" in result.output
    assert not (drive / "lib").exists()


def test_space_needed_counts_replaced_files(tmp_path):
    drive = fake_drive(tmp_path / "d")
    (drive / "lib").mkdir()
    (drive / "lib" / "a.mpy").write_bytes(b"x" * 5000)
    plan = plan_install(drive, {"a.mpy": b"y" * 5000, "b.mpy": b"z" * 100}, ["a", "b"])
    cluster = device._cluster(drive)
    rounded = lambda n: -(-n // cluster) * cluster  # noqa: E731
    # a.mpy's copy coexists with the old one until the rename, then b.mpy is added
    assert plan.needed == max(rounded(5000), rounded(100))
    assert [a.path for a in plan.writes] == ["lib/a.mpy", "lib/b.mpy"] and plan.writes[0].why == "changed"


def test_package_update_removes_stale_files(tmp_path):
    drive = fake_drive(tmp_path / "d")
    lib = make_lib(tmp_path / "src", "1.0.0", n_modules=4)
    assert run(lib, "--device", drive).exit_code == 0
    (lib / "multi" / "m3.py").unlink()
    (drive / "lib" / "multi.py").write_text("X = 1\n")
    result = run(lib, "--device", drive, "--replace-py")
    assert result.exit_code == 0, result.output
    assert "remove lib/multi/m3.mpy: no longer part of multi" in result.output
    assert "remove lib/multi.py: the package folder lib/multi/ replaces it" in result.output
    assert not (drive / "lib" / "multi" / "m3.mpy").exists() and not (drive / "lib" / "multi.py").exists()


def test_interrupted_copy_keeps_whole_files_and_a_rerun_completes(tmp_path, monkeypatch):
    drive = fake_drive(tmp_path / "d")
    lib = make_lib(tmp_path / "src", "1.0.0")
    assert run(lib, "--device", drive).exit_code == 0
    old = {p.name: p.read_bytes() for p in (drive / "lib" / "multi").iterdir()}

    make_lib(lib, "2.0.0")
    new = {f"m{i}.mpy": compile_source(f"VALUE = '2.0.0'\ndef f{i}():\n    return {i}\n", f"multi/m{i}.py",
                                       source_name=f"multi/m{i}.py") for i in range(6)}
    new["__init__.mpy"] = compile_source('__version__ = "2.0.0"\n', "multi/__init__.py",
                                         source_name="multi/__init__.py")
    real_write = device.write_file
    calls = []

    def unplugged(path, data):
        calls.append(path.name)
        if len(calls) == 4:
            # the board goes away mid-file: half a temporary file, no clean-up, no rename
            path.with_name(f"{TMP_PREFIX}{path.name}.tmp").write_bytes(data[: len(data) // 2])
            raise OSError(errno.EIO, "Input/output error", str(path))
        real_write(path, data)

    monkeypatch.setattr(device, "write_file", unplugged)
    result = run(lib, "--device", drive)
    assert result.exit_code == 1 and "run the install again" in result.output
    now = {p.name: p.read_bytes() for p in (drive / "lib" / "multi").iterdir() if not p.name.startswith(".")}
    assert set(now) == set(old)
    written = calls[:3]
    for name, data in now.items():
        assert data == (new[name] if name in written else old[name]), name
    assert import_on_vm(drive / "lib", "multi") == "OK"

    monkeypatch.setattr(device, "write_file", real_write)
    result = run(lib, "--device", drive)
    assert result.exit_code == 0, result.output
    assert "left by an interrupted install" in result.output
    assert {p.name: p.read_bytes() for p in (drive / "lib" / "multi").iterdir()} == new
    assert "3 unchanged" in result.output


def test_write_file_leaves_old_file_when_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "lib" / "a.mpy"
    target.parent.mkdir()
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(device.os, "replace", broken_replace)
    with pytest.raises(OSError):
        device.write_file(target, b"new contents")
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and sorted(p.name for p in target.parent.iterdir()) == ["a.mpy"]


def test_micropython_folder_without_lib(tmp_path):
    drive = fake_drive(tmp_path / "d")
    single = tmp_path / "tool.py"
    single.write_text("def go():\n    return 1\n")
    result = run(single, "--device", drive)
    assert result.exit_code == 0, result.output
    assert (drive / "lib" / "tool.mpy").read_bytes() == official_mpy(single.read_bytes(), "tool.py")
    shutil.rmtree(drive / "lib")


def test_install_on_circuitpython_drive_then_doctor(tmp_path):
    drive = fake_drive(tmp_path / "CIRCUITPY", CP_LINE)
    lib = make_lib(tmp_path / "src", "1.0.0", n_modules=2)
    result = run(lib, "--device", drive)
    assert result.exit_code == 0, result.output
    assert "circuitpython 9.2.1 -> circuitpython-9.2" in result.output
    from mpycross.mpy import read_mpy
    for f in (drive / "lib" / "multi").iterdir():
        h = read_mpy(f.read_bytes()).header
        assert (h.magic, h.version) == ("C", 6)
    doctor = CliRunner().invoke(cli, ["doctor", "--device", str(drive)])
    assert doctor.exit_code == 0 and "no problems found" in doctor.output
