"""Bundles maintainers can publish, checked against the tools that publish and read them.

- circuitpython-build-tools (PyPI, a test extra) builds the same small
  library repository: the zips must hold the same paths with the same
  bytes, and the versions must be the same strings. Its mpy-cross binaries
  come from Adafruit's S3, which CI cannot reach, so the cache folder it
  looks in first holds one small script per major that runs our
  `mpy-cross` with the target our bundle uses; the bytes of the .mpy files
  are then ours either way (they are checked against the official
  compilers in test_bundle.py), what is compared is where every file goes,
  the name stored in it and the source it is compiled from.
- circup (PyPI, a test extra) installs from a bundle `mpycross bundle`
  wrote, placed in circup's data folder, onto a fake drive.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mpycross.bundle.build import PUBLISHED_MAJORS, major_targets
from mpycross.bundle.library import HOST_ONLY, discover, git_version
from mpycross.cli.commands import cli
from tests.test_bundle import dist_file

SRC = Path(__file__).resolve().parent.parent / "src"
GIT_ENV = ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *GIT_ENV, *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def commit(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text)
    git(root, "add", "-A")
    git(root, "commit", "-qm", name)


def make_gizmo(root: Path) -> Path:
    """A library repository as Adafruit's are laid out: a package, examples, requirements, git."""
    pkg = root / "gizmo"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text('__version__ = "0.0.0+auto.0"\n__repo__ = "x"\nfrom .core import f\n')
    (pkg / "core.py").write_text("def f():\n    return 42\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "deep.py").write_text("X = [1, 2, 3]\n")
    (pkg / "font-5x8.bin").write_bytes(b"\x00\x01\x02")
    (root / "examples" / "more").mkdir(parents=True)
    (root / "examples" / "gizmo_simpletest.py").write_text("import gizmo\nprint(gizmo.f())\n")
    (root / "examples" / "gizmo-extra.py").write_text("print(1)\n")
    (root / "examples" / "more" / "code.py").write_text("print(2)\n")
    (root / "requirements.txt").write_text("# SPDX-License-Identifier: MIT\nAdafruit-Blinka\n"
                                           "adafruit-circuitpython-ticks\nExample-CircuitPython-Faraway>=2\n")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "example-circuitpython-gizmo"\ndescription = "Drives a gizmo."\n'
        'dynamic = ["version"]\n[tool.setuptools]\npackages = ["gizmo", "gizmo.sub"]\n')
    git(root, "init", "-q")
    git(root, "remote", "add", "origin", "https://github.com/example/Example_CircuitPython_Gizmo.git")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    git(root, "tag", "1.4.2")
    commit(root, "README.rst", "Gizmo\n")
    return root


def zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}


# --- versions ---

def build_tools_version(root: Path) -> str:
    """The version circuitpython-build-tools gives a library checkout (build.get_package_info)."""
    import warnings

    from circuitpython_build_tools import build

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)   # semver 3 deprecates the calls it makes
        try:
            return build.version_string(str(root), valid_semver=True)
        except ValueError:
            return build.version_string(str(root))


