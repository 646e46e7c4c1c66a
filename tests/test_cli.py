"""The command-line interfaces: `mpy-cross` against the official binary, and `mpycross compile`.

`mpy-cross` is run as `python -m mpycross.cli.mpy_cross` (the installed
console script is checked separately), the official 1.29 binary through
tests.oracles. Usage text is compared with the program name normalised
(the official tool prints its own argv[0]).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.oracles import official, run_official

HERE = Path(__file__).resolve().parent
PROGRAMS_DIR = HERE / "programs"
OURS = [sys.executable, "-m", "mpycross.cli.mpy_cross"]
TOOLCHAIN = [sys.executable, "-m", "mpycross"]

HELLO = b'def greet(n):\n    return "hi " + n\nprint(greet("there"))\n'
PARSE_ERROR = b"x = (\n"
COMPILE_ERROR = b"def f():\n    nonlocal x\n"
INDENT_ERROR = b"def f():\n  return\n x\n"


def ours(args, cwd, input=None):
    return subprocess.run([*OURS, *args], cwd=cwd, input=input, capture_output=True, timeout=120)


def theirs(args, cwd, input=None):
    return run_official(list(args), cwd=cwd, input=input)


def _normalise_usage(out: bytes) -> bytes:
    """The usage line names the program; and ours documents its target options in extra lines."""
    lines = out.split(b"\n")
    if lines and lines[0].startswith(b"usage: "):
        lines[0] = b"usage: PROG " + lines[0].split(b" ", 2)[2]
    ours_only = (b"--target", b"--device", b"-c <", b"-b <")
    return b"\n".join(line for line in lines if not line.startswith(ours_only))


def assert_same(a, b):
    assert (a.returncode, _normalise_usage(a.stdout), a.stderr) == (
        b.returncode, _normalise_usage(b.stdout), b.stderr)


@pytest.fixture
def work(tmp_path):
    (tmp_path / "hello.py").write_bytes(HELLO)
    (tmp_path / "parse_bad.py").write_bytes(PARSE_ERROR)
    (tmp_path / "compile_bad.py").write_bytes(COMPILE_ERROR)
    (tmp_path / "indent_bad.py").write_bytes(INDENT_ERROR)
    (tmp_path / "adir").mkdir()
    return tmp_path


# ---- option handling: parity with the official binary (no compiler needed) ----

EARLY_EXITS = [
    [],
    ["-h"],
    ["--help"],
    ["--foo", "hello.py"],
    ["hello.py", "other.py"],
    ["--", "-x.py", "hello.py"],
    ["-X"],
    ["-X", "nonsense", "hello.py"],
    ["hello.py", "-X"],
    ["-X", "emit=native", "hello.py"],
    ["-X", "emit=viper", "hello.py"],
    ["-march=z80", "hello.py"],
    ["-march=x64", "-march-flags=zz", "hello.py"],
    ["-march=armv6m", "-march-flags=zba", "hello.py"],
    ["-msmall-int-bits=abc", "hello.py"],
    ["-msmall-int-bits=12x", "hello.py"],
    ["-o"],
    ["-s"],
    ["-o", "out.mpy"],
    ["missing.py"],
    ["-O2", "missing.py"],
    ["adir"],
    [""],
]


@pytest.mark.parametrize("args", EARLY_EXITS, ids=lambda a: " ".join(a) or "<none>")
def test_early_exit_parity(work, args):
    a, b = ours(args, work), theirs(args, work)
    assert a.returncode != 0
    assert_same(a, b)
    assert not list(work.glob("*.mpy"))


def test_usage_goes_to_stdout_and_exits_1(work):
    a = ours(["-h"], work)
    assert a.returncode == 1 and a.stdout.startswith(b"usage: mpy-cross [<opts>]") and a.stderr == b""
    assert b"emit={bytecode,native,viper}" in a.stdout and b"--target" in a.stdout


def test_version(work):
    a, b = ours(["--version"], work), theirs(["--version"], work)
    assert a.returncode == b.returncode == 0
    assert b"mpycross" in a.stdout
    # same tail as the official: "; mpy-cross emitting mpy v6.3"
    assert a.stdout.split(b";")[-1] == b.stdout.split(b";")[-1] == b" mpy-cross emitting mpy v6.3\n"


def test_version_stops_parsing_like_official(work):
    # --version wins over what follows it, but not over a bad option before it
    for args in (["--version", "--bogus"], ["--bogus", "--version"], ["a.py", "b.py", "--version"]):
        a, b = ours(args, work), theirs(args, work)
        assert a.returncode == b.returncode, args
        if b.returncode:
            assert_same(a, b)


def test_console_script_is_ours():
    """The `mpy-cross` command on PATH beside this Python is mpycross's (not another package's)."""
    script = Path(sys.executable).parent / ("mpy-cross.exe" if os.name == "nt" else "mpy-cross")
    assert script.exists()
    proc = subprocess.run([str(script), "--version"], capture_output=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith(b"mpycross"), proc.stdout


# ---- option plumbing into compile_source (recorded by a stand-in compiler) ----

def _run_in_process(monkeypatch, tmp_path, args, result=b"MPY-BYTES"):
    import mpycross
    from mpycross.cli import mpy_cross

    calls = []

    def fake(source, filename="<stdin>", **kwargs):
        calls.append((source, filename, kwargs))
        return result

    monkeypatch.setattr(mpycross, "compile_source", fake)
    monkeypatch.chdir(tmp_path)
    status = mpy_cross.run(args)
    return status, calls


@pytest.mark.parametrize("flag, level", [("-O", 1), ("-OO", 2), ("-OOO", 3), ("-O0", 0), ("-O3", 3),
                                         ("-O9", 9), ("-Ox", 1), ("-OOx", 2)])
def test_optimisation_flags(monkeypatch, work, flag, level):
    status, calls = _run_in_process(monkeypatch, work, [flag, "hello.py"])
    assert status == 0
    assert calls[0][2]["opt"] == level


@pytest.mark.parametrize("value, bits", [("31", 31), ("0x10", 16), ("010", 8), ("-3", -3), ("", 0), ("63", 63)])
def test_small_int_bits_parsed_like_strtol(monkeypatch, work, value, bits):
    status, calls = _run_in_process(monkeypatch, work, [f"-msmall-int-bits={value}", "hello.py"])
    assert status == 0 and calls[0][2]["small_int_bits"] == bits


def test_options_reach_compile_source(monkeypatch, work):
    status, calls = _run_in_process(
        monkeypatch, work, ["-v", "-s", "lib\\mod.py", "--target", "circuitpython-9", "-X", "heapsize=10k",
                            "-X", "no-source-lines", "-march=x64", "hello.py"])
    assert status == 0
    source, filename, kwargs = calls[0]
    assert source == HELLO and filename == "hello.py"
    assert kwargs["source_name"] == "lib/mod.py"
    assert kwargs["target"] == "circuitpython-9"
    assert kwargs["include_source_lines"] is False
    assert (work / "hello.mpy").read_bytes() == b"MPY-BYTES"
    status, calls = _run_in_process(monkeypatch, work, ["--target=micropython-1.23", "hello.py"])
    assert calls[0][2]["target"] == "micropython-1.23"
    assert "source_name" not in calls[0][2] and "small_int_bits" not in calls[0][2]


def test_output_name_rules(monkeypatch, work):
    # mpy-cross/main.c: the input name minus two characters, plus "mpy"
    (work / "h").write_bytes(HELLO)
    (work / "notes.txt").write_bytes(HELLO)
    for args, expected in ((["h"], "mpy"), (["notes.txt"], "notes.tmpy"), (["hello.py"], "hello.mpy"),
                           (["-o", "x/../y.bin", "hello.py"], "y.bin")):
        (work / "x").mkdir(exist_ok=True)
        status, _ = _run_in_process(monkeypatch, work, args)
        assert status == 0 and (work / expected).read_bytes() == b"MPY-BYTES", args


@pytest.mark.parametrize("emit", ["native", "viper"])
def test_x_emit_matches_official(work, emit):
    """-X emit=native|viper compiles every function with that emitter, as mpy-cross does."""
    a = ours(["-march=x64", "-X", f"emit={emit}", "-o", "ours.mpy", "hello.py"], work)
    b = run_official(["-march=x64", "-X", f"emit={emit}", "-o", "theirs.mpy", "hello.py"], cwd=work)
    assert a.returncode == b.returncode == 0, a.stderr
    assert (work / "ours.mpy").read_bytes() == (work / "theirs.mpy").read_bytes()


def test_native_arch_unknown_to_the_release_is_one_line(work):
    """(What a release's native code still lacks is refused the same way: tests/test_native.py.)"""
    a = ours(["-march=rv32imc", "-X", "emit=viper", "--target", "micropython-1.23", "hello.py"], work)
    assert a.returncode == 1 and b"has no such architecture (rv32imc is from 1.24)" in a.stderr
    assert a.stderr.count(b"\n") == 1 and b"Traceback" not in a.stderr
    assert not (work / "hello.mpy").exists()


# ---- atomic output ----

def test_atomic_write_keeps_old_file_on_failure(monkeypatch, tmp_path):
    from mpycross.fileio import write_atomically

    target = tmp_path / "out.mpy"
    target.write_bytes(b"old")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomically(str(target), b"new contents")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mpy"]  # no temporary left behind


def test_atomic_write_mode_follows_umask(tmp_path):
    from mpycross.fileio import write_atomically

    target = tmp_path / "new.mpy"
    write_atomically(str(target), b"data")
    umask = os.umask(0)
    os.umask(umask)
    assert target.read_bytes() == b"data"
    if os.name != "nt":
        assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_atomic_write_skips_a_taken_temporary_name(tmp_path):
    from mpycross.fileio import write_atomically

    target = tmp_path / "out.mpy"
    taken = tmp_path / f".out.mpy.{os.getpid()}-0.tmp"
    taken.write_bytes(b"someone else's")
    write_atomically(str(target), b"data")
    write_atomically(str(target), b"data 2")
    assert target.read_bytes() == b"data 2"
    assert taken.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [taken.name, "out.mpy"]


def test_atomic_write_makes_missing_folders_and_writes_all_bytes(tmp_path):
    from mpycross.fileio import write_atomically

    target = tmp_path / "a" / "b" / "out.mpy"
    data = bytes(range(256)) * 5000  # more than one write() may take at once
    write_atomically(str(target), data)
    write_atomically(str(tmp_path / "a" / "b" / "second.mpy"), b"")  # into the folder just made
    assert target.read_bytes() == data
    assert (tmp_path / "a" / "b" / "second.mpy").read_bytes() == b""
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.mpy", "second.mpy"]


def test_failed_compile_leaves_existing_output(work):
    (work / "parse_bad.mpy").write_bytes(b"previous")
    a = ours(["parse_bad.py"], work)
    assert a.returncode == 1
    assert (work / "parse_bad.mpy").read_bytes() == b"previous"
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("out", ["no/such/dir/out.mpy", "adir"])
def test_unwritable_output_reports_like_official(work, out):
    args = ["-o", out, "hello.py"]
    a, b = ours(args, work), theirs(args, work)
    assert (a.returncode, a.stderr) == (b.returncode, b.stderr)


# ---- compiling: byte parity with the official binary (needs the compiler) ----

@pytest.mark.compiler
@pytest.mark.parametrize("args, out", [
    (["hello.py"], "hello.mpy"),
    (["-o", "custom.mpy", "hello.py"], "custom.mpy"),
    (["-s", "renamed.py", "hello.py"], "hello.mpy"),
    (["-O2", "hello.py"], "hello.mpy"),
    (["-msmall-int-bits=63", "hello.py"], "hello.mpy"),
    (["-march=x64", "hello.py"], "hello.mpy"),
    (["--", "hello.py"], "hello.mpy"),
    (["-X", "heapsize=64k", "-v", "hello.py"], "hello.mpy"),
    (["-X", "no-source-lines", "hello.py"], "hello.mpy"),
    (["-X", "emit=bytecode", "hello.py"], "hello.mpy"),
])
def test_output_file_parity(work, args, out):
    a = ours(args, work)
    assert a.returncode == 0, a.stderr
    mine = (work / out).read_bytes()
    (work / out).unlink()
    b = theirs(args, work)
    assert b.returncode == 0
    assert mine == (work / out).read_bytes()
    assert a.stdout == b.stdout == b"" and a.stderr == b.stderr == b""


@pytest.mark.compiler
@pytest.mark.parametrize("args, stdin", [
    (["-o", "-", "hello.py"], None),
    (["-"], HELLO),
    (["-s", "named.py", "-"], HELLO),
])
def test_stdout_parity(work, args, stdin):
    a, b = ours(args, work, input=stdin), theirs(args, work, input=stdin)
    assert a.returncode == b.returncode == 0, a.stderr
    assert a.stdout == b.stdout and a.stdout.startswith(b"M\x06")
    assert not list(work.glob("*.mpy"))


@pytest.mark.compiler
def test_stdin_to_file_parity(work):
    a = ours(["-o", "from_stdin.mpy", "-"], work, input=HELLO)
    assert a.returncode == 0, a.stderr
    mine = (work / "from_stdin.mpy").read_bytes()
    b = theirs(["-o", "from_stdin.mpy", "-"], work, input=HELLO)
    assert b.returncode == 0 and mine == (work / "from_stdin.mpy").read_bytes()


@pytest.mark.parametrize("args", [
    ["parse_bad.py"], ["compile_bad.py"], ["indent_bad.py"], ["-s", "other.py", "compile_bad.py"],
    ["-s", "other.py", "parse_bad.py"], ["-o", "-", "compile_bad.py"], ["./compile_bad.py"],
])
def test_syntax_error_parity(work, args):
    a, b = ours(args, work), theirs(args, work)
    assert b.returncode == 1
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)
    assert not list(work.glob("*.mpy"))


