"""Native code for CircuitPython targets against what CircuitPython's own mpy-cross wrote.

Their compilers are not on PyPI: tests/native/circuitpython_native.json holds, for each
release, -march, -march-flags, -X emit and program of tests/native/ (with viper_errors/
and inline/), the sha256 of their .mpy or their exit code and stderr text, recorded by
tools/record_circuitpython_native.py from locally built binaries. A release with the
feature `circuitpython_native_code` (formats/targets.toml; every one has it) must give the
same for every case; one without it refuses native code in one line.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from mpycross import compile_source
from mpycross.compiler.codegen import NotSupportedError
from mpycross.compiler.emitnative_target import NativeUnsupported
from mpycross.cli.mpy_cross import parse_arch_flags, parse_arch_flags_zba_prefix
from mpycross.errors import CompileError, MpyCrossError
from mpycross.targets import resolve_target

HERE = Path(__file__).resolve().parent
NATIVE = HERE / "native"


def _load() -> dict:
    """Release -> case key -> their result, in the recorder's form (its `expand`)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("record_circuitpython_native",
                                                  HERE.parent / "tools" / "record_circuitpython_native.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    data = json.loads((NATIVE / "circuitpython_native.json").read_text())
    releases = data["releases"]
    global HASH_DIGITS
    HASH_DIGITS = tool.HASH_DIGITS
    return {full: {"cases": tool.expand(releases[r.get("same_as", full)], data["texts"])}
            for full, r in releases.items()}


HASH_DIGITS = 16
DATA = _load()


def _flags(target, text: str) -> int | None:
    """-march-flags=<text> as mpy-cross/main.c of the release reads it (the CLI's parsers)."""
    if target.has("march_flags_option") and not target.has("march_flag_zcmp"):
        return parse_arch_flags_zba_prefix(text)
    return parse_arch_flags(text)


def _compile(full: str, key: str) -> dict:
    """Our result for one recorded case, in the recorder's form (or {"refused": message})."""
    march, flags, emit, program = key.split("|")
    target = resolve_target(f"circuitpython-{full}")
    options = {}
    if march != "-":
        options["march"] = march
    if flags != "-":
        options["march_flags"] = _flags(target, flags)
        if options["march_flags"] is None:
            return {"option": "unrecognised arch flags"}
    if emit != "-":
        options["emit"] = emit
    group, name = program.split("/")
    path = NATIVE / name if group == "native" else NATIVE / group / name
    listing: list[str] = []
    try:
        data = compile_source(path.read_bytes(), path.name, target=target, native_listing=listing.append,
                              **options)
        entry = {"sha256": hashlib.sha256(data).hexdigest()[:HASH_DIGITS]}
    except CompileError as err:
        entry = {"exit": 1, "stderr": err.traceback_text(crlf=target.has("crlf_traceback"))}
    except (NotSupportedError, NativeUnsupported) as err:
        return {"refused": str(err)}
    except MpyCrossError as err:  # an option its mpy-cross does not know
        return {"option": str(err)}
    stdout = "".join(listing)
    if stdout and march == "debug":
        entry["stdout_sha256"] = hashlib.sha256(stdout.encode()).hexdigest()[:HASH_DIGITS]
    elif stdout:
        entry["stdout"] = stdout
    return entry


def _base_refuses(full: str, key: str) -> bool:
    """Whether ours refuses the case for the MicroPython release the CircuitPython one is based on
    (a part of native code not built for that release, as the inline Xtensa assembler before 1.29)."""
    target = resolve_target(f"circuitpython-{full}")
    base = resolve_target(f"micropython-{target.base_release}")
    march, flags, emit, program = key.split("|")
    group, name = program.split("/")
    path = NATIVE / name if group == "native" else NATIVE / group / name
    options = {**({"march": march} if march != "-" else {}), **({"emit": emit} if emit != "-" else {})}
    if flags != "-":
        options["march_flags"] = _flags(base, flags)
    try:
        compile_source(path.read_bytes(), path.name, target=base, native_listing=lambda line: None, **options)
    except (NotSupportedError, NativeUnsupported):
        return True
    except MpyCrossError:
        pass
    return False


def _agrees(theirs: dict, ours: dict, full: str = "", key: str = "") -> bool:
    if "refused" in ours:  # where theirs aborts (or prints an error and writes code anyway), or
        # where ours refuses the same for the MicroPython base release
        return "\n" not in ours["refused"] and bool(
            theirs.get("aborted") or "ERROR" in theirs.get("stdout", "") or _base_refuses(full, key))
    if "option" in ours:
        return theirs.get("usage") is True or theirs.get("stderr", "").strip() == ours["option"]
    return ours == theirs