def test_versions_are_those_of_build_tools(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    git(root, "init", "-q")
    seen = {}
    commit(root, "a.py", "A = 1\n")
    commit(root, "b.py", "B = 1\n")
    seen["no tag, 2 commits"] = (git_version(root), build_tools_version(root))
    git(root, "tag", "1.4.2")
    seen["tagged"] = (git_version(root), build_tools_version(root))
    commit(root, "c.py", "C = 1\n")
    commit(root, "d.py", "D = 1\n")
    seen["2 after 1.4.2"] = (git_version(root), build_tools_version(root))
    git(root, "tag", "2.0.0-rc.1")
    commit(root, "e.py", "E = 1\n")
    seen["1 after 2.0.0-rc.1"] = (git_version(root), build_tools_version(root))
    git(root, "tag", "2.1")
    commit(root, "f.py", "F = 1\n")
    seen["1 after 2.1 (not semver)"] = (git_version(root), build_tools_version(root))
    head = git(root, "rev-parse", "--short", "HEAD")
    assert {k: ours for k, (ours, _) in seen.items()} == {k: theirs for k, (_, theirs) in seen.items()}
    assert seen["2 after 1.4.2"][0].startswith("1.4.3-alpha.0.plus.2+")
    assert seen["1 after 2.1 (not semver)"][0] == head


def test_untagged_version_sorts_after_its_tag(tmp_path):
    import semver

    root = make_gizmo(tmp_path / "gizmo")
    version = semver.Version.parse(git_version(root))
    assert semver.Version.parse("1.4.2") < version < semver.Version.parse("1.4.3")
    [lib] = discover(root)
    assert f'__version__ = "{version}"'.encode() in lib.stamped_files()["gizmo/__init__.py"]


def test_two_libraries_with_the_same_example_name_both_keep_it(tmp_path):
    from mpycross.bundle.build import build_bundle

    for name in ("alpha", "beta"):
        repo = tmp_path / "libraries" / name
        (repo / "examples").mkdir(parents=True)
        (repo / f"{name}.py").write_text(f"NAME = {name!r}\n")
        (repo / "examples" / "simpletest.py").write_text(f"import {name}\n")
        (repo / "pyproject.toml").write_text(f'[project]\nname = "{name}"\nversion = "1.0.0"\n')
    result = build_bundle(discover(tmp_path / "libraries"), "b", "t", major_targets()[:1])
    for zip_name, stem in [("b-examples-t.zip", "b-examples-t"), ("b-9.x-mpy-t.zip", "b-9.x-mpy-t")]:
        with zipfile.ZipFile(io.BytesIO(result.outputs[zip_name])) as z:
            assert z.read(f"{stem}/examples/alpha/simpletest.py") == b"import alpha\n"
            assert z.read(f"{stem}/examples/beta/simpletest.py") == b"import beta\n"


# --- the same bundle as circuitpython-build-tools ---

def shim_mpy_cross(cache: Path) -> None:
    """Scripts where build-tools looks for its mpy-cross binaries, running our mpy-cross."""
    folder = cache / "circuitpython-build-tools"
    folder.mkdir(parents=True)
    for t in major_targets():
        script = folder / f"mpy-cross-{t.label}"
        script.write_text(f"#!/bin/sh\nPYTHONPATH={SRC} exec {sys.executable} -c "
                          f"'import sys; from mpycross.cli.mpy_cross import main; sys.exit(main())' "
                          f"--target {t.name} \"$@\"\n")
        script.chmod(0o755)


def test_bundle_is_the_one_build_tools_makes(tmp_path):
    repo = make_gizmo(tmp_path / "gizmo")
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    run = CliRunner().invoke(cli, ["bundle", str(repo), "--circuitpython-majors", "--name",
                                   "example-circuitpython-gizmo", "-o", str(ours), "--no-cache", "-q"])
    assert run.exit_code == 0, run.output
    shim_mpy_cross(tmp_path / "cache")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), HOME=str(tmp_path))
    tool = Path(sys.executable).with_name("circuitpython-build-bundles")
    done = subprocess.run([str(tool), "--filename_prefix", "example-circuitpython-gizmo", "--library_location",
                           ".", "--output_directory", str(theirs)], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    commit_tag = git(repo, "rev-parse", "--short", "HEAD")   # build-tools names an untagged build by its commit
    zips = sorted(p.name for p in theirs.glob("*.zip"))
    assert zips == sorted(p.name for p in ours.glob("*.zip"))
    assert zips == sorted(f"example-circuitpython-gizmo-{kind}-{commit_tag}.zip"
                          for kind in ["py", "examples", *(f"{m}.x-mpy" for m in PUBLISHED_MAJORS)])
    for name in zips:
        mine, ref = zip_members(ours / name), zip_members(theirs / name)
        assert sorted(mine) == sorted(ref), name
        differ = [n for n in ref if mine[n] != ref[n]]
        assert differ == [], f"{name}: {differ}"
    mpy = zip_members(ours / f"example-circuitpython-gizmo-9.x-mpy-{commit_tag}.zip")
    stem = f"example-circuitpython-gizmo-9.x-mpy-{commit_tag}/"
    assert stem + "lib/gizmo/font_5x8.bin" in mpy and stem + "lib/gizmo/sub/__init__.py" in mpy
    assert stem + "examples/gizmo/gizmo_extra.py" in mpy and stem + "requirements/gizmo/pyproject.toml" in mpy

    [json_name] = [p.name for p in theirs.glob("*.json")]
    mine = json.loads((ours / json_name).read_text())
    ref = json.loads((theirs / json_name).read_text())
    assert mine.keys() == ref.keys() == {"gizmo"}
    version = ref["gizmo"]["version"]
    assert version.startswith("1.4.3-alpha.0.plus.1+") and mine["gizmo"]["version"] == version
    for key, value in ref["gizmo"].items():
        if key != "repo":   # build-tools writes the remote's URL lower-cased
            assert mine["gizmo"][key] == value, key
    assert mine["gizmo"]["repo"].lower() == ref["gizmo"]["repo"]


def make_bundle_repository(root: Path) -> Path:
    """A bundle repository as Adafruit's: libraries/<kind>/<name> git submodules, README.txt, a date tag."""
    sources = root / "sources"
    for name, extra in [("alpha", ""), ("beta", "example-circuitpython-alpha\n")]:
        repo = sources / name
        (repo / "examples").mkdir(parents=True)
        (repo / f"{name}.py").write_text(f'__version__ = "0.0.0+auto.0"\nNAME = {name!r}\n')
        (repo / "examples" / "simpletest.py").write_text(f"import {name}\n")   # the same name in both
        (repo / "requirements.txt").write_text("Adafruit-Blinka\n" + extra)
        (repo / "pyproject.toml").write_text(f'[project]\nname = "example-circuitpython-{name}"\n'
                                             f'dynamic = ["version"]\n[tool.setuptools]\npy-modules = ["{name}"]\n')
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "first")
        git(repo, "tag", "2.0.1" if name == "alpha" else "0.9.0")
    bundle = root / "Example_Bundle"
    bundle.mkdir()
    git(bundle, "init", "-q")
    (bundle / "README.txt").write_text("Example bundle\r\n")
    for kind, name in [("drivers", "beta"), ("helpers", "alpha")]:
        git(bundle, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sources / name),
            f"libraries/{kind}/{name}")
        # build-tools reads each library's remote for its repository and PyPI name
        git(bundle / "libraries" / kind / name, "remote", "set-url", "origin",
            f"https://github.com/example/Example_CircuitPython_{name.title()}.git")
    git(bundle, "add", "-A")
    git(bundle, "commit", "-qm", "libraries")
    git(bundle, "tag", "20260101")
    return bundle


