"""Bad input: truncated, mutated, empty and foreign files give one FormatError
line (file, byte offset, what was expected), never a traceback, from
`read_mpy`, the disassembler, and the `dis` / `inspect` commands.
"""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.oracles import official

from mpycross.cli.toolchain import cli
from mpycross.errors import FormatError
from mpycross.mpy import read_mpy, write_mpy
from mpycross.mpy.dis import disassemble, format_text

HERE = Path(__file__).resolve().parent
SOURCES = {
    "basics": HERE / "data" / "format_programs" / "basics.py",
    "native": HERE / "data" / "format_programs" / "native_code.py",
}
# (release, source, options): one file per format family
CASES = [("1.9", "basics", ()), ("1.11", "basics", ()), ("1.12", "basics", ()),
         ("1.29", "basics", ()), ("1.29", "native", ("-march=armv7m",)),
         ("v5", "native", ("-march=x64",))]
MESSAGE = re.compile(r"^\S.* at offset \d+: .+$")


@functools.cache
def sample(release: str, source: str, options: tuple[str, ...]) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.mpy"
        proc = subprocess.run([str(official(release)), *options, "-s", "prog.py", "-o", str(out),
                               str(SOURCES[source])], capture_output=True)
        assert proc.returncode == 0, proc.stderr
        return out.read_bytes()


def samples() -> list[bytes]:
    return [sample(*case) for case in CASES]


def check_read(data: bytes) -> None:
    """read_mpy and the disassembler either succeed or raise one FormatError."""
    try:
        mpy = read_mpy(data, "bad.mpy")
        format_text(disassemble(mpy))
    except FormatError as e:
        text = str(e)
        assert "\n" not in text
        assert text.startswith("bad.mpy")
        if e.offset is not None:
            assert 0 <= e.offset <= len(data)
        return
    # a mutation may still give a well-formed file (perhaps not canonically encoded):
    # it must write, and what it writes must read back to the same model
    again = write_mpy(mpy)
    assert write_mpy(read_mpy(again, "bad.mpy")) == again


def test_empty_file():
    with pytest.raises(FormatError) as info:
        read_mpy(b"", "empty.mpy")
    assert str(info.value) == "empty.mpy at offset 0: empty file: expected a .mpy header ('M' or 'C')"


def test_foreign_file():
    with pytest.raises(FormatError) as info:
        read_mpy(b"\x7fELF\x02\x01\x01", "a.out")
    assert info.value.offset == 0 and "not a .mpy file" in str(info.value)


def test_unsupported_version():
    with pytest.raises(FormatError) as info:
        read_mpy(b"M\x07\x00\x1f", "future.mpy")
    assert info.value.offset == 1 and "version 7" in str(info.value)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}")
def test_every_truncation_is_reported(case):
    data = sample(*case)
    for n in range(len(data)):
        with pytest.raises(FormatError) as info:
            read_mpy(data[:n], "cut.mpy")
        assert MESSAGE.match(str(info.value)), str(info.value)
        assert info.value.offset <= n


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}")
def test_trailing_garbage_is_reported(case):
    data = sample(*case)
    with pytest.raises(FormatError) as info:
        read_mpy(data + b"\x00", "long.mpy")
    assert info.value.offset == len(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutations_never_crash(data):
    original = data.draw(st.sampled_from(samples()))
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(mutated) - 1))
        mutated[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(mutated)))
    check_read(bytes(mutated[:cut]) if data.draw(st.booleans()) else bytes(mutated))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=64))
def test_random_bytes_never_crash(blob):
    check_read(b"M\x06\x00\x1f" + blob)
    check_read(b"C\x05\x02\x1f\x20" + blob)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_cli_reports_one_line(tmp_path, data):
    original = data.draw(st.sampled_from(samples()))
    cut = data.draw(st.integers(0, len(original) - 1))
    mutated = bytearray(original[:cut])
    if mutated and data.draw(st.booleans()):
        mutated[data.draw(st.integers(0, len(mutated) - 1))] ^= 0xFF
    path = tmp_path / "board.mpy"
    path.write_bytes(bytes(mutated))
    runner = CliRunner()
    for args in (["dis", str(path)], ["dis", "--json", str(path)], ["inspect", str(path)]):
        result = runner.invoke(cli, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        if result.exit_code != 0:
            assert result.exit_code == 1
            assert "Traceback" not in result.output
            lines = result.output.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(str(path)), result.output


def test_cli_subprocess_truncated(tmp_path):
    path = tmp_path / "cut.mpy"
    path.write_bytes(sample("1.29", "basics", ())[:40])
    for cmd in ("dis", "inspect"):
        proc = subprocess.run(["mpycross", cmd, str(path)], capture_output=True, text=True,
                              env=_env())
        assert proc.returncode == 1
        assert proc.stdout == ""
        assert MESSAGE.match(proc.stderr.strip()) and "Traceback" not in proc.stderr, proc.stderr


def _env():
    import os
    import sys

    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env
