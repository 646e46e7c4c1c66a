"""`mpycross bundle` on real libraries from PyPI, checked against the official compiler and the real VM.

The libraries are the corpus wheels (tests/corpus/fetch.py, under
.cache/corpus/dist). Every .mpy of a bundle is compared with what the
official mpy-cross 1.29 makes from the same (version-stamped) source with
the same stored name; bundles are built twice and compared byte for byte;
their lib/ is unzipped and imported on the MicroPython VM with the hardware
stubs of tests/support/stubs. The default run builds the whole corpus
(150+ libraries) once and compares it with the official compiler, and
checks rebuilds and imports on a selection of about twenty; `-m slow`
also rebuilds the whole corpus and imports every library.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mpycross.bundle import BundleError
from mpycross.bundle.build import (BundleTarget, build_bundle, bundle_targets, compiles, dependency_table,
                                   write_outputs)
from mpycross.bundle.cache import CompileCache
from mpycross.bundle.library import Library, discover, stamp_version
from mpycross.cli.commands import cli
from tests.oracles import compile_official, micropython_vm

STUBS = Path(__file__).resolve().parent / "support" / "stubs"
MP = [BundleTarget("micropython-1.29", "mp-1.29")]
TAG = "20260101"

# Libraries (distribution names) of the default run: each imports on the unix VM with the stubs,
# and they depend on each other (debouncer -> ticks, display_text -> bitmap_font, ...).
SELECTION = [
    "adafruit-circuitpython-debouncer", "adafruit-circuitpython-ticks", "adafruit-circuitpython-display-text",
    "adafruit-circuitpython-bitmap-font", "adafruit-circuitpython-motor", "adafruit-circuitpython-seesaw",
    "adafruit-circuitpython-binascii", "adafruit-circuitpython-logging", "adafruit-circuitpython-minimqtt",
    "adafruit-circuitpython-rsa", "adafruit-circuitpython-hashlib", "adafruit-circuitpython-onewire", "adafruit-circuitpython-ds18x20",
    "adafruit-circuitpython-pixelbuf", "adafruit-circuitpython-dotstar", "adafruit-circuitpython-simpleio",
    "adafruit-circuitpython-neopixel", "adafruit-circuitpython-imageload",
    "adafruit-circuitpython-display-shapes",
]


# --- shared helpers (also used by test_install.py and test_doctor.py) ---

def corpus_dists() -> list[Path]:
    """Every downloaded corpus distribution (wheels and sdists)."""
    from tests.corpus.fetch import cache_dir, ensure_corpus

    try:
        ensure_corpus()
    except Exception as err:  # pragma: no cover - no network and no cache
        pytest.skip(f"the PyPI corpus is not available: {err}")
    return sorted(p for p in (cache_dir() / "dist").iterdir() if p.is_file())


def dist_file(name: str) -> Path:
    key = name.replace("-", "_").lower() + "-"
    found = [p for p in corpus_dists() if p.name.lower().startswith(key)]
    assert found, f"{name} is not in the corpus"
    return found[0]


def libraries(names: list[str]) -> list[Library]:
    return [lib for n in names for lib in discover(dist_file(n))]


def all_libraries() -> list[Library]:
    libs = []
    for p in corpus_dists():
        try:
            libs += discover(p)
        except BundleError:
            continue  # a distribution without modules
    return libs


def official_mpy(source: bytes, name: str) -> bytes | None:
    """What the official mpy-cross 1.29 makes of source stored as `name` (None if it rejects it)."""
    return compile_official(source, args=["-s", name], name="in.py").mpy


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def lib_members(data: bytes) -> dict[str, bytes]:
    """Members under <stem>/lib/, keyed by their path inside lib/."""
    out = {}
    for name, blob in zip_members(data).items():
        stem, top, *rest = name.split("/")
        if top == "lib":
            out["/".join(rest)] = blob
    return out


def compare_with_official(libs: list[Library], mpy_zip: bytes) -> tuple[list[str], list[str]]:
    """(identical, differing) lib paths of every .py of libs, against the official compiler."""
    members = lib_members(mpy_zip)
    same, differ = [], []
    for lib in libs:
        for path, source in sorted(lib.stamped_files().items()):
            if not path.endswith(".py"):
                continue
            if not compiles(path, source):   # an empty file is copied as it is
                (same if members.get(path) == source else differ).append(path)
                continue
            ref = official_mpy(source, path)
            ours = members.get(path[:-3] + ".mpy")
            (same if ours is not None and ours == ref else differ).append(path)
    return same, differ


def import_on_vm(lib_dir: Path, module: str) -> str:
    """"OK" or "ERR <type>" after importing module from lib_dir on the real VM."""
    program = (f"import sys\nsys.path[:0] = [{str(lib_dir)!r}, {str(STUBS)!r}]\n"
               f"try:\n    import {module}\n    print('OK')\n"
               f"except Exception as e:\n    print('ERR', type(e).__name__)\n")
    done = subprocess.run([str(micropython_vm()), "-c", program], capture_output=True, text=True, timeout=60)
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else f"ERR crash {done.stderr.strip()[-200:]}"


@pytest.fixture(scope="module")
def selection_build(tmp_path_factory):
    libs = libraries(SELECTION)
    cache = CompileCache(tmp_path_factory.mktemp("cache"))
    result = build_bundle(libs, "sel", TAG, MP, workers=2, cache=cache)
    return libs, result, cache


# --- discovery and stamping ---

def test_stamp_version_replaces_only_the_version_line():
    src = b'__version__ = "0.0.0+auto.0"\r\nx = "0.0.0+auto.0"\n__version__ = "0.0.0-auto.0"\n'
    assert stamp_version(src, "1.2.3") == b'__version__ = "1.2.3"\r\nx = "0.0.0+auto.0"\n__version__ = "1.2.3"\n'
    assert stamp_version(b"x = 1\n", "1.2.3") == b"x = 1\n"


def _make_repo(root: Path, version_line: str = '__version__ = "0.0.0+auto.0"\n') -> Path:
    (root / "mylib" / "sub").mkdir(parents=True)
    (root / "mylib" / "__init__.py").write_text(version_line + "from .core import f\n")
    (root / "mylib" / "core.py").write_text("def f():\n    return 42\n")
    (root / "mylib" / "sub" / "__init__.py").write_text("")
    (root / "mylib" / "sub" / "deep.py").write_text("X = [1, 2, 3]\n")
    (root / "mylib" / "font.bin").write_bytes(b"\x00\x01\x02")
    (root / "mylib_extra.py").write_text("Y = 2\n")
    (root / "examples").mkdir()
    (root / "examples" / "mylib_simpletest.py").write_text("import mylib\nprint(mylib.f())\n")
    (root / "docs").mkdir()
    (root / "docs" / "conf.py").write_text("project = 'x'\n")
    (root / "setup.py").write_text("raise SystemExit\n")
    (root / "requirements.txt").write_text("Adafruit-Blinka\nadafruit-circuitpython-ticks>=1.0\n# comment\n")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "mylib-dist"\nversion = "3.1.4"\n'
        '[project.urls]\nHomepage = "https://example.org/mylib"\n'
        '[tool.setuptools]\npy-modules = ["mylib_extra"]\npackages = ["mylib", "mylib.sub"]\n')
    return root


def test_discover_pyproject_repository(tmp_path):
    [lib] = discover(_make_repo(tmp_path))
    assert lib.name == "mylib-dist" and lib.version == "3.1.4" and lib.repo == "https://example.org/mylib"
    assert sorted(lib.files) == ["mylib/__init__.py", "mylib/core.py", "mylib/font.bin", "mylib/sub/__init__.py",
                                 "mylib/sub/deep.py", "mylib_extra.py"]
    assert lib.modules == ["mylib", "mylib_extra"] and lib.module == "mylib" and lib.is_package
    assert list(lib.examples) == ["mylib_simpletest.py"]
    assert lib.requirements == ["Adafruit-Blinka", "adafruit-circuitpython-ticks>=1.0"]
    assert lib.stamped_files()["mylib/__init__.py"].startswith(b'__version__ = "3.1.4"')


def test_discover_layout_without_setuptools_tables(tmp_path):
    root = _make_repo(tmp_path)
    (root / "pyproject.toml").write_text('[project]\nname = "mylib-dist"\ndynamic = ["version"]\n')
    [lib] = discover(root)
    assert lib.modules == ["mylib", "mylib_extra"]   # setup.py and docs/conf.py are not modules
    assert lib.version == "0.0.0+auto.0"


def test_version_from_git_tag(tmp_path):
    root = _make_repo(tmp_path)
    (root / "pyproject.toml").write_text('[project]\nname = "mylib-dist"\ndynamic = ["version"]\n')
    env = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    for cmd in (["init", "-q"], ["add", "."], [*env, "commit", "-qm", "x"], [*env, "tag", "2.7.1"]):
        subprocess.run(["git", *cmd], cwd=root, check=True, capture_output=True)
    [lib] = discover(root)
    assert lib.version == "2.7.1"
    assert b'__version__ = "2.7.1"' in lib.stamped_files()["mylib/__init__.py"]


def test_discover_sdist_and_folder_of_packages(tmp_path):
    repo = _make_repo(tmp_path / "mylib-dist-3.1.4")
    (repo / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: mylib-dist\nVersion: 3.1.4\n")
    sdist = tmp_path / "mylib_dist-3.1.4.tar.gz"
    with tarfile.open(sdist, "w:gz") as t:
        t.add(repo, arcname="mylib-dist-3.1.4")
    [from_sdist] = discover(sdist)
    [from_folder] = discover(repo)
    assert from_sdist.files == from_folder.files and from_sdist.version == "3.1.4"
    assert from_sdist.examples == from_folder.examples

    plain = tmp_path / "plain"
    (plain / "pkg").mkdir(parents=True)
    (plain / "pkg" / "__init__.py").write_text('__version__ = "1.0"\n')
    (plain / "single.py").write_text("A = 1\n")
    libs = discover(plain)
    assert [(lib.module, lib.version) for lib in libs] == [("pkg", "1.0"), ("single", "0.0.0+auto.0")]


def test_discover_rejects_bad_inputs(tmp_path):
    with pytest.raises(BundleError, match="no such file"):
        discover(tmp_path / "missing")
    (tmp_path / "x.whl").write_bytes(b"not a zip")
    with pytest.raises(BundleError, match="none-any|not a pure"):
        discover(tmp_path / "x.whl")
    for name in ("junk.tar.gz", "junk.zip"):
        (tmp_path / name).write_bytes(bytes(range(256)) * 3)
        with pytest.raises(BundleError, match="not a readable sdist archive") as err:
            discover(tmp_path / name)
        assert "\n" not in str(err.value)
    bad = tmp_path / "x-1.0-py3-none-any.whl"
    bad.write_bytes(b"not a zip")
    with pytest.raises(BundleError, match="not a readable wheel"):
        discover(bad)


def test_wheel_discovery_keeps_data_files_and_metadata():
    [lib] = discover(dist_file("adafruit-circuitpython-debouncer"))
    assert lib.module == "adafruit_debouncer" and not lib.is_package
    assert lib.version and lib.repo.startswith("https://github.com/adafruit/")
    assert any("ticks" in r for r in lib.requirements)
    assert not any(".dist-info" in p for p in lib.files)


# --- the bundle: layout, json, identity with the official compiler, reproducibility ---

def test_bundle_layout_and_json(tmp_path):
    repo = _make_repo(tmp_path / "repo")
    [mylib] = discover(repo)
    [ticks] = libraries(["adafruit-circuitpython-ticks"])
    result = build_bundle([mylib, ticks], "demo", TAG, MP)
    assert sorted(result.outputs) == ["demo-20260101.json", "demo-20260101.sha256", "demo-examples-20260101.zip",
                                      "demo-mp-1.29-mpy-20260101.zip", "demo-py-20260101.zip"]
    mpy = zip_members(result.outputs["demo-mp-1.29-mpy-20260101.zip"])
    stem = "demo-mp-1.29-mpy-20260101/"
    assert sorted(mpy) == [stem + name for name in [
        "VERSIONS.txt", "examples/repo/mylib_simpletest.py", "lib/adafruit_ticks.mpy", "lib/mylib/__init__.mpy",
        "lib/mylib/core.mpy", "lib/mylib/font.bin", "lib/mylib/sub/__init__.py", "lib/mylib/sub/deep.mpy",
        "lib/mylib_extra.mpy", "requirements/adafruit_ticks/requirements.txt", "requirements/mylib/pyproject.toml",
        "requirements/mylib/requirements.txt"]]
    assert mpy[stem + "lib/mylib/font.bin"] == b"\x00\x01\x02"
    assert mpy[stem + "lib/mylib/sub/__init__.py"] == b""          # empty files are copied, as build-tools does
    assert mpy[stem + "requirements/mylib/requirements.txt"] == (repo / "requirements.txt").read_bytes()
    assert mpy[stem + "requirements/adafruit_ticks/requirements.txt"] == b"Adafruit-Blinka\n"   # from METADATA
    lines = mpy[stem + "VERSIONS.txt"].decode().split("\r\n")
    assert lines[0] == TAG and lines[-1] == "" and len(lines) == 4
    assert sorted(lines[1:3]) == sorted([f"{ticks.repo}/releases/tag/{ticks.version}",
                                         "https://example.org/mylib/releases/tag/3.1.4"])
    examples = zip_members(result.outputs["demo-examples-20260101.zip"])
    assert sorted(examples) == ["demo-examples-20260101/VERSIONS.txt",
                                "demo-examples-20260101/examples/repo/mylib_simpletest.py"]
    py = zip_members(result.outputs["demo-py-20260101.zip"])
    assert py["demo-py-20260101/lib/mylib/__init__.py"].startswith(b'__version__ = "3.1.4"')
    # the stored source name is the path under lib/, as circuitpython-build-tools gives it
    from mpycross.mpy import read_mpy
    assert read_mpy(mpy[stem + "lib/mylib/sub/deep.mpy"]).source_name == "mylib/sub/deep.py"

    table = json.loads(result.outputs["demo-20260101.json"])
    assert table["mylib"] == {
        "package": True, "pypi_name": "mylib-dist", "version": "3.1.4", "repo": "https://example.org/mylib",
        "path": "lib/mylib", "dependencies": ["adafruit_ticks"], "external_dependencies": [],
        "modules": ["mylib", "mylib_extra"], "pypi_description": ""}
    assert table["adafruit_ticks"]["package"] is False and table["adafruit_ticks"]["path"] == "lib/adafruit_ticks"
    manifest = result.outputs["demo-20260101.sha256"].decode().splitlines()
    assert len(manifest) == 4
    for line in manifest:
        digest, name = line.split("  ")
        assert hashlib.sha256(result.outputs[name]).hexdigest() == digest


def test_selection_is_byte_identical_to_official(selection_build):
    libs, result, _ = selection_build
    assert not result.errors
    same, differ = compare_with_official(libs, result.outputs[f"sel-mp-1.29-mpy-{TAG}.zip"])
    assert len(same) > 50
    assert differ == [], f"{len(differ)} of {len(same) + len(differ)} files differ from mpy-cross 1.29"


def test_selection_imports_on_the_vm(selection_build, tmp_path):
    libs, result, _ = selection_build
    with zipfile.ZipFile(io.BytesIO(result.outputs[f"sel-mp-1.29-mpy-{TAG}.zip"])) as z:
        z.extractall(tmp_path)
    lib_dir = tmp_path / f"sel-mp-1.29-mpy-{TAG}" / "lib"
    assert not [p for p in lib_dir.rglob("*.py") if p.stat().st_size]  # only .mpy (and empty .py) files
    outcomes = {lib.module: import_on_vm(lib_dir, lib.module) for lib in libs}
    assert outcomes == {lib.module: "OK" for lib in libs}


def official_cp92_equivalent(source: bytes, name: str) -> bytes | None:
    """CircuitPython 9.2's mpy-cross output for code without `async def`: MicroPython 1.23.0's
    with the header's magic byte 'C' (shared/golden/README.md: 9.2.9 matches 1.23.0)."""
    mpy = compile_official(source, "1.23", args=["-s", name], name="in.py").mpy
    return None if mpy is None else b"C" + mpy[1:]


