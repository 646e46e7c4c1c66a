"""`mpycross install` from PyPI onto fake CircuitPython drives, and circup's other commands.

The big tests use real data: the 40 most-downloaded adafruit-circuitpython-*
libraries (tests/data/popular_libraries.txt) with every dependency, fetched
from PyPI in test setup into a cache beside the corpus cache
(`<MPYCROSS_CORPUS_DIR>/install`, reused by later runs), installed onto
drives for CircuitPython 9.x and 10.x; circup 3.1 itself reads the 9.x
drive back (`circup freeze`). The small ones run offline: the download
cache is seeded with corpus wheels, or the libraries come from a bundle.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mpycross.bundle.hostonly import HOST_ONLY, HOST_ONLY_MODULES
from mpycross.bundle.manifest import installed, version_in_mpy
from mpycross.cli.commands import cli
from tests.test_bundle import dist_file

DATA = Path(__file__).resolve().parent / "data"
CP9 = "Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit Feather RP2040 with rp2040\r\nBoard ID:feather_rp2040\r\n"
CP10 = "Adafruit CircuitPython 10.0.3 on 2025-10-01; Raspberry Pi Pico 2 with rp2350a\r\nBoard ID:pico2\r\n"


def popular() -> list[str]:
    lines = (DATA / "popular_libraries.txt").read_text().splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def fake_drive(root: Path, line: str = CP9) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "boot_out.txt").write_text(line, newline="")
    return root


def mpycross(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MPYCROSS_CACHE_DIR", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache"


def seed(cache: Path, *dists: str) -> None:
    """Put corpus wheels in the download cache, as if PyPI had been asked before."""
    (cache / "pypi").mkdir(parents=True, exist_ok=True)
    for name in dists:
        shutil.copy(dist_file(name), cache / "pypi")


# --- host-only packages ---

def test_host_only_list_covers_circup_and_is_what_library_uses():
    from circup.shared import NOT_MCU_LIBRARIES

    from mpycross.bundle import library
    from mpycross.bundle.hostonly import is_host_only

    assert library.HOST_ONLY is HOST_ONLY
    for name in NOT_MCU_LIBRARIES:
        if name:
            assert is_host_only(name), name
    for board_library in ("adafruit-circuitpython-busdevice", "adafruit_bus_device", "neopixel", "asyncio"):
        assert not is_host_only(board_library)


def test_host_only_dependencies_are_skipped_with_one_note(tmp_path, private_cache):
    seed(private_cache, "adafruit-circuitpython-debouncer", "adafruit-circuitpython-ticks",
         "adafruit-circuitpython-display-text", "adafruit-circuitpython-bitmap-font")
    drive = fake_drive(tmp_path / "CIRCUITPY")
    result = mpycross("install", "adafruit_debouncer", "adafruit-circuitpython-display-text", "--device", drive,
                      "--offline")
    assert result.exit_code == 0, result.output
    assert result.output.count("note: skipped adafruit-blinka (needed by") == 1
    assert "note: skipped adafruit-blinka-displayio (needed by adafruit_display_text" in result.output
    lib = drive / "lib"
    assert sorted(p.name for p in lib.iterdir() if not p.name.startswith(".")) == [
        "adafruit_bitmap_font", "adafruit_debouncer.mpy", "adafruit_display_text", "adafruit_ticks.mpy"]
    assert "installed 4 libraries" in result.output


# --- the 40 most-downloaded libraries, from PyPI ---

@pytest.fixture(scope="module")
def pypi_cache():
    """The download and compile cache of these tests, filled from PyPI once."""
    from mpycross.bundle.pypi import PyPI
    from tests.corpus.fetch import cache_dir

    root = cache_dir() / "install"
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)        # test processes share the cache: one downloads
        got = PyPI(root / "pypi").fetch(popular())
    if not got:
        pytest.skip("PyPI is not reachable and the install cache is empty")
    assert sorted(set(popular()) - set(got)) == []
    return root


@pytest.fixture(scope="module")
def popular_drive(pypi_cache, tmp_path_factory):
    """install_popular(boot_out line) -> (drive, output): each firmware's drive filled once."""
    done = {}

    def install_popular(line: str):
        if line not in done:
            drive = fake_drive(tmp_path_factory.mktemp("drive") / "CIRCUITPY", line)
            result = mpycross("install", "-r", DATA / "popular_libraries.txt", "--device", drive, "-j", "1",
                              env={"MPYCROSS_CACHE_DIR": str(pypi_cache)})
            assert result.exit_code == 0, result.output
            done[line] = drive, result
        return done[line]
    return install_popular


