"""`mpycross footprint`: how much flash and RAM a library costs on a board.

Inputs: `.py`/`.mpy` files, folders, bundle zips; or `--device PATH` to
follow the imports of code.py through the device's lib/ and sum the program
against the board's heap. `--max-ram`/`--max-flash` make it a CI budget
(exit 1 when exceeded). Exit 2 on bad input: a module that cannot be read
or compiled is reported on stderr and the others are still costed.
"""

from __future__ import annotations

import os
import sys

import click


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _resolve(board_name: str | None, target_name: str | None):
    """(board, compile target name) from --board and --target."""
    from mpycross.errors import TargetError
    from mpycross.footprint import get_board, get_target
    from mpycross.targets import DEFAULT_TARGET

    compile_target = DEFAULT_TARGET
    board = None
    if target_name:
        try:
            board = get_target(target_name)
        except TargetError:
            from mpycross.targets import resolve_target
            try:
                target = resolve_target(target_name)
            except TargetError as e:
                _fail(str(e))
            compile_target = target.name
            board = get_board("samd51" if target.family == "circuitpython" else "rp2040")
        else:
            if board.firmware == "circuitpython":
                compile_target = "circuitpython-10"
    if board_name:
        try:
            board = get_board(board_name)
        except TargetError as e:
            _fail(str(e))
        if not target_name and board.firmware == "circuitpython":
            compile_target = "circuitpython-10"
    return board or get_board("rp2040"), compile_target


def _device_board(device: str, board, board_given: bool, target_given: bool):
    """The board model and compile target boot_out.txt asks for; (None, None) when the
    device does not say, or agrees with --board."""
    from mpycross.device import read_firmware, target_for_firmware
    from mpycross.errors import TargetError
    from mpycross.footprint.boards import board_for_chip

    try:
        firmware = read_firmware(device)
        compile_target = None if target_given else target_for_firmware(firmware).name
    except TargetError:
        return None, None
    if firmware.family is None:
        return None, compile_target
    if board_given and board.firmware == firmware.family:
        return None, compile_target
    found = board_for_chip(firmware.family, firmware.board)
    if found is None:
        if board_given:
            click.echo(f"note: {device} runs {firmware.family} ({firmware.board or 'board not named'}); "
                       f"no {firmware.family} model of that chip, costing with --board {board.name}", err=True)
        return None, compile_target
    if board_given and found.name != board.name:
        click.echo(f"note: {device} runs {firmware.family} on {firmware.board}: costing with board "
                   f"{found.name} instead of {board.name} ({board.firmware})", err=True)
    return found, compile_target


def _device_modules(device: str, main: str | None):
    """The modules a device's code.py imports, each after the modules it imports.

    That is the order imports finish in on the board (code.py last), so the
    classes of a library are known when a later module calls them.
    """
    from mpycross.footprint.inputs import InputError, find_on_device, from_file, imported_names
    from mpycross.mpy import read_mpy

    if not os.path.isdir(device):
        _fail(f"{device}: not a folder (expected a device with boot_out.txt and lib/)")
    if main is None:
        for name in ("code.py", "main.py", "code.mpy", "main.mpy"):
            if os.path.isfile(os.path.join(device, name)):
                main = os.path.join(device, name)
                break
        else:
            _fail(f"{device}: no code.py or main.py")
    elif not os.path.isabs(main) and os.path.isfile(os.path.join(device, main)):
        # `footprint code.py --device /media/CIRCUITPY`: the file on the drive
        main = os.path.join(device, main)
    elif not os.path.isfile(main):
        _fail(f"{main}: not on {device} (nor in the current folder)")
    first = from_file(main)
    first.name = "__main__"
    first.device_path = "/" + os.path.basename(main)
    main_dir = os.path.dirname(os.path.abspath(main))
    ordered, seen, missing = [], {"__main__"}, []

    def visit(module):
        mpy = None
        if module.kind == "mpy":
            try:
                mpy = read_mpy(module.data, module.display)
            except Exception as e:
                raise InputError(f"{module.display}: {e}") from None
        for name in imported_names(module, mpy):
            # importing a.b.c loads a, a.b and a.b.c
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                sub = ".".join(parts[:i])
                if sub in seen:
                    continue
                seen.add(sub)
                found = find_on_device(device, sub, main_dir)
                if found is None:
                    if i == 1:
                        missing.append(sub)
                    continue
                visit(found)
        ordered.append(module)

    visit(first)
    return ordered, sorted(set(missing))


@click.command("footprint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--board", "board_name", metavar="NAME",
              help="Board from formats/boards.toml (samd21, samd51, rp2040, esp32-s3, nrf52840, unix); "
                   "default rp2040, or samd51 for a CircuitPython --target.")
