"""Bad input: truncated, mutated, empty and foreign files give one FormatError
line (file, byte offset, what was expected), never a traceback, from
`read_mpy`, the disassembler, and the `dis` / `inspect` commands.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import oracles
from tests.oracles import official

from mpycross.cli.commands import cli
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


# -- files the .mpy tools once broke on ------------------------------------------
# Each runs the `mpycross` entry point in a bounded process (tests.support.mpy_fuzz)
# with stdout a strict UTF-8 stream, as PYTHONIOENCODING=utf-8 makes it.

TOOLS = (("dis",), ("dis", "--json"), ("inspect",), ("inspect", "--json"), ("footprint",))


@pytest.fixture(scope="module")
def tools():
    import sys

    from tests.support.mpy_fuzz import Runner

    if sys.platform != "linux":
        pytest.skip("the bounded runner forks and reads /proc")

    with Runner() as runner:
        yield runner


def compile_official(tmp_path: Path, source: str, release: str = "1.29", name: str = "prog.py") -> bytes:
    """The official output, also left in tmp_path beside its source (as NAME.mpy)."""
    done = oracles.compile_official(source, release, args=["-s", name], name=name)
    assert done.mpy is not None, done.text
    (tmp_path / name).write_text(source)
    (tmp_path / (Path(name).stem + ".mpy")).write_bytes(done.mpy)
    return done.mpy


def run_tools(tools, path: Path, commands=TOOLS) -> dict:
    """{command: outcome}, each checked for a traceback, a stray exit code and its bounds."""
    found = {}
    for outcome in tools.run(str(path), commands):
        assert outcome.problems(str(path)) == [], (outcome.command, outcome.stderr[-2000:])
        found[" ".join(outcome.command)] = outcome
    return found


@pytest.mark.parametrize("release", ["1.29", "1.12", "1.9"])
def test_int_constant_past_4300_digits(tools, tmp_path, release):
    """CPython's int/str limit is not MicroPython's: a 5000-digit constant is shown whole."""
    digits = "7" * 5000
    path = tmp_path / "big.mpy"
    path.write_bytes(compile_official(tmp_path, f"x = -{digits}\nprint(x % 1000)\n", release, "big.py"))
    commands = TOOLS if release == "1.29" else TOOLS[:4]   # footprint models v6 only
    out = run_tools(tools, path, commands)
    assert all(o.status == 0 for o in out.values()), {c: o.stderr for c, o in out.items()}
    proc = subprocess.run(["mpycross", "dis", str(path)], capture_output=True, text=True, env=_env())
    assert proc.returncode == 0 and f"-{digits}" in proc.stdout, proc.stderr
    listing = json.loads(subprocess.run(["mpycross", "dis", "--json", str(path)], capture_output=True,
                                        env=_env()).stdout)
    consts = listing["obj_table"] if release == "1.29" else listing["raw_code"]["consts"]
    assert {"type": "int", "value": f"-{digits}"} in consts


def _with_bad_utf8(data: bytes, name: bytes) -> bytes:
    """`data` with the first byte after `name`'s first three made 0xff (one changed byte)."""
    at = data.index(name) + 3
    return data[:at] + b"\xff" + data[at + 1:]


@pytest.mark.parametrize("release", ["1.29", "1.12"])
@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "locale"])
def test_invalid_utf8_name_is_printed_escaped(tmp_path, release, encoding):
    """A qstr that is not UTF-8 prints as \\xff under any output encoding, never a traceback."""
    data = compile_official(tmp_path, "abc_name = 1\nprint(abc_name)\n", release)
    path = tmp_path / "bad.mpy"
    path.write_bytes(_with_bad_utf8(data, b"abc_name"))
    env = _env()
    if encoding == "locale":
        env.pop("PYTHONIOENCODING", None)
        env["LC_ALL"] = "C.UTF-8"
    else:
        env["PYTHONIOENCODING"] = encoding
    for command in TOOLS if release == "1.29" else TOOLS[:4]:
        proc = subprocess.run(["mpycross", *command, str(path)], capture_output=True, env=env)
        err = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode == 0 and "Traceback" not in err, (command, err)
        if command == ("dis",):
            out = proc.stdout.decode("ascii")     # the escape leaves nothing to encode
            assert "abc\\xffname" in out, out
        elif command == ("dis", "--json"):
            out = proc.stdout.decode("ascii")
            assert json.loads(out) and "abc\\\\xffname" in out, out[:2000]   # JSON escapes the \\


def _with_operand(data: bytes, opcode: str, value: int) -> bytes:
    """A v6 file with the operand of the first `opcode` in its module code set to `value`."""
    from mpycross.mpy import encode_uint
    from mpycross.mpy.opcodes import decode, opcode_table
    from mpycross.mpy.prelude import decode_prelude

    mpy = read_mpy(data)
    code = mpy.root.fun_data
    table = opcode_table("v6")
    ip = decode_prelude(code, 0, "v5", "qstr_indices").bytecode_offset
    while True:
        ins = decode(table, code, ip)
        if ins.info.name == opcode:
            break
        ip += ins.size
    mpy.root.fun_data = code[:ip + 1] + encode_uint(value) + code[ip + ins.size:]
    return write_mpy(mpy)