def test_bundle_of_several_libraries_is_the_one_build_tools_makes(tmp_path):
    bundle = make_bundle_repository(tmp_path)
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    run = CliRunner().invoke(cli, ["bundle", str(bundle / "libraries"), "--circuitpython-majors", "--name",
                                   "example-bundle", "-o", str(ours), "--no-cache", "-q"])
    assert run.exit_code == 0, run.output
    shim_mpy_cross(tmp_path / "cache")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), HOME=str(tmp_path))
    tool = Path(sys.executable).with_name("circuitpython-build-bundles")
    done = subprocess.run([str(tool), "--filename_prefix", "example-bundle", "--library_location", "libraries",
                           "--library_depth", "2", "--output_directory", str(theirs)], cwd=bundle, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    zips = sorted(p.name for p in theirs.glob("*.zip"))
    assert zips == sorted(p.name for p in ours.glob("*.zip")) and "example-bundle-py-20260101.zip" in zips
    for name in zips:
        mine, ref = zip_members(ours / name), zip_members(theirs / name)
        assert sorted(mine) == sorted(ref), name
        assert [n for n in ref if mine[n] != ref[n]] == [], name
    stem = "example-bundle-10.x-mpy-20260101/"
    members = zip_members(ours / "example-bundle-10.x-mpy-20260101.zip")
    assert members[stem + "examples/alpha/simpletest.py"] == b"import alpha\n"
    assert members[stem + "examples/beta/simpletest.py"] == b"import beta\n"
    assert members[stem + "VERSIONS.txt"].startswith(b"20260101\r\nhttps://github.com/example/")
    mine = json.loads((ours / "example-bundle-20260101.json").read_text())
    ref = json.loads((theirs / "example-bundle-20260101.json").read_text())
    assert mine["beta"]["dependencies"] == ref["beta"]["dependencies"] == ["alpha"]
    for module, facts in ref.items():
        assert {k: v for k, v in mine[module].items() if k in facts and k != "repo"} == \
            {k: v for k, v in facts.items() if k != "repo"}


# --- circup reads our bundle ---

BOOT_OUT = "Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit Feather RP2040 with rp2040\r\n" \
           "Board ID:adafruit_feather_rp2040\r\n"


def test_circup_installs_from_our_bundle(tmp_path):
    tag = "20260101"
    out = tmp_path / "bundles"
    inputs = [str(make_gizmo(tmp_path / "gizmo"))] + [
        str(dist_file(n)) for n in ("adafruit-circuitpython-debouncer", "adafruit-circuitpython-ticks",
                                    "adafruit-circuitpython-display-text", "adafruit-circuitpython-bitmap-font")]
    run = CliRunner().invoke(cli, ["bundle", *inputs, "--circuitpython-majors", "--name", "example-bundle",
                                   "--tag", tag, "-o", str(out), "--no-cache", "-q"])
    assert run.exit_code == 0, run.output

    # circup's data folder (appdirs' user_data_dir): its bundle list, the tags it has, the unzipped bundles
    data = tmp_path / "xdg-data" / "circup"
    (data / "example").mkdir(parents=True)
    (data / "bundle_config.json").write_text(json.dumps({"example": "example/Example_Bundle"}))
    (data / "circup.json").write_text(json.dumps({"example/Example_Bundle": [tag]}))
    for platform, kind in [("py", "py"), ("9mpy", "9.x-mpy"), ("10mpy", "10.x-mpy")]:
        with zipfile.ZipFile(out / f"example-bundle-{kind}-{tag}.zip") as z:
            z.extractall(data / "example" / f"example-bundle-{platform}")
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "xdg-data"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg-config"), XDG_CACHE_HOME=str(tmp_path / "xdg-cache"))
    circup = Path(sys.executable).with_name("circup")
    elsewhere = tmp_path / "elsewhere"   # circup installs a name that is a path in its folder from there
    elsewhere.mkdir()

    for major, release in [("9", "9.2.1"), ("10", "10.0.3")]:
        drive = tmp_path / f"CIRCUITPY-{major}"
        drive.mkdir()
        (drive / "boot_out.txt").write_text(BOOT_OUT.replace("9.2.1", release))

        def run_circup(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([str(circup), "--offline", "--path", str(drive), *args], cwd=elsewhere, env=env,
                                  capture_output=True, text=True, timeout=120)

        done = run_circup("install", "adafruit_debouncer", "adafruit_display_text", "gizmo")
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"running CircuitPython {release}" in done.stdout
        lib = drive / "lib"
        installed = sorted(p.relative_to(lib).as_posix() for p in lib.rglob("*") if p.is_file())
        ours = {}
        for rel, blob in zip_members(out / f"example-bundle-{major}.x-mpy-{tag}.zip").items():
            parts = rel.split("/")
            if parts[1] == "lib":
                ours["/".join(parts[2:])] = blob
        # the libraries asked for and their dependencies (from requirements/), byte for byte our files
        tops = {"adafruit_debouncer", "adafruit_ticks", "adafruit_display_text", "adafruit_bitmap_font", "gizmo"}
        assert installed == sorted(r for r in ours if r.split("/")[0].split(".")[0] in tops)
        assert all((lib / r).read_bytes() == ours[r] for r in installed)
        assert "gizmo/core.mpy" in installed and "adafruit_ticks.mpy" in installed

        done = run_circup("example", "gizmo/gizmo_simpletest")
        assert done.returncode == 0, done.stdout + done.stderr
        assert (drive / "gizmo_simpletest.py").read_bytes() == b"import gizmo\nprint(gizmo.f())\n"


# --- --skip-failed, the majors, -r --deps ---

def test_skip_failed_writes_the_bundle_and_says_so_once_per_file(tmp_path):
    repo = make_gizmo(tmp_path / "gizmo")
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("example-circuitpython-gizmo", "Example_CircuitPython.Gizmo"))
    (repo / "gizmo" / "broken.py").write_text("def f(:\n")
    (repo / "gizmo" / "also_broken.py").write_text("x = = 1\n")
    out = tmp_path / "out"
    args = ["bundle", str(repo), str(dist_file("adafruit-circuitpython-ticks")), "--circuitpython-majors",
            "--tag", "t1", "-o", str(out), "--no-cache", "-q"]
    run = CliRunner().invoke(cli, [*args, "--skip-failed"])
    assert run.exit_code == 0, run.output + run.stderr
    lines = run.stderr.splitlines()
    failing = [line for line in lines if "SyntaxError" in line]
    assert len(failing) == 2                                    # one line per file, not one per target
    assert all(line.count("-mpy-t1.zip") == len(PUBLISHED_MAJORS) for line in failing)
    assert any(line.startswith("gizmo/broken.py:1: SyntaxError") for line in failing)
    for major in PUBLISHED_MAJORS:
        members = zip_members(out / f"bundle-{major}.x-mpy-t1.zip")
        assert f"bundle-{major}.x-mpy-t1/lib/adafruit_ticks.mpy" in members
        assert not any("/lib/gizmo/" in n for n in members)
    table = json.loads((out / "bundle-t1.json").read_text())
    assert table["gizmo"]["pypi_name"] == "example-circuitpython-gizmo"   # PEP 503, as PyPI lists it

    failed = CliRunner().invoke(cli, [*args[:-4], "-o", str(tmp_path / "none"), "--no-cache"])
    assert failed.exit_code == 1 and not (tmp_path / "none").exists()
    assert "error: 2 file(s) failed to compile" in failed.stderr


def test_one_zip_per_circuitpython_major(tmp_path):
    from mpycross.mpy import read_mpy
    from mpycross.targets import resolve_target

    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["bundle", str(dist_file("adafruit-circuitpython-ticks")),
                                                   "--circuitpython-majors", "--name", "adafruit-circuitpython-bundle",
                                                   "--tag", "20260101", "-o", str(out), "--no-cache", "-q"])
    assert run.exit_code == 0, run.output + run.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["adafruit-circuitpython-bundle-20260101.json", "adafruit-circuitpython-bundle-20260101.sha256",
                            "adafruit-circuitpython-bundle-py-20260101.zip",
                            "adafruit-circuitpython-bundle-examples-20260101.zip"]
                           + [f"adafruit-circuitpython-bundle-{m}.x-mpy-20260101.zip" for m in PUBLISHED_MAJORS])
    for t in major_targets():
        stem = f"adafruit-circuitpython-bundle-{t.label}-mpy-20260101"
        header = read_mpy(zip_members(out / f"{stem}.zip")[f"{stem}/lib/adafruit_ticks.mpy"]).header
        assert resolve_target(t.name).loads(header.magic, header.version, header.sub_version, header.arch) is None
        if t.note:
            assert f"note: {t.note}" in run.stderr.splitlines()
    assert run.stderr.count("note: ") == sum(1 for t in major_targets() if t.note)
    newest = max((t for t in major_targets()), key=lambda t: int(t.label.split(".")[0]))
    assert newest.label == "11.x" and resolve_target(newest.name).family == "circuitpython"


