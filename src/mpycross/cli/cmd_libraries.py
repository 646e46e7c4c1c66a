"""circup's other commands: `list`, `update`, `freeze`, `uninstall`, `show`, `example`.

They read what is on the board (`bundle.manifest.installed`: the manifest
`install` writes, and `__version__` of anything else in lib/). "Outdated"
compares with the newest version in the given `--bundle`s, else on PyPI.
A library whose `__version__` is broken (missing, the build placeholder,
or not the version installed) is compared by the manifest's version; one
without either is reported as "version unknown" once per listing and is
never counted as outdated, so `update --all` does not reinstall it forever.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mpycross.cli.cmd_install import InstallOptions, bundle_option, device_option, open_device, run_install


def _board(device):
    from mpycross.bundle import BundleError
    from mpycross.errors import TargetError

    try:
        return open_device(device, quiet=True)
    except (BundleError, TargetError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)


def _bundle_catalog(bundles, target):
    from mpycross.bundle.catalog import Catalog, load_bundle, pick_bundle

    catalog = Catalog()
    for bundle in bundles:
        path = Path(bundle)
        if path.is_dir():
            path = pick_bundle(path, target)
        for module, pkg in load_bundle(path).packages.items():
            catalog.packages.setdefault(module, pkg)
    return catalog


def _vkey(version: str | None):
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version) if version else None
    except InvalidVersion:
        return None


def _pypi_name(info) -> str:
    from mpycross.bundle.pypi import candidates

    return info.pypi_name or candidates(info.module)[0]


def outdated(libs, bundles, target, offline: bool):
    """{module: newest version} for each library with a newer version available."""
    from mpycross.bundle.pypi import PyPI

    from mpycross.bundle.pypi import normalize

    newer = {}
    libs = [info for info in libs if _vkey(info.version) is not None]
    catalog = _bundle_catalog(bundles, target) if bundles else None
    on_pypi = {} if catalog is not None else PyPI(offline=offline).latest_versions(
        sorted({_pypi_name(info) for info in libs}))
    for info in libs:
        have = _vkey(info.version)
        if catalog is not None:
            pkg = catalog.find(info.module)
            latest = pkg.version if pkg else None
        else:
            latest = on_pypi.get(normalize(_pypi_name(info)))
        if _vkey(latest) is not None and _vkey(latest) > have:
            newer[info.module] = latest
    return newer


@click.command("list")
@device_option
@bundle_option
@click.option("--offline", is_flag=True, help="Do not ask PyPI for newer versions.")
def list_command(device, bundles, offline):
    """Installed libraries, their versions, and which are outdated."""
    from mpycross.bundle import BundleError
    from mpycross.bundle.manifest import installed

    dev, target = _board(device)
    libs = installed(dev)
    if not libs:
        click.echo(f"{dev / 'lib'}: no libraries")
        return
    try:
        newer = {} if offline and not bundles else outdated(libs, bundles, target, offline)
    except BundleError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    width = max(len(i.module) for i in libs)
    unknown = []
    for info in libs:
        version = info.version or "?"
        state = f"outdated: {newer[info.module]} available" if info.module in newer else ""
        if info.version is None:
            unknown.append(info.module)
        elif info.in_manifest and info.broken_version:
            state = state or f"(its __version__ says {info.file_version or 'nothing'})"
        click.echo(f"{info.module:<{width}}  {version:<12} {state}".rstrip())
    if unknown:
        click.echo(f"version unknown (no __version__, not installed by mpycross): {', '.join(unknown)}")
    click.echo(f"{len(libs)} libraries, {len(newer)} outdated")


@click.command("freeze")
@device_option
@click.option("-r", "--requirement", "write_file", is_flag=True, help="Write requirements.txt in this folder.")
@click.option("--pypi", "pypi_names", is_flag=True, help="PyPI names instead of import names.")
def freeze_command(device, write_file, pypi_names):
    """Print installed libraries as MODULE==VERSION lines, as circup does (`install -r` reads them)."""
    from mpycross.bundle.manifest import installed

    dev, _ = _board(device)
    lines = []
    for info in installed(dev):
        name = (info.pypi_name or _pypi_name(info)) if pypi_names else info.module
        lines.append(f"{name}=={info.version}" if info.version else name)
    for line in lines:
        click.echo(line)
    if write_file:
        from mpycross.fileio import write_atomically

        write_atomically(Path("requirements.txt"), "".join(f"{line}\n" for line in lines).encode())
        click.echo("wrote requirements.txt", err=True)


@click.command("uninstall")
@click.argument("names", nargs=-1, required=True)
@device_option
def uninstall_command(names, device):
    """Remove libraries from the device's lib/."""
    from mpycross.bundle.catalog import _squash
    from mpycross.bundle.device import Action, Plan, apply
    from mpycross.bundle.manifest import forget, installed

    dev, _ = _board(device)
    libs = installed(dev)
    removed, status = [], 0
    for name in names:
        info = next((i for i in libs if name in (i.module, i.pypi_name) or _squash(name) == _squash(i.module)), None)
        if info is None:
            click.echo(f"error: {name} is not installed in {dev / 'lib'}", err=True)
            status = 1
            continue
        actions = [Action("remove", f"lib/{f}", f"uninstall {info.module}") for f in info.files]
        apply(Plan([], actions, [], 0, 0), dev)
        removed.append(info.module)
        click.echo(f"uninstalled {info.module} ({len(actions)} file{'s' if len(actions) != 1 else ''})")
    forget(dev, removed)
    sys.exit(status)


