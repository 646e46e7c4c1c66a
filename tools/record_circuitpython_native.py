"""Record what CircuitPython's own mpy-cross writes for this project's native-code programs.

CircuitPython's compilers are not on PyPI, so CI cannot run them: this tool runs
locally built ones and writes tests/native/circuitpython_native.json, which
tests/test_circuitpython_native.py compares ours with. For each release, each
`-march` (none, every name any release knows, rv32imc with each `-march-flags=`),
each `-X emit=` (none; native and viper for the programs of tests/native/) and each
program of tests/native/, tests/native/viper_errors/ and tests/native/inline/:

    {"sha256": <the .mpy>, "stdout": <text>}           the compile succeeded
    {"exit": n, "stderr": <text>, "stdout": <text>}     it failed (a SyntaxError...)
    {"exit": 1, "usage": true}                          an option it does not know (its usage text)
    {"exit": n, "aborted": true}                        an internal assertion (SIGABRT)

"stdout" is left out when empty; the `-march=debug` listing is kept as "stdout_sha256".
Only the outputs of their compiler on our own programs are recorded.

Building the compilers (outside this repository; nothing of it is committed):

    M=<a fetched adafruit/circuitpython git dir>; T=8.2.10; D=/work/cpbuild/$T
    mkdir -p $D && git -C $M archive $T py mpy-cross shared extmod supervisor tools \\
        locale lib/libm lib/libm_dbl lib/uzlib lib/re1.5 main.c Makefile | tar -x -C $D
    (cd $D && git init -q && git add -A && git commit -qm $T && git tag $T)  # py/makeversionhdr.py
    python -m venv venv && venv/bin/pip install huffman       # 8.x - 10.x: translations
    make -j1 -C $D/mpy-cross PYTHON=$PWD/venv/bin/python       # -> $D/mpy-cross/[build/]mpy-cross

Usage: python tools/record_circuitpython_native.py [--builds /work/cpbuild] [RELEASE ...]
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
    """Program group -> files: "native" (also compiled with -X emit=), "viper_errors", "inline"."""
    return {"native": sorted(NATIVE.glob("*.py")),
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
                if emit and group != "native":
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


def find_binary(builds: Path, full: str) -> Path | None:
    for sub in ("mpy-cross/build/mpy-cross", "mpy-cross/mpy-cross"):
        if (builds / full / sub).is_file():
            return builds / full / sub
    return None


def main(argv: list[str]) -> int:
    from mpycross.targets import all_targets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=Path, default=Path("/work/cpbuild"))
    parser.add_argument("releases", nargs="*")
    args = parser.parse_args(argv)
    fulls = [t.full_release for t in all_targets() if t.family == "circuitpython"]
    wanted = args.releases or fulls
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    data.setdefault("releases", {})
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
        data["releases"][full] = {"mpy_cross_version": version.split(" on ")[0], "cases": recorded}
        print(f"{full}: {len(recorded)} cases", file=sys.stderr)
    data["releases"] = {k: data["releases"][k] for k in fulls if k in data["releases"]}
    OUT.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
