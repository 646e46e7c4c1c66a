"""Record what CircuitPython's own mpy-cross writes for this project's native-code programs.

CircuitPython's compilers are not on PyPI, so CI cannot run them: this tool runs
locally built ones and writes tests/native/circuitpython_native.json, which
tests/test_circuitpython_native.py compares ours with. For each release, each
`-march` (none, every name any release knows, rv32imc with each `-march-flags=`),
each `-X emit=` (none; native and viper for tests/native/*.py and tests/native/circuitpython/) and each
program of tests/native/, tests/native/viper_errors/, tests/native/inline/ and
tests/native/circuitpython/:

    {"sha256": <the .mpy>, "stdout": <text>}           the compile succeeded
    {"exit": n, "stderr": <text>, "stdout": <text>}     it failed (a SyntaxError...)
    {"exit": 1, "usage": true}                          an option it does not know (its usage text)
    {"exit": n, "aborted": true}                        an internal assertion (SIGABRT)

"stdout" is left out when empty; the `-march=debug` listing is kept as "stdout_sha256".
Only the outputs of their compiler on our own programs are recorded.

The file keeps them compact (`expand` reads it back): hashes are the first 16 hex digits;
texts are numbers into the file's "texts" list; per release "cases" maps
"march|flags" -> "emit" -> "group/program" -> [kind, ...]: ["mpy", sha, stdout] (stdout:
None, a text number, or the debug listing's hash), ["error", exit, stderr text, stdout
text or None], ["aborted", exit]; a "march|flags" whose every case printed the usage text
is listed in "usage" instead; a release whose cases are another's says "same_as": <that release>.

The compilers: CircuitPython's own mpy-cross of each release, built from its tag as that
repository's documentation says (outside this repository; nothing of it is committed), one
folder per release under BUILDS (BUILDS/<release>/mpy-cross/...). Each build should first
reproduce the bytecode reference outputs of the shared golden folder (../shared/golden).

Usage: python tools/record_circuitpython_native.py --builds BUILDS [RELEASE ...]
       (RELEASE: a full CircuitPython release, "9.2.9"; default: every [[circuitpython]]
       entry of formats/targets.toml whose binary is found; releases not named keep their
       recorded entries)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

NATIVE = ROOT / "tests" / "native"
OUT = NATIVE / "circuitpython_native.json"
MARCHES = ["x64", "x86", "armv6", "armv6m", "armv7m", "armv7em", "armv7emsp", "armv7emdp",
           "xtensa", "xtensawin", "rv32imc", "debug", "rv64imc"]
MARCH_FLAGS = {"rv32imc": ["zba", "zcmp", "zba,zcmp"]}


def programs() -> dict[str, list[Path]]:
    """Program group -> files: "native" (also compiled with -X emit=), "viper_errors", "inline",
    "circuitpython" (async code, which only CircuitPython compiles differently; also with -X emit=)."""
    return {"native": sorted(NATIVE.glob("*.py")),
            "circuitpython": sorted((NATIVE / "circuitpython").glob("*.py")),
            "viper_errors": sorted((NATIVE / "viper_errors").glob("*.py")),
            "inline": sorted((NATIVE / "inline").glob("*.py"))}


def cases():
    """(case key, mpy-cross options, program) for one release, in a fixed order."""
    groups = programs()
    archs = [(None, None)] + [(m, None) for m in MARCHES] + [(m, f) for m, fs in MARCH_FLAGS.items() for f in fs]
    for march, flags in archs:
        for emit in (None, "native", "viper"):
            if emit and march is None:
                continue
            for group, files in groups.items():
                if emit and group not in ("native", "circuitpython"):
                    continue
                for program in files:
                    options = ([f"-march={march}"] if march else []) + \
                              ([f"-march-flags={flags}"] if flags else []) + \
                              (["-X", f"emit={emit}"] if emit else [])
                    key = "|".join([march or "-", flags or "-", emit or "-", f"{group}/{program.name}"])
                    yield key, options, program


def run_case(binary: Path, options: list[str], program: Path, work: Path) -> dict:
    shutil.copy(program, work / program.name)
    out = work / "out.mpy"
    out.unlink(missing_ok=True)
    proc = subprocess.run([str(binary), *options, "-o", out.name, program.name], cwd=work,
                          capture_output=True, timeout=60)
    stdout = proc.stdout.decode("utf-8", "surrogateescape")
    if proc.returncode < 0 or b"Assertion" in proc.stderr:
        return {"exit": proc.returncode, "aborted": True}
    if proc.returncode == 1 and proc.stdout.startswith(b"usage:"):
        return {"exit": 1, "usage": True}
    if proc.returncode == 0 and out.exists():
        entry = {"sha256": hashlib.sha256(out.read_bytes()).hexdigest()}
    else:
        entry = {"exit": proc.returncode, "stderr": proc.stderr.decode("utf-8", "surrogateescape")}
    if stdout and "-march=debug" in options:
        entry["stdout_sha256"] = hashlib.sha256(proc.stdout).hexdigest()
    elif stdout:
        entry["stdout"] = stdout
    return entry


HASH_DIGITS = 16


def compact(recorded: dict, texts: list[str]) -> tuple[dict, list[str]]:
    """Recorded cases (key -> entry) in the file's form, and the march|flags groups that only
    printed the usage text; `texts` grows with each new text."""
    def text(t: str | None):
        if t is None:
            return None
        if t not in texts:
            texts.append(t)
        return texts.index(t)

    groups: dict = {}
    for key, entry in recorded.items():
        march, flags, emit, program = key.split("|")
        groups.setdefault(f"{march}|{flags}", {}).setdefault(emit, {})[program] = entry
    cases, usage = {}, []
    for group, by_emit in groups.items():
        if all(e.get("usage") for progs in by_emit.values() for e in progs.values()):
            usage.append(group)
            continue
        out = cases[group] = {}
        for emit, progs in by_emit.items():
            for program, e in progs.items():
                if "sha256" in e:
                    stdout = e["stdout_sha256"][:HASH_DIGITS] if "stdout_sha256" in e else text(e.get("stdout"))
                    value = ["mpy", e["sha256"][:HASH_DIGITS], stdout]
                elif e.get("aborted"):
                    value = ["aborted", e["exit"]]
                elif e.get("usage"):
                    value = ["usage"]
                else:
                    value = ["error", e["exit"], text(e["stderr"]), text(e.get("stdout"))]
                out.setdefault(emit, {})[program] = value
    return cases, sorted(usage)


def expand(release: dict, texts: list[str]) -> dict:
    """A release's cases as the recorder made them (key -> entry; hashes shortened)."""
    out = {}
    for group in release["usage"]:
        march, flags = group.split("|")
        for key, _, _ in cases():
            if key.startswith(f"{march}|{flags}|"):
                out[key] = {"exit": 1, "usage": True}
    for group, by_emit in release["cases"].items():
        for emit, progs in by_emit.items():
            for program, value in progs.items():
                key = f"{group}|{emit}|{program}"
                if value[0] == "mpy":
                    entry = {"sha256": value[1]}
                    if isinstance(value[2], str):
                        entry["stdout_sha256"] = value[2]
                    elif value[2] is not None:
                        entry["stdout"] = texts[value[2]]
                elif value[0] == "aborted":
                    entry = {"exit": value[1], "aborted": True}
                elif value[0] == "usage":
                    entry = {"exit": 1, "usage": True}
                else:
                    entry = {"exit": value[1], "stderr": texts[value[2]]}
                    if value[3] is not None:
                        entry["stdout"] = texts[value[3]]
                out[key] = entry
    return out


