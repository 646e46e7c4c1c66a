"""CircuitPython targets against the outputs of CircuitPython's own `mpy-cross`.

../shared/golden (see its README.md) holds, for each CircuitPython release in
its MANIFEST.json (8.2.10 to 10.3.0-alpha.4): the `.mpy` each compiler wrote for
every program at -O0 and -O2, and the exact error bytes each printed for every
invalid program (CR LF line ends included). Our compiler, given the release's
name (`circuitpython-9.0.5`), must write the same bytes and print the same text.
The files are read in place (set MPYCROSS_GOLDEN_DIR to use another copy).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from mpycross.compiler.driver import SUPPORTED_BYTECODE
from mpycross.targets import resolve_target
from tests.oracles import GOLDEN_DIR as GOLDEN_ROOT
from tests.oracles import GOLDEN_MISSING

GOLDEN = GOLDEN_ROOT

pytestmark = pytest.mark.skipif(not (GOLDEN / "MANIFEST.json").is_file(),
                                reason=GOLDEN_MISSING)

def _vkey(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


def _manifest() -> dict:
    path = GOLDEN / "MANIFEST.json"
    return (json.loads(path.read_text()) if path.is_file()
            else {"programs": {}, "invalid_programs": [], "targets": {}})


# golden folder name ("circuitpython-9.0.5") -> the target name a user types for that release
TARGETS = {folder: folder for folder in _manifest()["targets"]}


def compiled_for(rule: str, target_name: str) -> bool:
    """Whether the golden set compiles a program for this target (MANIFEST.json `compiled_for`)."""
    base = _vkey(resolve_target(target_name).base_release)
    if rule == "all":
        return True
    kind, _, version = rule.partition("-")
    if kind == "since":
        return base >= _vkey(version)
    if kind == "before":
        return base < _vkey(version)
    raise ValueError(f"unknown compiled_for rule {rule!r}")


def _marks(target: str):
    """Targets whose .mpy version the compiler cannot write yet are expected to fail (strictly)."""
    if resolve_target(target).bytecode in SUPPORTED_BYTECODE:
        return ()
    return (pytest.mark.xfail(strict=True, reason=f"compiling for {target} is not supported yet"),)


def program_cases():
    cases = []
    for folder, target in TARGETS.items():
        for program, info in sorted(_manifest()["programs"].items()):
            if compiled_for(info["compiled_for"], target):
                for opt in ("O0", "O2"):
                    cases.append(pytest.param(folder, target, program, opt, id=f"{target}-{opt}-{program}",
                                              marks=_marks(target)))
    return cases


def error_cases():
    return [pytest.param(folder, target, program, id=f"{target}-{program}", marks=_marks(target))
            for folder, target in TARGETS.items() for program in _manifest()["invalid_programs"]]


def run_mpy_cross(argv: list[str]) -> tuple[int, str, bytes]:
    """Our `mpy-cross` in-process, run in the golden folder: (exit code, stderr, stdout bytes)."""
    from mpycross.cli.mpy_cross import main

    err = io.StringIO()
    out = io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8")
    old = os.getcwd()
    try:
        os.chdir(GOLDEN)
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(stdout):
            try:
                main(argv)
                status = 0
            except SystemExit as stop:
                status = stop.code
        stdout.flush()
    finally:
        os.chdir(old)
    return status, err.getvalue(), out.getvalue()


@pytest.mark.parametrize("folder, target, program, opt", program_cases())
def test_program_bytes_match_circuitpython(folder, target, program, opt):
    from mpycross import compile_source

    expected = (GOLDEN / "out" / folder / opt / program[len("programs/"):]).with_suffix(".mpy").read_bytes()
    source = (GOLDEN / program).read_bytes()
    ours = compile_source(source, program, target=target, opt=int(opt[1:]))
    assert ours == expected


@pytest.mark.parametrize("folder, target, program", error_cases())
def test_invalid_program_error_matches_circuitpython(folder, target, program):
    expected = json.loads((GOLDEN / "out" / folder / "errors.json").read_text())[program]
    status, stderr, stdout = run_mpy_cross(["--target", target, "-s", program, "-o", "-", program])
    assert status == expected["exit_code"]
    assert stderr == expected["stderr"]
    if status != 0:
        assert stdout.decode("utf-8", "replace") == expected["stdout"]


@pytest.mark.parametrize("folder", sorted(TARGETS))
def test_release_name_resolves_to_its_own_rules(folder):
    """Each golden release is a target of its own: same full release and MicroPython base."""
    info = _manifest()["targets"][folder]
    target = resolve_target(folder)
    assert f"circuitpython-{target.full_release}" == folder
    assert target.base_release == info["matches_micropython"]


def test_golden_folders_are_all_in_the_manifest():
    assert sorted(p.name for p in (GOLDEN / "out").iterdir() if p.is_dir()) == sorted(TARGETS)


def test_every_golden_file_is_checked():
    """Each .mpy under out/ is one of the compared cases (nothing silently left out)."""
    compared = {(folder, opt, program) for folder, _, program, opt in (c.values for c in program_cases())}
    on_disk = set()
    for folder in TARGETS:
        for opt in ("O0", "O2"):
            for path in (GOLDEN / "out" / folder / opt).rglob("*.mpy"):
                rel = path.relative_to(GOLDEN / "out" / folder / opt).with_suffix(".py")
                on_disk.add((folder, opt, f"programs/{rel.as_posix()}"))
    assert on_disk == compared
