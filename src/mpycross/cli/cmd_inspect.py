"""`mpycross inspect FILE.mpy|DIR`: one line per .mpy file, and which firmware loads it.

Run on a board's `lib/` to find stale files; with `--target` it exits 1 when
any file cannot be loaded by that firmware and says why.
"""

from __future__ import annotations

import json
import os
import sys

import click

from mpycross.mpy.facts import inspect_file


def _files(path: str) -> list[str]:
    if os.path.isdir(path):
        found = []
        for root, dirs, names in os.walk(path):
            dirs.sort()
            found += [os.path.join(root, n) for n in sorted(names) if n.endswith(".mpy")]
        return found
    return [path]


def _line(info: dict, source_repr: str) -> str:
    sub = info["sub_version"] if info["sub_version"] is not None else "-"
    return (f"{info['path']}: magic '{info['magic']}', version {info['version']}, sub-version {sub}, "
            f"arch {info['arch']}, small-int bits {info['small_int_bits']}, "
            f"source {source_repr}, {info['size']} bytes; loads on {info['loaded_by_text']}"
            + (f" ({info['arch']} boards only: it has native code)" if info["arch"] != "none" else ""))


@click.command("inspect")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--target", "target_name", help="Exit 1 if a file cannot be loaded by this firmware.")
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
def inspect_command(paths: tuple[str, ...], target_name: str | None, as_json: bool):
    """Show version, arch and source of .mpy files (or every .mpy under a folder)."""
    from mpycross.errors import TargetError
    from mpycross.targets import resolve_target

    target = None
    if target_name:
        try:
            target = resolve_target(target_name)
        except TargetError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(2)
    failed = False
    results = []
    files = [f for p in paths for f in _files(p)]
    if not files:
        click.echo(f"{', '.join(paths)}: no .mpy files found", err=True)
        sys.exit(1)
    for path in files:
        info = inspect_file(path)
        if "error" in info:
            failed = True
            if not as_json:
                click.echo(info["error"], err=True)
            results.append(info)
            continue
        h = info.pop("_header")
        source_repr = info.pop("_source_repr")
        if target is not None:
            why = target.loads(h.magic, h.version, h.sub_version, h.arch)
            info["compatible"] = why is None
            if why:
                failed = True
                info["reason"] = why
        results.append(info)
        if not as_json:
            line = _line(info, source_repr)
            if target is not None:
                line += f"\n  {info['reason']}" if "reason" in info else f"\n  OK for {target.name}"
            click.echo(line)
    if as_json:
        click.echo(json.dumps(results, indent=1, ensure_ascii=False))
    sys.exit(1 if failed else 0)
