"""Native code: the `@micropython.*` decorators and the native emitter (x64, x86, Thumb,
Xtensa, RV32 with its -march-flags, the debug listing).

Differential throughout: the decorator errors against every official binary
the test extras install (1.9 .. 1.29), the machine code of the programs in
tests/native/ against official 1.29 (every architecture with an encoder) byte
for byte (and the -march=debug text), random viper functions and all-native random programs, and what
those programs print on the real unix VM when compiled by us and by the
official compiler.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mpycross import compile_source
from mpycross.errors import CompileError, MpyCrossError
from tests.oracles import micropython_vm, official_binaries, run_official

HERE = Path(__file__).resolve().parent
NATIVE_PROGRAMS = sorted((HERE / "native").glob("*.py"))

# one decorated definition each; the official line and scope come with the error
DECORATED = {
    "native": b"import micropython\nx = 1\n\n@micropython.native\ndef f(a):\n    return a\n",
    "viper": b"x = 1\n@micropython.viper\ndef f(x: int) -> int:\n    return x + 1\n",
    "asm_thumb_in_class": b"class A:\n    @micropython.asm_thumb\n    def f():\n        nop()\n",
    "asm_xtensa": b"@micropython.asm_xtensa\ndef f():\n    nop()\n",
    "asm_rv32": b"x = 1\n@micropython.asm_rv32\ndef f():\n    nop()\n",
    "bytecode_then_native": b"x = 1\n@micropython.bytecode\n@micropython.native\ndef f():\n    pass\n",
    "unknown": b"@micropython.nativ\ndef f():\n    pass\n",
    "too_deep": b"@micropython.native.x\ndef f():\n    pass\n",
    "native_class": b"@micropython.native\nclass C:\n    pass\n",
}
RELEASES = sorted(r for r in official_binaries() if r != "v5")


def _official(release: str, source: bytes, tmp_path: Path, *flags: str):
    (tmp_path / "t.py").write_bytes(source)
    out = tmp_path / "t.mpy"
    out.unlink(missing_ok=True)
    proc = run_official([*flags, "-o", str(out), "t.py"], release=release, cwd=tmp_path)
    return proc, (out.read_bytes() if proc.returncode == 0 and out.exists() else None)


@pytest.mark.parametrize("release", RELEASES)
def test_decorators_without_march_match_official(release, tmp_path):
    """No -march: 1.9 and 1.9.3 know no native decorator, 1.20+ have no default architecture
    ("invalid arch"), 1.11 - 1.19 default to x64; the same text, line and scope as the official,
    the same x64 code (1.11 - 1.19)."""
    target = f"micropython-{release}"
    for name, source in DECORATED.items():
        proc, data = _official(release, source, tmp_path)
        try:
            ours = compile_source(source, "t.py", target=target)
        except CompileError as err:
            ours = err.traceback_text()
        except MpyCrossError as err:
            ours = f"unsupported: {err}"
        if proc.returncode != 0 or data is None:
            assert ours == proc.stderr.decode(), f"{release} {name}"
        elif isinstance(ours, bytes):
            assert ours == data, f"{release} {name}"
        else:
            # the official compiled native code for its default x64
            assert ours.startswith("unsupported: ") and "is not supported yet" in ours, \
                f"{release} {name}: {ours}"
            assert 'File "t.py", line ' in ours, f"{release} {name}: {ours}"


# every architecture with an encoder: (the official's options, compile_source's); -X emit=native on
# x64 and x86 (the decorators elsewhere), the RV32 extensions of -march-flags=
BYTE_IDENTITY_CASES = [
    (("-march=x64",), {"march": "x64"}),
    (("-march=x64", "-X", "emit=native"), {"march": "x64", "emit": "native"}),
    (("-march=x86",), {"march": "x86"}),
    (("-march=x86", "-X", "emit=native"), {"march": "x86", "emit": "native"}),
    (("-march=armv6",), {"march": "armv6"}),
    (("-march=armv6", "-X", "emit=native"), {"march": "armv6", "emit": "native"}),
    (("-march=armv6m",), {"march": "armv6m"}),
    (("-march=armv7m",), {"march": "armv7m"}),
    (("-march=armv7emdp",), {"march": "armv7emdp"}),
    (("-march=xtensa",), {"march": "xtensa"}),
    (("-march=xtensawin",), {"march": "xtensawin"}),
    (("-march=rv32imc",), {"march": "rv32imc"}),
    (("-march=rv32imc", "-march-flags=zba"), {"march": "rv32imc", "march_flags": 1}),
    (("-march=rv32imc", "-march-flags=zcmp"), {"march": "rv32imc", "march_flags": 2}),
    (("-march=rv32imc", "-march-flags=zba,zcmp", "-X", "emit=native"),
     {"march": "rv32imc", "march_flags": 3, "emit": "native"}),
    (("-march=debug",), {"march": "debug"}),
    (("-march=host",), {"march": "host"}),
]


def _case_id(case) -> str:
    return "".join(case[0]).replace("-march=", "").replace("-march-flags=", "+").replace("-Xemit=", "-")


@pytest.mark.parametrize("case", BYTE_IDENTITY_CASES, ids=_case_id)
@pytest.mark.parametrize("program", NATIVE_PROGRAMS, ids=lambda p: p.stem)
def test_native_byte_identical(program, case, tmp_path):
    flags, options = case
    shutil.copy(program, tmp_path / program.name)
    proc = run_official([*flags, "-o", "out.mpy", program.name], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    theirs = (tmp_path / "out.mpy").read_bytes()
    listing: list[str] = []
    ours = compile_source(program.read_bytes(), program.name, native_listing=listing.append, **options)
    assert ours == theirs
    # -march=debug prints the emitter's calls to stdout; nothing else prints
    assert "".join(listing) == proc.stdout.decode()


def test_debug_listing_shows_the_emitter_calls():
    """A fixed sample of the -march=debug text (what official 1.29 prints for this function)."""
    listing: list[str] = []
    compile_source(b"@micropython.viper\ndef f(p: ptr8) -> int:\n    return p[2]\n", "t.py",
                   march="debug", native_listing=listing.append)
    text = "".join(listing)
    assert text.startswith("ENTRY(f, num_locals=")
    assert "    mov_reg_imm(r_arg2, 2=0x2)\n    add(r_arg2, r_local1)\n    load8(r_ret, r_arg2)\n" in text
    assert "    dead_code " in text and "label(label_0)\nEXIT(0)\n" in text


@pytest.mark.parametrize("program", NATIVE_PROGRAMS, ids=lambda p: p.stem)
def test_native_x64_runs_like_official_on_the_vm(program, tmp_path):
    try:
        vm = micropython_vm()
    except LookupError as err:
        pytest.skip(str(err))
    outputs = []
    for who in ("ours", "official"):
        folder = tmp_path / who
        folder.mkdir()
        mpy = folder / (program.stem + ".mpy")
        if who == "ours":
            mpy.write_bytes(compile_source(program.read_bytes(), program.name, march="x64"))
        else:
            shutil.copy(program, folder / program.name)
            proc = run_official(["-march=x64", "-o", mpy.name, program.name], cwd=folder)
            assert proc.returncode == 0, proc.stderr.decode()
            (folder / program.name).unlink()
        run = subprocess.run([str(vm), "-c", f"import sys; sys.path.insert(0, '.'); import {program.stem}"],
                             cwd=folder, capture_output=True, timeout=60)
        outputs.append((run.returncode, run.stdout, run.stderr))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 0 and outputs[0][1], outputs[0]


def test_native_not_implemented_text_matches_official(tmp_path):
    """py/emitnative.c refuses `raise` with a cause or bare `raise` in native code."""
    for source in (b"@micropython.native\ndef f():\n    raise ValueError(1) from None\n",
                   b"@micropython.native\ndef f():\n    try:\n        pass\n    except:\n        raise\n"):
        proc, _ = _official("1.29", source, tmp_path, "-march=x64")
        assert proc.returncode == 1
        with pytest.raises(CompileError) as info:
            compile_source(source, "t.py", march="x64")
        assert info.value.traceback_text() == proc.stderr.decode()


def _cli(args, cwd):
    import os

    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    return subprocess.run([sys.executable, "-m", "mpycross.cli.mpy_cross", *args], cwd=cwd,
                          capture_output=True, env=env, timeout=60)


ASM_XTENSA = b"@micropython.asm_xtensa\ndef f(a2):\n    addi(a2, a2, 1)\n"
ASM_THUMB = b"@micropython.asm_thumb\ndef f(r0):\n    add(r0, r0, 1)\n"


# (every release's native code and inline assembler is built: what the last refusals were)
@pytest.mark.parametrize("release, arch, source", [("1.12", "xtensa", ASM_XTENSA), ("1.18", "xtensa", ASM_XTENSA),
                                                   ("1.11", "armv7m", ASM_THUMB), ("1.11", "xtensa", ASM_XTENSA)])
def test_cli_old_inline_assemblers_write_the_official_file(release, arch, source, tmp_path):
    """asm_xtensa of 1.11 - 1.18 and asm_thumb of 1.11 (.mpy v4): the command writes the official's
    file."""
    from tests.oracles import oracle_or_skip

    (tmp_path / "t.py").write_bytes(source)
    binary = official_binaries().get(release) or oracle_or_skip(release)
    theirs = subprocess.run([str(binary), f"-march={arch}", "t.py"], cwd=tmp_path, capture_output=True, timeout=60)
    assert theirs.returncode == 0
    official_mpy = (tmp_path / "t.mpy").read_bytes()
    (tmp_path / "t.mpy").unlink()
    ours = _cli([f"-march={arch}", "--target", f"micropython-{release}", "t.py"], tmp_path)
    assert (ours.returncode, ours.stderr) == (0, b"")
    assert (tmp_path / "t.mpy").read_bytes() == official_mpy


@pytest.mark.parametrize("args", [["-march=debug"], ["-march=debug", "-o", "-"], ["-march=rv32imc", "-march-flags=0b11"],
                                  ["-march=rv32imc", "-march-flags=zcmp,zba"], ["-march=host"]])
def test_cli_new_architectures_match_official(args, tmp_path):
    """The command: its stdout (the debug listing, the .mpy for -o -) and the file it writes."""
    program = NATIVE_PROGRAMS[-1]
    shutil.copy(program, tmp_path / "p.py")
    theirs = run_official([*args, "p.py"], cwd=tmp_path)
    theirs_file = (tmp_path / "p.mpy").read_bytes() if (tmp_path / "p.mpy").exists() else None
    (tmp_path / "p.mpy").unlink(missing_ok=True)
    ours = _cli([*args, "p.py"], tmp_path)
    assert (ours.returncode, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)
    assert ((tmp_path / "p.mpy").read_bytes() if (tmp_path / "p.mpy").exists() else None) == theirs_file


@pytest.mark.parametrize("emit", ["native", "viper"])
def test_rv64imc_has_no_native_emitter_as_official(emit, tmp_path):
    """1.29 accepts -march=rv64imc but has no emitter for it: the decorators say `invalid arch`,
    -X emit= fails at the last scope with NotImplementedError."""
    for name, source in (("deco", DECORATED["native"]),
                         ("emit", b"x = 1\n\n\nclass A:\n    def f(self):\n        return [i for i in 'ab']\n")):
        proc, _ = _official("1.29", source, tmp_path, "-march=rv64imc", *(["-X", f"emit={emit}"] if name == "emit" else []))
        assert proc.returncode == 1
        with pytest.raises(CompileError) as info:
            compile_source(source, "t.py", march="rv64imc", **({"emit": emit} if name == "emit" else {}))
        assert info.value.traceback_text() == proc.stderr.decode(), name


@pytest.mark.parametrize("flags", ["4", "zba,foo", "", ",zba", "+1", "-1", "zba,zba", "0o2", "0"])
def test_march_flags_accepted_and_refused_as_official(flags, tmp_path):
    (tmp_path / "p.py").write_bytes(b"x = 1\n")
    for arch in ("rv32imc", "x64"):
        args = [f"-march={arch}", f"-march-flags={flags}", "-o", "out.mpy", "p.py"]
        theirs = run_official(args, cwd=tmp_path)
        theirs_file = (tmp_path / "out.mpy").read_bytes() if theirs.returncode == 0 else None
        (tmp_path / "out.mpy").unlink(missing_ok=True)
        ours = _cli(args, tmp_path)
        assert (ours.returncode, ours.stderr) == (theirs.returncode, theirs.stderr), (arch, flags)
        assert ((tmp_path / "out.mpy").read_bytes() if ours.returncode == 0 else None) == theirs_file


def test_cli_native_x64_matches_official(tmp_path):
    program = NATIVE_PROGRAMS[0]
    shutil.copy(program, tmp_path / "p.py")
    assert run_official(["-march=x64", "-o", "theirs.mpy", "p.py"], cwd=tmp_path).returncode == 0
    proc = _cli(["-march=x64", "-o", "ours.mpy", "p.py"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "ours.mpy").read_bytes() == (tmp_path / "theirs.mpy").read_bytes()


VIPER_ERRORS = sorted((HERE / "native" / "viper_errors").glob("*.py"))


@pytest.mark.parametrize("program", VIPER_ERRORS, ids=lambda p: p.stem)
def test_viper_errors_match_official(program, tmp_path):
    """ViperTypeError (and NotImplementedError) texts, lines and scopes as official 1.29 -march=x64."""
    shutil.copy(program, tmp_path / "t.py")
    proc = run_official(["-march=x64", "-o", "t.mpy", "t.py"], cwd=tmp_path)
    assert proc.returncode == 1, f"official compiled {program.name}"
    with pytest.raises(CompileError) as info:
        compile_source(program.read_bytes(), "t.py", march="x64")
    assert info.value.traceback_text() == proc.stderr.decode()


# ---- random programs: every function native, and random viper functions ----

from hypothesis import HealthCheck, Phase, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.support.native_strategies import viper_functions  # noqa: E402
from tests.support.program_strategies import programs  # noqa: E402

def _random(examples: int):
    # no shrinking: a failure shows the drawn program as it is (shrinking these takes minutes)
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example, HealthCheck.filter_too_much])


def _agree(source: str, *flags: str, **kwargs) -> None:
    """Ours and official 1.29 give the same bytes, or the same error text."""
    import tempfile

    data = source.encode("utf-8", "surrogateescape")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "t.py").write_bytes(data)
        proc = run_official([*flags, "-o", "t.mpy", "t.py"], cwd=tmp)
        # the official aborts on some viper input (an assert in py/emitnative.c): no answer to match
        assume(proc.returncode >= 0 and b"Assertion" not in proc.stderr)
        theirs = (Path(tmp) / "t.mpy").read_bytes() if proc.returncode == 0 else proc.stderr.decode()
    listing: list[str] = []
    try:
        ours = compile_source(data, "t.py", native_listing=listing.append, **kwargs)
    except CompileError as err:
        ours = err.traceback_text()
    assert ours == theirs, source
    assert "".join(listing) == proc.stdout.decode(), source  # the -march=debug text (else nothing)


@_random(20)
@given(programs(max_statements=25), st.sampled_from(["native", "viper"]),
       st.sampled_from(["x64", "x86", "armv6", "armv7m", "xtensawin", "rv32imc"]))
def test_random_programs_all_native_agree_with_official(source, emit, arch):
    _agree(source, f"-march={arch}", "-X", f"emit={emit}", march=arch, emit=emit)


# (the official's -march options, compile_source's) for each architecture the random tests draw
RANDOM_ARCHES = [(("-march=x64",), {"march": "x64"}), (("-march=x86",), {"march": "x86"}),
                 (("-march=armv6",), {"march": "armv6"}),
                 (("-march=armv6m",), {"march": "armv6m"}), (("-march=armv7m",), {"march": "armv7m"}),
                 (("-march=xtensa",), {"march": "xtensa"}), (("-march=xtensawin",), {"march": "xtensawin"}),
                 (("-march=rv32imc",), {"march": "rv32imc"}),
                 (("-march=rv32imc", "-march-flags=zba,zcmp"), {"march": "rv32imc", "march_flags": 3}),
                 (("-march=debug",), {"march": "debug"})]


@_random(80)
@given(viper_functions(), st.sampled_from(RANDOM_ARCHES))
def test_random_viper_functions_agree_with_official(source, arch):
    _agree(source, *arch[0], **arch[1])


@pytest.mark.slow
@_random(1000)
@given(viper_functions(), st.sampled_from(RANDOM_ARCHES + [(("-march=armv7emsp",), {"march": "armv7emsp"})]))
def test_random_viper_functions_agree_with_official_long(source, arch):
    _agree(source, *arch[0], **arch[1])


@pytest.mark.slow
@_random(400)
@given(programs(max_statements=40), st.sampled_from(["native", "viper"]),
       st.sampled_from(["x64", "x86", "armv6", "armv6m", "armv7m", "xtensa", "xtensawin", "rv32imc", "debug"]))
def test_random_programs_all_native_agree_with_official_long(source, emit, arch):
    _agree(source, f"-march={arch}", "-X", f"emit={emit}", march=arch, emit=emit)
