"""`mpycross`: the toolchain command (the click group is in commands.py).

`mpycross compile ...` with the usual options is run without importing click
(compile_tree.parse_fast): a compile of an unchanged tree costs less than
importing click. Everything else, and every usage error, goes to click.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None):
    from mpycross.cli import print_target_warnings

    print_target_warnings("mpycross")
    # a name in a .mpy may hold any character: print what the terminal's encoding
    # cannot hold as an escape, never a UnicodeEncodeError (PYTHONIOENCODING=utf-8,
    # a strict locale)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["compile"]:
        from mpycross.cli import compile_tree

        params = compile_tree.parse_fast(args[1:])
        if params is not None:
            try:
                sys.exit(compile_tree.run(**params))
            except compile_tree.UsageProblem:
                pass  # nothing was done yet: click reports it in its words
    from mpycross.cli.commands import cli

    cli(args, prog_name="mpycross")