def check_circuitpython_bundle(libs: list[Library], workers: int = 2) -> tuple[int, list[str]]:
    """(files compared, files that differ) of a circuitpython-9.2 bundle of libs."""
    result = build_bundle(libs, "cp", TAG, bundle_targets(["circuitpython-9.2"]), workers=workers,
                          skip_failed=True)
    members = lib_members(result.outputs[f"cp-9.x-mpy-{TAG}.zip"])
    compared, differ = 0, []
    for lib in libs:
        if lib.name in result.stats[1].skipped:
            continue
        for path, source in sorted(lib.stamped_files().items()):
            if compiles(path, source) and b"async def" not in source:   # async compiles differently on CP
                compared += 1
                if members[path[:-3] + ".mpy"] != official_cp92_equivalent(source, path):
                    differ.append(path)
    return compared, differ


def test_circuitpython_bundle_matches_official_equivalent():
    compared, differ = check_circuitpython_bundle(libraries(SELECTION))
    assert compared > 50 and differ == []


def test_rebuild_is_byte_identical(selection_build, tmp_path):
    libs, first, cache = selection_build
    warm = build_bundle(libraries(SELECTION), "sel", TAG, MP, workers=1, cache=cache)
    cold = build_bundle(libraries(SELECTION), "sel", TAG, MP, workers=2,
                        cache=CompileCache(tmp_path / "other-cache"))
    assert warm.outputs == first.outputs == cold.outputs
    st = warm.stats[1]
    assert st.compiled == 0 and st.cached == sum(1 for lib in libs for p, d in lib.stamped_files().items()
                                                 if compiles(p, d))
    z = zipfile.ZipFile(io.BytesIO(first.outputs[f"sel-mp-1.29-mpy-{TAG}.zip"]))
    infos = z.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_source_date_epoch_is_honoured(monkeypatch):
    libs = libraries(["adafruit-circuitpython-ticks"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20
    a = build_bundle(libs, "t", TAG, MP).outputs[f"t-mp-1.29-mpy-{TAG}.zip"]
    b = build_bundle(libraries(["adafruit-circuitpython-ticks"]), "t", TAG, MP).outputs[f"t-mp-1.29-mpy-{TAG}.zip"]
    assert a == b
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(a)).infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_cache_recompiles_only_changed_files(tmp_path):
    repo = _make_repo(tmp_path / "repo")
    cache = CompileCache(tmp_path / "cache")
    first = build_bundle(discover(repo), "d", TAG, MP, cache=cache)
    assert first.stats[1].compiled == 4 and first.stats[1].cached == 0   # the empty sub/__init__.py is copied
    (repo / "mylib" / "core.py").write_text("def f():\n    return 43\n")
    second = build_bundle(discover(repo), "d", TAG, MP, cache=cache)
    assert (second.stats[1].compiled, second.stats[1].cached) == (1, 3)
    # a damaged entry is compiled again, not served
    for entry in (tmp_path / "cache").rglob("*.mpy"):
        entry.write_bytes(entry.read_bytes()[:-1])
    third = build_bundle(discover(repo), "d", TAG, MP, cache=cache)
    assert third.stats[1].compiled == 4 and third.outputs == second.outputs


def test_compile_error_fails_the_build_or_leaves_the_library_out(tmp_path):
    repo = _make_repo(tmp_path / "repo")
    (repo / "mylib" / "broken.py").write_text("def f(:\n")
    [ticks] = libraries(["adafruit-circuitpython-ticks"])
    result = build_bundle([*discover(repo), ticks], "d", TAG, MP)
    assert [(e["file"], e["line"], e["kind"], e["library"]) for e in result.errors] == [
        ("mylib/broken.py", 1, "SyntaxError", "mylib-dist")]
    assert f"d-mp-1.29-mpy-{TAG}.zip" not in result.outputs
    kept = build_bundle([*discover(repo), ticks], "d", TAG, MP, skip_failed=True)
    members = lib_members(kept.outputs[f"d-mp-1.29-mpy-{TAG}.zip"])
    assert sorted(members) == ["adafruit_ticks.mpy"] and kept.stats[1].skipped == ["mylib-dist"]


def test_targets_and_labels():
    assert bundle_targets(["micropython-1.29"]) == MP
    assert [t.label for t in bundle_targets(["circuitpython-9.2", "circuitpython-10.0", "circuitpython-10.2"])] \
        == ["9.x", "10.0.x", "10.2.x"]
    with pytest.raises(BundleError, match="unknown target"):
        bundle_targets(["nonsense-3"])


def test_duplicate_modules_are_refused(tmp_path):
    a = Library("a", "1", {"same.py": b"A = 1\n"})
    b = Library("b", "1", {"same.py": b"B = 1\n"})
    with pytest.raises(BundleError, match="provided by both"):
        build_bundle([a, b], "d", TAG, MP)


def test_dependency_table_splits_bundled_and_external():
    a = Library("dist-a", "1", {"a.py": b""}, requirements=["dist_b>=2", "Adafruit-Blinka", "other; extra == 'x'",
                                                             "far-away"])
    b = Library("Dist.B", "2", {"b/__init__.py": b""})
    table = dependency_table([a, b])
    assert table["a"]["dependencies"] == ["b"] and table["a"]["external_dependencies"] == ["far-away"]
    assert table["b"]["package"] is True


# --- the command ---

def test_progress_is_plain_in_ci_and_off_a_terminal(monkeypatch):
    from mpycross.bundle.progress import Progress, interactive

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    assert interactive(Tty()) and not interactive(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not interactive(Tty())
    out = Tty()
    p = Progress(stream=out)
    p.start(20, "compiling")
    for _ in range(20):
        p.advance()
    p.stop()
    lines = out.getvalue().splitlines()
    assert lines[0] == "compiling: 20 files" and lines[-1] == "compiling: 20/20" and len(lines) == 11


def test_cli_builds_writes_and_reports(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    repo = _make_repo(tmp_path / "repo")
    out = tmp_path / "out"
    args = ["bundle", str(repo), str(dist_file("adafruit-circuitpython-ticks")), "-o", str(out), "--tag", TAG,
            "--name", "demo", "--cache-dir", str(tmp_path / "cache"), "-j", "1"]
    run = CliRunner().invoke(cli, args)
    assert run.exit_code == 0, run.output
    assert "compiling: 5 files" in run.output and "compiling: 5/5" in run.output   # plain lines in CI
    assert "demo-mp-1.29-mpy-20260101.zip" in run.output and "compiled" in run.output  # the table
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(first) == ["demo-20260101.json", "demo-20260101.sha256", "demo-examples-20260101.zip",
                             "demo-mp-1.29-mpy-20260101.zip", "demo-py-20260101.zip"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first

    (repo / "mylib" / "bad.py").write_text("x = = 1\n")
    bad = tmp_path / "bad"
    run = CliRunner().invoke(cli, [*args[:-6], "-o", str(bad), "--tag", TAG, "--no-cache"])
    assert run.exit_code == 1 and "mylib/bad.py:1: SyntaxError" in run.output
    assert not bad.exists()
    run = CliRunner().invoke(cli, ["bundle", str(tmp_path / "nope")])
    assert run.exit_code == 1 and run.output.count("\n") == 1 and "no such file" in run.output


def test_cli_requirements_file_through_pip(tmp_path):
    dist = dist_file("adafruit-circuitpython-ticks")
    version = dist.name.split("-")[1]
    req = tmp_path / "requirements.txt"
    req.write_text(f"adafruit-circuitpython-ticks=={version}\n")
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["bundle", "-r", str(req), "--pip-option=--no-index",
                                   f"--pip-option=--find-links={dist.parent}", "-o", str(out), "--tag", TAG,
                                   "--no-cache", "-q"])
    assert run.exit_code == 0, run.output
    table = json.loads((out / f"bundle-{TAG}.json").read_text())
    assert table["adafruit_ticks"]["version"] == version


def test_cli_unsupported_target_is_one_line(tmp_path):
    repo = _make_repo(tmp_path / "repo")
    run = CliRunner().invoke(cli, ["bundle", str(repo), "--target", "micropython-1.12", "-o", str(tmp_path / "o"),
                                   "--no-cache"])
    # either the compiler supports the target (exit 0) or says so in one line
    assert run.exit_code in (0, 1)
    if run.exit_code == 1:
        assert run.output.startswith("error: cannot build for micropython-1.12") and run.output.count("\n") == 1


# --- real sdists (downloaded once into the corpus cache) ---

SDISTS = ["adafruit-circuitpython-ticks", "adafruit-circuitpython-debouncer", "adafruit-circuitpython-display-text"]


def corpus_sdists() -> list[Path]:
    """The sdists of the SDISTS libraries, at the wheels' versions; pip builds their metadata (slow once)."""
    import sys

    from tests.corpus.fetch import cache_dir

    folder = cache_dir() / "sdist"
    folder.mkdir(parents=True, exist_ok=True)
    found = []
    for name in SDISTS:
        version = dist_file(name).name.split("-")[1]
        key = name.replace("-", "_") + f"-{version}.tar.gz"
        target = folder / key
        if not target.exists():
            done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                                   "--disable-pip-version-check", "-q", "-d", str(folder), f"{name}=={version}"],
                                  capture_output=True, text=True)
            if done.returncode != 0 or not target.exists():
                pytest.skip(f"cannot download the sdist of {name}: {done.stderr.strip()[-200:]}")
        found.append(target)
    return found


@pytest.mark.slow
def test_sdists_give_the_wheels_lib_plus_examples():
    from_sdists = build_bundle([lib for p in corpus_sdists() for lib in discover(p)], "s", TAG, MP)
    from_wheels = build_bundle(libraries(SDISTS), "s", TAG, MP)
    zip_name = f"s-mp-1.29-mpy-{TAG}.zip"
    assert lib_members(from_sdists.outputs[zip_name]) == lib_members(from_wheels.outputs[zip_name])
    examples = [n for n in zip_members(from_sdists.outputs[zip_name]) if "/examples/" in n]
    assert len(examples) >= len(SDISTS)
    sd, wh = json.loads(from_sdists.outputs[f"s-{TAG}.json"]), json.loads(from_wheels.outputs[f"s-{TAG}.json"])
    assert sd == wh


# --- the whole corpus ---

@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    libs = all_libraries()
    cache = CompileCache(tmp_path_factory.mktemp("corpus-cache"))
    result = build_bundle(libs, "corpus", TAG, MP, workers=2, cache=cache, skip_failed=True)
    return libs, result


def test_corpus_bundle_builds_and_matches_official(corpus_build):
    """Every corpus library (150+): about 30 s to build cold and 15 s to compare, so in the default run."""
    libs, result = corpus_build
    assert len(libs) >= 100
    kept = result.stats[1]
    assert kept.libraries >= 100
    # a library is left out only where the official compiler rejects one of its files too
    for e in result.errors:
        lib = next(lib for lib in libs if lib.name == e["library"])
        assert official_mpy(lib.stamped_files()[e["file"]], e["file"]) is None, e
    kept_libs = [lib for lib in libs if lib.name not in kept.skipped]
    same, differ = compare_with_official(kept_libs, result.outputs[f"corpus-mp-1.29-mpy-{TAG}.zip"])
    assert differ == [], f"{len(differ)} of {len(same) + len(differ)} files differ: {differ[:20]}"


@pytest.mark.slow
def test_corpus_circuitpython_bundle_matches_official_equivalent():
    compared, differ = check_circuitpython_bundle(all_libraries())
    assert compared > 400
    assert differ == [], f"{len(differ)} of {compared} files differ: {differ[:20]}"


@pytest.mark.slow
def test_corpus_bundle_is_reproducible_and_imports_like_official(corpus_build, tmp_path):
    libs, result = corpus_build
    again = build_bundle(all_libraries(), "corpus", TAG, MP, workers=2, skip_failed=True)
    assert again.outputs == result.outputs
    zip_name = f"corpus-mp-1.29-mpy-{TAG}.zip"
    ours = tmp_path / "ours"
    ref = tmp_path / "ref"
    for rel, data in lib_members(result.outputs[zip_name]).items():
        (ours / rel).parent.mkdir(parents=True, exist_ok=True)
        (ours / rel).write_bytes(data)
    kept = [lib for lib in libs if lib.name not in result.stats[1].skipped]
    for lib in kept:
        for path, source in lib.stamped_files().items():
            dest = ref / (path[:-3] + ".mpy" if compiles(path, source) else path)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(official_mpy(source, path) if compiles(path, source) else source)
    mismatched = {}
    imported = 0
    for lib in kept:
        a, b = import_on_vm(ours, lib.module), import_on_vm(ref, lib.module)
        imported += a == "OK"
        if a != b:
            mismatched[lib.module] = (a, b)
    assert mismatched == {}
    assert imported >= 100
