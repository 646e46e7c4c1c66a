"""`mpycross footprint`: board data, qstr lists, object sizes, the CLI and its outputs.

Sizes of single constructs are checked against the real unix VM: small
programs are compiled by the official 1.29 mpy-cross, imported in a fresh
VM, and the heap growth compared with the model told the VM's qstr state.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mpycross.cli.commands import cli
from mpycross.footprint import all_boards, get_board, get_target, parse_size
from mpycross.footprint import heap
from mpycross.footprint.estimate import estimate_mpy
from mpycross.mpy import read_mpy
from mpycross.resources import data_dir, load_toml
from tests.footprint_harness import pool_state
from tests.oracles import micropython_vm, official

REQUIRED_BOARDS = ("samd21", "samd51", "rp2040", "esp32-s3", "nrf52840", "unix")


# -- board data ----------------------------------------------------------------------

def test_required_boards_are_described_with_sources():
    names = {b.name for b in all_boards()}
    assert set(REQUIRED_BOARDS) <= names
    for board in all_boards():
        # py/mpconfig.h: MICROPY_BYTES_PER_GC_BLOCK = 4 * MP_BYTES_PER_OBJ_WORD
        assert board.gc_block == 4 * board.word_bytes, board.name
        assert board.word_bytes in (4, 8)
        assert board.small_int_bits == board.word_bytes * 8 - 1
        assert board.heap > 8192 and board.fs_block in (512, 4096)
        assert {"heap_source", "fs_source", "config_source"} <= set(board.sources), board.name


def test_board_names_and_aliases():
    assert get_board("PICO").name == "rp2040"
    assert get_target("64bit").name == "unix"
    assert get_target("samd21").word_bytes == 4
    with pytest.raises(Exception, match="unknown board 'nope'"):
        get_board("nope")


@pytest.mark.parametrize("text, value", [("4096", 4096), ("20k", 20480), ("20K", 20480),
                                         ("1.5M", 1572864), ("2KiB", 2048), ("0", 0)])
def test_parse_size(text, value):
    assert parse_size(text) == value


@pytest.mark.parametrize("text", ["", "k", "1.5G", "-3", "12 bytes"])
def test_parse_size_rejects(text):
    with pytest.raises(ValueError):
        parse_size(text)


def test_unix_vm_word_and_heap_match_the_board():
    board = get_board("unix")
    out = subprocess.run([str(micropython_vm()), "-c",
                          "import sys, gc; print(sys.maxsize); print(gc.mem_free() + gc.mem_alloc())"],
                         capture_output=True, text=True).stdout.split()
    assert int(out[0]) == (1 << (board.word_bytes * 8 - 1)) - 1
    # the GC heap takes its blocks and tables out of `heapsize`
    assert board.heap * 0.95 < int(out[1]) <= board.heap


def test_wasm_vm_word_float_and_fixed_heap_match_the_board():
    """The wasm32 board is MicroPython's WebAssembly port: 32-bit, double floats, and a
    heap that, kept from growing, raises MemoryError near `heapsize`."""
    from tests.support.wasm_vm import Job, run_jobs

    board = get_board("wasm32")
    fill = ("import gc, sys\nn = 0\nl = None\ntry:\n    l = []\n    while True:\n"
            "        l.append([0, 0])\nexcept MemoryError:\n    n = len(l)\n    l = None\n")
    done = run_jobs([Job(65536, ["import sys\nprint(sys.maxsize, int(1.0 + 2.0 ** -40 != 1.0))", fill, "print(n)"],
                         fixed_heap=True)])[0]
    assert done.error is None, done.error
    maxsize, double = map(int, done.outputs[0].split())
    assert maxsize == (1 << (board.word_bytes * 8 - 1)) - 1
    assert double == (board.float_bytes == 8)
    # each [0, 0] is a list object and its 4-slot array; the outer list grows by half
    kept = int(done.outputs[2]) * (heap.list_obj(board, 2) + board.word_bytes * 1.5)
    assert 0.8 * 65536 < kept < 65536


# -- object sizes -----------------------------------------------------------------------

def test_map_growth_follows_hash_allocation_sizes():
    assert heap.grown_table_alloc(0) == 0
    assert heap.grown_table_alloc(3, initial=1) == 4
    assert heap.grown_table_alloc(13) == 17
    assert heap.grown_table_alloc(12) == 12


def test_sizes_round_to_gc_blocks():
    small, big = get_board("rp2040"), get_board("unix")
    assert heap.fun_bc(small, 0) == 16 and heap.fun_bc(big, 0) == 32
    assert heap.type_obj(small, 1) == 64 and heap.type_obj(big, 1) == 128
    assert heap.str_obj(big, 40) == 32 + 64
    assert heap.qstr_pool_growth(big, (20, 20), 1) == (heap.qstr_pool_bytes(big, 40), (40, 1))


# -- the known-qstr list, checked against the VM ------------------------------------------

def _probe(names: list[str]) -> set[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import gather_qstrs
    return gather_qstrs.probe(str(micropython_vm()), names)


def test_known_qstrs_are_interned_by_the_vm_and_others_are_not():
    known = load_toml(data_dir("formats") / "qstr" / "known-unix-1.29.toml")["known"]
    rng = random.Random(7)
    sample = rng.sample(known, 60)
    assert _probe(sample) == set(sample)
    unknown = ["footprint_probe_name_%d" % i for i in range(10)] + ["i2c_device", "_BME280_REGISTER_CHIPID"]
    assert not _probe(unknown)


# -- single constructs against the VM ------------------------------------------------------

PROGRAMS = {
    "empty": "",
    "one_def": "def f(a):\n    return a\n",
    "defaults": "def f(a, b=None, *, c=1):\n    return a\n",
    "ten_defs": "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(10)),
    "class": "class A:\n    def f(self):\n        return 1\n    def g(self, x):\n        return x\n",
    "subclass_super": ("class A:\n    def f(self):\n        return 1\n"
                       "class B(A):\n    def f(self):\n        return super().f() + 1\n"),
    "property": ("class A:\n    @property\n    def x(self):\n        return 1\n"
                 "    @x.setter\n    def x(self, v):\n        pass\n"
                 "    @staticmethod\n    def s():\n        return 2\n"),
    "containers": "T = (1, 2, 3)\nL = [1, 2, 3, 4, 5]\nD = {'a': 1, 'b': 2}\nS = {1, 2}\n",
    "strings": "A = 'a long string that is not a qstr at all'\nB = b'bytes!'\nF = 1.5\nBIG = 1 << 80\n",
    "closure": "def outer(x):\n    def inner():\n        return x\n    return inner\n",
    "many_names": "".join(f"name_number_{i} = {i}\n" for i in range(40)),
    "typing_guard": "try:\n    from typing import List\nexcept ImportError:\n    pass\nX = 1\n",
    "sequence_ops": ("P = (0, 1, 2)\nP += (3, 4)\nL = [0] * 50\nB = bytearray(100)\n"
                     "C = bytearray(b'\\x05\\x07?DDD?')\nD = {'A': bytearray([1, 2, 3])}\n"
                     "E = bytes([0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0])\n"),
    "namedtuple": ("from collections import namedtuple\nPoint = namedtuple('Point', 'x y')\n"
                   "Glyph = namedtuple('Glyph', ['bitmap', 'width', 'height', 'dx', 'dy'])\n"
                   "Metrics = namedtuple('Metrics', 'left_side_bearing right_side_bearing ascent')\n"),
    "instances": ("class Reg:\n    def __init__(self, a, b):\n        self.a = a\n        self.b = b\n"
                  "        self.buf = bytearray(4)\n"
                  "class Dev:\n    x = Reg(1, 2)\n    y = Reg(3, 4)\n"),
}


def _vm_import(folder: Path, name: str) -> dict:
    prog = f"""