@pytest.mark.parametrize("args, stdin", [(["-"], PARSE_ERROR), (["-"], COMPILE_ERROR)])
def test_syntax_error_from_stdin_parity(work, args, stdin):
    a, b = ours(args, work, input=stdin), theirs(args, work, input=stdin)
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


GARBAGE = {
    "empty": b"",
    "binary": bytes(range(256)),
    "nul_bytes": b"x = 1\x00\x00\n",
    "bad_utf8": b'x = "\xff\xfe"\nprint(x)\n',
    "only_comment": b"# nothing\n",
    "crlf": b"x = 1\r\nif x:\r\n    y = 2\r\n",
    "tabs_and_spaces": b"if 1:\n\tx = 1\n        y = 2\n",
    "deep_parens": b"x = " + b"(" * 500 + b"1" + b")" * 500 + b"\n",
    "unterminated_string": b'x = "abc\n',
    "unterminated_triple": b'x = """abc\n',
    "huge_int": b"x = " + b"9" * 5000 + b"\n",
    "lone_dedent": b"    x = 1\n",
    "bad_escape_bytes": b"x = b'\\xz'\n",
    "return_outside": b"return 5\n",
    "yield_outside": b"yield 5\n",
    "break_outside": b"break\n",
    "star_alone": b"*a = 1\n",
    "bom": b"\xef\xbb\xbfx = 1\n",
    "formfeed": b"x = 1\n\x0c\ny = 2\n",
    "cr_only": b"x = 1\ry = 2\r",
    "long_line": b"x = [" + b"1, " * 3000 + b"]\n",
    "future_import": b"from __future__ import annotations\nx: int = 1\n",
    "fstring_ascii_conversion": b"x = 1\nprint(f'{x!a}')\n",
    "async_as_name": b"async = 1\n",
    "nested_fstring": b"x = 1\nprint(f'{f\"{x}\"}')\n",
    "no_newline_at_end": b"x = 1",
    "backslash_at_end": b"x = 1\\",
    "star_in_subscript": b"a = {}\na[*b] = 1\n",
    "nonlocal_at_module": b"nonlocal x\n",
    "return_in_class": b"class A:\n    return 1\n",
    "await_in_def": b"def f():\n    await x\n",
    "duplicate_keyword": b"f(a=1, a=2)\n",
    "duplicate_parameter": b"def f(a, a): pass\n",
    "delete_literal": b"del 1\n",
    "assign_to_none": b"None = 1\n",
    "deep_blocks": b"".join(b"    " * i + b"if 1:\n" for i in range(100)) + b"    " * 100 + b"pass\n",
    "unicode_identifier": "\u00e9t\u00e9 = 1\n".encode(),
    "bad_identifier_byte": b"x\xff = 1\n",
    "bad_underscore_int": b"x = 1__0\n",
    "old_octal": b"x = 0777\n",
    "bad_exponent": b"x = 1e\n",
    "huge_imaginary": b"x = 123456789012345678901234567890j\n",
    "bad_string_prefix": b"x = bu'x'\n",
    "huge_float": b"x = 1e400\n",
    "const_of_string": b"from micropython import const\nX = const('a')\n",
    "const_reassigned": b"from micropython import const\nX = const(1)\nX = const(2)\n",
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_bad_input_never_a_python_traceback(work, name):
    path = work / f"{name}.py"
    path.write_bytes(GARBAGE[name])
    a = ours([path.name], work)
    # a Python traceback would name our package's files
    assert b"mpycross" not in a.stderr and b".py\", line" not in a.stderr.replace(path.name.encode() + b"\", line", b"")
    assert a.returncode in (0, 1)
    assert len(a.stderr.splitlines()) <= 3


@pytest.mark.compiler
@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_bad_input_parity(work, name):
    path = work / f"{name}.py"
    path.write_bytes(GARBAGE[name])
    a = ours(["-o", "-", path.name], work)
    b = theirs(["-o", "-", path.name], work)
    assert (a.returncode, a.stderr) == (b.returncode, b.stderr)
    assert a.stdout == b.stdout


# ---- mpycross compile ----

def test_plan_mirrors_tree(tmp_path):
    from mpycross.cli.compile_tree import plan

    (tmp_path / "lib" / "pkg").mkdir(parents=True)
    (tmp_path / "lib" / "__pycache__").mkdir()
    (tmp_path / "lib" / ".hidden").mkdir()
    for rel in ("lib/a.py", "lib/pkg/b.py", "lib/pkg/notes.txt", "lib/__pycache__/c.py", "lib/.hidden/d.py",
                "top.py"):
        (tmp_path / rel).write_text("x = 1\n")
    jobs, problems = plan([str(tmp_path / "lib"), str(tmp_path / "top.py"), str(tmp_path / "gone")],
                          str(tmp_path / "out"), check=False)
    assert [j.source_name for j in jobs] == ["a.py", "pkg/b.py", str(tmp_path / "top.py")]
    assert [Path(j.output).relative_to(tmp_path / "out").as_posix() for j in jobs] == [
        "a.mpy", "pkg/b.mpy", "top.mpy"]
    assert [p["file"] for p in problems] == [str(tmp_path / "gone")]
    jobs, _ = plan([str(tmp_path / "lib")], None, check=False)
    assert [Path(j.output).relative_to(tmp_path / "lib").as_posix() for j in jobs] == ["a.mpy", "pkg/b.mpy"]
    jobs, _ = plan([str(tmp_path / "lib")], None, check=True)
    assert all(j.output is None for j in jobs)


def test_plan_refuses_colliding_outputs(tmp_path):
    from mpycross.cli.compile_tree import UsageProblem, plan

    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "same.py").write_text("x = 1\n")
    with pytest.raises(UsageProblem):
        plan([str(tmp_path / "x" / "same.py"), str(tmp_path / "y" / "same.py")], str(tmp_path / "o"), False)


