"""`mpycross bundle INPUT...`: build library bundles like the Adafruit CircuitPython Bundle.

Inputs are library repositories, folders of repositories or of packages,
wheels and sdists, plus requirements files (`-r`, downloaded with pip).
For each `--target` a `NAME-<label>-mpy-TAG.zip` is made, plus
`NAME-py-TAG.zip`, `NAME-TAG.json` and the `NAME-TAG.sha256` manifest; see
docs/bundle.md. Outputs are reproducible and written atomically, and only
when every file compiled (or with --skip-failed). Exit status: 0 done,
1 a file failed to compile or an input is bad, 2 bad usage.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click


def default_tag() -> str:
    """YYYYMMDD of SOURCE_DATE_EPOCH when set, else of today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = int(epoch) if epoch.isdigit() else time.time()
    return time.strftime("%Y%m%d", time.gmtime(when))


@click.command("bundle")
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-r", "--requirements", "req_files", multiple=True, type=click.Path(),
              help="Requirements file to download from PyPI with pip (repeatable).")
@click.option("--deps", "with_deps", is_flag=True,
              help="Let pip also download the requirements' dependencies.")
@click.option("--pip-option", "pip_options", multiple=True, metavar="OPT",
              help="Extra option for pip download, e.g. --pip-option=--no-index (repeatable).")
@click.option("--target", "targets", multiple=True, metavar="NAME",
              help="Firmware to compile for (repeatable; default micropython-1.29).")
@click.option("--name", default="bundle", show_default=True, help="Bundle name, the start of every file name.")
@click.option("--tag", default=None, help="Bundle tag, the end of every file name (default: YYYYMMDD).")
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
              help="Leave out of a target's zip the libraries with a file that does not compile.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no table; errors only.")
def bundle_command(inputs, req_files, with_deps, pip_options, targets, name, tag, out_dir, workers, opt,
                   cache_dir, no_cache, skip_failed, quiet):
    """Build .mpy library bundles (zip per target, json, sha256 manifest)."""
    from mpycross.bundle import BundleError
    from mpycross.bundle.build import build_bundle, bundle_targets, write_outputs
    from mpycross.bundle.cache import CompileCache
    from mpycross.bundle.library import discover, from_requirements
    from mpycross.bundle.progress import Progress, human_bytes, print_table
    from mpycross.cli.cmd_compile import format_error

    if not inputs and not req_files:
        raise click.UsageError("give at least one library folder, wheel, sdist or -r requirements file")
    started = time.perf_counter()
    tag = tag or default_tag()
    progress = Progress(quiet=quiet)
    try:
        libraries = []
        for given in inputs:
            libraries += discover(given)
        notes: list[str] = []
        for req in req_files:
            libraries += from_requirements(req, list(pip_options), with_deps, notes)
        for note in notes:
            click.echo(f"note: {note}", err=True)
        chosen = bundle_targets(list(targets) or ["micropython-1.29"])
        cache = CompileCache(Path(cache_dir) if cache_dir else None, enabled=not no_cache)
        result = build_bundle(libraries, name, tag, chosen, opt=opt, workers=workers,
                              cache=cache, progress=progress, skip_failed=skip_failed)
    except BundleError as err:
        progress.stop()
        click.echo(f"error: {err}", err=True)
        sys.exit(1)

    for e in result.errors:
        click.echo(f"{format_error(e, 'text')} [{e['library']}, {e['target']}]", err=True)
    if result.errors and not skip_failed:
        click.echo(f"error: {len(result.errors)} file(s) failed to compile; nothing written "
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
        for s in result.stats:
            if s.skipped:
                click.echo(f"{s.zip_name}: left out {', '.join(s.skipped)}", err=True)
        click.echo(f"wrote to {out_dir}: {', '.join(sorted(result.outputs))}")
    sys.exit(1 if result.errors else 0)