def _cases():
    for full, entry in DATA.items():
        marches = sorted({key.split("|")[0] for key in entry["cases"]})
        yield from ((full, march) for march in marches)


@pytest.mark.parametrize("full, march", list(_cases()), ids=lambda x: x)
def test_circuitpython_native_matches_their_compiler(full, march):
    """Every recorded case of a release and -march (all -march-flags= and -X emit= values)."""
    assert resolve_target(f"circuitpython-{full}").has("circuitpython_native_code")
    cases = {k: v for k, v in DATA[full]["cases"].items() if k.split("|")[0] == march}
    wrong = [key for key, theirs in cases.items() if not _agrees(theirs, _compile(full, key), full, key)]
    assert not wrong, wrong


@pytest.mark.parametrize("emit, program", [(None, "viper_basics.py"), ("native", "native_flow.py"),
                                           (None, "inline/thumb_v7.py")])
def test_without_the_feature_native_code_is_refused(emit, program):
    """A CircuitPython target without `circuitpython_native_code` refuses native code and inline
    assembly in one line (as every release did before it was measured)."""
    import dataclasses

    target = resolve_target("circuitpython-9.2")
    target = dataclasses.replace(target, features=target.features - {"circuitpython_native_code"})
    with pytest.raises((NotSupportedError, NativeUnsupported)) as info:
        compile_source((NATIVE / program).read_bytes(), "t.py", target=target, march="armv7m",
                       **({"emit": emit} if emit else {}))
    assert "is not supported yet" in str(info.value) and "\n" not in str(info.value)


def test_cli_writes_their_bytes(tmp_path):
    """The command line, --target circuitpython-<full>: the file their compiler wrote."""
    import shutil
    import subprocess
    import sys

    key = "xtensawin|-|viper|native/viper_basics.py"
    shutil.copy(NATIVE / "viper_basics.py", tmp_path / "viper_basics.py")
    for full in DATA:
        out = tmp_path / "out.mpy"
        proc = subprocess.run([sys.executable, "-m", "mpycross.cli.mpy_cross", "--target", f"circuitpython-{full}",
                               "-march=xtensawin", "-X", "emit=viper", "-o", out.name, "viper_basics.py"],
                              cwd=tmp_path, capture_output=True)
        assert proc.returncode == 0, proc.stderr
        assert hashlib.sha256(out.read_bytes()).hexdigest()[:HASH_DIGITS] == DATA[full]["cases"][key]["sha256"], full


def test_build_feature_popcount_is_visible():
    """10.0's rv32imc frames (build_features = ["rv32_popcount_fixed"]): their bytes are ours with
    the rule and not without it (the base 1.25's official takes the fallback popcount)."""
    import dataclasses

    target = resolve_target("circuitpython-10.0.3")
    assert target.has("rv32_popcount_fixed") and not resolve_target("micropython-1.25.0").has("rv32_popcount_fixed")
    source = (NATIVE / "native_rv32_rules.py").read_bytes()
    theirs = DATA["10.0.3"]["cases"]["rv32imc|-|-|native/native_rv32_rules.py"]["sha256"]
    without = dataclasses.replace(target, features=target.features - {"rv32_popcount_fixed"})
    for tgt, same in ((target, True), (without, False)):
        ours = hashlib.sha256(compile_source(source, "native_rv32_rules.py", target=tgt, march="rv32imc")).hexdigest()
        assert (ours[:HASH_DIGITS] == theirs) == same


def test_async_native_code_differs_from_the_base():
    """Async code in native functions: the CircuitPython dialect (its async scope flag in the
    prelude, `await` by `__await__`) gives other code than its MicroPython base, and theirs."""
    source = (NATIVE / "circuitpython" / "native_async.py").read_bytes()
    for full in DATA:
        target = resolve_target(f"circuitpython-{full}")
        for march in ("x64", "armv7m"):
            ours = compile_source(source, "native_async.py", target=target, march=march)
            base = compile_source(source, "native_async.py", target=f"micropython-{target.base_release}", march=march)
            assert ours[4:] != base[4:], (full, march)
            key = f"{march}|-|-|circuitpython/native_async.py"
            assert hashlib.sha256(ours).hexdigest()[:HASH_DIGITS] == DATA[full]["cases"][key]["sha256"], full