def find_binary(builds: Path, full: str) -> Path | None:
    for sub in ("mpy-cross/build/mpy-cross", "mpy-cross/mpy-cross"):
        if (builds / full / sub).is_file():
            return builds / full / sub
    return None


def main(argv: list[str]) -> int:
    from mpycross.targets import all_targets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=Path, required=True, help="one folder per release, each with its mpy-cross")
    parser.add_argument("releases", nargs="*")
    args = parser.parse_args(argv)
    fulls = [t.full_release for t in all_targets() if t.family == "circuitpython"]
    wanted = args.releases or fulls
    old = json.loads(OUT.read_text()) if OUT.exists() else {"releases": {}, "texts": []}
    # every release's cases in the recorder's form, then compacted again with one text list
    everything = {full: {"mpy_cross_version": r["mpy_cross_version"],
                         "cases": expand(old["releases"][r.get("same_as", full)], old["texts"])}
                  for full, r in old["releases"].items()}
    for full in wanted:
        binary = find_binary(args.builds, full)
        if binary is None:
            print(f"{full}: no binary under {args.builds / full}", file=sys.stderr)
            continue
        version = subprocess.run([str(binary), "--version"], capture_output=True).stdout.decode().strip()
        recorded = {}
        with tempfile.TemporaryDirectory() as tmp:
            for key, options, program in cases():
                recorded[key] = run_case(binary, options, program, Path(tmp))
        everything[full] = {"mpy_cross_version": version.split(" on ")[0], "cases": recorded}
        print(f"{full}: {len(recorded)} cases", file=sys.stderr)
    texts: list[str] = []
    releases = {}
    for full in fulls:
        if full in everything:
            compacted, usage = compact(everything[full]["cases"], texts)
            entry = {"mpy_cross_version": everything[full]["mpy_cross_version"], "usage": usage,
                     "cases": compacted}
            for prev, prev_entry in releases.items():
                if (prev_entry.get("usage"), prev_entry.get("cases")) == (usage, compacted):
                    entry = {"mpy_cross_version": entry["mpy_cross_version"], "same_as": prev}
                    break
            releases[full] = entry
    OUT.write_text(json.dumps({"releases": releases, "texts": texts}, separators=(",", ":"), sort_keys=True)
                   .replace('},"', '},\n"') + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
