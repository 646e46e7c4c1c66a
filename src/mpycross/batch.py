"""Compile many files: the jobs, their results and errors, worker processes and the cache.

One engine for `mpycross compile` (all results at the end) and the bundle
builder (`bundle.pool`, results as they finish), so a file fails the same way
in both. A Result carries either the `.mpy` bytes or an error dict
{"file", "line", "kind", "message"}; nothing here raises for a bad file.
"""

from __future__ import annotations

import os

from mpycross.fileio import read_bytes
from mpycross.records import dataclass, field


@dataclass(frozen=True)
class Job:
    """One file to compile."""

    source: str         # path to read
    source_name: str    # name embedded in the .mpy and shown in messages
    output: str | None  # where to write (None with --check)


@dataclass
class Result:
    job: Job
    data: bytes | None = None
    error: dict | None = field(default=None)  # {"file", "line", "kind", "message"}
    cached: bool = False                       # served by the compile cache
    settled: bool = False                      # the output already holds these bytes (data not read)
    key: str | None = None                     # the compile cache's key, when the cache is used
    # (the source's stat taken before it was read, the key's context): for OutputIndex.record
    source_check: tuple | None = None
    # what became of job.output once `data` was kept (keep_output): "written", "unchanged" (it
    # held these bytes already) or None (not yet, or nothing to write); write_error if it failed
    output_kept: str | None = None
    write_error: dict | None = None


# fewer files than this per worker: starting the worker processes costs more than it gains
FILES_PER_WORKER = 8


def compile_job(job: Job, source: bytes, target: str, opt: int) -> Result:
    """Compile one file's source; never raises for a problem with that file."""
    from mpycross import compile_source
    from mpycross.errors import CompileError, MpyCrossError

    kwargs = {"opt": opt, "source_name": job.source_name, "target": target}
    try:
        return Result(job, data=compile_source(source, job.source_name, **kwargs))
    except CompileError as err:
        return Result(job, error={"file": job.source_name, "line": err.line, "kind": err.kind,
                                  "message": err.message})
    except MpyCrossError as err:
        return Result(job, error={"file": job.source_name, "line": None, "kind": type(err).__name__,
                                  "message": str(err)})
    except RecursionError:
        return Result(job, error={"file": job.source_name, "line": None, "kind": "RuntimeError",
                                  "message": "maximum recursion depth exceeded"})
    except Exception as err:  # a compiler bug must not stop the other files
        return Result(job, error={"file": job.source_name, "line": None, "kind": "InternalError",
                                  "message": f"{type(err).__name__}: {err}"})


# the garbage collector's thresholds for a process that compiles and exits: a compile makes
# hundreds of thousands of small objects that live until it ends, which the default (700) has
# the collector walk again and again (callgrind, the 2,000-line benchmark module: -3% with
# gc.freeze, which takes the loaded compiler out of its reach)
GC_THRESHOLDS = (50_000, 20, 100)


def tune_gc() -> None:
    """For a command's own process, once the compiler is loaded: see GC_THRESHOLDS."""
    import gc

    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _compile_chunk(args):
    items, target, opt, cache, write = args
    return [keep(compile_job(job, source, target, opt), key, cache, write) for job, source, key in items]


def keep(result: Result, key: str | None, cache, write: bool) -> Result:
    """A fresh compile's result, stored where it goes by the process that made it (so that in
    a pool the workers share the file system's work too): its cache entry under `key` (an
    error too, unless it says something about this run only), then with `write` its output."""
    if key is not None:
        result.key = key
        if result.data is not None:
            cache.put(key, result.data)
        elif result.error["kind"] not in _UNCACHED_KINDS:
            cache.put_error(key, result.error)
    if write:
        keep_output(result)
    return result


def keep_output(result: Result) -> None:
    """Write a compiled result's output file, unless it holds exactly these bytes already."""
    path, data = result.job.output, result.data
    if path is None or data is None or result.output_kept is not None:
        return
    if output_holds(path, data):
        result.output_kept = "unchanged"
        return
    from mpycross.fileio import write_atomically

    try:
        write_atomically(path, data)
        result.output_kept = "written"
    except OSError as err:
        result.write_error = {"file": path, "line": None, "kind": "OSError", "message": err.strerror or str(err)}


def read_source(job: Job) -> bytes | Result:
    """The file's bytes, or a Result carrying the error that reading it gave."""
    try:
        return read_bytes(job.source)
    except OSError as err:
        return Result(job, error={"file": job.source_name, "line": None, "kind": "OSError",
                                  "message": err.strerror or str(err)})


def output_holds(path: str, data: bytes) -> bool:
    """Whether the file at `path` already holds exactly `data` (then it is not rewritten)."""
    try:
        return os.path.getsize(path) == len(data) and read_bytes(path) == data
    except OSError:
        return False  # (missing or unreadable: written)