def test_github_annotation_format():
    from mpycross.batch import format_error

    e = {"file": "lib/a,b.py", "line": 3, "kind": "SyntaxError", "message": "bad\n100%"}
    assert format_error(e, "github") == "::error file=lib/a%2Cb.py,line=3::SyntaxError: bad%0A100%25"
    assert format_error(e, "text") == "lib/a,b.py:3: SyntaxError: bad\n100%"


def compile_cmd(args, cwd):
    return subprocess.run([*TOOLCHAIN, "compile", *args], cwd=cwd, capture_output=True, timeout=600)


def test_compile_usage_errors(tmp_path):
    a = compile_cmd([], tmp_path)
    assert a.returncode == 2 and b"Traceback" not in a.stderr
    a = compile_cmd(["-j", "0", "x.py"], tmp_path)
    assert a.returncode == 2 and b"Traceback" not in a.stderr
    (tmp_path / "a.py").write_text("x = 1\n")
    a = compile_cmd(["--target", "no-such-firmware", "a.py"], tmp_path)
    assert a.returncode == 2 and a.stderr.count(b"no-such-firmware") == 1 and b"Traceback" not in a.stderr
    assert not (tmp_path / "a.mpy").exists()
    a = compile_cmd(["missing_dir"], tmp_path)
    assert a.returncode == 1 and b"missing_dir: OSError: no such file or directory" in a.stderr


