"""The `mpycross` click group, one subcommand per module.

Subcommands are imported only when invoked so that `mpycross --help` and
every command start fast.
"""

from __future__ import annotations

import importlib

import click

from mpycross import __version__

# subcommand name -> "module:attribute" of its click command
SUBCOMMANDS = {
    "bundle": "mpycross.cli.cmd_bundle:bundle_command",
    "compile": "mpycross.cli.cmd_compile:compile_command",
    "dis": "mpycross.cli.cmd_dis:dis_command",
    "example": "mpycross.cli.cmd_libraries:example_command",
    "freeze": "mpycross.cli.cmd_libraries:freeze_command",
    "doctor": "mpycross.cli.cmd_doctor:doctor_command",
    "footprint": "mpycross.cli.cmd_footprint:footprint_command",
    "inspect": "mpycross.cli.cmd_inspect:inspect_command",
    "install": "mpycross.cli.cmd_install:install_command",
    "list": "mpycross.cli.cmd_libraries:list_command",
    "show": "mpycross.cli.cmd_libraries:show_command",
    "targets": "mpycross.cli.cmd_targets:targets_command",
    "uninstall": "mpycross.cli.cmd_libraries:uninstall_command",
    "update": "mpycross.cli.cmd_libraries:update_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx, name):
        spec = SUBCOMMANDS.get(name)
        if spec is None:
            return None
        module_name, attr = spec.split(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="mpycross")
def cli():
    """A pure-Python toolchain for MicroPython and CircuitPython .mpy files."""