@pytest.mark.parametrize("line, target", [(CP9, "circuitpython-9.2"), (CP10, "circuitpython-10.0")])
def test_popular_libraries_install_with_dependencies(popular_drive, line, target):
    from mpycross.mpy import read_mpy
    from mpycross.targets import resolve_target

    drive, result = popular_drive(line)
    assert f"-> {target}" in result.output
    libs = {i.module: i for i in installed(drive)}
    manifest = json.loads((drive / "lib" / ".mpycross.json").read_text())["libraries"]
    requested = {facts["pypi_name"] for facts in manifest.values() if facts["requested"]}
    assert requested == {r.split("==")[0] for r in popular()}
    assert len(libs) > 40 and set(libs) == set(manifest)            # dependencies came along
    assert f"installed {len(libs)} libraries" in result.output
    # Nothing host-only on the board, by import name or by distribution.
    tops = {p.name.rsplit(".", 1)[0] for p in (drive / "lib").iterdir() if not p.name.startswith(".")}
    assert tops & HOST_ONLY_MODULES == set()
    assert {facts["pypi_name"] for facts in manifest.values()} & HOST_ONLY == set()
    # Every module is one the firmware loads.
    board = resolve_target(target)
    files = sorted((drive / "lib").rglob("*.mpy"))
    assert len(files) > 250
    for f in files:
        h = read_mpy(f.read_bytes(), str(f)).header
        assert board.loads(h.magic, h.version, h.sub_version, h.arch) is None, f
    # sources are compiled; only empty files (package __init__.py and the like) are copied, as the
    # bundle tools copy them
    assert [p for p in (drive / "lib").rglob("*.py") if p.stat().st_size] == []


def _circup_data(tmp_path: Path, drive: Path, cache: Path) -> Path:
    """circup's data folder holding one bundle (its -py- zip, as mpycross bundle writes it) of what is on drive."""
    from mpycross.bundle.build import BundleTarget, build_bundle, write_outputs
    from mpycross.bundle.cache import CompileCache
    from mpycross.bundle.library import discover

    sources = sorted({facts["source"].split(" ", 1)[1]
                      for facts in json.loads((drive / "lib" / ".mpycross.json").read_text())["libraries"].values()})
    libraries = [lib for name in sources for lib in discover(cache / "pypi" / name)]
    out = tmp_path / "bundles"
    write_outputs(build_bundle(libraries, "mpycross-test-bundle", "20260101",
                               [BundleTarget("circuitpython-9.2", "9.x")], cache=CompileCache(cache)), out)
    data = tmp_path / "xdg" / "circup"
    folder = data / "mpycross" / "mpycross-test-bundle-py"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(out / "mpycross-test-bundle-py-20260101.zip") as z:
        z.extractall(folder)
    (data / "bundle_config.json").write_text(json.dumps({"mpycross": "mpycross/mpycross_test_bundle"}))
    (data / "circup.json").write_text(json.dumps({"mpycross/mpycross_test_bundle": ["20260101"]}))
    return tmp_path / "xdg"