@pytest.fixture
def tree(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(PROGRAMS_DIR, src / "programs", ignore=shutil.ignore_patterns("many_*", "long_*"))
    (src / "extra").mkdir()
    (src / "extra" / "hello.py").write_bytes(HELLO)
    return src


@pytest.mark.compiler
def test_compile_jobs_deterministic(tree, tmp_path):
    a = compile_cmd(["-j", "1", "-o", str(tmp_path / "o1"), str(tree)], tmp_path)
    b = compile_cmd(["-j", "2", "-o", str(tmp_path / "o2"), str(tree)], tmp_path)
    assert a.returncode == b.returncode == 0, a.stderr
    files1 = sorted(p.relative_to(tmp_path / "o1") for p in (tmp_path / "o1").rglob("*.mpy"))
    files2 = sorted(p.relative_to(tmp_path / "o2") for p in (tmp_path / "o2").rglob("*.mpy"))
    assert files1 == files2 and len(files1) == len(list(tree.rglob("*.py")))
    for rel in files1:
        assert (tmp_path / "o1" / rel).read_bytes() == (tmp_path / "o2" / rel).read_bytes(), rel


@pytest.mark.compiler
def test_compile_many_keeps_order_when_workers_take_big_files_first():
    from mpycross.batch import Job, compile_many

    pairs = []
    for i in range(40):
        body = b"x = 1\n" * ((i * 37) % 50) + (b"def f(:\n" if i == 13 else b"") + b"y = %d\n" % i
        pairs.append((Job(f"m{i}.py", f"m{i}.py", None), body, None))
    serial = compile_many(pairs, "micropython-1.29", 0, 1)
    parallel = compile_many(pairs, "micropython-1.29", 0, 2)
    assert [r.job for r in parallel] == [job for job, _, _ in pairs]
    assert [(r.data, r.error) for r in parallel] == [(r.data, r.error) for r in serial]
    assert serial[13].error["kind"] == "SyntaxError" and all(r.data for i, r in enumerate(serial) if i != 13)


@pytest.mark.compiler
@pytest.mark.parametrize("opt", [0, 2])
def test_compile_matches_mpy_cross(tree, tmp_path, opt):
    """A folder member's .mpy equals `mpy-cross -s <path inside folder>` of the same file."""
    out = tmp_path / "out"
    a = compile_cmd(["-O", str(opt), "-o", str(out), str(tree)], tmp_path)
    assert a.returncode == 0, a.stderr
    for rel in ("extra/hello.py", "programs/func_closures.py", "programs/assert_stmt.py"):
        b = run_official([f"-O{opt}", "-s", rel, "-o", "-", str(tree / rel)])
        assert (out / rel).with_suffix(".mpy").read_bytes() == b.stdout, rel


@pytest.mark.compiler
def test_compile_beside_sources_and_check(tree, tmp_path):
    a = compile_cmd(["--check", str(tree)], tmp_path)
    assert a.returncode == 0, a.stderr
    assert not list(tree.rglob("*.mpy"))
    a = compile_cmd([str(tree / "extra")], tmp_path)
    assert a.returncode == 0 and (tree / "extra" / "hello.mpy").read_bytes()[:2] == b"M\x06"
    assert b"1 ok, 0 failed" in a.stdout


def _bad_tree(tmp_path):
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "good.py").write_bytes(HELLO)
    (d / "parse_bad.py").write_bytes(PARSE_ERROR)
    (d / "compile_bad.py").write_bytes(COMPILE_ERROR)
    return d