# Wheels the -r --deps test needs beyond the corpus (pinned; downloaded once into the corpus cache).
DEP_WHEELS = ["adafruit-circuitpython-busdevice==5.2.17", "adafruit-circuitpython-requests==4.1.17",
              "adafruit-circuitpython-connectionmanager==3.1.8", "packaging==24.2"]


@pytest.fixture(scope="module")
def find_links():
    from tests.corpus.fetch import _download, cache_dir

    extra = cache_dir() / "bundle-deps"
    extra.mkdir(parents=True, exist_ok=True)
    for req in DEP_WHEELS:
        name, version = req.split("==")
        if any(extra.glob(f"{name.replace('-', '_')}-{version}-*.whl")):
            continue   # cached: no network needed
        if _download(req, extra) is None:
            pytest.skip(f"cannot download {req} from PyPI and it is not cached")
    return [f"--pip-option=--find-links={extra}", f"--pip-option=--find-links={dist_file('adafruit-circuitpython-typing').parent}",
            "--pip-option=--no-index"]


def test_requirements_with_deps_never_download_host_only_packages(tmp_path, find_links):
    # Adafruit-Blinka is in neither folder: pip would fail on it if it were asked for it
    req = tmp_path / "requirements.txt"
    req.write_text("adafruit-circuitpython-register\n")
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["bundle", "-r", str(req), "--deps", *find_links, "--skip-failed",
                                                   "--tag", "t", "-o", str(out), "--no-cache", "-q"])
    assert run.exit_code == 0, run.output + run.stderr
    table = json.loads((out / "bundle-t.json").read_text())
    assert {"adafruit_register", "adafruit_bus_device"} <= set(table)
    assert not {facts["pypi_name"] for facts in table.values()} & HOST_ONLY
    notes = [line for line in run.stderr.splitlines() if line.startswith("note: skipped")]
    skipped = [line.split()[2].rstrip(":") for line in notes]
    blinka = [line for line, name in zip(notes, skipped) if name == "adafruit-blinka"]
    assert len(blinka) == 1 and "needed by adafruit-circuitpython-register" in blinka[0]
    assert len(skipped) == len(set(skipped))   # each package noted once


