"""The target registry: names, aliases, versions, features, errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.oracles import official

from mpycross.cli.commands import cli
from mpycross.errors import TargetError
from mpycross.mpy import read_mpy
from mpycross.targets import all_targets, resolve_target
from tests.oracles import GOLDEN_DIR as GOLDEN_ROOT
from tests.oracles import GOLDEN_MISSING

MP_RELEASES = ["1.9", "1.9.1", "1.9.2", "1.9.3", "1.9.4", "1.10", "1.11", "1.12", "1.13", "1.14",
               "1.15", "1.16", "1.17", "1.18", "1.19", "1.19.1", "1.20.0", "1.21.0", "1.22.0",
               "1.23.0", "1.24.0", "1.25.0", "1.26.0", "1.27.0", "1.28.0", "1.29"]


def test_every_release_is_a_target():
    names = {t.name for t in all_targets()}
    for rel in MP_RELEASES:
        assert f"micropython-{rel}" in names
    for rel in ("8.2", "9.2", "10.0", "10.2"):
        assert f"circuitpython-{rel}" in names


@pytest.mark.parametrize("name,expected,mpy", [
    ("micropython-1.18", "micropython-1.18", "5"),
    ("micropython-1.29", "micropython-1.29", "6.3"),
    ("circuitpython-8.2", "circuitpython-8.2", "5"),
    ("circuitpython-9.2", "circuitpython-9.2", "6.3"),
    ("circuitpython-10.2", "circuitpython-10.2", "6.3"),
    ("circuitpython-10", "circuitpython-10.2", "6.3"),
    ("cp-9", "circuitpython-9.2", "6.3"),
    ("CircuitPython-8.2.10", "circuitpython-8.2", "5"),
    ("micropython-1.20", "micropython-1.20.0", "6.1"),
    ("mp-1.22", "micropython-1.22.0", "6.2"),
    ("1.9.3", "micropython-1.9.3", "3"),
    ("micropython-1.9", "micropython-1.9", "2"),
    ("micropython-1.11", "micropython-1.11", "4"),
    ("micropython-1.19.1", "micropython-1.19.1", "6.0"),
    ("micropython", "micropython-1.29", "6.3"),
])
def test_resolve(name, expected, mpy):
    t = resolve_target(name)
    assert (t.name, t.mpy_version_name) == (expected, mpy)


def test_circuitpython_equals_its_micropython_base():
    for name, base in (("circuitpython-8.2", "1.18"), ("circuitpython-9.2", "1.23.0"),
                       ("circuitpython-10.0", "1.25.0"), ("circuitpython-10.2", "1.27.0")):
        cp, mp = resolve_target(name), resolve_target(f"micropython-{base}")
        assert cp.base_release == mp.release
        assert (cp.mpy_version, cp.mpy_sub_version, cp.bytecode) == (mp.mpy_version, mp.mpy_sub_version, mp.bytecode)
        assert cp.magic == "C" and mp.magic == "M"
        assert mp.features < cp.features
        assert cp.has("circuitpython_await") and not mp.has("circuitpython_await")


@pytest.mark.parametrize("bad", ["foo", "micropython-2", "", "micropython-1.x.y", "zephyr-1.0"])
def test_unknown_names(bad):
    with pytest.raises(TargetError) as info:
        resolve_target(bad)
    assert "micropython-1.29" in str(info.value) and "circuitpython-10.2" in str(info.value)


def test_feature_flags_follow_releases():
    assert not resolve_target("micropython-1.16").has("fstrings")
    assert resolve_target("micropython-1.17").has("fstrings")
    assert resolve_target("micropython-1.12").has("matmul_operator")
    assert not resolve_target("micropython-1.11").has("matmul_operator")
    with pytest.raises(KeyError):
        resolve_target("micropython-1.29").has("no_such_feature")


@pytest.mark.parametrize("release,target", [("1.9", "micropython-1.9"), ("1.9.3", "micropython-1.9.3"),
                                            ("1.11", "micropython-1.11"), ("1.12", "micropython-1.12"),
                                            ("1.19", "micropython-1.19"), ("1.29", "micropython-1.29"),
                                            ("v5", "micropython-1.18")])
def test_header_matches_official_compiler(tmp_path, release, target):
    src = tmp_path / "x.py"
    src.write_text("x = 1\n")
    subprocess.run([str(official(release)), "-o", str(tmp_path / "x.mpy"), str(src)], check=True)
    h = read_mpy((tmp_path / "x.mpy").read_bytes()).header
    t = resolve_target(target)
    assert (h.magic, h.version, h.small_int_bits) == (t.magic, t.mpy_version, t.small_int_bits)
    assert t.loads(h.magic, h.version, h.sub_version, h.arch) is None
    assert t.header() == h


def test_feature_syntax_matches_official_compilers(tmp_path):
    # fstrings: 1.12 rejects, v5 (1.18-based) accepts; a target flag must agree with the compiler
    src = tmp_path / "f.py"
    src.write_text('x = 1\nprint(f"{x}")\n')
    for release, target in (("1.12", "micropython-1.12"), ("v5", "micropython-1.18"), ("1.29", "micropython-1.29")):
        ok = subprocess.run([str(official(release)), "-o", str(tmp_path / "f.mpy"), str(src)],
                            capture_output=True).returncode == 0
        assert ok == resolve_target(target).has("fstrings"), release


def test_targets_command():
    result = CliRunner().invoke(cli, ["targets"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    row = next(line for line in lines if line.startswith("circuitpython-9.2 "))
    assert " 6.3 " in row and "'C'" in row and "CircuitPython 9.0 - 10.3" in row
    row = next(line for line in lines if line.startswith("micropython-1.18 "))
    assert " 5 " in row and "MicroPython 1.12 - 1.18" in row
    result = CliRunner().invoke(cli, ["targets", "--json"])
    import json

    data = json.loads(result.output)
    assert len(data) == len(all_targets())


@pytest.mark.parametrize("release,target", [("1.12", "micropython-1.12"), ("1.22", "micropython-1.22.0"),
                                            ("1.29", "micropython-1.29")])
def test_native_header_matches_official_compiler(tmp_path, release, target):
    src = Path(__file__).resolve().parent / "data" / "format_programs" / "native_code.py"
    subprocess.run([str(official(release)), "-march=armv7m", "-o", str(tmp_path / "n.mpy"), str(src)], check=True)
    h = read_mpy((tmp_path / "n.mpy").read_bytes()).header
    assert resolve_target(target).header(native_arch=5) == h


def test_circuitpython_headers_match_golden():
    golden = GOLDEN_ROOT / "out"
    if not golden.is_dir():
        pytest.skip(GOLDEN_MISSING)
    for name, folder in (("circuitpython-8.2", "circuitpython-8.2.10"), ("circuitpython-9.0", "circuitpython-9.0.5"),
                         ("circuitpython-9.1", "circuitpython-9.1.4"), ("circuitpython-9.2", "circuitpython-9.2.9"),
                         ("circuitpython-10.0", "circuitpython-10.0.3"), ("circuitpython-10.1", "circuitpython-10.1.4"),
                         ("circuitpython-10.2", "circuitpython-10.2.1"),
                         ("circuitpython-10.3", "circuitpython-10.3.0-alpha.4")):
        path = next((golden / folder / "O0").glob("*.mpy"))
        assert resolve_target(name).header() == read_mpy(path.read_bytes()).header


@pytest.mark.parametrize("name, expected, warns", [
    ("circuitpython-10.3.1", "circuitpython-10.3", None),        # a patch release: its minor's rules
    ("circuitpython-9.0.0", "circuitpython-9.0", None),
    ("cp-9.1.2", "circuitpython-9.1", None),
    ("circuitpython-10", "circuitpython-10.2", None),            # a major: its newest stable release
    ("10.x", "circuitpython-10.2", None),
    ("circuitpython-10.3.0-alpha.4", "circuitpython-10.3", None),
    ("circuitpython-11", "circuitpython-10.3", "CircuitPython 10.3.0-alpha.4"),
    ("11.0.0-alpha.1", "circuitpython-10.3", "CircuitPython 10.3.0-alpha.4"),
    ("11.x", "circuitpython-10.3", "newer than every release"),
    ("cp-8.0.5", "circuitpython-8.2", "CircuitPython 8.2.10"),
    ("circuitpython-7.3.3", "circuitpython-8.2", "CircuitPython 8.2.10"),
])
def test_names_users_type(name, expected, warns):
    """Every CircuitPython release resolves; another release's rules are named in a warning."""
    import warnings

    from mpycross.errors import TargetWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert resolve_target(name).name == expected
    notes = [str(w.message) for w in caught if issubclass(w.category, TargetWarning)]
    if warns is None:
        assert notes == []
    else:
        assert len(notes) == 1 and warns in notes[0]


def test_circuitpython_6_is_refused_with_the_reason():
    with pytest.raises(TargetError, match="before 7"):
        resolve_target("circuitpython-6.3.0")


def test_cli_prints_the_warning_once(tmp_path):
    import sys

    src = tmp_path / "a.py"
    src.write_text("x = 1\n")
    proc = subprocess.run([sys.executable, "-m", "mpycross.cli.mpy_cross", "--target", "circuitpython-11", str(src)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("warning: CircuitPython 11 is newer") == 1
    assert (tmp_path / "a.mpy").read_bytes()[:4] == b"C\x06\x00\x1f"
