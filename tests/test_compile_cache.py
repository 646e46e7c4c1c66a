"""`mpycross compile` and the compile cache: an unchanged tree compiles nothing.

Each run is a real `mpycross compile` process with its own cache folder
($MPYCROSS_CACHE_DIR). The bytes served from the cache must be the bytes a
fresh compile writes (and the official compiler's, checked on one file).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.oracles import run_official

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "tests" / "programs"


def compile_tree(args, cwd, cache):
    env = dict(os.environ, MPYCROSS_CACHE_DIR=str(cache))
    proc = subprocess.run([sys.executable, "-m", "mpycross", "compile", "--format", "json", *map(str, args)],
                          cwd=cwd, env=env, capture_output=True, timeout=600)
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.mpy"))}


@pytest.fixture
def tree(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(PROGRAMS, src, ignore=shutil.ignore_patterns("many_*", "long_*"))
    (src / "broken.py").write_text("def f(:\n    pass\n")
    return src


def test_second_run_is_served_from_the_cache(tree, tmp_path):
    cache = tmp_path / "cache"
    status, first, _ = compile_tree(["-o", tmp_path / "a", tree], tmp_path, cache)
    n = len(list(tree.glob("*.py")))
    assert status == 1 and first["from_cache"] == 0 and first["failed"] == 1 and first["compiled"] == n - 1
    status, second, _ = compile_tree(["-o", tmp_path / "b", tree], tmp_path, cache)
    assert status == 1 and second["from_cache"] == n
    assert second["errors"] == first["errors"]          # the broken file's error, remembered
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_a_changed_file_recompiles_only_itself(tree, tmp_path):
    cache = tmp_path / "cache"
    compile_tree(["-o", tmp_path / "a", tree], tmp_path, cache)
    changed = sorted(tree.glob("*.py"))[0]
    changed.write_text(changed.read_text() + "\nprint('changed')\n")
    _, report, _ = compile_tree(["-o", tmp_path / "a", tree], tmp_path, cache)
    assert report["from_cache"] == len(list(tree.glob("*.py"))) - 1
    ours = (tmp_path / "a" / changed.name).with_suffix(".mpy").read_bytes()
    official = run_official(["-s", changed.name, "-o", "-", str(changed)])
    assert ours == official.stdout


def test_no_cache_and_damaged_entries(tree, tmp_path):
    cache = tmp_path / "cache"
    compile_tree(["-o", tmp_path / "a", tree], tmp_path, cache)
    _, report, _ = compile_tree(["--no-cache", "-o", tmp_path / "b", tree], tmp_path, cache)
    assert report["from_cache"] == 0
    for entry in (cache / "mpy").rglob("*.mpy"):
        data = entry.read_bytes()
        entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))   # every stored file damaged
    _, report, _ = compile_tree(["-o", tmp_path / "c", tree], tmp_path, cache)
    assert report["from_cache"] == 1                        # only the remembered error is still good
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b") == outputs(tmp_path / "c")


def test_the_key_covers_target_and_options(tree, tmp_path):
    cache = tmp_path / "cache"
    compile_tree(["-o", tmp_path / "a", tree], tmp_path, cache)
    for extra in (["-O", "2"], ["--target", "circuitpython-9.2"], ["--target", "micropython-1.18"]):
        _, report, _ = compile_tree([*extra, "-o", tmp_path / "x", tree], tmp_path, cache)
        assert report["from_cache"] == 0, extra


def test_parallel_runs_share_one_cache(tree, tmp_path):
    cache = tmp_path / "cache"
    env = dict(os.environ, MPYCROSS_CACHE_DIR=str(cache))
    runs = [subprocess.Popen([sys.executable, "-m", "mpycross", "compile", "-j", "1", "-o", str(tmp_path / f"o{i}"),
                              str(tree)], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for i in range(3)]
    assert [p.wait(timeout=600) for p in runs] == [1, 1, 1]
    assert outputs(tmp_path / "o0") == outputs(tmp_path / "o1") == outputs(tmp_path / "o2")
    assert not [p for p in (cache / "mpy").rglob("*") if p.name.endswith(".tmp")]
    _, report, _ = compile_tree(["-o", tmp_path / "o3", tree], tmp_path, cache)
    assert report["from_cache"] == len(list(tree.glob("*.py")))
    assert outputs(tmp_path / "o3") == outputs(tmp_path / "o0")


def test_unchanged_outputs_are_not_rewritten(tree, tmp_path):
    cache = tmp_path / "cache"
    compile_tree(["-o", tmp_path / "a", tree], tmp_path, cache)
    first = {p: p.stat().st_mtime_ns for p in (tmp_path / "a").rglob("*.mpy")}
    os.utime(next(iter(first)), ns=(0, 0))
    _, report, _ = compile_tree(["-o", tmp_path / "a", tree], tmp_path, cache)
    assert report["written"] == 0
    assert next(iter(first)).stat().st_mtime_ns == 0


# ---- the index of written outputs: an unchanged output is known by its stat alone ----

def _run_in_process(args, capsys):
    from mpycross.cli import compile_tree as tree_cmd

    params = tree_cmd.parse_fast([*map(str, args), "--format", "json"])
    status = tree_cmd.run(**params)
    return status, json.loads(capsys.readouterr().out)


@pytest.fixture
def spy(monkeypatch, tmp_path):
    """Counts the outputs read back to compare; the index's clock slack made 0 (no 2 s wait)."""
    from mpycross.bundle.cache import OutputIndex
    from mpycross import batch

    monkeypatch.setenv("MPYCROSS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(OutputIndex, "SLACK_NS", -1)
    compared = []
    real = batch.output_holds
    monkeypatch.setattr(batch, "output_holds", lambda path, data: compared.append(path) or real(path, data))
    return compared


def test_settled_outputs_are_neither_read_nor_rewritten(tree, tmp_path, spy, capsys):
    out = tmp_path / "out"
    _run_in_process(["-o", out, tree], capsys)
    first = outputs(out)
    spy.clear()
    status, report = _run_in_process(["-o", out, tree], capsys)
    assert status == 1 and report["written"] == 0 and report["from_cache"] == len(first) + 1
    assert spy == [] and outputs(out) == first


def test_a_tampered_output_is_rewritten_even_with_its_old_size_and_mtime(tree, tmp_path, spy, capsys):
    out = tmp_path / "out"
    _run_in_process(["-o", out, tree], capsys)
    first = outputs(out)
    victim = sorted(out.glob("*.mpy"))[0]
    spy.clear()
    st = os.stat(victim)
    victim.write_bytes(bytes(len(first[victim.name])))   # same size, other bytes
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old mtime (the ctime moves)
    status, report = _run_in_process(["-o", out, tree], capsys)
    assert report["written"] == 1 and outputs(out) == first
    assert [os.path.basename(p) for p in spy] == [victim.name]


def test_an_output_just_written_is_compared_again(tree, tmp_path, spy, capsys, monkeypatch):
    """Within the filesystem's time resolution a rewrite could keep the stat: no trust yet."""
    from mpycross.bundle.cache import OutputIndex

    monkeypatch.setattr(OutputIndex, "SLACK_NS", 3600 * 10**9)
    out = tmp_path / "out"
    _run_in_process(["-o", out, tree], capsys)
    spy.clear()
    _, report = _run_in_process(["-o", out, tree], capsys)
    assert report["written"] == 0 and len(spy) == len(outputs(out))


def test_a_damaged_index_is_ignored(tree, tmp_path, spy, capsys):
    out = tmp_path / "out"
    _run_in_process(["-o", out, tree], capsys)
    first = outputs(out)
    for index in (tmp_path / "cache" / "outputs").glob("*"):
        index.write_bytes(b"\xff garbage")
    victim = sorted(out.glob("*.mpy"))[0]
    victim.write_bytes(b"x")
    _, report = _run_in_process(["-o", out, tree], capsys)
    assert report["written"] == 1 and outputs(out) == first


@pytest.fixture
def reads(monkeypatch):
    """The sources a run reads."""
    from mpycross import batch

    read = []
    real = batch.read_source
    monkeypatch.setattr(batch, "read_source", lambda job: read.append(job.source) or real(job))
    return read


def test_unchanged_sources_of_settled_outputs_are_not_read(tree, tmp_path, spy, reads, capsys):
    out = tmp_path / "out"
    _run_in_process(["-o", out, tree], capsys)
    first = outputs(out)
    reads.clear()
    status, report = _run_in_process(["-o", out, tree], capsys)
    assert status == 1 and report["written"] == 0 and outputs(out) == first
    # only the broken file (no output to be settled) is read again
    assert [os.path.basename(p) for p in reads] == ["broken.py"]


def test_a_source_changed_under_its_old_size_and_mtime_is_read_and_compiled(tree, tmp_path, spy, reads,
                                                                              capsys):
    out = tmp_path / "out"
    _run_in_process(["-o", out, tree], capsys)
    victim = sorted(tree.glob("*.py"))[0]
    text = victim.read_bytes()
    st = os.stat(victim)
    changed = text.replace(b"1", b"2") if b"1" in text else text + b"#"
    changed = changed[:len(text)] if len(changed) > len(text) else changed
    assert len(changed) == len(text) and changed != text
    victim.write_bytes(changed)                              # same size, other bytes
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old mtime (the ctime moves)
    reads.clear()
    _run_in_process(["-o", out, tree], capsys)
    assert sorted(os.path.basename(p) for p in reads) == sorted(["broken.py", victim.name])
    from mpycross import compile_source

    assert (out / (victim.stem + ".mpy")).read_bytes() == compile_source(changed, victim.name)


def test_a_source_read_under_another_target_is_read_again(tree, tmp_path, spy, reads, capsys):
    out = tmp_path / "out"
    _run_in_process(["-o", out, tree], capsys)
    reads.clear()
    _, report = _run_in_process(["-o", out, "--target", "micropython-1.18", tree], capsys)
    assert len(reads) == len(list(tree.glob("*.py")))
    failed = {os.path.basename(e["file"]) for e in report["errors"]}
    compiled = [p for p in out.glob("*.mpy") if p.stem + ".py" not in failed]
    assert len(compiled) > 10 and all(p.read_bytes()[:2] == b"M\x05" for p in compiled)


# ---- a pool's workers keep what they compile ----

def test_pool_workers_write_their_own_outputs_and_cache_entries(tmp_path, monkeypatch, capsys):
    """With workers, each compiled file's cache entry and output are written by the worker
    that compiled it (the file system's work is shared out too), once each; the run's report
    and bytes are those of one worker."""
    from mpycross import fileio
    from mpycross.batch import FILES_PER_WORKER

    src = tmp_path / "src"
    for i in range(3 * FILES_PER_WORKER):
        (src / f"pkg{i % 3}").mkdir(parents=True, exist_ok=True)
        (src / f"pkg{i % 3}" / f"m{i}.py").write_text(f"x = {i}\n" + "def f(a):\n    return a + 1\n" * (i % 5))
    (src / "pkg0" / "broken.py").write_text("def f(:\n")
    log = tmp_path / "writers.log"
    real = fileio.write_atomically

    def logged(path, data, **kw):
        with open(log, "a") as f:  # (one short line per write: appends do not interleave)
            f.write(f"{os.getpid()} {path}\n")
        return real(path, data, **kw)

    monkeypatch.setattr(fileio, "write_atomically", logged)  # (inherited by forked workers)
    monkeypatch.setenv("MPYCROSS_CACHE_DIR", str(tmp_path / "cache"))
    status, pooled = _run_in_process(["-j", "2", "-o", tmp_path / "pooled", src], capsys)
    writes = [line.split(" ", 1) for line in log.read_text().splitlines()]
    mpys = [path for _, path in writes if path.endswith(".mpy")]
    assert len(mpys) == len(set(mpys)) == 2 * 3 * FILES_PER_WORKER  # each output and its entry, once
    if sys.platform != "win32":  # (fork: workers are other processes of this test)
        writers = {pid for pid, path in writes if path.endswith((".mpy", ".err"))}
        assert str(os.getpid()) not in writers and len(writers) == 2
    status_1, serial = _run_in_process(["-j", "1", "--no-cache", "-o", tmp_path / "serial", src], capsys)
    assert (status, pooled["errors"], pooled["written"]) == (status_1, serial["errors"], serial["written"]) \
        == (1, serial["errors"], 3 * FILES_PER_WORKER)
    assert outputs(tmp_path / "pooled") == outputs(tmp_path / "serial")


# ---- the compiler's own fingerprint (part of every key) ----

def test_tool_fingerprint_is_remembered_by_stat_and_worked_out_again_after_an_edit(tmp_path, monkeypatch):
    import builtins

    from mpycross.bundle import cache

    files = [tmp_path / "code.py", tmp_path / "data.toml"]
    files[0].write_bytes(b"x = 1\n")
    files[1].write_bytes(b"[a]\nb = 2\n")
    monkeypatch.setattr(cache, "_fingerprinted_files", lambda: [(p.name, str(p)) for p in files])
    monkeypatch.setenv("MPYCROSS_CACHE_DIR", str(tmp_path / "cache"))
    fingerprint = cache.tool_fingerprint.__wrapped__  # (the process's own memo left out)
    # files changed just now are not remembered (their stat could survive a rewrite)
    first = fingerprint()
    assert not (tmp_path / "cache" / "fingerprint.marshal").exists()
    monkeypatch.setattr(cache.OutputIndex, "SLACK_NS", -1)
    assert fingerprint() == first and (tmp_path / "cache" / "fingerprint.marshal").exists()
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    assert fingerprint() == first
    assert not set(opened) & {str(p) for p in files}  # served by stat: no file read
    monkeypatch.setattr(builtins, "open", real_open)
    files[0].write_bytes(b"x = 2\n")  # same size
    edited = fingerprint()
    assert edited != first
    monkeypatch.setenv("MPYCROSS_CACHE_DIR", str(tmp_path / "other"))
    assert fingerprint() == edited  # what it is without any memo


_WARM_PROBE = """
import json, sys
from mpycross.cli import compile_tree
status = compile_tree.run(**compile_tree.parse_fast(sys.argv[1:]))
print(json.dumps([status, sorted(m for m in sys.modules if m in (
    "_hashlib", "mpycross.targets", "mpycross.compiler.driver", "click"))]))
"""


def test_a_served_run_loads_neither_the_compiler_nor_openssl(tree, tmp_path):
    """An unchanged tree is served without the compiler, the target table or OpenSSL (whose
    load was a tenth of a warm run; the keys' sha256 comes from Python's own module)."""
    env = dict(os.environ, MPYCROSS_CACHE_DIR=str(tmp_path / "cache"))
    runs = [subprocess.run([sys.executable, "-c", _WARM_PROBE, "-o", str(tmp_path / "out"), str(tree)],
                           env=env, capture_output=True, text=True, timeout=600) for _ in range(2)]
    assert [json.loads(r.stdout.splitlines()[-1])[0] for r in runs] == [1, 1]  # (broken.py)
    first, second = (json.loads(r.stdout.splitlines()[-1])[1] for r in runs)
    assert "mpycross.compiler.driver" in first  # (the check can fail)
    has_own_sha256 = subprocess.run([sys.executable, "-c", "import _sha2" if sys.version_info >= (3, 12)
                                     else "import _sha256"], capture_output=True).returncode == 0
    assert second == ([] if has_own_sha256 else ["_hashlib"])