@pytest.mark.parametrize("opcode", ["BUILD_TUPLE", "BUILD_LIST", "BUILD_SET", "UNPACK_SEQUENCE"])
def test_footprint_bounded_on_huge_counts(tools, tmp_path, opcode):
    """A count of 10**12 in a tiny file costs the footprint model no time or memory."""
    data = compile_official(tmp_path, "a = 1\nx = (a, a)\ny = [a]\nz = {a}\np, q = x\n")
    path = tmp_path / "counts.mpy"
    path.write_bytes(_with_operand(data, opcode, 10 ** 12))
    out = run_tools(tools, path)
    assert out["footprint"].status in (0, 2) and out["footprint"].cpu < 5, out["footprint"]


def _nested_tuple(depth: int) -> str:
    return "x = " + "(" * depth + "1" + ",)" * depth + "\nprint(len(x))\n"


def _nested_defs(depth: int) -> str:
    lines = [" " * i + f"def f{i}():" for i in range(depth)]
    return "\n".join(lines) + "\n" + " " * depth + "return 1\nprint('ok')\n"


@pytest.mark.parametrize("kind, depth", [("tuple", 102), ("tuple", 709), ("defs", 201), ("defs", 1000),
                                         pytest.param("defs", 5000, marks=pytest.mark.slow)])
def test_deep_nesting_is_read_as_the_vm_reads_it(tools, tmp_path, kind, depth):
    """Nesting the official compiler writes and the real VM imports is read by every tool."""
    from tests.oracles import run_micropython

    source = _nested_tuple(depth) if kind == "tuple" else _nested_defs(depth)
    data = compile_official(tmp_path, source, name="deep.py")
    (tmp_path / "deep.py").unlink()
    vm = run_micropython(["-c", "import deep"], cwd=tmp_path)
    assert vm.returncode == 0 and vm.stdout.strip() in (b"1", b"ok"), vm.stdout + vm.stderr
    assert write_mpy(read_mpy(data)) == data
    out = run_tools(tools, tmp_path / "deep.mpy")
    assert all(o.status == 0 for o in out.values()), {c: o.stderr[-500:] for c, o in out.items()}


def _error_lines(outcome) -> list[str]:
    """What a failed command reported: stderr, or the error of `inspect --json`."""
    if outcome.command == ("inspect", "--json"):
        return [info["error"] for info in json.loads(outcome.stdout_tail)]
    return outcome.stderr.strip().splitlines()


def test_nesting_past_the_limit_is_one_line(tools, tmp_path):
    """Past MAX_NESTING (deeper than any compiler writes) the reader refuses, in one line."""
    from mpycross.deep import MAX_NESTING

    data = compile_official(tmp_path, "x = ((1,),)\n")
    one_level = b"\x0a\x01"          # MP_PERSISTENT_OBJ_TUPLE of one item
    at = data.index(one_level * 2)
    path = tmp_path / "deeper.mpy"
    path.write_bytes(data[:at] + one_level * (MAX_NESTING + 5) + data[at + 4:])
    out = run_tools(tools, path)
    for outcome in out.values():
        assert outcome.status in (1, 2)
        lines = _error_lines(outcome)
        assert len(lines) == 1 and f"nested more than {MAX_NESTING} deep" in lines[0], lines


def test_corrupt_constant_error_is_short(tools, tmp_path):
    """A corrupt long constant is named by offset and an excerpt, not dumped whole."""
    data = compile_official(tmp_path, f"x = {'9' * 3000}\n")
    path = tmp_path / "bad.mpy"
    at = data.index(b"9" * 3000) + 1500
    path.write_bytes(data[:at] + b"x" + data[at + 1:])
    out = run_tools(tools, path)
    for outcome in out.values():
        assert outcome.status in (1, 2)
        lines = _error_lines(outcome)
        assert len(lines) == 1 and MESSAGE.match(lines[0].removeprefix("error: ")), lines
        assert "malformed int constant" in lines[0] and len(lines[0]) - len(str(path)) <= 200, lines[0]


def test_footprint_names_are_text(tmp_path):
    """`footprint -v` prints a name with markup brackets or a byte that is not UTF-8 as it is."""
    data = compile_official(tmp_path, "def fab_cd():\n    pass\nclass K:\n    x = print(1)\n")
    for name, shown in ((b"f[/x]c", "f[/x]c()"), (b"f[/x]\xff", "f[/x]\\xff()")):
        path = tmp_path / "names.mpy"
        path.write_bytes(data.replace(b"fab_cd", name))
        env = dict(_env(), PYTHONIOENCODING="utf-8")
        proc = subprocess.run(["mpycross", "footprint", "-v", str(path)], capture_output=True, env=env)
        out, err = proc.stdout.decode(), proc.stderr.decode()
        assert proc.returncode == 0 and "Traceback" not in err, err
        assert shown in out, out


def test_footprint_error_names_offset_and_index(tools, tmp_path):
    """Bytecode the reader accepts but whose operand points past a table: one line with the
    function's offset and what was expected."""
    data = compile_official(tmp_path, "import foo\nx = foo.bar\n")
    path = tmp_path / "index.mpy"
    path.write_bytes(_with_operand(data, "IMPORT_NAME", 99))
    (outcome,) = tools.run(str(path), [("footprint",)])
    assert outcome.problems(str(path)) == [] and outcome.status == 2
    line = outcome.stderr.strip()
    assert MESSAGE.match(line.removeprefix("error: ")) and "qstr index 99 out of range" in line, line
