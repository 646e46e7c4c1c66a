"""Library tooling: build bundles of `.mpy` libraries and put libraries on boards.

- `library`: find libraries in repositories, folders, wheels, sdists and
  requirements files (`Library`: files under `lib/`, examples, requirements).
- `cache`: content-addressed store of compiled files.
- `pool`: compile many sources in worker processes, results as they come.
- `zipout`: reproducible zip files and the sha256 manifest.
- `build`: the bundle layout (`mpycross bundle`).
- `progress`: progress bar on a terminal, plain lines in CI, summary table.
- `device`: boot_out.txt, install plans and atomic copies (`mpycross install`).
- `catalog`: what can be installed, from a bundle zip or local sources.
- `hostonly`: packages that never go on a board (formats/host_only.toml).
- `pypi`: distributions downloaded with pip into the per-user cache.
- `resolve`: which libraries an install needs, across bundles, local sources and PyPI.
- `mounts`: the mounted CIRCUITPY drive, when no `--device` is given.
- `imports`: what a board's code.py imports (`install --auto`).
- `manifest`: what is installed on a board, and its versions.
- `doctor`: what is wrong on a board's `lib/` (`mpycross doctor`).
"""

from mpycross.errors import MpyCrossError


class BundleError(MpyCrossError):
    """A problem with the inputs or outputs of bundle, install or doctor (one line)."""
