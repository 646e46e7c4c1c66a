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
            "sources": board.sources}


def module_json(fp: Footprint) -> dict:
    return {
        "name": fp.name, "path": fp.path, "kind": fp.kind, "file_size": fp.file_size,
        "flash": fp.flash, "ram": fp.ram, "peak": fp.peak, "load_peak": fp.load_peak,
        "parts": dict(fp.ram_parts),
        "constants": dict(sorted(fp.constants.items())),
        "qstrs": {"total": fp.qstrs_total, "known": fp.qstrs_known, "new": len(fp.new_qstrs)},
        "new_qstrs": list(fp.new_qstrs),
        "source_load_peak": fp.source_load_peak,
        "functions": [{"name": f.name, "bytecode": f.bytecode, "raw_code": f.raw_code,
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
                      str(fp.peak), str(parts["bytecode"] + parts["raw_code"]), str(objects),
                      f"{len(fp.new_qstrs)}/{fp.qstrs_total}",
                      str(fp.source_load_peak) if fp.source_load_peak else "-"], None))
        if verbose:
            for f in sorted(fp.functions, key=lambda f: (-f.total, f.name)):
                rows.append(([f"  {escape(f.name)}()", "", str(f.total), "", str(f.bytecode + f.raw_code),
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
                  "compiling the source on the board, code = bytecode + raw code, qstrs = new/used")
    sources = [fp for fp in modules if fp.source_load_peak]
    if sources:
        worst = max(sources, key=lambda fp: fp.source_load_peak - fp.peak)
        as_mpy = totals["ram"] + max(fp.peak - fp.ram for fp in modules)
        console.print(f"as .mpy files the peak drops to {human(as_mpy)}"
                      f"; the largest saving is {worst.name}: {human(worst.source_load_peak)} as .py, "
                      f"{human(worst.peak)} as .mpy")
    if verbose:
        for fp in modules:
            for note in fp.unmodeled:
                console.print(f"[yellow]{escape(fp.name)}: not costed: {escape(note)}[/yellow]")
    for line in budget.get("messages", []):
        console.print(f"[red]{line}[/red]")


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


_COLOURS = {"bytecode": "#4e79a7", "raw_code": "#a0cbe8", "functions": "#f28e2b", "classes": "#ffbe7d",
            "qstrs": "#59a14f", "constants": "#8cd17d", "module": "#b6992d", "data": "#e15759"}


def to_html(board: Board, modules: list[Footprint], totals: dict) -> str:
    """A self-contained page: a treemap of where the RAM goes, then the table."""
    width, height = 1000, 560
    rects = []
    top = [(m.name, m.ram, m) for m in modules]
    for label, value, fp, x, y, w, h in _squarify(top, 0, 0, width, height):
        rects.append(f'<g><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                     f'fill="none" stroke="#222" stroke-width="2"/></g>')
        parts = [(part, n, part) for part, n in fp.ram_parts.items()]
        for part, n, _, px, py, pw, ph in _squarify(parts, x + 2, y + 16, w - 4, h - 18):
            tip = html.escape(f"{fp.name}: {CATEGORIES[part]}: {n} bytes")
            rects.append(f'<rect class="cell" x="{px:.1f}" y="{py:.1f}" width="{pw:.1f}" '
                         f'height="{ph:.1f}" fill="{_COLOURS[part]}" stroke="#fff" '
                         f'data-tip="{tip}"><title>{tip}</title></rect>')
        if w > 60:
            rects.append(f'<text x="{x + 4:.1f}" y="{y + 12:.1f}" font-size="11">'
                         f'{html.escape(label)} {human(value)}</text>')
    legend = "".join(f'<span><i style="background:{c}"></i>{html.escape(CATEGORIES[p])}</span>'
                     for p, c in _COLOURS.items())
    rows = "".join(
        f"<tr><td>{html.escape(m.name)}</td><td>{m.kind}</td><td>{m.flash}</td><td>{m.ram}</td>"
        f"<td>{m.peak}</td>" + "".join(f"<td>{m.ram_parts[p]}</td>" for p in CATEGORIES)
        + f"<td>{len(m.new_qstrs)}</td></tr>"
        for m in sorted(modules, key=lambda m: (-m.ram, m.name)))
    head = "".join(f"<th>{html.escape(p)}</th>" for p in CATEGORIES)
    title = html.escape(f"RAM footprint on {board.name}")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #222; }}
.legend span {{ margin-right: 1.2em; font-size: 13px; }}
.legend i {{ display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }}
table {{ border-collapse: collapse; font-size: 13px; margin-top: 1em; }}
td, th {{ border: 1px solid #ccc; padding: 2px 6px; text-align: right; }}
td:first-child {{ text-align: left; }}
#tip {{ min-height: 1.4em; font-size: 14px; }}
rect.cell:hover {{ opacity: 0.75; }}
</style></head><body>
<h1>{title}</h1>
<p>{html.escape(board.description)}: {board.word_bytes * 8}-bit words, GC block {board.gc_block} bytes,
heap {human(board.heap)}. RAM kept after import {human(totals['ram'])}; peak while importing
{human(totals['peak'])}; flash {human(totals['flash'])}.</p>
<div class="legend">{legend}</div>
<div id="tip">&nbsp;</div>
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">
{"".join(rects)}
</svg>
<table><tr><th>module</th><th>input</th><th>flash</th><th>RAM</th><th>peak</th>{head}<th>new qstrs</th></tr>
{rows}</table>
<script>
document.querySelectorAll("rect.cell").forEach(function (r) {{
  r.addEventListener("mouseenter", function () {{
    document.getElementById("tip").textContent = r.getAttribute("data-tip");
  }});
}});
</script>
</body></html>
"""
