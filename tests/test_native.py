"""Native code: the `@micropython.*` decorators and the native emitter (x64, Thumb, Xtensa).

Differential throughout: the decorator errors against every official binary
the test extras install (1.9 .. 1.29), the machine code of the programs in
tests/native/ against official 1.29 (x64, Thumb, Xtensa) byte
for byte, random viper functions and all-native random programs, and what
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
    or (where the official emits code we do not build yet) one clear line naming the line."""
    target = f"micropython-{release}"
    for name, source in DECORATED.items():
        proc, data = _official(release, source, tmp_path)
        try:
            compile_source(source, "t.py", target=target)
            ours = None
        except CompileError as err:
            ours = err.traceback_text()
        except MpyCrossError as err:
            ours = f"unsupported: {err}"
        if proc.returncode != 0 or data is None:
            assert ours == proc.stderr.decode(), f"{release} {name}"
        else:
            # the official compiled native code for its default x64
            assert ours is not None and ours.startswith("unsupported: ") and "is not supported yet" in ours, \
                f"{release} {name}: {ours}"
            assert 'File "t.py", line ' in ours, f"{release} {name}: {ours}"


# every architecture with an encoder; -X emit=native on x64 (the decorators elsewhere)
BYTE_IDENTITY_CASES = [("x64", ()), ("x64", ("-X", "emit=native")), ("armv6m", ()), ("armv7m", ()),
                       ("armv7emdp", ()), ("xtensa", ()), ("xtensawin", ())]


@pytest.mark.parametrize("arch,flags", BYTE_IDENTITY_CASES, ids=lambda c: c if isinstance(c, str) else "-".join(c))
@pytest.mark.parametrize("program", NATIVE_PROGRAMS, ids=lambda p: p.stem)
def test_native_byte_identical(program, arch, flags, tmp_path):
    shutil.copy(program, tmp_path / program.name)
    proc = run_official([f"-march={arch}", *flags, "-o", "out.mpy", program.name], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    theirs = (tmp_path / "out.mpy").read_bytes()
    ours = compile_source(program.read_bytes(), program.name, march=arch,
                          **({"emit": "native"} if flags else {}))
    assert ours == theirs


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


@pytest.mark.parametrize("args", [["-march=armv6"], ["-march=rv32imc"], ["-march=x64", "--target", "micropython-1.22"],
                                  ["-march=x86", "-X", "emit=native"]])
def test_native_code_not_built_yet_is_one_clear_line(args, tmp_path):
    (tmp_path / "t.py").write_bytes(DECORATED["native"])
    proc = _cli([*args, "t.py"], tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and "is not supported yet" in lines[0] and "Traceback" not in lines[0], lines
    assert not (tmp_path / "t.mpy").exists()


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
    try:
        ours = compile_source(data, "t.py", **kwargs)
    except CompileError as err:
        ours = err.traceback_text()
    assert ours == theirs, source


@_random(20)
@given(programs(max_statements=25), st.sampled_from(["native", "viper"]),
       st.sampled_from(["x64", "armv7m", "xtensawin"]))
def test_random_programs_all_native_agree_with_official(source, emit, arch):
    _agree(source, f"-march={arch}", "-X", f"emit={emit}", march=arch, emit=emit)


@_random(60)
@given(viper_functions(), st.sampled_from(["x64", "armv6m", "armv7m", "xtensa", "xtensawin"]))
def test_random_viper_functions_agree_with_official(source, arch):
    _agree(source, f"-march={arch}", march=arch)


@pytest.mark.slow
@_random(1000)
@given(viper_functions(), st.sampled_from(["x64", "armv6m", "armv7m", "armv7emsp", "xtensa", "xtensawin"]))
def test_random_viper_functions_agree_with_official_long(source, arch):
    _agree(source, f"-march={arch}", march=arch)


@pytest.mark.slow
@_random(400)
@given(programs(max_statements=40), st.sampled_from(["native", "viper"]),
       st.sampled_from(["x64", "armv6m", "armv7m", "xtensa", "xtensawin"]))
def test_random_programs_all_native_agree_with_official_long(source, emit, arch):
    _agree(source, f"-march={arch}", "-X", f"emit={emit}", march=arch, emit=emit)
