"""Outputs of `mpycross footprint`: a table, JSON, and a self-contained HTML treemap."""

from __future__ import annotations

import html
import json

from mpycross.footprint.boards import Board
from mpycross.footprint.estimate import CATEGORIES, Footprint


def human(n: float) -> str:
    n = int(round(n))
    if abs(n) < 1024:
        return f"{n} B"
    if abs(n) < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / (1024 * 1024):.2f} MiB"


def board_json(board: Board) -> dict:
    return {"name": board.name, "description": board.description, "word_bytes": board.word_bytes,
            "gc_block": board.gc_block, "heap": board.heap, "fs_block": board.fs_block,
            "native_code": board.native_code, "native_arch": board.native_arch, "sources": board.sources}


def module_json(fp: Footprint) -> dict:
    return {
        "name": fp.name, "path": fp.path, "kind": fp.kind, "file_size": fp.file_size,
        "flash": fp.flash, "ram": fp.ram, "peak": fp.peak, "load_peak": fp.load_peak,
        "parts": dict(fp.ram_parts),
        "constants": dict(sorted(fp.constants.items())),
        "qstrs": {"total": fp.qstrs_total, "known": fp.qstrs_known, "new": len(fp.new_qstrs)},
        "new_qstrs": list(fp.new_qstrs),
        "source_load_peak": fp.source_load_peak,
        "native_code": fp.native_code, "native_outside_heap": fp.native_outside_heap,
        "functions": [{"name": f.name, "bytecode": f.bytecode, "raw_code": f.raw_code, "native": f.native,
                       "object": f.object, "total": f.total} for f in fp.functions],
        "unmodeled": list(fp.unmodeled),
    }


def to_json(board: Board, modules: list[Footprint], totals: dict, budget: dict) -> str:
    doc = {"board": board_json(board), "categories": CATEGORIES,
           "modules": [module_json(m) for m in modules], "total": totals, "budget": budget}
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"


def print_table(console, board: Board, modules: list[Footprint], totals: dict, budget: dict,
                verbose: bool) -> None:
    """A table sorted by RAM, largest first (rich); sizes in bytes."""
    from rich.markup import escape   # names from a file are text, not markup
    from rich.table import Table

    table = Table(title=f"footprint on {board.name} ({board.word_bytes * 8}-bit, GC block "
                        f"{board.gc_block} B, heap {human(board.heap)}); bytes", title_justify="left")
    rows: list[tuple[list[str], str | None]] = []
    for fp in sorted(modules, key=lambda m: (-m.ram, m.name)):
        parts = fp.ram_parts
        objects = parts["functions"] + parts["classes"] + parts["constants"] + parts["data"] + parts["module"]
        rows.append(([escape(fp.name) + (" (.py)" if fp.kind == "py" else ""), str(fp.flash), str(fp.ram),
                      str(fp.peak), str(parts["bytecode"] + parts["raw_code"] + parts["native"]), str(objects),
                      f"{len(fp.new_qstrs)}/{fp.qstrs_total}",
                      str(fp.source_load_peak) if fp.source_load_peak else "-"], None))
        if verbose:
            for f in sorted(fp.functions, key=lambda f: (-f.total, f.name)):
                rows.append(([f"  {escape(f.name)}()", "", str(f.total), "", str(f.bytecode + f.raw_code + f.native),
                              str(f.object), "", ""], "dim"))
    if len(modules) > 1:
        rows.append((["total", str(totals["flash"]), str(totals["ram"]), str(totals["peak"]),
                      "", "", str(totals["new_qstrs"]), ""], "bold"))
    heads = ("module", "flash", "RAM", "peak", "code", "objects", "qstrs", ".py load")
    for i, head in enumerate(heads):
        if i == 0:
            # names fold onto more lines; numbers are never cut
            table.add_column(head, overflow="fold", min_width=12)
        else:
            width = max([len(head)] + [len(cells[i]) for cells, _ in rows])
            table.add_column(head, justify="right", no_wrap=True, min_width=width)
    for cells, style in rows:
        table.add_row(*cells, style=style)
    console.print(table)
    used = totals["peak"] / board.heap * 100 if board.heap else 0
    console.print(f"program peak {human(totals['peak'])} of the {human(board.heap)} heap ({used:.0f}%); "
                  "RAM = kept after import, peak = while importing the .mpy, .py load = while "
                  "compiling the source on the board, code = bytecode + raw code + machine code in the heap, "
                  "qstrs = new/used")
    outside = sum(m.native_outside_heap for m in modules)
    if outside:
        console.print(f"native machine code outside the heap ({board.native_code} memory): {human(outside)}")
    for line in advice(totals):
        console.print(line)
    if verbose:
        for fp in modules:
            for note in fp.unmodeled:
                console.print(f"[yellow]{escape(fp.name)}: not costed: {escape(note)}[/yellow]")
    for line in budget.get("messages", []):
        console.print(f"[red]{line}[/red]")


