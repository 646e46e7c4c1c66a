"""`mpycross doctor [--device PATH]`: find what would break imports on a board.

Reports .mpy files in lib/ the firmware cannot load (and why), .py/.mpy
and package-folder shadows, leftovers of interrupted installs and
dependencies of installed libraries that are missing (per `--bundle`, else
the manifest `mpycross install` wrote). Exit
status 1 when anything is wrong, 0 when all is well, 2 for bad usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("doctor")
@click.option("--device", default=None, type=click.Path(),
              help="The board's drive, or its boot_out.txt (default: the one mounted CIRCUITPY drive).")
@click.option("--target", "target_name", default=None, help="Firmware to check against (default: from boot_out.txt).")
@click.option("--bundle", "bundle", type=click.Path(), default=None,
              help="Bundle zip (with its json beside it) or bundle json, for the dependency check.")
def doctor_command(device, target_name, bundle):
    """Check a board's lib/ for unloadable files, shadows and missing dependencies."""
    from mpycross.bundle import BundleError
    from mpycross.bundle.device import check_device, read_firmware
    from mpycross.bundle.doctor import diagnose, manifest_catalog
    from mpycross.bundle.mounts import device_folder
    from mpycross.errors import TargetError
    from mpycross.targets import resolve_target

    try:
        dev = device_folder(device)
        check_device(dev)
        if target_name:
            target = resolve_target(target_name).name
            what = target
        else:
            fw = read_firmware(dev)
            target, what = fw.target, f"{fw.family} {fw.version} ({fw.target})"
            if fw.note:
                click.echo(f"note: {fw.note}", err=True)
        catalog = _load_catalog(Path(bundle)) if bundle else manifest_catalog(dev)
        problems = diagnose(dev, target, catalog)
    except (BundleError, TargetError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo(f"{dev}: {what}")
    for p in problems:
        click.echo(p.line())
    if catalog is None:
        click.echo("dependencies not checked (no lib/.mpycross.json: pass --bundle)")
    if problems:
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found")
        sys.exit(1)
    click.echo("no problems found")


def _load_catalog(path: Path):
    import json

    from mpycross.bundle import BundleError
    from mpycross.bundle.catalog import Catalog, Package, load_bundle

    if path.suffix == ".json":
        try:
            table = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise BundleError(f"{path}: not a bundle json: {err}") from None
        catalog = Catalog()
        for module, facts in table.items():
            catalog.add(Package(module, facts.get("version", ""), {}, list(facts.get("dependencies", [])),
                                list(facts.get("external_dependencies", [])), facts.get("pypi_name", "")))
        return catalog
    return load_bundle(path)