def compile_many(items: list[tuple[Job, bytes, str | None]], target: str, opt: int, workers: int,
                 freeze: bool = False, cache=None, write: bool = False) -> list[Result]:
    """Compile (job, source, cache key) items; results in the same order whatever the number of
    workers, each kept (`keep`: into `cache` under its key, and with `write` into its output) as
    soon as it is compiled.

    The workers are started once for the run and given chunks of files,
    the biggest files first so that no worker is left with a long one at the end.
    `freeze` (for a command's own process): once the compiler's tables are
    loaded, take everything alive out of the garbage collector's reach
    (gc.freeze), so its passes over a batch no longer walk the tables (2 - 8%
    of the instructions of a batch, callgrind), and collect less often (tune_gc).
    """
    workers = min(workers, len(items) // FILES_PER_WORKER)
    if freeze and items:
        _warm_up(target, opt)
        tune_gc()
    if workers <= 1:
        return _compile_chunk((items, target, opt, cache, write))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = None
    if "fork" in multiprocessing.get_all_start_methods():
        # forked workers inherit the compiler already imported, with its tables
        # and the target's data loaded: warm it here, once, instead of in each
        context = multiprocessing.get_context("fork")
        if not freeze:
            _warm_up(target, opt)
    order = sorted(range(len(items)), key=lambda i: -len(items[i][1]))
    size = max(1, len(items) // (workers * 8))
    chunks = [order[i:i + size] for i in range(0, len(order), size)]
    results: list = [None] * len(items)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        done = pool.map(_compile_chunk, [([items[i] for i in chunk], target, opt, cache, write)
                                         for chunk in chunks])
        for chunk, chunk_results in zip(chunks, done):
            for i, result in zip(chunk, chunk_results):
                results[i] = result
    return results


def _warm_up(target: str, opt: int) -> None:
    """Load the compiler and the target's tables (an empty compile)."""
    compile_job(Job("", "<warm-up>", None), b"", target, opt)


def run_jobs(jobs: list[Job], target: str, opt: int, workers: int, cache=None, index=None,
             freeze: bool = False, write: bool = False) -> list[Result]:
    """Compile every job, serving unchanged files from `cache` (a CompileCache, or None).

    `index` (bundle.cache.OutputIndex, with a cache): which output files are
    known to hold the bytes of which cache key already; such a job is neither
    compiled nor looked up, and when its source's stat is unchanged too, not
    even read. `write`: each compiled file's output is written by the process
    that compiled it (see keep; the cache's hits are left to the caller's
    keep_output). `freeze`: see compile_many.
    """
    from mpycross.bundle.cache import stat_of

    results: list[Result | None] = [None] * len(jobs)
    todo: list[tuple[int, Job, bytes, str | None, tuple | None]] = []
    for i, job in enumerate(jobs):
        source_check = None
        if cache is not None and index is not None and job.output is not None:
            context = cache.key(b"", job.source_name, target, opt)
            key = index.settled_unread(job.output, job.source, context)
            if key is not None:
                results[i] = Result(job, cached=True, settled=True, key=key)
                continue
            source_check = (stat_of(job.source), context)  # (before the read: see OutputIndex)
        source = read_source(job)
        if isinstance(source, Result):
            results[i] = source
            continue
        if cache is None:
            todo.append((i, job, source, None, None))
            continue
        key = cache.key(source, job.source_name, target, opt)
        if index is not None and job.output is not None and index.settled(job.output, key, source_check):
            results[i] = Result(job, cached=True, settled=True, key=key)
            continue
        data = cache.get(key)
        error = cache.get_error(key) if data is None else None
        if data is not None or error is not None:
            results[i] = Result(job, data=data, error=error, cached=True, key=key, source_check=source_check)
        else:
            todo.append((i, job, source, key, source_check))
    compiled = compile_many([(job, source, key) for _, job, source, key, _ in todo], target, opt, workers,
                            freeze, cache, write)
    for (i, _, _, _, source_check), result in zip(todo, compiled):
        result.source_check = source_check
        results[i] = result
    return results


# errors that say something about this run, not about the source: never remembered
_UNCACHED_KINDS = ("OSError", "InternalError", "RuntimeError", "MemoryError")


def compile_file(job: Job, target: str, opt: int) -> Result:
    """Read and compile one file; never raises for a problem with that file."""
    source = read_source(job)
    return source if isinstance(source, Result) else compile_job(job, source, target, opt)


def format_error(error: dict, style: str) -> str:
    where = error["file"] if error["line"] is None else f"{error['file']}:{error['line']}"
    text = f"{error['kind']}: {error['message']}"
    if style == "github":
        # GitHub workflow command: escape %, CR and LF in the message; also , and : in properties
        def prop(v):
            return str(v).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(
                ":", "%3A").replace(",", "%2C")
        msg = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={error['line']}" if error["line"] is not None else ""
        return f"::error file={prop(error['file'])}{line}::{msg}"
    return f"{where}: {text}"
