"""`mpycross targets`: list the compilation targets, their .mpy version and who loads them."""

from __future__ import annotations

import json

import click


@click.command("targets")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--features", is_flag=True, help="Also list each target's feature flags.")
def targets_command(as_json: bool, features: bool):
    """List the target names accepted by --target, with their .mpy version."""
    from mpycross.targets import all_targets, feature_names, loaders, loaders_summary

    def loaded_by(t) -> str:
        # firmware that loads this target's bytecode-only output
        return loaders_summary(loaders(t.magic, t.mpy_version, t.mpy_sub_version, 0))

    targets = all_targets()
    if as_json:
        click.echo(json.dumps([{
            "name": t.name, "family": t.family, "release": t.release,
            "base_micropython": t.base_release, "mpy_version": t.mpy_version,
            "mpy_sub_version": t.mpy_sub_version, "magic": t.magic,
            "small_int_bits": t.small_int_bits, "bytecode": t.bytecode,
            "aliases": list(t.aliases), "features": sorted(t.features),
            "loaded_by": loaded_by(t),
        } for t in targets], indent=2))
        return
    width = max(len(t.name) for t in targets)
    click.echo(f"{'target'.ljust(width)}  mpy  magic  loaded by (bytecode; native code also needs the same .mpy sub-version and arch)")
    for t in targets:
        loads = loaded_by(t)
        click.echo(f"{t.name.ljust(width)}  {t.mpy_version_name.ljust(3)}  {t.magic!r:5}  {loads}")
        if features:
            click.echo(f"{''.ljust(width)}  features: {', '.join(sorted(t.features)) or '-'}")
    if features:
        click.echo("\nfeatures:")
        for name, where in sorted(feature_names().items()):
            click.echo(f"  {name}: {where}")