@click.command("show")
@click.argument("name")
@device_option
@bundle_option
def show_command(name, device, bundles):
    """What is known of one library: installed version and files, source, dependencies."""
    from mpycross.bundle.catalog import _squash
    from mpycross.bundle.manifest import installed

    dev, target = _board(device)
    info = next((i for i in installed(dev) if name in (i.module, i.pypi_name) or _squash(name) == _squash(i.module)),
                None)
    if info is None and not bundles:
        click.echo(f"error: {name} is not installed in {dev / 'lib'}", err=True)
        sys.exit(1)
    if info is not None:
        click.echo(f"{info.module} {info.version or '(version unknown)'}")
        if info.pypi_name:
            click.echo(f"  PyPI: {info.pypi_name}")
        if info.source:
            click.echo(f"  from: {info.source}")
        click.echo(f"  {'requested' if info.requested else 'installed as a dependency'}")
        if info.dependencies:
            click.echo(f"  depends on: {', '.join(info.dependencies)}")
        click.echo(f"  files: {', '.join(f'lib/{f}' for f in info.files)}")
    if bundles:
        pkg = _bundle_catalog(bundles, target).find(name)
        if pkg is not None:
            click.echo(f"in the bundles: {pkg.module} {pkg.version} ({pkg.source})")
        elif info is None:
            click.echo(f"error: {name} is neither installed nor in the bundles", err=True)
            sys.exit(1)


@click.command("update")
@click.argument("names", nargs=-1)
@click.option("--all", "update_all", is_flag=True, help="Update every outdated library.")
@device_option
@bundle_option
@click.option("--offline", is_flag=True, help="Use the download cache only.")
@click.option("--py", is_flag=True, help="Install sources (.py) instead of .mpy files.")
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
def update_command(names, update_all, device, bundles, offline, py, dry_run):
    """Install the newest version of outdated libraries (with their dependencies)."""
    from mpycross.bundle.manifest import installed

    if not names and not update_all:
        raise click.UsageError("name the libraries to update, or pass --all")
    dev, target = _board(device)
    libs = installed(dev)
    if names:
        libs = [i for i in libs if i.module in names or i.pypi_name in names]
        missing = set(names) - {i.module for i in libs} - {i.pypi_name for i in libs}
        if missing:
            click.echo(f"error: not installed: {', '.join(sorted(missing))}", err=True)
            sys.exit(1)
    newer = outdated(libs, bundles, target, offline)
    if not newer:
        click.echo("everything is up to date")
        return
    for module, version in sorted(newer.items()):
        info = next(i for i in libs if i.module == module)
        click.echo(f"{module}: {info.version} -> {version}")
    by_module = {i.module: i for i in libs}
    lines = [f"{_pypi_name(by_module[m])}=={v}" if not bundles else m for m, v in sorted(newer.items())]
    opts = InstallOptions(lines, device=str(dev), bundles=list(bundles), offline=offline, py=py,
                          dry_run=dry_run, upgrade=True, target_name=target.name)
    sys.exit(run_install(opts))


@click.command("example")
@click.argument("name")
@device_option
@bundle_option
@click.option("--list", "list_only", is_flag=True, help="List the library's examples.")
@click.option("--overwrite", is_flag=True, help="Replace an example file that is already on the drive.")
@click.option("--offline", is_flag=True, help="Use the download cache only.")
def example_command(name, device, bundles, list_only, overwrite, offline):
    """Copy a library's examples to the drive's root folder (from its bundle or its PyPI sdist)."""
    from mpycross.bundle import BundleError
    from mpycross.bundle.device import write_file

    dev, target = _board(device)
    try:
        examples = _examples(name, bundles, target, offline)
    except BundleError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    if not examples:
        click.echo(f"error: {name} has no examples", err=True)
        sys.exit(1)
    if list_only:
        for path in sorted(examples):
            click.echo(path)
        return
    status = 0
    for path, data in sorted(examples.items()):
        dest = dev / path
        if dest.exists() and dest.read_bytes() != data and not overwrite:
            click.echo(f"warning: {path} exists and differs: kept (pass --overwrite)", err=True)
            status = 1
            continue
        write_file(dest, data)
        click.echo(f"copied {path}")
    sys.exit(status)


def _examples(name: str, bundles, target, offline: bool) -> dict[str, bytes]:
    """Example files (paths relative to the drive root) of a library, from a bundle zip or its sdist."""
    import zipfile

    from mpycross.bundle import BundleError
    from mpycross.bundle.catalog import load_bundle, pick_bundle
    from mpycross.bundle.library import discover
    from mpycross.bundle.pypi import PyPI, candidates

    for bundle in bundles:
        path = Path(bundle)
        if path.is_dir():
            path = pick_bundle(path, target)
        pkg = load_bundle(path).find(name)
        if pkg is None:
            continue
        with zipfile.ZipFile(path) as z:
            found = {}
            for member in z.namelist():
                parts = member.split("/")
                if "examples" in parts[:2] and not member.endswith("/"):
                    rel = "/".join(parts[parts.index("examples") + 1:])
                    if rel.startswith(f"{pkg.module}/") or rel.split("/")[-1].startswith(
                            pkg.module.replace("adafruit_", "")):
                        found[rel] = z.read(member)
        if found:
            return {rel.split("/")[-1]: d for rel, d in found.items()}
    # Wheels carry no examples: the sdist does.
    pypi = PyPI(offline=offline)
    for candidate in candidates(name):
        sdist = pypi.cached(candidate, sdist=True)
        if sdist is not None:
            pass
        elif not offline and pypi.download([candidate], binary=False):
            sdist = pypi.cached(candidate, sdist=True)
        if sdist is None:
            continue
        try:
            lib = discover(sdist)[0]
        except BundleError:
            continue
        return {p.split("/")[-1]: d for p, d in lib.examples.items() if p.endswith(".py")}
    raise BundleError(f"{name}: not found in the bundles or as a PyPI sdist")