def advice(totals: dict) -> list[str]:
    """What compiling each `.py` library to `.mpy` would do to the program's peak."""
    lines = []
    for saving in totals.get("as_mpy", [])[:5]:
        lines.append(f"{saving['module']} as a .mpy: the peak drops to {human(saving['peak_as_mpy'])} "
                     f"(saves {human(saving['saves'])}; mpy-cross {saving['module'].replace('.', '/')}.py)")
    every = totals.get("all_as_mpy")
    if every:
        lines.append(f"all {every['modules']} .py libraries as .mpy: the peak drops to "
                     f"{human(every['peak_as_mpy'])} (saves {human(every['saves'])}; "
                     "mpycross compile lib/, or install the .mpy bundle)")
    return lines


# -- HTML treemap ------------------------------------------------------------------

def _squarify(items: list[tuple[str, float, object]], x: float, y: float, w: float, h: float):
    """Squarified treemap layout: yields (label, value, payload, x, y, w, h)."""
    items = [i for i in items if i[1] > 0]
    total = sum(i[1] for i in items)
    if not items or total <= 0 or w <= 0 or h <= 0:
        return
    scale = w * h / total
    rest = [(label, value * scale, value, payload) for label, value, payload in
            sorted(items, key=lambda i: -i[1])]
    while rest:
        short = min(w, h)
        row = [rest.pop(0)]

        def worst(r):
            s = sum(a for _, a, _, _ in r)
            return max(max(short * short * a / (s * s), (s * s) / (short * short * a)) for _, a, _, _ in r)

        while rest and worst(row + [rest[0]]) <= worst(row):
            row.append(rest.pop(0))
        s = sum(a for _, a, _, _ in row)
        thick = s / short
        pos = 0.0
        for label, area, value, payload in row:
            length = area / thick
            if w >= h:
                yield label, value, payload, x, y + pos, thick, length
            else:
                yield label, value, payload, x + pos, y, length, thick
            pos += length
        if w >= h:
            x, w = x + thick, w - thick
        else:
            y, h = y + thick, h - thick


# Okabe-Ito's colour-blind-safe palette (and a grey), one colour a part
_COLOURS = {"bytecode": "#0072b2", "raw_code": "#56b4e9", "native": "#999933", "functions": "#e69f00", "classes": "#f0e442",
            "qstrs": "#009e73", "constants": "#cc79a7", "module": "#d55e00", "data": "#8c8c8c"}
_LABEL_PX = 6.6      # width of one character of the 11px label font, roughly


def _fits_label(text: str, w: float, h: float) -> bool:
    return w - 6 >= len(text) * _LABEL_PX and h >= 15


def _tile_label(label: str, text: str, w: float, h: float) -> str | None:
    """What a tile can show: name and size, the name, the name cut short with an
    ellipsis (at least 4 characters of it), or nothing (the tooltip still names it)."""
    for candidate in (text, label):
        if _fits_label(candidate, w, h):
            return candidate
    room = int((w - 6) / _LABEL_PX) - 1
    if h >= 15 and room >= 4:
        return label[:room] + "\u2026"
    return None


