"""Compile many files in worker processes and hand results back as they finish.

Built on `mpycross compile`'s own job and error machinery
(`mpycross.batch.Job` / `compile_file`), so a file fails here exactly as it
fails there. Unlike `batch.run_jobs`, results stream back chunk by
chunk (for a progress bar) with their index; callers put them in place, so
outputs never depend on the number of workers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mpycross.batch import Job, Result, compile_file


MIN_PARALLEL = 16


@dataclass(frozen=True)
class Item:
    """One compile: a job (a file to read, the name to store) for a target."""

    job: Job
    target: str
    opt: int = 0


def _run_chunk(chunk: list[tuple[int, Item]]) -> list[tuple[int, Result]]:
    return [(i, compile_file(item.job, item.target, item.opt)) for i, item in chunk]


def compile_stream(items: list[Item], workers: int = 1) -> Iterator[tuple[int, Result]]:
    """Yield (index into items, Result) for every item, in completion order."""
    indexed = list(enumerate(items))
    # Starting a worker (and importing the compiler in it) costs more than a few compiles.
    if workers <= 1 or len(items) < MIN_PARALLEL:
        for i, item in indexed:
            yield i, compile_file(item.job, item.target, item.opt)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    workers = min(workers, len(items))
    # Small chunks keep the bar moving and balance uneven file sizes.
    size = max(1, min(16, len(items) // (workers * 8)))
    chunks = [indexed[i:i + size] for i in range(0, len(indexed), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for future in as_completed([pool.submit(_run_chunk, c) for c in chunks]):
            yield from future.result()