@pytest.mark.compiler
def test_compile_reports_errors_like_official(tmp_path):
    d = _bad_tree(tmp_path)
    a = compile_cmd(["-o", str(tmp_path / "out"), str(d)], tmp_path)
    assert a.returncode == 1
    lines = a.stderr.decode().splitlines()
    assert lines == ["compile_bad.py:2: SyntaxError: no binding for nonlocal found",
                     "parse_bad.py:2: SyntaxError: invalid syntax"]
    assert b"1 ok, 2 failed" in a.stdout
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["good.mpy"]
    for name in ("parse_bad.py", "compile_bad.py"):  # same line and message as the official tool
        off = run_official([str(d / name)]).stderr.decode().splitlines()
        line = off[1].split("line ")[1].split(",")[0]
        assert f"{name}:{line}: {off[2]}" in lines


@pytest.mark.compiler
def test_compile_json_and_github_formats(tmp_path):
    d = _bad_tree(tmp_path)
    a = compile_cmd(["--check", "--format", "json", str(d)], tmp_path)
    assert a.returncode == 1
    report = json.loads(a.stdout)
    assert (report["files"], report["compiled"], report["failed"], report["written"]) == (3, 1, 2, 0)
    assert {(e["file"], e["line"], e["kind"]) for e in report["errors"]} == {
        ("compile_bad.py", 2, "SyntaxError"), ("parse_bad.py", 2, "SyntaxError")}
    g = compile_cmd(["--check", "--format", "github", str(d)], tmp_path)
    assert g.returncode == 1
    assert b"::error file=parse_bad.py,line=2::SyntaxError: invalid syntax" in g.stdout


