"""Progress and the closing summary: a rich bar on a terminal, plain lines in CI.

A bar only makes sense on an interactive terminal; in CI (CI=true) or when
output goes to a file or pipe, a line is printed at each tenth of the work
instead, so logs stay short and readable.
"""

from __future__ import annotations

import os
import sys


def interactive(stream=None) -> bool:
    stream = stream if stream is not None else sys.stderr
    ci = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")
    return not ci and hasattr(stream, "isatty") and stream.isatty()


class Progress:
    """Counts finished files; draws a bar or prints a line per tenth."""

    def __init__(self, quiet: bool = False, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.fancy = interactive(self.stream) and not quiet
        self._bar = None
        self.total = 0
        self.done = 0
        self._next_line = 0
        self.label = ""

    def start(self, total: int, label: str) -> None:
        self.total, self.done, self.label = total, 0, label
        self._next_line = 0
        if self.quiet or total == 0:
            return
        if self.fancy:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, \
                TimeElapsedColumn

            self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=Console(file=self.stream), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(label, total=total)
        else:
            self.line(f"{label}: {total} file{'s' if total != 1 else ''}")
            self._next_line = max(1, total // 10)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.advance(self._task, n)
        elif not self.quiet and self.total and (self.done >= self._next_line or self.done == self.total):
            self.line(f"{self.label}: {self.done}/{self.total}")
            self._next_line = self.done + max(1, self.total // 10)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def line(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)


def human_bytes(n: int) -> str:
    """Short sizes for tables: "812 B", "4.2 KiB", "584 KiB", "1.3 MiB"."""
    if n < 1024:
        return f"{n} B"
    value, unit = (n / 1024, "KiB") if n < 1024 * 1024 else (n / (1024 * 1024), "MiB")
    return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"


def print_table(title: str, columns: list[str], rows: list[list[str]], stream=None) -> None:
    """A table through rich: boxed on a terminal, plain ASCII otherwise."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    stream = stream if stream is not None else sys.stdout
    fancy = interactive(stream)
    table = Table(title=title, box=box.ROUNDED if fancy else box.ASCII, title_justify="left")
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i == 0 else "right", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    Console(file=stream, width=None if fancy else 160,
            no_color=not fancy, highlight=False).print(table)
