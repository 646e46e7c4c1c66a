"""`mpycross bundle INPUT...`: build library bundles like the Adafruit CircuitPython Bundle.

Inputs are library repositories, folders of repositories or of packages,
wheels and sdists, plus requirements files (`-r`, downloaded with pip).
For each `--target` (and, with `--circuitpython-majors`, each CircuitPython
major the Adafruit bundle publishes) a `NAME-<label>-mpy-TAG.zip` is made,
plus `NAME-py-TAG.zip`, `NAME-examples-TAG.zip`, `NAME-TAG.json` and the
`NAME-TAG.sha256` manifest; see docs/bundle.md. Outputs are reproducible and
written atomically, and only when every file compiled (or with
--skip-failed, which leaves those libraries out and says so once per file).
Exit status: 0 done, 1 a file failed to compile (without --skip-failed) or
an input is bad, 2 bad usage.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click


def inputs_folder(inputs: list[str]) -> Path | None:
    """The common folder of the folder inputs (where their git checkout is looked for)."""
    folders = [os.path.abspath(p) for p in inputs if os.path.isdir(p)]
    return Path(os.path.commonpath(folders)) if folders else None


def default_tag(inputs: list[str] = ()) -> str:
    """The tag of the git checkout holding the folder inputs, as circuitpython-build-tools names
    its bundles (the tag, else the commit); else YYYYMMDD of SOURCE_DATE_EPOCH or today (UTC)."""
    from mpycross.bundle.library import git_bundle_tag

    folder = inputs_folder(inputs)
    tag = git_bundle_tag(folder) if folder else None
    if tag:
        return tag
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = int(epoch) if epoch.isdigit() else time.time()
    return time.strftime("%Y%m%d", time.gmtime(when))


def bundle_readme(inputs: list[str]) -> bytes | None:
    """README.txt at the top of the git checkout holding the folder inputs: the bundle
    repository's, which build-tools puts in a bundle of several libraries."""
    from mpycross.bundle.library import git_toplevel

    folder = inputs_folder(inputs)
    top = git_toplevel(folder) if folder else None
    readme = top / "README.txt" if top else None
    return readme.read_bytes() if readme is not None and readme.is_file() else None


def report_failures(errors: list[dict], labels: dict[str, list[str]], left_out: bool) -> list[str]:
    """One line per failing file, naming every zip it failed for (not one line per target)."""
    from mpycross.batch import format_error

    grouped: dict[tuple[str, str], list[str]] = {}
    for e in errors:
        zips = grouped.setdefault((e["library"], format_error(e, "text")), [])
        zips += [z for z in labels.get(e["target"], [e["target"]]) if z not in zips]
    order = [z for zs in labels.values() for z in zs]   # the targets' order, as given
    verb = "left out of" if left_out else "for"
    return [f"{text} [{library}; {verb} {', '.join(sorted(zips, key=lambda z: order.index(z) if z in order else 0))}]"
            for (library, text), zips in grouped.items()]


@click.command("bundle")
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-r", "--requirements", "req_files", multiple=True, type=click.Path(),
              help="Requirements file to download from PyPI with pip (repeatable).")
@click.option("--deps", "with_deps", is_flag=True,
              help="Also bundle the requirements' dependencies (host-only packages are skipped).")
@click.option("--pip-option", "pip_options", multiple=True, metavar="OPT",
              help="Extra option for pip download, e.g. --pip-option=--no-index (repeatable).")
@click.option("--target", "targets", multiple=True, metavar="NAME",
              help="Firmware to compile for (repeatable; default micropython-1.29 unless "
                   "--circuitpython-majors).")
@click.option("--circuitpython-majors", "majors", is_flag=True,
              help="One zip per CircuitPython major the Adafruit bundle publishes (9.x, 10.x, 11.x).")
@click.option("--name", default="bundle", show_default=True, help="Bundle name, the start of every file name.")
@click.option("--tag", default=None,
              help="Bundle tag, the end of every file name (default: the inputs' git tag or commit, else YYYYMMDD).")
