"""Choosing a target: --target names, mpy:<_mpy>, --device, the PyPI wrapper's -c/-b.

The chosen target is checked by what it compiles: the header bytes and, for
-c/-b, the same bytes as the official compiler of the release the option
stands for.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from mpycross.device import detect_target, parse_firmware, target_for_firmware
from mpycross.errors import TargetError
from mpycross.targets import all_targets, choose_target, resolve_target

SOURCE = b"x = 1.5\nasync def f(g):\n    await g\nprint(f, 2 ** 40, (1, 2))\n"
MPY_CROSS = [sys.executable, "-m", "mpycross.cli.mpy_cross"]
TOOLCHAIN = [sys.executable, "-m", "mpycross"]


def mpy_cross(args, cwd):
    return subprocess.run([*MPY_CROSS, *args], cwd=cwd, capture_output=True, timeout=120)


@pytest.fixture
def src(tmp_path):
    (tmp_path / "a.py").write_bytes(SOURCE)
    return tmp_path


@pytest.mark.parametrize("text, want", [
    ("Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit Feather RP2040 with rp2040", "circuitpython-9.2"),
    ("Adafruit CircuitPython 10.0.0-beta.2 on 2025-06-01; Raspberry Pi Pico with rp2040", "circuitpython-10.0"),
    ("Adafruit CircuitPython 10.1.3 on 2025-09-01; Pico", "circuitpython-10.1"),
    ("Adafruit CircuitPython 9.0.0 on 2024-03-19; Pico", "circuitpython-9.0"),
    ("Adafruit CircuitPython 9.1.4 on 2024-09-17; Pico", "circuitpython-9.1"),
    ("Adafruit CircuitPython 10.3.0-alpha.4 on 2026-11-01; Pico", "circuitpython-10.3"),
    ("Adafruit CircuitPython 10.3.2 on 2027-01-01; Pico", "circuitpython-10.3"),
    ("Adafruit CircuitPython 10.2.1 on 2025-12-01; Pico", "circuitpython-10.2"),
    ("Adafruit CircuitPython 8.2.6 on 2023-09-12; Feather M4", "circuitpython-8.2"),
    ("Adafruit CircuitPython 8.0.5 on 2023-03-31; Feather M4", "circuitpython-8.2"),
    ("Adafruit CircuitPython 7.3.3 on 2022-08-29; Feather M4", "circuitpython-8.2"),
    ("MicroPython v1.22.2 on 2024-02-22; Raspberry Pi Pico with RP2040", "micropython-1.22.2"),
    ("MicroPython v1.24.0-preview.10 on 2024-05-01; ESP32", "micropython-1.24.0"),
    ("(name='micropython', version=(1, 20, 0, ''), _machine='ESP32 module', _mpy=10246)", "micropython-1.20.0"),
    ("_mpy=2822", "micropython-1.23.0"),
])
def test_firmware_text_maps_to_target(text, want):
    assert target_for_firmware(parse_firmware(text)).name == want


@pytest.mark.parametrize("text", ["Adafruit CircuitPython 6.3.0 on 2021-06-01; x", "MicroPython v1.8.7 on x",
                                  "hello", ""])
def test_unknown_firmware_is_a_target_error(text):
    with pytest.raises(TargetError):
        target_for_firmware(parse_firmware(text))


def test_detect_target_reads_a_circuitpy_drive(tmp_path):
    (tmp_path / "boot_out.txt").write_text(
        "Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit Feather RP2040 with rp2040\nBoard ID:feather\n")
    assert detect_target(tmp_path).name == "circuitpython-9.2"
    assert detect_target(tmp_path / "boot_out.txt").name == "circuitpython-9.2"
    empty = tmp_path / "lib"
    empty.mkdir()
    with pytest.raises(TargetError, match="no boot_out.txt"):
        detect_target(empty)


@pytest.mark.parametrize("value, want", [(2822, (6, 3)), (1798, (6, 3)), (6, (6, 0)), (262 | 1 << 8, (6, 1)),
                                         (518, (6, 2)), (5, (5, 0))])
def test_sys_mpy_number(value, want):
    t = choose_target(f"mpy:{value}")
    assert (t.mpy_version, t.mpy_sub_version) == want
    # the oldest release of that version: its output loads on every such firmware
    same = [x for x in all_targets() if x.family == "micropython" and x.mpy_version == want[0]
            and x.mpy_sub_version == want[1]]
    assert t == min(same, key=lambda x: tuple(int(p) for p in x.release.split(".")))


def test_compat_and_bytecode_options():
    assert choose_target(compat="1.21").name == "micropython-1.21.0"
    assert choose_target(compat="v1.22.5").name == "micropython-1.22.2"
    assert choose_target(compat="1.99").name == resolve_target("micropython").name
    assert choose_target(bytecode="6.3").name == "micropython-1.23.0"
    assert choose_target(bytecode="v5").name == "micropython-1.12"
    with pytest.raises(TargetError):
        choose_target(compat="1.2")
    with pytest.raises(TargetError):
        choose_target(bytecode="7")
    with pytest.raises(TargetError, match="only one"):
        choose_target("cp-9", compat="1.20")
    with pytest.raises(TargetError, match="--device"):
        choose_target("auto")


def test_unknown_target_lists_valid_names():
    with pytest.raises(TargetError) as err:
        choose_target("micropython-2.0")
    assert "micropython-1.29" in str(err.value) and "circuitpython-10.2" in str(err.value)


@pytest.mark.parametrize("args, header", [
    (["--target", "circuitpython-9"], "4306001f"),
    (["--target", "cp-8"], "4305021f"),
    (["--target", "mpy:2822"], "4d06001f"),
    (["-c", "1.18"], "4d05021f"),
    (["-b=5"], "4d05021f"),
    (["--compat=1.21"], "4d06001f"),
])
def test_mpy_cross_target_options(src, args, header):
    proc = mpy_cross([*args, "-o", "out.mpy", "a.py"], src)
    assert proc.returncode == 0, proc.stderr
    assert (src / "out.mpy").read_bytes()[:4].hex() == header


def test_mpy_cross_device(src):
    drive = src / "CIRCUITPY"
    drive.mkdir()
    (drive / "boot_out.txt").write_text("Adafruit CircuitPython 10.2.1 on 2025-12-01; Pico with rp2040\n")
    for args in (["--target", "auto", "--device", str(drive)], ["--device", str(drive)]):
        proc = mpy_cross([*args, "-o", "out.mpy", "a.py"], src)
        assert proc.returncode == 0, proc.stderr
        ours = (src / "out.mpy").read_bytes()
        assert ours == mpy_cross(["--target", "circuitpython-10.2", "-o", "-", "a.py"], src).stdout


@pytest.mark.parametrize("args, message", [
    (["--target", "nope"], b"valid targets: micropython-1.9"),
    (["--target", "auto"], b"--device"),
    (["-c", "1.20", "-b", "6"], b"only one"),
])
def test_mpy_cross_target_errors_are_one_line(src, args, message):
    proc = mpy_cross([*args, "a.py"], src)
    assert proc.returncode == 1
    assert message in proc.stderr and proc.stderr.count(b"\n") == 1 and b"Traceback" not in proc.stderr


@pytest.mark.parametrize("option, release", [("-c", "1.21.0"), ("-b", "1.22.0")])
def test_wrapper_options_match_that_release(src, option, release):
    """-c 1.21 is micropython-1.21.0; -b 6.2 is the release the PyPI wrapper uses (1.22.0)."""
    from tests.oracles import oracle_or_skip

    binary = oracle_or_skip(release)
    value = "1.21" if option == "-c" else "6.2"
    ours = mpy_cross([option, value, "-o", "-", "a.py"], src)
    theirs = subprocess.run([str(binary), "-o", "ref.mpy", "a.py"], cwd=src, capture_output=True)
    assert theirs.returncode == 0
    assert ours.stdout == (src / "ref.mpy").read_bytes()


def test_mpycross_compile_device_and_compat(src):
    drive = src / "CIRCUITPY"
    drive.mkdir()
    (drive / "boot_out.txt").write_text("Adafruit CircuitPython 9.2.1 on 2024-11-20; Feather\n")
    proc = subprocess.run([*TOOLCHAIN, "compile", "--device", str(drive), "-o", "out", "a.py"], cwd=src,
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (src / "out" / "a.mpy").read_bytes()[:4].hex() == "4306001f"
    proc = subprocess.run([*TOOLCHAIN, "compile", "-c", "1.18", "-o", "out5", "a.py"], cwd=src,
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (src / "out5" / "a.mpy").read_bytes()[:4].hex() == "4d05021f"
    proc = subprocess.run([*TOOLCHAIN, "compile", "--target", "x", "-b", "6", "a.py"], cwd=src,
                          capture_output=True, timeout=120)
    assert proc.returncode == 2 and b"only one" in proc.stderr