import sys, gc, micropython
sys.path.insert(0, {str(folder)!r})
name = "".join([chr(c) for c in {list(name.encode())!r}])
def scrub(n):
    x0 = x1 = x2 = x3 = x4 = x5 = x6 = x7 = 0
    return scrub(n - 1) if n else 0
a = b = n = 0
n = len(sys.modules)
micropython.qstr_info(1)
scrub(100)
gc.collect()
a = gc.mem_alloc()
__import__(name)
scrub(100)
gc.collect()
b = gc.mem_alloc()
print("OK", b - a, n)
"""
    out = subprocess.run([str(micropython_vm()), "-c", prog], capture_output=True, text=True).stdout
    lines = out.splitlines()
    info = next(line for line in lines if line.startswith("qstr pool:"))
    fields = dict(p.split("=") for p in info.split(": ", 1)[1].split(", "))
    interned = {line[2:-1] for line in lines if line.startswith("Q(")}
    return {"growth": int(lines[-1].split()[1]), "loaded_modules": int(lines[-1].split()[2]),
            "interned": interned,
            "pool": pool_state(int(fields["n_pool"]), int(fields["n_qstr"]))}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_construct_costs_match_the_vm(tmp_path, name):
    module = f"fp_{name}"
    src = tmp_path / f"{module}.py"
    src.write_text(PROGRAMS[name])
    mpy_path = tmp_path / f"{module}.mpy"
    subprocess.run([str(official("1.29")), "-o", str(mpy_path), str(src)], check=True)
    src.unlink()
    measured = _vm_import(tmp_path, module)
    fp = estimate_mpy(read_mpy(mpy_path.read_bytes()), get_board("unix"), module, str(mpy_path),
                      interned=measured["interned"], qstr_pool=measured["pool"],
                      loaded_modules=measured["loaded_modules"])
    # exact but for the qstr text: the model charges its bytes, the VM packs them in shared
    # chunks and starts a new one (MICROPY_ALLOC_QSTR_CHUNK_INIT, 128 bytes) when one is full
    allowance = 32 + (heap.QSTR_CHUNK_INIT if fp.new_qstrs else 0)
    assert abs(fp.ram - measured["growth"]) <= allowance, (fp.ram, measured["growth"], fp.ram_parts)


# -- the command -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lib(tmp_path_factory) -> Path:
    """A small library folder of official 1.29 .mpy files, and its sources."""
    root = tmp_path_factory.mktemp("fplib")
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "lib" / "pkg").mkdir(parents=True)
    sources = {
        "pkg/__init__.py": "VERSION = '1.0.0'\n",
        "pkg/sensor.py": ("from micropython import const\n_REG = const(0x10)\n"
                          "class Sensor:\n    def __init__(self, bus):\n        self.bus = bus\n"
                          "    @property\n    def value(self):\n        return self.bus.read(_REG)\n"),
        "helper.py": "import pkg.sensor\n\ndef make(bus):\n    return pkg.sensor.Sensor(bus)\n",
    }
    for rel, text in sources.items():
        (root / "src" / rel).write_text(text)
        subprocess.run([str(official("1.29")), "-o", str(root / "lib" / rel.replace(".py", ".mpy")),
                        "-s", Path(rel).name, str(root / "src" / rel)], check=True)
    return root


def run(*args):
    return CliRunner().invoke(cli, ["footprint", *args])


def test_json_report_for_a_folder(lib):
    result = run(str(lib / "lib"), "--board", "rp2040", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    names = {m["name"] for m in doc["modules"]}
    assert names == {"pkg", "pkg.sensor", "helper"}
    sensor = next(m for m in doc["modules"] if m["name"] == "pkg.sensor")
    size = (lib / "lib" / "pkg" / "sensor.mpy").stat().st_size
    assert sensor["file_size"] == size and sensor["flash"] == 4096
    assert sensor["ram"] == sum(sensor["parts"].values())
    assert sum(sensor["constants"].values()) == sensor["parts"]["constants"]
    assert sensor["parts"]["classes"] > 0 and sensor["parts"]["bytecode"] > 0
    assert {f["name"] for f in sensor["functions"]} == {"Sensor.__init__", "Sensor.value"}
    assert doc["board"]["word_bytes"] == 4 and doc["board"]["gc_block"] == 16
    assert doc["total"]["ram"] == sum(m["ram"] for m in doc["modules"])


def test_word_size_changes_the_estimate(lib):
    small = json.loads(run(str(lib / "lib" / "pkg" / "sensor.mpy"), "--board", "samd21", "--json").output)
    big = json.loads(run(str(lib / "lib" / "pkg" / "sensor.mpy"), "--target", "64bit", "--json").output)
    assert big["modules"][0]["ram"] > 1.5 * small["modules"][0]["ram"]
    assert small["modules"][0]["flash"] == 512 and big["modules"][0]["flash"] == 4096


def test_py_input_costs_what_its_mpy_costs_plus_a_compile_peak(lib):
    from_py = json.loads(run(str(lib / "src" / "pkg" / "sensor.py"), "--board", "rp2040", "--json").output)
    from_mpy = json.loads(run(str(lib / "lib" / "pkg" / "sensor.mpy"), "--board", "rp2040", "--json").output)
    py, mpy = from_py["modules"][0], from_mpy["modules"][0]
    assert py["kind"] == "py" and py["parts"] == mpy["parts"]
    assert py["peak"] == mpy["peak"] and py["source_load_peak"] > mpy["peak"]
    assert py["load_peak"] == py["source_load_peak"]


def test_v5_mpy_is_refused_in_one_line(tmp_path, lib):
    v5 = tmp_path / "old.mpy"
    subprocess.run([str(official("v5")), "-o", str(v5), str(lib / "src" / "helper.py")], check=True)
    result = run(str(v5))
    assert result.exit_code == 2 and "models .mpy version 6" in result.output
    assert "Traceback" not in result.output


def test_budgets_exit_1_when_exceeded(lib):
    over = run(str(lib / "lib"), "--board", "rp2040", "--max-ram", "1k")
    assert over.exit_code == 1 and "RAM budget exceeded" in over.output
    fine = run(str(lib / "lib"), "--board", "rp2040", "--max-ram", "1.5M", "--max-flash", "20k")
    assert fine.exit_code == 0, fine.output
    flash = run(str(lib / "lib"), "--board", "rp2040", "--max-flash", "4096")
    assert flash.exit_code == 1 and "flash budget exceeded" in flash.output


def test_verbose_table_lists_functions(lib):
    result = run(str(lib / "lib"), "--board", "unix", "-v")
    assert result.exit_code == 0
    assert "Sensor.__init__()" in result.output and "pkg.sensor" in result.output


def test_html_report_is_self_contained(lib, tmp_path):
    page = tmp_path / "report.html"
    result = run(str(lib / "lib"), "--board", "rp2040", "--html", str(page), "--json")
    assert result.exit_code == 0
    text = page.read_text()
    assert "<svg" in text and text.count('class="cell"') >= 6 and "pkg.sensor" in text
    assert not re.search(r"(src|href)=\"(https?:)?//", text)


def test_bundle_zip_input(lib, tmp_path):
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        for f in (lib / "lib").rglob("*.mpy"):
            z.write(f, "bundle-9.x-mpy/lib/" + f.relative_to(lib / "lib").as_posix())
        z.writestr("bundle-9.x-mpy/examples/demo.py", "print(1)\n")
    doc = json.loads(run(str(bundle), "--board", "rp2040", "--json").output)
    assert {m["name"] for m in doc["modules"]} == {"pkg", "pkg.sensor", "helper"}


def test_device_follows_imports_from_code_py(lib, tmp_path):
    device = tmp_path / "CIRCUITPY"
    (device / "lib").mkdir(parents=True)
    (device / "boot_out.txt").write_text("Adafruit CircuitPython 9.2.0\n")
    for f in (lib / "lib").rglob("*.mpy"):
        target = device / "lib" / f.relative_to(lib / "lib")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.read_bytes())
    (device / "lib" / "unused.mpy").write_bytes((lib / "lib" / "helper.mpy").read_bytes())
    (device / "code.py").write_text("import time\nimport helper\nprint(helper.make(None))\n")
    doc = json.loads(run(str(device / "code.py"), "--device", str(device), "--board", "samd21", "--json").output)
    # in the order the imports finish: a package before its submodule, code.py last
    assert [m["name"] for m in doc["modules"]] == ["pkg", "pkg.sensor", "helper", "__main__"]
    assert doc["budget"]["builtin"] == ["micropython", "time"] and "not_found" not in doc["budget"]
    separate = json.loads(run(str(lib / "lib"), "--board", "samd21", "--json").output)
    # one program interns each name once
    assert doc["total"]["new_qstrs"] < separate["total"]["new_qstrs"] + 10


@pytest.mark.parametrize("args, message", [
    (["missing.mpy"], "no such file or folder"),
    (["--board", "nope", "x.mpy"], "unknown board"),
    (["--max-ram", "lots", "x.mpy"], "not a size"),
    ([], "give .py/.mpy files"),
])
def test_bad_input_is_one_line(args, message, tmp_path):
    (tmp_path / "x.mpy").write_bytes(b"not an mpy")
    result = CliRunner().invoke(cli, ["footprint", *args], catch_exceptions=False)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_corrupt_mpy_is_one_line(tmp_path):
    bad = tmp_path / "bad.mpy"
    bad.write_bytes(b"M\x06\x00\x1f\x05")
    result = CliRunner().invoke(cli, ["footprint", str(bad)], catch_exceptions=False)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1


def test_treemap_tiles_the_area_in_proportion():
    from mpycross.footprint.report import _squarify
    rng = random.Random(3)
    items = [(f"m{i}", rng.randint(1, 5000), None) for i in range(40)]
    rects = list(_squarify(items, 0, 0, 1000, 560))
    total = sum(v for _, v, _ in items)
    assert len(rects) == 40
    for label, value, _, x, y, w, h in rects:
        assert -1e-6 <= x and x + w <= 1000 + 1e-6 and -1e-6 <= y and y + h <= 560 + 1e-6
        assert abs(w * h - value / total * 1000 * 560) < 1e-3
    # no two cells overlap
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            overlap_w = min(a[3] + a[5], b[3] + b[5]) - max(a[3], b[3])
            overlap_h = min(a[4] + a[6], b[4] + b[6]) - max(a[4], b[4])
            assert overlap_w <= 1e-6 or overlap_h <= 1e-6


def test_circuitpython_boards_know_their_common_modules():
    samd21, rp2040 = get_board("samd21"), get_board("rp2040")
    for name in ("board", "busio", "digitalio", "DigitalInOut", "microcontroller", "neopixel_write"):
        assert name in samd21.known_qstrs
    assert "DigitalInOut" not in rp2040.known_qstrs      # a MicroPython board
    assert {"print", "append", "__init__"} <= rp2040.known_qstrs


def test_native_and_viper_functions(tmp_path):
    src = tmp_path / "nat.py"
    src.write_text("import micropython\n@micropython.native\ndef f(a, b=2):\n    return a + b\n"
                   "@micropython.viper\ndef g(x: int) -> int:\n    return x + 1\n")
    mpy = tmp_path / "nat.mpy"
    subprocess.run([str(official("1.29")), "-march=armv6m", "-o", str(mpy), str(src)], check=True)
    doc = json.loads(run(str(mpy), "--board", "rp2040", "--json").output)
    functions = {f["name"]: f for f in doc["modules"][0]["functions"]}
    assert set(functions) == {"f", "g"}
    # rp2 keeps the machine code in the heap, as it keeps bytecode; f keeps one default
    assert functions["g"]["native"] > 0 and functions["g"]["bytecode"] == 0
    assert functions["f"]["object"] == 32


def test_compile_target_picks_a_board_and_compiles(lib, tmp_path):
    doc = json.loads(run(str(lib / "src" / "helper.py"), "--target", "circuitpython-9", "--json").output)
    assert doc["board"]["name"] == "samd51" and doc["modules"][0]["kind"] == "py"
    bad = tmp_path / "bad.py"
    bad.write_text("def f(:\n    pass\n")
    result = CliRunner().invoke(cli, ["footprint", str(bad)], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {bad}, line 1: SyntaxError: invalid syntax"


def test_one_bad_module_does_not_hide_the_others(lib, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.mpy").write_bytes((lib / "lib" / "helper.mpy").read_bytes())
    (folder / "bad.py").write_text("def f(:\n")
    result = CliRunner().invoke(cli, ["footprint", str(folder), "--json"])
    assert result.exit_code == 2
    assert [m["name"] for m in json.loads(result.stdout)["modules"]] == ["good"]
    assert "bad.py, line 1: SyntaxError" in result.stderr


def test_source_read_lists_cover_the_port_modules():
    rp2, esp32 = get_board("rp2040"), get_board("esp32-s3")
    for board in (rp2, esp32):
        assert {"Pin", "I2C", "readfrom_mem", "ticks_ms", "machine"} <= board.known_qstrs
    assert "DigitalInOut" not in rp2.known_qstrs


def test_device_with_source_libraries(tmp_path):
    device = tmp_path / "dev"
    (device / "lib").mkdir(parents=True)
    (device / "lib" / "util.py").write_text("def double(x):\n    return 2 * x\n")
    (device / "main.py").write_text("from util import double\nprint(double(2))\n")
    doc = json.loads(run("--device", str(device), "--board", "rp2040", "--json").output)
    util = next(m for m in doc["modules"] if m["name"] == "util")
    assert util["kind"] == "py" and util["path"].endswith("util.py")
    # a .py on the board is compiled there: the program's peak is at least its compile peak
    assert doc["total"]["peak"] >= util["source_load_peak"] > util["peak"]


# -- what --device finds: the board from boot_out.txt, built-in vs missing imports ------

def _drive(tmp_path, boot: str, code: str, libs: dict[str, str] | None = None) -> Path:
    device = tmp_path / "CIRCUITPY"
    (device / "lib").mkdir(parents=True)
    (device / "boot_out.txt").write_text(boot)
    (device / "code.py").write_text(code)
    for name, source in (libs or {}).items():
        (device / "lib" / name).write_text(source)
    return device


@pytest.mark.parametrize("boot, board, fs_block", [
    ("Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit Feather RP2040 with rp2040\n",
     "circuitpython-rp2040", 512),
    ("Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit Trinket M0 with samd21e18\n", "samd21", 512),
    ("Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit Feather M4 Express with samd51j19\n",
     "samd51", 512),
    ("Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit CLUE nRF52840 Express with nRF52840\n",
     "nrf52840", 512),
])
def test_boot_out_picks_the_circuitpython_board_model(tmp_path, boot, board, fs_block):
    # a 600-byte library: two FAT sectors on CircuitPython, one 4 KiB block on MicroPython rp2
    device = _drive(tmp_path, boot, "import util\n", {"util.py": "X = 1\n" + "#" * 594 + "\n"})
    doc = json.loads(run("--device", str(device), "--json").output)
    assert doc["board"]["name"] == board and doc["board"]["fs_block"] == fs_block
    util = next(m for m in doc["modules"] if m["name"] == "util")
    assert util["flash"] == 1024
    picked = get_board(board)
    assert picked.firmware == "circuitpython" and "DigitalInOut" in picked.known_qstrs
    # --board of the other firmware is overridden by what the drive says, with a note
    result = CliRunner().invoke(cli, ["footprint", "--device", str(device), "--board", "rp2040", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["board"]["name"] == board
    assert f"costing with board {board} instead of rp2040" in result.stderr


def test_micropython_rp2040_keeps_4k_blocks(tmp_path):
    device = _drive(tmp_path, "MicroPython v1.24.1 on 2024-11-29; Raspberry Pi Pico with RP2040\n",
                    "import util\n", {"util.py": "X = 1\n"})
    doc = json.loads(run("--device", str(device), "--board", "rp2040", "--json").output)
    assert doc["board"]["name"] == "rp2040" and doc["modules"][0]["flash"] == 4096


def test_builtin_and_missing_imports_are_listed_apart(tmp_path):
    code = ("import time\nimport board\nimport neopixel\nfrom adafruit_display_text import label\n"
            "import util\n")
    device = _drive(tmp_path, "Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit Feather M4 Express "
                    "with samd51j19\n", code, {"util.py": "import digitalio\nimport adafruit_ticks\n"})
    doc = json.loads(run("--device", str(device), "--json").output)
    # built into CircuitPython: not files, not costed, not a problem
    assert doc["budget"]["builtin"] == ["board", "digitalio", "time"]
    # libraries that are not on the drive: the import fails on the board
    assert doc["budget"]["not_found"] == ["adafruit_display_text", "adafruit_ticks", "neopixel"]
    assert [m["name"] for m in doc["modules"]] == ["util", "__main__"]
    table = run("--device", str(device)).output
    assert "built into the firmware (not costed): board, digitalio, time" in table
    assert re.search(r"missing .*: adafruit_display_text, adafruit_ticks, neopixel", table)
    page = tmp_path / "r.html"
    run("--device", str(device), "--html", str(page))
    text = page.read_text()
    assert "Missing (not on the device, not built in; the import fails): adafruit_display_text" in text
    assert "Built into the firmware (not costed): board, digitalio, time" in text


@pytest.mark.parametrize("board, builtin, missing", [
    # a SAMD21 build leaves out json, re and adafruit_bus_device (ports/atmel-samd/mpconfigport.mk)
    ("--board=samd21", ["board", "time"], ["adafruit_bus_device", "json", "re", "wifi"]),
    ("--board=samd51", ["adafruit_bus_device", "board", "json", "re", "time"], ["wifi"]),
    # frozen Python on the MicroPython ports (ports/*/boards/manifest.py)
    ("--board=rp2040", ["ds18x20", "rp2", "time"], ["esp32", "network"]),
    ("--board=esp32-s3", ["esp32", "network", "time", "umqtt"], ["rp2"]),
])
def test_each_board_lists_its_own_builtins(tmp_path, board, builtin, missing):
    imports = sorted(builtin + missing)
    device = tmp_path / "drive"
    device.mkdir()
    (device / "code.py").write_text("".join(f"try:\n    import {m}\nexcept ImportError:\n    pass\n"
                                            for m in imports).replace("import umqtt", "import umqtt.simple"))
    doc = json.loads(run("--device", str(device), board, "--json").output)
    listed = doc["budget"].get("builtin", [])
    assert [m.split(".")[0] for m in listed] == builtin
    assert doc["budget"].get("not_found", []) == missing


# -- native code -------------------------------------------------------------------------------

NATIVE_PROGRAM = ("import micropython\n"
                  "@micropython.native\ndef add(a, b):\n    return a + b\n"
                  "@micropython.viper\ndef mul(a: int, b: int) -> int:\n    return a * b\n"
                  "@micropython.native\ndef gen(n):\n    for i in range(n):\n        yield i\n"
                  "def plain(x):\n    return x\n")


def _native_mpy(tmp_path: Path, arch: str, module: str = "fp_native") -> Path:
    src = tmp_path / f"{module}.py"
    src.write_text(NATIVE_PROGRAM)
    out = tmp_path / f"{module}.mpy"
    subprocess.run([str(official("1.29")), f"-march={arch}", "-o", str(out), str(src)], check=True)
    src.unlink()
    return out


def test_native_code_on_unix_matches_the_vm(tmp_path):
    """unix maps native code outside the GC heap (mp_unix_alloc_exec): the function objects,
    raw code and tables count, the machine code does not, as gc.mem_alloc() shows."""
    mpy_path = _native_mpy(tmp_path, "x64")
    measured = _vm_import(tmp_path, "fp_native")
    mpy = read_mpy(mpy_path.read_bytes())
    fp = estimate_mpy(mpy, get_board("unix"), "fp_native", str(mpy_path), interned=measured["interned"],
                      qstr_pool=measured["pool"], loaded_modules=measured["loaded_modules"])
    allowance = 32 + (heap.QSTR_CHUNK_INIT if fp.new_qstrs else 0)
    assert abs(fp.ram - measured["growth"]) <= allowance, (fp.ram, measured["growth"], fp.ram_parts)
    assert fp.ram_parts["native"] == 0
    native = [rc for rc in mpy.root.walk() if rc.kind != "bytecode"]
    assert fp.native_code == fp.native_outside_heap == sum(len(rc.fun_data) for rc in native) > 0


def test_native_code_lives_where_each_board_keeps_it(tmp_path):
    """rp2 loads machine code into the GC heap (kept as RAM), the esp32 port copies it out of the
    heap (only the loader's peak holds it), stock CircuitPython refuses it (a noted failure)."""
    armv6m = read_mpy(_native_mpy(tmp_path, "armv6m").read_bytes())
    code = [rc for rc in armv6m.root.walk() if rc.kind != "bytecode"]
    rp2 = estimate_mpy(armv6m, get_board("rp2040"), "fp_native")
    assert rp2.ram_parts["native"] == sum(get_board("rp2040").alloc(len(rc.fun_data)) for rc in code)
    assert not any("import fails" in n for n in rp2.unmodeled)
    samd = estimate_mpy(armv6m, get_board("samd21"), "fp_native")
    assert samd.ram_parts["native"] == 0 and any("import fails" in n for n in samd.unmodeled)
    wrong = estimate_mpy(armv6m, get_board("esp32-s3"), "fp_native")
    assert any("runs xtensawin code" in n for n in wrong.unmodeled)

    win = read_mpy(_native_mpy(tmp_path, "xtensawin", "fp_native_win").read_bytes())
    esp = estimate_mpy(win, get_board("esp32-s3"), "fp_native")
    staged = sum(get_board("esp32-s3").alloc(len(rc.fun_data)) for rc in win.root.walk() if rc.kind != "bytecode")
    assert esp.ram_parts["native"] == 0 and esp.native_outside_heap > 0
    assert esp.peak - esp.ram >= staged


def test_footprint_json_reports_native_code(tmp_path):
    path = _native_mpy(tmp_path, "armv6m")
    result = run(str(path), "--board", "rp2040", "--json", "-v")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["board"]["native_code"] == "heap" and doc["board"]["native_arch"] == "armv6m"
    module = doc["modules"][0]
    assert module["parts"]["native"] > 0 and module["native_code"] > 0
    assert any(f["native"] > 0 for f in module["functions"])
