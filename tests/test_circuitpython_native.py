"""Native code for CircuitPython targets against what CircuitPython's own mpy-cross wrote.

Their compilers are not on PyPI: tests/native/circuitpython_native.json holds, for each
release, -march, -march-flags, -X emit and program of tests/native/ (with viper_errors/
and inline/), the sha256 of their .mpy or their exit code and stderr text, recorded by
tools/record_circuitpython_native.py from locally built binaries. A release with the
feature `circuitpython_native_code` (formats/targets.toml) must give the same for every
case; one without it must refuse native code in one line.
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
DATA = json.loads((NATIVE / "circuitpython_native.json").read_text())["releases"]


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
        entry = {"sha256": hashlib.sha256(data).hexdigest()}
    except CompileError as err:
        entry = {"exit": 1, "stderr": err.traceback_text(crlf=target.has("crlf_traceback"))}
    except (NotSupportedError, NativeUnsupported) as err:
        return {"refused": str(err)}
    except MpyCrossError as err:  # an option its mpy-cross does not know
        return {"option": str(err)}
    stdout = "".join(listing)
    if stdout and march == "debug":
        entry["stdout_sha256"] = hashlib.sha256(stdout.encode()).hexdigest()
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


def _cases(verified: bool):
    for full, entry in DATA.items():
        target = resolve_target(f"circuitpython-{full}")
        if target.has("circuitpython_native_code") == verified:
            marches = sorted({key.split("|")[0] for key in entry["cases"]})
            yield from ((full, march) for march in marches)


@pytest.mark.parametrize("full, march", list(_cases(True)), ids=lambda x: x)
def test_circuitpython_native_matches_their_compiler(full, march):
    cases = {k: v for k, v in DATA[full]["cases"].items() if k.split("|")[0] == march}
    wrong = [key for key, theirs in cases.items() if not _agrees(theirs, _compile(full, key), full, key)]
    assert not wrong, wrong


@pytest.mark.parametrize("full, march", list(_cases(False)), ids=lambda x: x)
def test_unverified_circuitpython_native_is_refused(full, march):
    """Where their compiler writes native code for a release not verified, ours refuses in one line."""
    for key, theirs in DATA[full]["cases"].items():
        if key.split("|")[0] == march and "sha256" in theirs and "native/" in key and key.split("|")[2] != "-":
            ours = _compile(full, key)
            assert "refused" in ours and "\n" not in ours["refused"], key


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
        assert hashlib.sha256(out.read_bytes()).hexdigest() == DATA[full]["cases"][key]["sha256"], full
