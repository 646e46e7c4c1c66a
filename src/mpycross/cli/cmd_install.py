"""`mpycross install NAME...`: put libraries and their dependencies on a board, compiled for its firmware.

NAME is an import name ("adafruit_bme280") or a PyPI name / requirement
("adafruit-circuitpython-bme280>=2.6"), found in the `--bundle`s (zips or
folders of zips, all used), else downloaded from PyPI into the per-user
cache (`--offline`: the cache only); or a path: a library folder, wheel,
sdist or .py. `-r FILE` adds a requirements file's lines, `--auto` what
the drive's code.py/main.py import. Dependencies are followed across all
sources; host-only packages are skipped with a note. The device is
`--device` (a drive folder or its boot_out.txt), else the one mounted
CIRCUITPY drive; the firmware comes from its boot_out.txt (or `--target`).
Only changed files are written, each atomically; free space is checked
first; a .py that would shadow a new .mpy is removed only with
`--replace-py` (or after a prompt on a terminal). Exit status 0 done,
1 a problem (nothing or only whole files written), 2 bad usage.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click


@dataclass
class InstallOptions:
    names: list[str]
    device: str | None = None
    bundles: list[str] = field(default_factory=list)
    bundle_json: str | None = None
    requirements: list[str] = field(default_factory=list)
    auto: bool = False
    py: bool = False
    upgrade: bool = False
    offline: bool = False
    replace_py: bool = False
    target_name: str | None = None
    no_deps: bool = False
    dry_run: bool = False
    workers: int = 1
    opt: int = 0
    cache_dir: str | None = None
    no_cache: bool = False
    pip_options: tuple[str, ...] = ()


def device_option(f):
    return click.option("--device", default=None, type=click.Path(),
                        help="The board's drive, or its boot_out.txt (default: the one mounted CIRCUITPY drive).")(f)


def bundle_option(f):
    return click.option("--bundle", "bundles", multiple=True, type=click.Path(),
                        help="Bundle zip, or folder of bundles (the one for the board's firmware is chosen); "
                             "repeatable, all are used.")(f)


@click.command("install")
@click.argument("names", nargs=-1)
@device_option
@bundle_option
@click.option("--bundle-json", type=click.Path(), default=None, help="The bundle's json, if not beside the zip.")
@click.option("-r", "--requirement", "requirements", multiple=True, type=click.Path(),
              help="Install the lines of a requirements file (repeatable).")
@click.option("--auto", is_flag=True, help="Install what the drive's code.py/main.py (and its own modules) import.")
@click.option("--py", is_flag=True, help="Install sources (.py) instead of compiled .mpy files.")
@click.option("-U", "--upgrade", is_flag=True,
              help="Ask PyPI for the newest versions and replace dependencies already on the device.")
@click.option("--offline", is_flag=True, help="Use the download cache only; never ask PyPI.")
@click.option("--replace-py", is_flag=True, help="Remove .py files that would shadow the new .mpy files.")
@click.option("--target", "target_name", default=None, help="Firmware to install for (default: from boot_out.txt).")
@click.option("--no-deps", is_flag=True, help="Install only the named libraries.")
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default="number of CPUs", help="Worker processes for compiling.")
@click.option("-O", "--opt", type=click.IntRange(min=0, max=3), default=0, show_default=True,
              help="Optimisation level for sources compiled here.")
@click.option("--cache-dir", type=click.Path(), default=None, help="Cache folder (compiled files, downloads).")
@click.option("--no-cache", is_flag=True, help="Read and write no compile cache.")
@click.option("--pip-option", "pip_options", multiple=True,
              help="Extra option for pip download (repeatable), e.g. --pip-option=--index-url=URL.")
def install_command(names, requirements, bundles, **options):
    """Install libraries (compiled for the board) into the device's lib/."""
    opts = InstallOptions(list(names), requirements=list(requirements), bundles=list(bundles), **options)
    if not opts.names and not opts.requirements and not opts.auto:
        raise click.UsageError("name at least one library, or pass -r FILE or --auto")
    sys.exit(run_install(opts))


def _fail(message: str) -> int:
    click.echo(f"error: {message}", err=True)
    return 1


def open_device(device: str | None, target_name: str | None = None, quiet: bool = False):
    """(drive folder, target) for --device/--target, else the mounted board and its boot_out.txt."""
    from mpycross.bundle.device import check_device, read_firmware
    from mpycross.bundle.mounts import device_folder
    from mpycross.targets import resolve_target

    dev = device_folder(device)
    check_device(dev)
    if target_name:
        return dev, resolve_target(target_name)
    fw = read_firmware(dev)
    if fw.note:
        click.echo(f"note: {fw.note}", err=True)
    target = resolve_target(fw.target)
    if not quiet:
        click.echo(f"{dev}: {fw.family} {fw.version} -> {target.name}")
    return dev, target


