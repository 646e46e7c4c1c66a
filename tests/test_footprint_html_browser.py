"""The HTML report of a 40-module program, laid out by a real browser (headless Debian chromium).

At 1400 and 800 pixels wide the page must not scroll sideways, the table must fit
its box (a narrow window hides the parts columns; the treemap shows them), every
treemap label must fit its tile, and the verdict and the table's total row must
be there. A script added to a copy of the page measures the layout and writes
the figures into the DOM, which `chromium --dump-dom` prints; a screenshot of each
width is taken too (kept in $MPYCROSS_SCREENSHOT_DIR when set, for a person to look at).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mpycross.cli.commands import cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
WIDTHS = (1400, 800)
MODULES = 40

MEASURE = """<script>
(function () {
  var doc = document.documentElement, out = {};
  out.scroll_width = doc.scrollWidth;
  out.viewport = window.innerWidth;
  var box = document.querySelector(".scroll"), table = box.querySelector("table");
  out.table_width = table.scrollWidth;
  out.box_width = box.clientWidth;
  out.total_row = (table.querySelector("tr.total") || {}).textContent || "";
  out.verdict = (document.querySelector(".verdict h2") || {}).textContent || "";
  // each label against the tile it names: the last tile rect (not a part cell) before it
  out.labels = 0; out.overflowing = [];
  var tile = null, svg = document.querySelector("svg");
  Array.prototype.forEach.call(svg.children, function (el) {
    if (el.tagName === "rect" && !el.classList.contains("cell")) tile = el;
    if (el.tagName === "text") {
      out.labels++;
      var room = parseFloat(tile.getAttribute("width")) - 4;
      var width = el.getComputedTextLength();
      if (width > room) out.overflowing.push([el.textContent, width, room]);
    }
  });
  var pre = document.createElement("pre");
  pre.id = "measure";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
</body>"""


def _device(root: Path) -> Path:
    """A CircuitPython drive whose code.py imports 40 libraries of varied names and sizes."""
    rng = random.Random(14)
    device = root / "CIRCUITPY"
    (device / "lib").mkdir(parents=True)
    names = []
    for i in range(MODULES):
        base = rng.choice(["adafruit_display_text_bitmap_label", "sensor", "adafruit_minimqtt_client",
                           "ticks", "neopixel_helpers", "adafruit_requests_session_pool", "gfx",
                           "wifi_manager_configuration", "led", "a"])
        name = f"{base}_{i}"
        names.append(name)
        lines = [f"class Driver{i}:"]
        for j in range(rng.choice([1, 2, 5, 10, 30, 60])):
            lines.append(f"    def method_{j}(self, a, b=2):\n        return a * {j} + b")
        lines.append(f"TABLE = {list(range(rng.choice([0, 5, 40])))!r}")
        (device / "lib" / f"{name}.py").write_text("\n".join(lines) + "\n")
    (device / "code.py").write_text("import time\n" + "".join(f"import {n}\n" for n in names))
    (device / "boot_out.txt").write_text("Adafruit CircuitPython 9.2.1 on 2024-11-20; "
                                         "Adafruit Feather M4 Express with samd51j19\n")
    return device


def _chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--user-data-dir=" + os.environ.get("TMPDIR", "/tmp") + "/mpyfp-chromium", *args],
                          capture_output=True, text=True, timeout=120)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fphtml")
    device = _device(root)
    page = root / "report.html"
    result = CliRunner().invoke(cli, ["footprint", "--device", str(device), "--html", str(page)])
    assert result.exit_code == 0, result.output
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_report_lays_out_without_overflow(report, width, tmp_path):
    measured_page = tmp_path / "measure.html"
    measured_page.write_text(report.read_text(encoding="utf-8").replace("</body>", MEASURE), encoding="utf-8")
    done = _chromium(f"--window-size={width},1200", "--dump-dom", measured_page.as_uri())
    found = re.search(r'<pre id="measure">(.*?)</pre>', done.stdout, re.S)
    assert found, f"chromium printed no measurement: {done.stderr[-500:]}"
    m = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    print(f"{width} px: {m}")
    assert m["viewport"] == width
    assert m["scroll_width"] <= m["viewport"], "the page scrolls sideways"
    assert m["table_width"] <= m["box_width"], "the table is wider than its box"
    assert m["verdict"].startswith("Fits: the program needs")
    assert m["total_row"].startswith(f"total ({MODULES + 1} modules)")
    # the larger tiles are named, and no name runs out of its tile
    assert m["labels"] >= 20 and not m["overflowing"], m["overflowing"]

    shots = Path(os.environ.get("MPYCROSS_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / f"footprint-report-{width}.png"
    _chromium(f"--window-size={width},2000", f"--screenshot={shot}", report.as_uri())
    assert _png_size(shot) == (width, 2000) and shot.stat().st_size > 50_000