@click.option("-o", "--output", "out_dir", default="bundles", show_default=True, type=click.Path(),
              help="Folder for the zips, json and manifest.")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default="number of CPUs", help="Number of worker processes.")
@click.option("-O", "--opt", type=click.IntRange(min=0, max=3), default=0, show_default=True,
              help="Optimisation level, as mpy-cross -O<N>.")
@click.option("--cache-dir", type=click.Path(), default=None,
              help="Compile cache folder (default $MPYCROSS_CACHE_DIR or the user cache folder).")
@click.option("--no-cache", is_flag=True, help="Compile every file; read and write no cache.")
@click.option("--skip-failed", is_flag=True,
              help="Leave out of a target's zip the libraries with a file that does not compile; exit 0.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no table; errors only.")
def bundle_command(inputs, req_files, with_deps, pip_options, targets, majors, name, tag, out_dir, workers, opt,
                   cache_dir, no_cache, skip_failed, quiet):
    """Build .mpy library bundles laid out as the Adafruit bundle (zip per target, json, sha256 manifest)."""
    from mpycross.bundle import BundleError
    from mpycross.bundle.build import build_bundle, bundle_targets, major_targets, write_outputs
    from mpycross.bundle.cache import CompileCache
    from mpycross.bundle.library import discover, from_requirements
    from mpycross.bundle.progress import Progress, human_bytes, print_table
    from mpycross.targets import DEFAULT_TARGET

    if not inputs and not req_files:
        raise click.UsageError("give at least one library folder, wheel, sdist or -r requirements file")
    started = time.perf_counter()
    tag = tag or default_tag(list(inputs))
    progress = Progress(quiet=quiet)
    try:
        libraries, notes = [], []
        for given in inputs:
            libraries += discover(given)
        for req in req_files:
            libraries += from_requirements(req, list(pip_options), with_deps, notes)
        for note in notes:
            click.echo(f"note: {note}", err=True)
        chosen = bundle_targets(list(targets) or ([] if majors else [DEFAULT_TARGET]))
        if majors:
            chosen += [t for t in major_targets() if t.label not in {c.label for c in chosen}]
        for t in chosen:
            if t.note:
                click.echo(f"note: {t.note}", err=True)
        cache = CompileCache(Path(cache_dir) if cache_dir else None, enabled=not no_cache)
        result = build_bundle(libraries, name, tag, chosen, opt=opt, workers=workers, cache=cache,
                              progress=progress, skip_failed=skip_failed, readme=bundle_readme(list(inputs)))
    except BundleError as err:
        progress.stop()
        click.echo(f"error: {err}", err=True)
        sys.exit(1)

    labels: dict[str, list[str]] = {}
    for t in chosen:
        labels.setdefault(t.name, []).append(f"{name}-{t.label}-mpy-{tag}.zip" if skip_failed else t.label)
    failures = report_failures(result.errors, labels, skip_failed)
    for line in failures:
        click.echo(line, err=True)
    if result.errors and not skip_failed:
        click.echo(f"error: {len(failures)} file(s) failed to compile; nothing written "
                   "(--skip-failed leaves those libraries out)", err=True)
        sys.exit(1)
    try:
        write_outputs(result, Path(out_dir))
    except OSError as err:
        click.echo(f"error: cannot write to {out_dir}: {err.strerror or err}", err=True)
        sys.exit(1)

    elapsed = time.perf_counter() - started
    if not quiet:
        rows = [[s.label, str(s.libraries), str(s.files), str(s.compiled), str(s.cached),
                 human_bytes(s.bytes_in), human_bytes(s.bytes_out), human_bytes(s.zip_size)]
                for s in result.stats]
        print_table(f"{name} {tag}: {len(libraries)} libraries in {elapsed:.2f} s",
                    ["zip", "libs", "files", "compiled", "cached", "in", "out", "zip size"],
                    rows)
        click.echo(f"wrote to {out_dir}: {', '.join(sorted(result.outputs))}")
    sys.exit(0)
