"""`mpycross compile`: the click command, built from compile_tree.OPTIONS (see compile_tree for what it does)."""

from __future__ import annotations

import sys

import click

from mpycross.cli import compile_tree


def _click_option(option: compile_tree.Option):
    if option.kind == "flag":
        return click.option(*option.names, option.dest, is_flag=True, help=option.help)
    if option.kind == "int":
        kind = click.IntRange(min=option.low, max=option.high)
    elif option.kind == "choice":
        kind = click.Choice(list(option.choices))
    else:
        kind = None
    return click.option(*option.names, option.dest, type=kind, default=option.default, metavar=option.metavar,
                        show_default=option.show_default, help=option.help)


def _command(**params):
    """Compile .py files and folders of .py files to .mpy."""
    try:
        status = compile_tree.run(**params)
    except compile_tree.UsageProblem as err:
        if err.param_hint is not None:
            raise click.BadParameter(str(err), param_hint=err.param_hint) from None
        raise click.UsageError(str(err)) from None
    sys.exit(status)


compile_command = _command
for _option in reversed(compile_tree.OPTIONS):
    compile_command = _click_option(_option)(compile_command)
compile_command = click.argument("paths", nargs=-1, required=True, type=click.Path())(compile_command)
compile_command = click.command("compile")(compile_command)