def _verdict_html(board: Board, modules: list[Footprint], totals: dict, budget: dict) -> str:
    """The answer first: does it fit, how full the heap is, what to cut."""
    verdict = totals.get("verdict") or {"fits": totals["peak"] <= board.heap, "heap": board.heap,
                                        "percent": round(100 * totals["peak"] / board.heap, 1)}
    percent = verdict["percent"] or 0
    if verdict["fits"]:
        head = f"Fits: the program needs {human(totals['peak'])} of the {human(board.heap)} heap"
        cls = "fits" if percent <= 85 else "tight"
        if cls == "tight":
            head += " (little room left: fragmentation can still cause MemoryError)"
    else:
        cls = "over"
        head = (f"Does not fit: the program needs {human(totals['peak'])}, the heap is "
                f"{human(board.heap)}: expect MemoryError")
    bar = min(100.0, percent)
    cuts = []
    over = totals["peak"] - board.heap
    for m in sorted(modules, key=lambda m: -m.ram)[:5]:
        cuts.append(f"<li><b>{html.escape(m.name)}</b>: {human(m.ram)} kept"
                    f" ({100 * m.ram / max(1, totals['ram']):.0f}% of the program's RAM)</li>")
    for line in advice(totals):
        cuts.append(f"<li>{html.escape(line)}</li>")
    intro = (f"To fit, cut at least {human(over)}. The largest parts:" if over > 0
             else "Where the RAM goes (largest first):")
    extra = ""
    if budget.get("not_found"):
        extra += (f"<p class=\"warn\">Missing (not on the device, not built in; the import fails): "
                  f"{html.escape(', '.join(budget['not_found']))}</p>")
    if budget.get("builtin"):
        extra += (f"<p>Built into the firmware (not costed): {html.escape(', '.join(budget['builtin']))}</p>")
    unmodeled = sum(len(m.unmodeled) for m in modules)
    if unmodeled:
        extra += (f"<p>{unmodeled} effect(s) at import time are not costed (calls to code the model "
                  f"cannot see; <code>-v</code> lists them): the real figure may be higher.</p>")
    return (f'<section class="verdict {cls}"><h2>{html.escape(head)}</h2>'
            f'<div class="meter" role="img" aria-label="{percent:.0f}% of the heap">'
            f'<div style="width:{bar:.1f}%"></div></div>'
            f'<p><b>{percent:.0f}%</b> of the heap at the import peak; {human(totals["ram"])} stays allocated '
            f'after the imports; flash {human(totals["flash"])}.</p>'
            f'<p>{intro}</p><ul>{"".join(cuts)}</ul>{extra}</section>')


def _table_html(modules: list[Footprint], totals: dict) -> str:
    """One row per module and a total row; sizes in bytes. The parts of RAM (the
    treemap's colours) are columns of class "part", which a narrow window hides."""
    heads = [("module", ""), ("input", ""), ("flash, B", ""), ("RAM, B", ""), ("peak, B", "")]
    heads += [(p.replace("_", " ") + ", B", "part") for p in CATEGORIES] + [("new qstrs", "")]
    classes = [c for _, c in heads]

    def row(cells, css=""):
        tds = "".join(f'<td class="{c}">{v}</td>' if c else f"<td>{v}</td>" for v, c in zip(cells, classes))
        return f'<tr class="{css}">{tds}</tr>' if css else f"<tr>{tds}</tr>"

    rows = []
    for m in sorted(modules, key=lambda m: (-m.ram, m.name)):
        rows.append(row([html.escape(m.name), m.kind, m.flash, m.ram, m.peak]
                        + [m.ram_parts[p] for p in CATEGORIES] + [len(m.new_qstrs)]))
    rows.append(row([f"total ({len(modules)} modules)", "", totals["flash"], totals["ram"], totals["peak"]]
                    + [sum(m.ram_parts[p] for m in modules) for p in CATEGORIES] + [totals["new_qstrs"]],
                    "total"))
    head = "".join(f'<th class="{c}">{html.escape(h)}</th>' if c else f"<th>{html.escape(h)}</th>"
                   for h, c in heads)
    return ('<div class="scroll"><table><caption>Per module, in bytes (peak: while importing; '
            'the total peak is the program\'s; a narrow window hides the parts of RAM)</caption>'
            '<thead><tr>' + head + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def to_html(board: Board, modules: list[Footprint], totals: dict, budget: dict | None = None) -> str:
    """A self-contained page: the verdict first, then a treemap of where the RAM goes, then
    the table. The SVG scales to the window; a label shows only where it fits (every
    tile names itself on hover)."""
    budget = budget or {}
    width, height = 1000, 560
    rects = []
    top = [(m.name, m.ram, m) for m in modules]
    for label, value, fp, x, y, w, h in _squarify(top, 0, 0, width, height):
        tip = html.escape(f"{fp.name}: {value} bytes")
        rects.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                     f'fill="#fff" stroke="#222" stroke-width="2"><title>{tip}</title></rect>')
        shown = _tile_label(label, f"{label} {human(value)}", w, h)
        band = 16 if shown else 2
        parts = [(part, n, part) for part, n in fp.ram_parts.items()]
        for part, n, _, px, py, pw, ph in _squarify(parts, x + 2, y + band, w - 4, h - band - 2):
            cell_tip = html.escape(f"{fp.name}: {CATEGORIES[part]}: {n} bytes")
            rects.append(f'<rect class="cell" x="{px:.1f}" y="{py:.1f}" width="{pw:.1f}" '
                         f'height="{ph:.1f}" fill="{_COLOURS[part]}" stroke="#fff" '
                         f'data-tip="{cell_tip}"><title>{cell_tip}</title></rect>')
        if shown:
            rects.append(f'<text x="{x + 4:.1f}" y="{y + 12:.1f}" font-size="11">{html.escape(shown)}</text>')
    legend = "".join(f'<span><i style="background:{c}"></i>{html.escape(CATEGORIES[p])}</span>'
                     for p, c in _COLOURS.items())
    title = html.escape(f"Will it fit on {board.name}?")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 1em; color: #222; max-width: 1200px; }}