def test_circup_freeze_reads_what_mpycross_installed(tmp_path, pypi_cache, popular_drive):
    drive, _ = popular_drive(CP9)
    xdg = _circup_data(tmp_path, drive, pypi_cache)
    circup = shutil.which("circup", path=str(Path(sys.executable).parent)) or shutil.which("circup")
    assert circup, "circup is a test extra"
    env = {**os.environ, "XDG_DATA_HOME": str(xdg), "HOME": str(tmp_path)}
    done = subprocess.run([circup, "--path", str(drive), "--offline", "freeze"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    theirs = sorted(line for line in done.stdout.splitlines() if "==" in line)
    ours = mpycross("freeze", "--device", drive)
    assert ours.exit_code == 0
    assert sorted(ours.output.splitlines()) == theirs
    assert len(theirs) == len(installed(drive)) and all(not line.endswith("==") for line in theirs)


def test_fresh_user_installs_ten_libraries_without_device(tmp_path, pypi_cache):
    """One command, no --device: the mounted CIRCUITPY drive is found the way it is on Linux."""
    drive = fake_drive(tmp_path / "root" / "media" / "maker" / "CIRCUITPY")
    ten = ["adafruit_bme280", "adafruit-circuitpython-display-text", "adafruit_requests", "neopixel",
           "adafruit_minimqtt", "adafruit_ssd1306", "adafruit_motor", "adafruit_gps", "adafruit_ht16k33",
           "adafruit_seesaw"]
    env = {**os.environ, "MPYCROSS_MOUNT_ROOT": str(tmp_path / "root"), "MPYCROSS_CACHE_DIR": str(pypi_cache)}
    done = subprocess.run([sys.executable, "-m", "mpycross", "install", *ten, "-j", "1"], capture_output=True,
                          text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{drive}: circuitpython 9.2.1 -> circuitpython-9.2" in done.stdout
    manifest = json.loads((drive / "lib" / ".mpycross.json").read_text())["libraries"]
    assert sum(facts["requested"] for facts in manifest.values()) == 10
    assert {"adafruit_bus_device", "adafruit_ticks", "adafruit_pixelbuf", "adafruit_connection_manager"} <= \
        set(manifest)
    assert f"installed {len(manifest)} libraries" in done.stdout


# --- finding the device ---

def test_device_found_among_mount_roots(tmp_path, monkeypatch):
    from mpycross.bundle import BundleError
    from mpycross.bundle.mounts import device_folder, find_board

    monkeypatch.setenv("MPYCROSS_MOUNT_ROOT", str(tmp_path))
    with pytest.raises(BundleError, match="no CIRCUITPY drive found"):
        find_board()
    first = fake_drive(tmp_path / "run" / "media" / "ann" / "CIRCUITPY")
    (tmp_path / "media" / "bob" / "CIRCUITPY").mkdir(parents=True)      # mounted, but no boot_out.txt
    assert find_board() == first
    fake_drive(tmp_path / "Volumes" / "CIRCUITPY 1")
    with pytest.raises(BundleError, match="2 CIRCUITPY drives found"):
        find_board()
    assert device_folder(str(first / "boot_out.txt")) == first


def test_no_device_and_no_drive_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("MPYCROSS_MOUNT_ROOT", str(tmp_path))
    result = mpycross("install", "adafruit_ticks", "--offline")
    assert result.exit_code == 1 and result.output.count("\n") == 1 and "pass --device PATH" in result.output


# --- offline installs from the download cache ---

def test_offline_install_from_cache_by_import_name_and_boot_out_path(tmp_path, private_cache):
    seed(private_cache, "adafruit-circuitpython-debouncer", "adafruit-circuitpython-ticks")
    drive = fake_drive(tmp_path / "CIRCUITPY", CP10)
    result = mpycross("install", "adafruit_debouncer", "--device", drive / "boot_out.txt", "--offline")
    assert result.exit_code == 0, result.output
    assert "adafruit_ticks 1.1.7 (needed by adafruit_debouncer)" in result.output
    assert "installed 2 libraries" in result.output
    assert version_in_mpy((drive / "lib" / "adafruit_ticks.mpy").read_bytes()) == "1.1.7"
    again = mpycross("install", "adafruit_debouncer", "--device", drive, "--offline")
    assert "installed 0 libraries" in again.output and "1 unchanged (adafruit_debouncer)" in again.output
    assert "already on the device, kept: adafruit_ticks" in again.output
    missing = mpycross("install", "adafruit_bme280", "--device", drive, "--offline")
    assert missing.exit_code == 1
    assert "not found in the download cache (--offline): adafruit_bme280" in missing.output


def test_py_installs_sources(tmp_path, private_cache):
    seed(private_cache, "adafruit-circuitpython-ticks")
    drive = fake_drive(tmp_path / "CIRCUITPY")
    result = mpycross("install", "adafruit-circuitpython-ticks", "--py", "--device", drive, "--offline")
    assert result.exit_code == 0, result.output
    source = (drive / "lib" / "adafruit_ticks.py").read_text()
    assert '__version__ = "1.1.7"' in source


def test_requirements_file_and_auto(tmp_path, private_cache):
    seed(private_cache, "adafruit-circuitpython-debouncer", "adafruit-circuitpython-ticks",
         "adafruit-circuitpython-display-text", "adafruit-circuitpython-bitmap-font")
    drive = fake_drive(tmp_path / "CIRCUITPY")
    (drive / "code.py").write_text("import board, time\nimport helpers\nfrom adafruit_debouncer import Debouncer\n")
    (drive / "helpers.py").write_text("from adafruit_display_text import label\nimport digitalio\n")
    result = mpycross("install", "--auto", "--device", drive, "--offline", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "--auto: code.py import adafruit_debouncer, adafruit_display_text" in result.output
    assert "write lib/adafruit_bitmap_font/" in result.output and "dry run: nothing changed" in result.output
    req = tmp_path / "requirements.txt"
    req.write_text("adafruit-circuitpython-ticks>=1.0  # timing\nAdafruit-Blinka\n")
    result = mpycross("install", "-r", req, "--device", drive, "--offline")
    assert result.exit_code == 0, result.output
    assert "note: skipped adafruit-blinka" in result.output
    assert [i.module for i in installed(drive)] == ["adafruit_ticks"]


# --- list, freeze, show, uninstall, update, example (from a bundle, offline) ---

@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    from mpycross.bundle.build import BundleTarget, build_bundle, write_outputs
    from tests.test_bundle import libraries

    out = tmp_path_factory.mktemp("bundles")
    libs = libraries(["adafruit-circuitpython-debouncer", "adafruit-circuitpython-ticks",
                      "adafruit-circuitpython-display-text", "adafruit-circuitpython-bitmap-font"])
    write_outputs(build_bundle(libs, "b", "20260101", [BundleTarget("circuitpython-9.2", "9.x")]), out)
    return out


def _stale_library(root: Path) -> Path:
    """A library whose __version__ line was never updated: the distribution is 1.2.0."""
    (root / "stale").mkdir(parents=True)
    (root / "stale" / "__init__.py").write_text('__version__ = "1.0.0"\nX = 1\n')
    (root / "pyproject.toml").write_text('[project]\nname = "stale-lib"\nversion = "1.2.0"\n')
    return root


def test_list_freeze_show_uninstall(tmp_path, bundles):
    drive = fake_drive(tmp_path / "CIRCUITPY")
    assert mpycross("install", "adafruit_debouncer", "--device", drive, "--bundle", bundles, "--offline").exit_code == 0
    (drive / "lib" / "by_hand.py").write_text('__version__ = "0.3.0"\n')
    (drive / "lib" / "no_version.py").write_text("X = 1\n")

    listing = mpycross("list", "--device", drive, "--bundle", bundles)
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert lines[:4] == ["adafruit_debouncer  2.0.15", "adafruit_ticks      1.1.7", "by_hand             0.3.0",
                         "no_version          ?"]
    assert "version unknown (no __version__, not installed by mpycross): no_version" in listing.output
    assert lines[-1] == "4 libraries, 0 outdated"

    freeze = mpycross("freeze", "--device", drive)
    assert freeze.output.splitlines() == ["adafruit_debouncer==2.0.15", "adafruit_ticks==1.1.7", "by_hand==0.3.0",
                                          "no_version"]
    pypi = mpycross("freeze", "--pypi", "--device", drive)
    assert "adafruit-circuitpython-debouncer==2.0.15" in pypi.output.splitlines()

    show = mpycross("show", "adafruit_ticks", "--device", drive)
    assert "adafruit_ticks 1.1.7" in show.output and "installed as a dependency" in show.output
    assert "files: lib/adafruit_ticks.mpy" in show.output

    gone = mpycross("uninstall", "adafruit-circuitpython-debouncer", "by_hand", "--device", drive)
    assert gone.exit_code == 0, gone.output
    assert sorted(p.name for p in (drive / "lib").iterdir()) == [".mpycross.json", "adafruit_ticks.mpy",
                                                                 "no_version.py"]
    assert "adafruit_debouncer" not in (drive / "lib" / ".mpycross.json").read_text()
    assert mpycross("uninstall", "nothing_here", "--device", drive).exit_code == 1


def test_broken_version_is_reported_once_and_not_updated_forever(tmp_path, bundles):
    from mpycross.bundle.build import BundleTarget, build_bundle, write_outputs
    from mpycross.bundle.library import discover

    src = _stale_library(tmp_path / "src")
    stale_bundles = tmp_path / "stale-bundles"
    write_outputs(build_bundle(discover(src), "s", "20260101", [BundleTarget("circuitpython-9.2", "9.x")]),
                  stale_bundles)
    drive = fake_drive(tmp_path / "CIRCUITPY")
    first = mpycross("install", src, "--device", drive, "--offline")
    assert first.exit_code == 0, first.output
    assert first.output.count("its __version__ says 1.0.0; recorded as 1.2.0") == 1
    listing = mpycross("list", "--device", drive, "--bundle", stale_bundles)
    assert "stale  1.2.0        (its __version__ says 1.0.0)" in listing.output
    assert "0 outdated" in listing.output
    update = mpycross("update", "--all", "--device", drive, "--bundle", stale_bundles)
    assert update.exit_code == 0 and update.output.strip() == "everything is up to date"


def test_update_installs_newer_versions(tmp_path, bundles):
    drive = fake_drive(tmp_path / "CIRCUITPY")
    assert mpycross("install", "adafruit_debouncer", "--device", drive, "--bundle", bundles).exit_code == 0
    manifest = drive / "lib" / ".mpycross.json"
    data = json.loads(manifest.read_text())
    data["libraries"]["adafruit_ticks"]["version"] = "1.0.0"         # as if installed long ago
    manifest.write_text(json.dumps(data))
    (drive / "lib" / "adafruit_ticks.mpy").write_bytes(b"C\x06\x00\x1f")
    listing = mpycross("list", "--device", drive, "--bundle", bundles)
    assert "adafruit_ticks      1.0.0        outdated: 1.1.7 available" in listing.output
    update = mpycross("update", "--all", "--device", drive, "--bundle", bundles)
    assert update.exit_code == 0, update.output
    assert "adafruit_ticks: 1.0.0 -> 1.1.7" in update.output and "installed 1 library" in update.output
    assert version_in_mpy((drive / "lib" / "adafruit_ticks.mpy").read_bytes()) == "1.1.7"
    assert "0 outdated" in mpycross("list", "--device", drive, "--bundle", bundles).output


def test_example_copies_from_the_bundle(tmp_path):
    from mpycross.bundle.build import BundleTarget, build_bundle, write_outputs
    from mpycross.bundle.library import discover
    from tests.test_bundle import _make_repo

    out = tmp_path / "bundles"
    write_outputs(build_bundle(discover(_make_repo(tmp_path / "repo")), "b", "20260101",
                               [BundleTarget("circuitpython-9.2", "9.x")]), out)
    drive = fake_drive(tmp_path / "CIRCUITPY")
    listed = mpycross("example", "mylib", "--list", "--device", drive, "--bundle", out, "--offline")
    assert listed.exit_code == 0, listed.output
    assert listed.output.split() == ["mylib_simpletest.py"]
    copied = mpycross("example", "mylib-dist", "--device", drive, "--bundle", out, "--offline")
    assert copied.exit_code == 0, copied.output
    assert (drive / "mylib_simpletest.py").read_text() == "import mylib\nprint(mylib.f())\n"
    (drive / "mylib_simpletest.py").write_text("# mine\n")
    again = mpycross("example", "mylib", "--device", drive, "--bundle", out, "--offline")
    assert again.exit_code == 1 and "exists and differs: kept" in again.output
    assert (drive / "mylib_simpletest.py").read_text() == "# mine\n"
    nothing = mpycross("example", "adafruit_nothing", "--device", drive, "--bundle", out, "--offline")
    assert nothing.exit_code == 1 and nothing.output.count("\n") == 1


def test_bundle_requirements_with_deps_skip_host_only(tmp_path, private_cache):
    """bundle -r --deps: dependencies followed here; pip never asked for a host-only package."""
    find_links = dist_file("adafruit-circuitpython-debouncer").parent
    req = tmp_path / "req.txt"
    req.write_text("adafruit-circuitpython-debouncer\n")
    result = mpycross("bundle", "-r", req, "--deps", "--target", "circuitpython-9.2", "-o", tmp_path / "out", "-q",
                      "--pip-option=--no-index", f"--pip-option=--find-links={find_links}")
    assert result.exit_code == 0, result.output
    assert "note: skipped adafruit-blinka (needed by adafruit-circuitpython-debouncer" in result.output
    table = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    assert sorted(table) == ["adafruit_debouncer", "adafruit_ticks"]


def test_bundle_json_naming_a_host_only_module_still_installs(tmp_path, bundles):
    """A bundle json from before the host-only list (dependencies: circuitpython_typing) does not block."""
    work = tmp_path / "b"
    shutil.copytree(bundles, work)
    table_path = next(work.glob("*.json"))
    table = json.loads(table_path.read_text())
    table["adafruit_debouncer"]["dependencies"].append("circuitpython_typing")
    table["adafruit_debouncer"]["external_dependencies"].append("typing-extensions")
    table_path.write_text(json.dumps(table))
    drive = fake_drive(tmp_path / "CIRCUITPY")
    result = mpycross("install", "adafruit_debouncer", "--device", drive, "--bundle", work, "--offline")
    assert result.exit_code == 0, result.output
    assert "note: skipped circuitpython_typing (needed by adafruit_debouncer)" in result.output
    assert "note: skipped typing-extensions (needed by adafruit_debouncer)" in result.output
    assert [i.module for i in installed(drive)] == ["adafruit_debouncer", "adafruit_ticks"]


def test_shadowing_py_removed_after_yes_at_the_prompt(tmp_path, bundles, monkeypatch):
    from mpycross.cli import cmd_install

    drive = fake_drive(tmp_path / "CIRCUITPY")
    (drive / "lib").mkdir()
    (drive / "lib" / "adafruit_ticks.py").write_text("# my edited copy\n")
    monkeypatch.setattr(cmd_install, "interactive", lambda: True)
    no = CliRunner().invoke(cli, ["install", "adafruit_ticks", "--device", str(drive), "--bundle", str(bundles),
                                  "--offline"], input="n\n")
    assert no.exit_code == 0 and "remove lib/adafruit_ticks.py (it would be imported instead" in no.output
    assert (drive / "lib" / "adafruit_ticks.py").read_text() == "# my edited copy\n"
    assert "lib/adafruit_ticks.py is kept" in no.output
    yes = CliRunner().invoke(cli, ["install", "adafruit_ticks", "--device", str(drive), "--bundle", str(bundles),
                                   "--offline"], input="y\n")
    assert yes.exit_code == 0 and not (drive / "lib" / "adafruit_ticks.py").exists()
    assert "remove lib/adafruit_ticks.py: it would shadow lib/adafruit_ticks.mpy" in yes.output


def test_py_refuses_a_compiled_bundle(tmp_path, bundles):
    drive = fake_drive(tmp_path / "CIRCUITPY")
    result = mpycross("install", "adafruit_ticks", "--py", "--device", drive, "--bundle", bundles, "--offline")
    assert result.exit_code == 1 and "--py needs sources" in result.output and not (drive / "lib").exists()


def test_sdist_in_the_cache_is_installed_like_a_wheel(tmp_path, private_cache):
    """A distribution PyPI has only as an sdist: read like a repository, compiled, installed."""
    import tarfile

    from tests.test_bundle import _make_repo

    repo = _make_repo(tmp_path / "mylib_dist-3.1.4")
    (repo / "requirements.txt").write_text("Adafruit-Blinka\n")
    (private_cache / "pypi").mkdir(parents=True)
    with tarfile.open(private_cache / "pypi" / "mylib_dist-3.1.4.tar.gz", "w:gz") as t:
        t.add(repo, arcname=repo.name)
    drive = fake_drive(tmp_path / "CIRCUITPY")
    result = mpycross("install", "mylib-dist==3.1.4", "--device", drive, "--offline")
    assert result.exit_code == 0, result.output
    assert "mylib 3.1.4" in result.output and "note: skipped adafruit-blinka (needed by mylib)" in result.output
    assert (drive / "lib" / "mylib" / "sub" / "deep.mpy").is_file() and (drive / "lib" / "mylib_extra.mpy").is_file()
    assert [(i.module, i.version) for i in installed(drive)] == [("mylib", "3.1.4")]


def test_doctor_checks_dependencies_from_the_manifest(tmp_path, bundles):
    drive = fake_drive(tmp_path / "CIRCUITPY")
    result = mpycross("install", "adafruit_debouncer", "--no-deps", "--device", drive / "boot_out.txt",
                      "--bundle", bundles, "--offline")
    assert result.exit_code == 0, result.output
    doctor = CliRunner().invoke(cli, ["doctor", "--device", str(drive)])
    assert doctor.exit_code == 1
    assert "lib/adafruit_debouncer: needs adafruit_ticks, which is not installed" in doctor.output
    manifest = drive / "lib" / ".mpycross.json"
    data = json.loads(manifest.read_text())
    data["libraries"]["adafruit_debouncer"]["dependencies"] = ["circuitpython_typing"]   # host-only: never needed
    manifest.write_text(json.dumps(data))
    doctor = CliRunner().invoke(cli, ["doctor", "--device", str(drive / "boot_out.txt")])
    assert doctor.exit_code == 0 and "no problems found" in doctor.output, doctor.output