def run_install(opts: InstallOptions) -> int:
    """The whole install; returns the exit status."""
    from mpycross.bundle import BundleError
    from mpycross.bundle.manifest import installed, record
    from mpycross.bundle.progress import human_bytes
    from mpycross.errors import TargetError

    try:
        dev, target = open_device(opts.device, opts.target_name)
        catalog, lines, compile_libraries, pypi = _sources(opts, dev, target)
        from mpycross.bundle.resolve import resolve

        present = {i.module for i in installed(dev)}
        result = resolve(catalog, lines, compile_libraries=compile_libraries, pypi=pypi,
                         with_deps=not opts.no_deps, present=present, upgrade=opts.upgrade)
        for note in result.skipped:
            click.echo(f"note: {note}", err=True)
        unknown = [name for who, name in result.missing if who == "command line"]
        places = (["in the bundles"] if opts.bundles else []) + \
            ["in the download cache (--offline)" if opts.offline else "on PyPI"]
        pip_said = f" (pip: {pypi.last_error})" if pypi.last_error else ""
        if unknown:
            raise BundleError(f"not found {' or '.join(places)}: {', '.join(unknown)}{pip_said}")
        needs = [f"{name} (needed by {who})" for who, name in result.missing if who != "command line"]
        if needs:
            raise BundleError(f"missing dependencies: {'; '.join(needs)} (not found {' or '.join(places)}; "
                              f"add their sources or a --bundle, or pass --no-deps){pip_said}")
        files: dict[str, bytes] = {}
        for pkg in result.packages:
            _check_loadable(pkg, target)
            if opts.py and any(p.endswith(".mpy") for p in pkg.files):
                raise BundleError(f"{pkg.source}: holds .mpy files; --py needs sources (a -py- bundle, PyPI, a folder)")
            files.update(pkg.files)
        from mpycross.bundle.device import plan_install

        tops = sorted({t for pkg in result.packages for t in pkg.top_names})
        plan = plan_install(dev, files, tops)
    except (BundleError, TargetError) as err:
        return _fail(str(err))

    written_by = _owner_of_files(result.packages)
    for pkg in result.packages:
        why = f" (needed by {result.needed_by[pkg.module]})" if pkg.module in result.needed_by else ""
        click.echo(f"{pkg.module} {pkg.version}{why}".rstrip())
    if result.kept:
        click.echo(f"already on the device, kept: {', '.join(result.kept)} (--upgrade replaces them)")
    _decide_shadows(plan, dev, opts)
    for a in plan.actions:
        size = f" ({human_bytes(len(a.data))})" if a.data is not None else ""
        click.echo(f"  {a.op} {a.path}{size}: {a.why}")
    click.echo(f"{len(plan.writes)} to write, {len(plan.removes)} to remove, {len(plan.unchanged)} unchanged; "
               f"needs {human_bytes(plan.needed)} of {human_bytes(plan.free)} free")
    if opts.dry_run:
        click.echo("dry run: nothing changed")
        return 0
    from mpycross.bundle.device import apply, check_space

    try:
        check_space(plan, dev)
        apply(plan, dev)
        record(dev, result.packages, set(result.requested), target.name)
    except BundleError as err:
        return _fail(str(err))
    except OSError as err:
        return _fail(f"{err.filename or dev}: {err.strerror or err} "
                     "(files already written are complete; run the install again)")
    changed = {written_by[a.path] for a in plan.writes if a.path in written_by}
    tops = {t: pkg.module for pkg in result.packages for t in pkg.top_names}
    changed |= {tops[a.path.split("/")[1].rsplit(".", 1)[0]] for a in plan.removes
                if a.path.split("/")[1].rsplit(".", 1)[0] in tops}
    same = [p.module for p in result.packages if p.module not in changed]
    summary = f"installed {len(changed)} librar{'ies' if len(changed) != 1 else 'y'} into {dev / 'lib'}"
    details = [f"{len(plan.writes)} file{'s' if len(plan.writes) != 1 else ''} written"]
    if same:
        details.append(f"{len(same)} unchanged ({', '.join(same)})")
    click.echo(f"{summary} ({'; '.join(details)})")
    _version_notes(dev, result.packages)
    return 0