@click.option("--target", "target_name", metavar="NAME",
              help="A board, a generic target (32bit, 64bit) or a compile target for .py inputs.")
@click.option("--device", metavar="PATH", type=click.Path(),
              help="Follow the imports of code.py (or PATHS[0]) through PATH/lib and sum the program.")
@click.option("-v", "--verbose", is_flag=True, help="Per-function rows and the effects not costed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of the table.")
@click.option("--html", "html_path", metavar="FILE", type=click.Path(),
              help="Write an HTML report with a treemap.")
@click.option("--max-ram", metavar="SIZE", help="Exit 1 if the program's RAM peak exceeds SIZE (20k, 1.5M, 4096).")
@click.option("--max-flash", metavar="SIZE", help="Exit 1 if the files take more flash than SIZE.")
def footprint_command(paths, board_name, target_name, device, verbose, as_json, html_path, max_ram, max_flash):
    """Estimate the flash and RAM that .py/.mpy modules cost on a board."""
    from mpycross.errors import MpyCrossError
    from mpycross.footprint import footprint_of, parse_size, program_footprint
    from mpycross.footprint.inputs import collect
    from mpycross.footprint.report import human, print_table, to_html, to_json

    limits = {}
    for label, text in (("ram", max_ram), ("flash", max_flash)):
        if text is not None:
            try:
                limits[label] = parse_size(text)
            except ValueError as e:
                _fail(str(e))
    board, compile_target = _resolve(board_name, target_name)
    if device and os.path.isdir(device):
        found, device_target = _device_board(device, board, bool(board_name or target_name),
                                             bool(target_name))
        board = found or board
        compile_target = device_target or compile_target
    missing = []
    try:
        if device:
            if len(paths) > 1:
                _fail("--device takes at most one main file")
            modules, missing = _device_modules(device, paths[0] if paths else None)
        else:
            if not paths:
                _fail("give .py/.mpy files, folders or bundle zips (or --device PATH)")
            modules = collect(list(paths))
    except MpyCrossError as e:
        _fail(str(e))
    interned: set[str] = set()
    classes: dict = {}
    results, errors = [], []
    builtin = [m for m in missing if board.is_builtin_module(m)]
    missing = [m for m in missing if m not in builtin]
    unavailable = frozenset(missing)
    for module in modules:
        # one program shares its qstrs; separate inputs are costed each on its own
        # (but a class one of them defines is known to the others); a module that
        # cannot be read is reported and the others are still costed
        try:
            results.append(footprint_of(module, board, compile_target,
                                        interned if device else None, classes, unavailable))
        except MpyCrossError as e:
            errors.append(str(e))
    for message in errors:
        click.echo(f"error: {message}", err=True)
    if not results:
        sys.exit(2)
    totals = program_footprint(results, board)
    budget = {"limits": limits, "exceeded": [], "messages": []}
    if "ram" in limits and totals["peak"] > limits["ram"]:
        budget["exceeded"].append("ram")
        budget["messages"].append(f"RAM budget exceeded: peak {human(totals['peak'])} > {human(limits['ram'])}")
    if "flash" in limits and totals["flash"] > limits["flash"]:
        budget["exceeded"].append("flash")
        budget["messages"].append(f"flash budget exceeded: {human(totals['flash'])} > {human(limits['flash'])}")
    if device and not totals["verdict"]["fits"]:
        budget["messages"].append(f"the program needs {human(totals['peak'])}, more than the "
                                  f"{human(board.heap)} heap of {board.name}: expect MemoryError")
    if builtin:
        budget["builtin"] = builtin
    if missing:
        budget["not_found"] = missing
    if errors:
        budget["errors"] = errors
    if html_path:
        from pathlib import Path
        out = Path(html_path)
        tmp = out.with_name(out.name + ".tmp")
        try:
            tmp.write_text(to_html(board, results, totals, budget), encoding="utf-8")
            tmp.replace(out)
        except OSError as e:
            _fail(f"{html_path}: cannot write: {e.strerror or e}")
    if as_json:
        sys.stdout.write(to_json(board, results, totals, budget))
    else:
        from rich.console import Console
        # a pipe or a CI log gets wide lines rather than folded names
        console = Console() if sys.stdout.isatty() else Console(width=160)
        print_table(console, board, results, totals, budget, verbose)
        if builtin:
            from rich.markup import escape

            console.print(f"built into the firmware (not costed): {escape(', '.join(builtin))}")
        if missing:
            from rich.markup import escape   # module names from a file are text, not markup
            console.print(f"[bold]missing[/bold] (not on the device, not built in: the import fails "
                          f"there): {escape(', '.join(missing))}")
    if budget["exceeded"]:
        if as_json:
            for line in budget["messages"]:
                click.echo(line, err=True)
        sys.exit(1)
    if errors:
        sys.exit(2)
