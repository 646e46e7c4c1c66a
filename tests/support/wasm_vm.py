"""A real 32-bit MicroPython for the tests: the WebAssembly port, run by node.

`@micropython/micropython-webassembly-pyscript` (MicroPython 1.29, 4-byte
words, 16-byte GC blocks) is installed from the npm registry on first use
into a cache folder ($MPYCROSS_WASM_DIR, default .cache/wasm-vm) and driven
by tests/support/wasm_vm.mjs. `run_jobs` runs a batch of jobs in one node
process, each in a fresh VM: files to write, then Python steps run one top-level
call each (the port collects garbage only when one returns, if asked to:
after a `gc.collect()` step the heap is clean). With `fixed_heap`
the heap cannot grow past `heapsize`, so a MemoryError is a real one. A VM
that stops answering (out of heap while reporting an exception, the port
loops for ever) is ended after `job_timeout` seconds: its error reads
"Hang: ...".
"""

from __future__ import annotations

import base64
import functools
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "@micropython/micropython-webassembly-pyscript"
VERSION = "1.29.0-6"
DRIVER = Path(__file__).resolve().parent / "wasm_vm.mjs"
REPO = Path(__file__).resolve().parent.parent.parent


def cache_dir() -> Path:
    return Path(os.environ.get("MPYCROSS_WASM_DIR", REPO / ".cache" / "wasm-vm"))


@functools.cache
def package_dir() -> Path:
    """The installed package (npm install on first use; LookupError when it cannot be had)."""
    root = cache_dir()
    installed = root / "node_modules" / PACKAGE
    manifest = installed / "package.json"
    if manifest.is_file() and json.loads(manifest.read_text()).get("version") == VERSION:
        return installed
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise LookupError("node and npm are needed for the WebAssembly MicroPython VM")
    root.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["npm", "install", "--prefix", str(root), "--no-audit", "--no-fund",
                           f"{PACKAGE}@{VERSION}"], capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not manifest.is_file():
        raise LookupError(f"npm install {PACKAGE}@{VERSION} failed: {done.stderr.strip()[-300:]}")
    return installed


@dataclass
class Job:
    heapsize: int
    steps: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    fixed_heap: bool = False


@dataclass
class Result:
    outputs: list[str]
    error: str | None      # "Type: message" of an exception that left a step; "Hang: ..." when it never returned


def run_jobs(jobs: list[Job], timeout: float = 600, job_timeout: float = 20) -> list[Result]:
    """Run each job in a fresh VM, all in one node process."""
    payload = [{"heapsize": j.heapsize, "steps": j.steps, "fixed_heap": j.fixed_heap,
                "files": {p: base64.b64encode(d).decode() for p, d in j.files.items()}} for j in jobs]
    done = subprocess.run(["node", str(DRIVER), str(package_dir()), str(int(job_timeout * 1000))], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"the WebAssembly VM driver failed: {done.stderr.strip()[-500:]}")
    return [Result(r["outputs"], r["error"]) for r in json.loads(done.stdout)]