def _owner_of_files(packages) -> dict[str, str]:
    return {f"lib/{path}": pkg.module for pkg in packages for path in pkg.files}


def _sources(opts: InstallOptions, dev: Path, target):
    """The catalog (bundles, local sources), the lines to resolve, the compiler, and PyPI (or None)."""
    from mpycross.bundle import BundleError
    from mpycross.bundle.cache import CompileCache
    from mpycross.bundle.catalog import Catalog, add_libraries, load_bundle, pick_bundle
    from mpycross.bundle.library import discover, read_requirements_text
    from mpycross.bundle.pypi import PyPI

    catalog = Catalog()
    for i, bundle in enumerate(opts.bundles):
        path = Path(bundle)
        if path.is_dir():
            path = pick_bundle(path, target)
            click.echo(f"bundle: {path}")
        loaded = load_bundle(path, Path(opts.bundle_json) if opts.bundle_json and i == 0 else None)
        for module, pkg in loaded.packages.items():
            catalog.packages.setdefault(module, pkg)      # the first bundle that has it wins
    cache = CompileCache(Path(opts.cache_dir) if opts.cache_dir else None, enabled=not opts.no_cache)

    def compile_libraries(libraries):
        if opts.py:
            return _add_sources(catalog, libraries)
        return add_libraries(catalog, libraries, target.name, opts.opt, opts.workers, cache)

    lines, local = [], []
    for name in opts.names:
        if os.path.exists(name):
            local += discover(name)
        else:
            lines.append(name)
    for req in opts.requirements:
        try:
            data = Path(req).read_bytes()
        except OSError as err:
            raise BundleError(f"{req}: {err.strerror or err}") from None
        lines += read_requirements_text(data)
    if opts.auto:
        from mpycross.bundle.imports import program_imports

        wanted, programs = program_imports(dev)
        if not programs:
            raise BundleError(f"{dev}: no code.py or main.py to read imports from (--auto)")
        click.echo(f"--auto: {', '.join(programs)} import {', '.join(wanted) or 'no libraries'}")
        lines += [w for w in wanted if w not in lines]
    if local:
        lines = compile_libraries(local) + lines
    pypi_root = Path(opts.cache_dir) / "pypi" if opts.cache_dir else None
    pypi = PyPI(pypi_root, offline=opts.offline, refresh=opts.upgrade, pip_options=opts.pip_options,
                report=lambda line: click.echo(f"downloading {line}", err=True))
    return catalog, lines, compile_libraries, pypi


def _add_sources(catalog, libraries) -> list[str]:
    """--py: libraries go on the board as (version-stamped) sources."""
    from mpycross.bundle.catalog import Package

    for lib in libraries:
        catalog.add(Package(lib.module, lib.version, lib.stamped_files(), [], [], lib.name, lib.origin))
    for lib in libraries:
        pkg = catalog.packages[lib.module]
        pkg.dependencies, pkg.external = catalog.link(lib.requirements)
    return [lib.module for lib in libraries]


def _decide_shadows(plan, dev: Path, opts: InstallOptions) -> None:
    """A user's file that would shadow a new one is removed only when allowed; else it is reported."""
    from mpycross.bundle.manifest import read_manifest

    ours = {f"lib/{f}" for facts in read_manifest(dev)["libraries"].values() for f in facts.get("files", [])}
    asked = [a for a in plan.removes if a.kind == "shadow" and a.path not in ours]
    if not asked or opts.replace_py:
        return
    allowed = False
    if not opts.dry_run and interactive():
        paths = ", ".join(a.path for a in asked)
        allowed = click.confirm(f"remove {paths} (it would be imported instead of the new library)?",
                                default=False)
    if allowed:
        return
    for a in asked:
        plan.removes.remove(a)
        click.echo(f"warning: {a.path} is kept: {a.why} (pass --replace-py to remove it)", err=True)


def interactive() -> bool:
    """A person at a terminal can answer a question."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _version_notes(dev: Path, packages) -> None:
    """A library whose __version__ is wrong gets one note, at install; the manifest has the right one."""
    from mpycross.bundle.manifest import PLACEHOLDERS, installed

    versions = {i.module: i for i in installed(dev)}
    for pkg in packages:
        info = versions.get(pkg.module)
        if info is None or not info.broken_version or not pkg.version:
            continue
        says = info.file_version or "nothing"
        if says in PLACEHOLDERS or info.file_version is None or says != pkg.version:
            click.echo(f"note: {pkg.module}: its __version__ says {says}; recorded as {pkg.version} "
                       f"in lib/.mpycross.json", err=True)


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
