"""`write_mpy(read_mpy(b)) == b` for what the official compilers produce.

Sources: tests/data/format_programs/ and tests/programs/ (every official
release that accepts them, native code via -march), the CircuitPython golden
files in ../shared/golden/out (read in place), and the real-library corpus
(a sample by default, every file with -m slow). Compiled outputs live in
pytest's cache folder, keyed by source hash, release and options.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from tests.oracles import compile_official_file, official, official_binaries

from mpycross.mpy import read_mpy, write_mpy
from tests.oracles import GOLDEN_DIR as GOLDEN_ROOT
from tests.oracles import GOLDEN_MISSING

HERE = Path(__file__).resolve().parent
FORMAT_PROGRAMS = sorted((HERE / "data" / "format_programs").glob("*.py"))
PROGRAMS = sorted((HERE / "programs").glob("*.py"))
GOLDEN = GOLDEN_ROOT / "out"
RELEASES = ["1.9", "1.9.3", "1.11", "1.12", "1.19", "1.20", "1.22", "1.23", "1.29", "v5"]
# -march values each release accepts with native code that compiles (py/emitnative.c ports)
NATIVE_ARCHS = {
    "1.11": ["armv7m", "x86", "xtensa"],
    "1.12": ["armv7m", "x86", "xtensa", "xtensawin", "armv7emdp"],
    "v5": ["x64", "armv7m", "x86", "xtensa", "xtensawin", "armv7emdp"],
    "1.19": ["x64", "armv7m", "armv6m", "x86", "xtensa", "xtensawin", "armv7emdp"],
    "1.20": ["x64", "armv7m", "armv6m", "x86", "xtensa", "xtensawin"],
    "1.22": ["x64", "armv7m", "x86", "xtensawin"],
    "1.23": ["x64", "armv7m", "armv6m", "xtensawin"],
    "1.29": ["x64", "armv7m", "armv6m", "x86", "xtensa", "xtensawin", "armv7emdp", "rv32imc"],
}
ASM_ARCHS = ["armv7m", "armv6m", "armv7emdp"]


@pytest.fixture(scope="module")
def compile_official(request, tmp_path_factory):
    # pytest's cache folder keeps outputs between runs; without the cache
    # plugin (-p no:cacheprovider) a temporary folder does
    if hasattr(request.config, "cache"):
        cache = Path(request.config.cache.mkdir("mpy-format"))
    else:
        cache = tmp_path_factory.mktemp("mpy-format")

    def run(release: str, source: Path, *options: str) -> bytes | None:
        """The official compiler's output, or None when that release rejects the source."""
        src = source.read_bytes()
        key = hashlib.sha256(src + repr((release, options, source.name)).encode()).hexdigest()[:24]
        out = cache / f"{key}.mpy"
        rejected = cache / f"{key}.rejected"
        if out.exists():
            return out.read_bytes()
        if rejected.exists():
            return None
        done = compile_official_file(source, release=release, args=[*options, "-s", source.name])
        if done.mpy is None:
            rejected.write_text(done.text)
            return None
        out.write_bytes(done.mpy)
        return done.mpy

    return run


def assert_round_trip(data: bytes, name: str) -> None:
    mpy = read_mpy(data, name)
    again = write_mpy(mpy)
    if again != data:
        at = next((i for i, (a, b) in enumerate(zip(again, data)) if a != b), min(len(again), len(data)))
        pytest.fail(f"{name}: round trip differs at byte {at} (lengths {len(data)} -> {len(again)})")


def test_official_binaries_present():
    assert set(RELEASES) <= set(official_binaries()), sorted(official_binaries())


@pytest.mark.parametrize("release", RELEASES)
def test_format_programs(compile_official, release):
    compiled = 0
    for source in FORMAT_PROGRAMS + PROGRAMS:
        if source.stem in ("native_code", "asm_thumb"):
            continue
        data = compile_official(release, source)
        if data is None:
            continue
        assert_round_trip(data, f"{source.name} ({release})")
        compiled += 1
    # the plain programs compile on every release from 1.9 on
    assert compiled >= 3


@pytest.mark.parametrize("release", sorted(NATIVE_ARCHS))
def test_native_sections(compile_official, release):
    kinds = set()
    for arch in NATIVE_ARCHS[release]:
        data = compile_official(release, HERE / "data" / "format_programs" / "native_code.py", f"-march={arch}")
        assert data is not None, f"{release} -march={arch} rejected native_code.py"
        assert_round_trip(data, f"native_code.py ({release}, {arch})")
        mpy = read_mpy(data)
        assert mpy.header.arch_name == arch
        kinds |= {rc.kind for rc in mpy.root.walk()}
    assert kinds == {"bytecode", "native", "viper"}


@pytest.mark.parametrize("release", sorted(NATIVE_ARCHS))
def test_inline_asm_sections(compile_official, release):
    for arch in ASM_ARCHS:
        data = compile_official(release, HERE / "data" / "format_programs" / "asm_thumb.py", f"-march={arch}")
        if data is None:
            continue  # that release has no emitter for this arch
        assert_round_trip(data, f"asm_thumb.py ({release}, {arch})")
        asm = [rc for rc in read_mpy(data).root.walk() if rc.kind == "asm"]
        assert [rc.n_pos_args for rc in asm] == [1, 2]


def golden_files() -> list[Path]:
    return sorted(GOLDEN.glob("*/O*/**/*.mpy")) if GOLDEN.is_dir() else []


@pytest.mark.skipif(not GOLDEN.is_dir(), reason=GOLDEN_MISSING)
def test_circuitpython_golden_files():
    files = golden_files()
    by_version = {}
    for path in files:
        data = path.read_bytes()
        assert data[:1] == b"C", path
        assert_round_trip(data, str(path))
        by_version[data[1]] = by_version.get(data[1], 0) + 1
    # CircuitPython 8.2 writes v5, 9.x and 10.x write v6
    assert set(by_version) == {5, 6}
    assert sum(by_version.values()) == len(files) > 500


def _corpus(sample: bool) -> list[Path]:
    from tests.corpus.fetch import corpus_files

    files = corpus_files()
    return files[::40] if sample else files


def _sweep(compile_official, release: str, files: list[Path]) -> int:
    done = 0
    for source in files:
        data = compile_official(release, source)
        if data is not None:
            assert_round_trip(data, f"{source} ({release})")
            done += 1
    return done


@pytest.mark.parametrize("release", RELEASES)
def test_corpus_sample(compile_official, release):
    files = _corpus(sample=True)
    assert _sweep(compile_official, release, files) >= len(files) // 2


@pytest.mark.slow
@pytest.mark.parametrize("release", RELEASES)
def test_corpus_full(request, compile_official, release):
    # opt-in (pyproject's "slow" marker): about 5,000 compilations on a cold cache
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("full corpus sweep runs with -m slow")
    files = _corpus(sample=False)
    assert _sweep(compile_official, release, files) >= len(files) // 2


def test_huge_int_constant_round_trips(tmp_path):
    """Folded ints far past CPython's 4300-digit str() limit read and write back."""
    source = tmp_path / "bigint.py"
    source.write_text("x = 123456789 ** 2000\ny = -(7 ** 9000)\n")
    out = tmp_path / "bigint.mpy"
    proc = subprocess.run([str(official("1.29")), "-o", str(out), str(source)], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    mpy = read_mpy(data, "bigint.mpy")
    assert 123456789 ** 2000 in mpy.obj_table
    assert write_mpy(mpy) == data