def test_official_binary_present():
    assert official("1.29").exists()


def test_mpy_cross_imports_little_at_start():
    """Option handling and --version load neither the compiler nor the heavy libraries."""
    code = ("import sys\nfrom mpycross.cli import mpy_cross\n"
            "try:\n    mpy_cross.main(['--version'])\nexcept SystemExit:\n    pass\n"
            "heavy = ('mpycross.compiler', 'mpycross.mpy', 'lark', 'click', 'rich', 'construct')\n"
            "print(sorted(m for m in sys.modules if m.startswith(heavy)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == b"[]"


@pytest.mark.parametrize("target, release", [("micropython-1.12", "1.12"), ("micropython-1.19", "1.19"),
                                             ("micropython-1.20.0", "1.20"), ("micropython-1.29", "1.29"),
                                             ("micropython-1.11", "1.11")])
def test_version_follows_target(work, target, release):
    a = ours(["--target", target, "--version"], work)
    b = run_official(["--version"], release=release, cwd=work)
    assert a.returncode == b.returncode == 0
    assert a.stdout.split(b";")[-1] == b.stdout.split(b";")[-1]


def test_ci_script_runs_the_readme_commands():
    """.ci/run installs and tests exactly as the README's first two command lines say."""
    root = HERE.parent
    readme = (root / "README.md").read_text().splitlines()
    commands = [line.split("#")[0].strip() for line in readme if line.startswith("    pip install")][:2]
    assert len(commands) == 2
    steps = [part.strip() for cmd in commands for part in cmd.split("&&")]
    assert steps == ["pip install .", "mpy-cross examples/hello.py", "pip install '.[test]'",
                     "python -m pytest -q -n 2"]
    script = (root / ".ci" / "run").read_text().splitlines()
    # each step starts a line of its own, in order ("python -m pytest ... || status=$?")
    positions = [next(i for i, line in enumerate(script) if line == step or line.startswith(step + " "))
                 for step in steps]
    assert positions == sorted(positions)
    assert "set -euo pipefail" in script
    assert (root / "examples" / "hello.py").is_file()


def test_output_names_are_the_sources_with_mpy_in_place_of_their_extension():
    """compile_tree._with_mpy_suffix cuts ".py" without os.path.splitext where it may: equal on
    every short path made of the pieces that matter ("." names, separators, ".py" endings)."""
    import itertools

    from mpycross.cli.compile_tree import _with_mpy_suffix

    pieces = ["a", ".", "/", "py", ".py", "\\", "x.y"]
    for k in range(1, 6):
        for parts in itertools.product(pieces, repeat=k):
            path = "".join(parts)
            assert _with_mpy_suffix(path) == os.path.splitext(path)[0] + ".mpy", path
