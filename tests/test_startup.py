"""Start-up: `mpy-cross hello.py` imports only what a plain bytecode compile needs.

Each module below costs one or more milliseconds of every start and is only
needed by float literals, native code, inline assembler or reading `.mpy`
files; a fresh interpreter compiles a program without them, and the same
program with a float and a viper function pulls them in (so the check is
not vacuous). The output must be the same bytes either way.
"""

from __future__ import annotations

import json
import subprocess
import sys

# (dataclasses brings inspect, ast, dis and tokenize: mpycross.records makes the classes instead)
DEFERRED = ["fractions", "decimal", "platform", "dataclasses", "inspect", "pathlib", "importlib.util", "tomllib",
            "mpycross.compiler.emitnative",
            "mpycross.compiler.emitinline", "mpycross.mpy.reader", "mpycross.mpy.prelude"]

# runs the command-line tool in a fresh interpreter, then reports which DEFERRED modules it loaded
PROBE = """
import json, sys
from mpycross.cli.mpy_cross import main
try:
    main([*sys.argv[3:], sys.argv[1], "-o", sys.argv[2]])
except SystemExit as exit:
    assert not exit.code, exit.code
print(json.dumps([name for name in %r if name in sys.modules]))
""" % (DEFERRED,)


def _loaded(tmp_path, source: bytes, *flags: str) -> tuple[list, bytes]:
    src = tmp_path / "prog.py"
    src.write_bytes(source)
    out = tmp_path / "prog.mpy"
    for _ in range(2):  # the first run may fill the caches (parser tables, TOML): the second is a user's start
        run = subprocess.run([sys.executable, "-c", PROBE, str(src), str(out), *flags],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1]), out.read_bytes()


def test_bytecode_compile_skips_deferred_modules(tmp_path):
    loaded, data = _loaded(tmp_path, b'def greet(n):\n    return "hi " + n\nprint(greet("there"))\n')
    assert loaded == []
    assert data.startswith(b"M\x06")


def test_floats_and_viper_still_load_them(tmp_path):
    loaded, data = _loaded(tmp_path, b"x = 1.5\n@micropython.viper\ndef f(a: int) -> int:\n    return a\n",
                           "-march=x64")
    assert {"fractions", "mpycross.compiler.emitnative"} <= set(loaded)
    assert data.startswith(b"M\x06")


def test_an_older_format_loads_its_writer_parts(tmp_path):
    loaded, data = _loaded(tmp_path, b"def f(a):\n    return a\n", "--target", "micropython-1.18")
    assert "mpycross.mpy.prelude" in loaded
    assert data.startswith(b"M\x05")


def test_command_flushes_output_and_keeps_the_status(tmp_path):
    """The console script ends with os._exit: what it printed still arrives, and its status."""
    src = tmp_path / "prog.py"
    src.write_bytes(b"print(1)\n")
    whole = subprocess.run([sys.executable, "-m", "mpycross.cli.mpy_cross", "-o", "-", str(src)],
                           capture_output=True, timeout=60)
    assert whole.returncode == 0
    assert whole.stdout.startswith(b"M\x06") and len(whole.stdout) > 20
    bad = tmp_path / "bad.py"
    bad.write_bytes(b"x = (\n")
    failed = subprocess.run([sys.executable, "-m", "mpycross.cli.mpy_cross", str(bad)],
                            capture_output=True, timeout=60)
    assert failed.returncode == 1
    assert failed.stderr.endswith(b"SyntaxError: invalid syntax\n")