h1 {{ font-size: 1.4em; }}
.verdict {{ border-left: 8px solid; padding: 0.4em 1em; margin-bottom: 1em; }}
.verdict h2 {{ font-size: 1.15em; margin: 0.3em 0; }}
.verdict.fits {{ border-color: #009e73; background: #e8f6f1; }}
.verdict.tight {{ border-color: #e69f00; background: #fdf3e1; }}
.verdict.over {{ border-color: #c0392b; background: #fbe9e7; }}
.meter {{ height: 14px; background: #ddd; max-width: 480px; }}
.meter div {{ height: 100%; background: #333; }}
.warn {{ color: #a02a1e; font-weight: bold; }}
.legend {{ display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; font-size: 13px; margin: 0.5em 0; }}
.legend i {{ display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle;
            border: 1px solid #555; }}
svg {{ width: 100%; height: auto; display: block; }}
.scroll {{ overflow-x: auto; max-width: 100%; }}
table {{ border-collapse: collapse; font-size: 13px; margin-top: 1em; }}
td, th {{ border: 1px solid #ccc; padding: 2px 5px; text-align: right; white-space: nowrap; }}
th {{ white-space: normal; vertical-align: bottom; }}
td:first-child, th:first-child {{ text-align: left; white-space: normal; overflow-wrap: anywhere; }}
caption {{ text-align: left; font-size: 13px; padding-bottom: 0.3em; }}
@media (max-width: 900px) {{ .part {{ display: none; }} }}
tr.total td {{ font-weight: bold; border-top: 2px solid #222; }}
#tip {{ min-height: 1.4em; font-size: 14px; }}
rect.cell:hover {{ opacity: 0.75; }}
</style></head><body>
<h1>{title}</h1>
{_verdict_html(board, modules, totals, budget)}
<p>{html.escape(board.description)}: {board.word_bytes * 8}-bit words, GC block {board.gc_block} bytes,
heap {human(board.heap)}. The treemap shows the RAM each module keeps after its import, by part.</p>
<div class="legend">{legend}</div>
<div id="tip">&nbsp;</div>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">
{"".join(rects)}
</svg>
{_table_html(modules, totals)}
<script>
document.querySelectorAll("rect.cell").forEach(function (r) {{
  r.addEventListener("mouseenter", function () {{
    document.getElementById("tip").textContent = r.getAttribute("data-tip");
  }});
}});
</script>
</body></html>
"""