def test_requirements_with_deps_leave_out_typing_and_packaging(tmp_path, find_links):
    from mpycross.bundle.library import from_requirements

    req = tmp_path / "requirements.txt"
    req.write_text("adafruit-circuitpython-register\npackaging\n")
    notes = []
    libs = from_requirements(req, [opt.split("=", 1)[1] for opt in find_links], with_deps=True, notes=notes)
    names = {lib.name.lower() for lib in libs}
    assert "adafruit-circuitpython-register" in names and "adafruit-circuitpython-busdevice" in names
    assert not names & {"adafruit-circuitpython-typing", "packaging"}
    skipped = [n.split()[1].rstrip(":") for n in notes if n.startswith("skipped ")]
    assert skipped.count("adafruit-circuitpython-typing") == 1 and skipped.count("packaging") == 1


def test_install_of_a_local_library_puts_files_where_its_bundle_does(tmp_path):
    """An empty .py is copied, not compiled, by install as by bundle: the drive's lib/ is the zip's."""
    repo = make_gizmo(tmp_path / "gizmo")
    (repo / "gizmo" / "font-5x8.bin").unlink()   # a bundle renames it font_5x8.bin, an install does not
    drive = tmp_path / "CIRCUITPY"
    drive.mkdir()
    (drive / "boot_out.txt").write_text(BOOT_OUT)
    run = CliRunner().invoke(cli, ["install", str(repo), "--device", str(drive), "--no-deps"])
    assert run.exit_code == 0, run.output
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["bundle", str(repo), "--target", "circuitpython-9.2", "--tag", "t", "-o", str(out),
                                   "--no-cache", "-q"])
    assert run.exit_code == 0, run.output
    stem = "bundle-9.x-mpy-t/lib/"
    in_zip = {n[len(stem):]: b for n, b in zip_members(out / "bundle-9.x-mpy-t.zip").items() if n.startswith(stem)}
    on_drive = {p.relative_to(drive / "lib").as_posix(): p.read_bytes() for p in (drive / "lib").rglob("*")
                if p.is_file() and not p.name.startswith(".")}
    assert on_drive == in_zip   # the files of the drive (its install records left aside) are the zip's
    assert on_drive["gizmo/sub/__init__.py"] == b""


def test_install_picks_the_zip_of_the_boards_major(tmp_path):
    from mpycross.bundle.catalog import pick_bundle
    from mpycross.targets import resolve_target

    out = tmp_path / "bundles"
    run = CliRunner().invoke(cli, ["bundle", str(dist_file("adafruit-circuitpython-ticks")), "--circuitpython-majors",
                                   "--name", "b", "--tag", "20260101", "-o", str(out), "--no-cache", "-q"])
    assert run.exit_code == 0, run.output
    for major in ("9", "10"):
        assert pick_bundle(out, resolve_target(f"circuitpython-{major}")).name == f"b-{major}.x-mpy-20260101.zip"
