"""`mpycross dis FILE.mpy`: disassemble a .mpy file of any version."""

from __future__ import annotations

import json
import sys

import click


MAX_INDENTED_NESTING = 100


def _nesting(raw_code: dict) -> int:
    """How deep raw codes nest in a listing (1: no children)."""
    deepest, pending = 0, [(raw_code, 1)]
    while pending:
        rc, depth = pending.pop()
        deepest = max(deepest, depth)
        pending += [(child, depth + 1) for child in rc["children"]]
    return deepest


@click.command("dis")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the disassembly as JSON.")
@click.option("--fields", "as_fields", is_flag=True,
              help="Print the file's fields as stored, in file order (the .mpy schema's parse).")
def dis_command(path: str, as_json: bool, as_fields: bool):
    """Show the header, qstr and constant tables, and every function's prelude,
    argument names, line table and instructions."""
    from mpycross.deep import call_deep
    from mpycross.errors import FormatError
    from mpycross.mpy import read_mpy
    from mpycross.mpy.dis import disassemble, format_fields, format_text

    try:
        if path == "-":
            data, name = sys.stdin.buffer.read(), "<stdin>"
        else:
            with open(path, "rb") as f:
                data = f.read()
            name = path
    except OSError as e:
        click.echo(f"{path}: cannot read: {e.strerror or e}", err=True)
        sys.exit(1)
    try:
        mpy = read_mpy(data, name)
        if as_fields:
            click.echo(format_fields(mpy, data), nl=False)
            return
        listing = disassemble(mpy)
    except FormatError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    if as_json:
        # indentation grows with the nesting of functions: a file nesting thousands
        # deep (which MicroPython loads) would print gigabytes of spaces
        indent = 1 if _nesting(listing["raw_code"]) <= MAX_INDENTED_NESTING else None
        # json's encoder recurses once per nesting level, like the listing
        click.echo(call_deep(json.dumps, listing, indent=indent, ensure_ascii=False))
    else:
        click.echo(format_text(listing), nl=False)
