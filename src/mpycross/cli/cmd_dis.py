"""`mpycross dis FILE.mpy`: disassemble a .mpy file of any version."""

from __future__ import annotations

import json
import sys

import click


@click.command("dis")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the disassembly as JSON.")
def dis_command(path: str, as_json: bool):
    """Show the header, qstr and constant tables, and every function's prelude,
    argument names, line table and instructions."""
    from mpycross.errors import FormatError
    from mpycross.mpy import read_mpy
    from mpycross.mpy.dis import disassemble, format_text

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
        listing = disassemble(read_mpy(data, name))
    except FormatError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(listing, indent=1, ensure_ascii=False))
    else:
        click.echo(format_text(listing), nl=False)
