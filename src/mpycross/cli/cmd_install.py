"""`mpycross install LIB... --device PATH`: put libraries and their dependencies on a board.

LIB is a library folder, wheel, sdist or .py file (compiled here for the
board's firmware, through the compile cache) or, with `--bundle ZIP`, a
module or distribution name from that bundle. The firmware comes from the
device's boot_out.txt (or `--target`). Only changed files are written, each
atomically; a .py that would shadow a new .mpy is removed; free space is
checked first. `--dry-run` prints the plan and changes nothing. Exit
status 0 done, 1 a problem (nothing or only whole files written), 2 bad usage.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click


@click.command("install")
@click.argument("libs", nargs=-1, required=True)
@click.option("--device", required=True, type=click.Path(), help="The board's drive (or a folder with boot_out.txt).")
@click.option("--bundle", "bundle", type=click.Path(), default=None,
              help="Bundle zip to take libraries from (its json beside it gives dependencies), or a "
                   "folder of bundles: the one for the board's firmware is chosen.")
@click.option("--bundle-json", type=click.Path(), default=None, help="The bundle's json, if not beside the zip.")
@click.option("--target", "target_name", default=None, help="Firmware to install for (default: from boot_out.txt).")
@click.option("--no-deps", is_flag=True, help="Install only the named libraries.")
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default="number of CPUs", help="Worker processes for compiling local sources.")
@click.option("-O", "--opt", type=click.IntRange(min=0, max=3), default=0, show_default=True,
              help="Optimisation level for local sources.")
@click.option("--cache-dir", type=click.Path(), default=None, help="Compile cache folder.")
@click.option("--no-cache", is_flag=True, help="Read and write no compile cache.")
def install_command(libs, device, bundle, bundle_json, target_name, no_deps, dry_run, workers, opt,
                    cache_dir, no_cache):
    """Install libraries (compiled for the board) into the device's lib/."""
    from mpycross.bundle import BundleError
    from mpycross.bundle.cache import CompileCache
    from mpycross.bundle.catalog import Catalog, add_libraries, load_bundle, pick_bundle
    from mpycross.bundle.device import apply, check_device, check_space, plan_install, read_firmware
    from mpycross.bundle.library import discover
    from mpycross.bundle.progress import human_bytes
    from mpycross.errors import TargetError
    from mpycross.targets import resolve_target

    dev = Path(device)
    try:
        check_device(dev)
        if target_name:
            target = resolve_target(target_name)
        else:
            fw = read_firmware(dev)
            if fw.note:
                click.echo(f"note: {fw.note}", err=True)
            target = resolve_target(fw.target)
            click.echo(f"{dev}: {fw.family} {fw.version} -> {target.name}")

        if bundle and Path(bundle).is_dir():
            bundle = str(pick_bundle(Path(bundle), target))
            click.echo(f"bundle: {bundle}")
        catalog = load_bundle(Path(bundle), Path(bundle_json) if bundle_json else None) if bundle else Catalog()
        names, local = [], []
        for lib in libs:
            if os.path.exists(lib):
                local += discover(lib)
            elif bundle:
                names.append(lib)
            else:
                raise BundleError(f"{lib}: no such file or folder (library names need --bundle)")
        if local:
            cache = CompileCache(Path(cache_dir) if cache_dir else None, enabled=not no_cache)
            names = add_libraries(catalog, local, target.name, opt, workers, cache) + names

        packages, missing = catalog.resolve(names, with_deps=not no_deps)
        unknown = [name for who, name in missing if who == "command line"]
        if unknown:
            raise BundleError(f"not found{' in ' + bundle if bundle else ''}: {', '.join(unknown)}")
        needs = [f"{name} (needed by {who})" for who, name in missing if who != "command line"]
        if needs:
            raise BundleError(f"missing dependencies: {'; '.join(needs)} "
                              "(add their sources or a --bundle, or pass --no-deps)")
        files: dict[str, bytes] = {}
        for pkg in packages:
            _check_loadable(pkg, target)
            files.update(pkg.files)
        tops = sorted({t for pkg in packages for t in pkg.top_names})
        plan = plan_install(dev, files, tops)
    except (BundleError, TargetError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)

    for pkg in packages:
        click.echo(f"{pkg.module} {pkg.version}".rstrip())
    for a in plan.actions:
        size = f" ({human_bytes(len(a.data))})" if a.data is not None else ""
        click.echo(f"  {a.op} {a.path}{size}: {a.why}")
    click.echo(f"{len(plan.writes)} to write, {len(plan.removes)} to remove, {len(plan.unchanged)} unchanged; "
               f"needs {human_bytes(plan.needed)} of {human_bytes(plan.free)} free")
    if dry_run:
        click.echo("dry run: nothing changed")
        return
    try:
        check_space(plan, dev)
        apply(plan, dev)
    except BundleError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    except OSError as err:
        click.echo(f"error: {err.filename or dev}: {err.strerror or err} "
                   "(files already written are complete; run the install again)", err=True)
        sys.exit(1)
    click.echo(f"installed {len(packages)} librar{'ies' if len(packages) != 1 else 'y'} into {dev / 'lib'}")


def _check_loadable(pkg, target) -> None:
    """A bundle's .mpy files must be for this firmware (the rule of `mpycross inspect`)."""
    from mpycross.bundle import BundleError
    from mpycross.errors import FormatError
    from mpycross.mpy import read_mpy

    for path, data in sorted(pkg.files.items()):
        if not path.endswith(".mpy"):
            continue
        try:
            h = read_mpy(data, path).header
        except FormatError as err:
            raise BundleError(f"{pkg.source}: {err}") from None
        why = target.loads(h.magic, h.version, h.sub_version, h.arch)
        if why:
            raise BundleError(f"{pkg.source}: lib/{path}: {why}")
        return  # one file tells the bundle's target; all files of a bundle share it
