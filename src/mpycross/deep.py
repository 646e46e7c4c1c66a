"""Run the recursive walks of a `.mpy` model on a stack deep enough for any valid file.

The reader, the disassembler, the writer and the footprint model follow
nested tuple constants and nested raw codes recursively, as
py/persistentcode.c does in C. MicroPython's VM loads files nested far deeper
than Python's default recursion limit allows (the official compiler writes
tuple constants nested 709 deep and more than 5,000 nested functions), so
each entry point runs on a thread with a large C stack and a recursion limit
that covers MAX_NESTING levels. The reader refuses anything deeper, with one
line, so no input can exhaust the stack.
"""

from __future__ import annotations

import _thread
import functools
import os
import sys
import threading

# Deeper than any compiler writes (see above); each level costs a few
# Python frames in the walks, FRAMES_PER_LEVEL at most.
MAX_NESTING = 10_000
FRAMES_PER_LEVEL = 6
# measured: MAX_NESTING levels through every walk need less than 8 MB of C stack
STACK_BYTES = 32 * 1024 * 1024

_state = threading.local()
_lock = threading.Lock()
_running = 0            # deep calls in progress, each needing the raised recursion limit
_saved_limit = 0


def deep_stack(function=None, *, needed=None):
    """Decorate a function so that it runs on a deep stack (a thread of its own unless
    the caller already is on one); its result or exception is passed back.

    `needed(*args)`, if given, says whether this call may nest deeply; when it
    says no, the function runs where it is called (a thread costs ~0.1 ms).
    """
    if function is None:
        return functools.partial(deep_stack, needed=needed)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if getattr(_state, "deep", False) or (needed is not None and not needed(*args)):
            return function(*args, **kwargs)
        return call_deep(function, *args, **kwargs)

    return wrapper


# what the default recursion limit (1000) leaves room for, at FRAMES_PER_LEVEL a level
SHALLOW_NESTING = 100


def model_is_deep(mpy, *_args) -> bool:
    """Do the raw codes or tuple constants of an MpyFile nest more than SHALLOW_NESTING?"""
    pending = [(mpy.root, 1)]
    objects = [(o, 1) for o in mpy.obj_table]
    while pending:
        rc, depth = pending.pop()
        if depth > SHALLOW_NESTING:
            return True
        pending += [(child, depth + 1) for child in rc.children]
        objects += [(o, depth) for o in rc.consts]
    while objects:
        obj, depth = objects.pop()
        if isinstance(obj, tuple):
            if depth > SHALLOW_NESTING:
                return True
            objects += [(o, depth + 1) for o in obj]
    return False


def call_deep(function, *args, stack_bytes: int = STACK_BYTES, recursion_limit: int = 0, **kwargs):
    """function(*args, **kwargs) on a thread with `stack_bytes` of stack (the
    compiler asks for more than the model walks' STACK_BYTES).

    The threads are kept and reused, one call at a time each: a new thread's
    stack is fresh memory, which costs more than a small compile. The recursion
    limit is raised while a call runs (it is global to the interpreter) and put
    back when the last deep call ends.
    """
    global _running, _saved_limit
    limit = max(recursion_limit, MAX_NESTING * FRAMES_PER_LEVEL + 1000)
    with _lock:
        if _running == 0:
            _saved_limit = sys.getrecursionlimit()
        _running += 1
        if sys.getrecursionlimit() < limit:
            sys.setrecursionlimit(limit)
        idle = _idle.setdefault(stack_bytes, [])
        worker = idle.pop() if idle else None
    try:
        if worker is None:
            worker = _DeepThread(stack_bytes)
        ok, value = worker.run(function, args, kwargs)
        with _lock:
            idle.append(worker)  # (not when interrupted: the thread may still be busy)
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                sys.setrecursionlimit(_saved_limit)
    if not ok:
        raise value.with_traceback(value.__traceback__)
    return value


# idle threads by stack size
_idle: dict[int, list] = {}


def _forget_threads() -> None:
    """In a forked child: the parent's threads do not exist there."""
    global _lock, _running
    _idle.clear()
    _lock = threading.Lock()
    _running = 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_threads)


class _DeepThread:
    """A daemon thread with a big stack that runs the calls handed to it, one at a time."""

    def __init__(self, stack_bytes: int):
        self._job = None
        self._outcome = None
        self._ready = _thread.allocate_lock()
        self._ready.acquire()
        self._done = _thread.allocate_lock()
        self._done.acquire()
        old = threading.stack_size(stack_bytes)
        try:
            threading.Thread(target=self._serve, name="mpycross-deep", daemon=True).start()
        finally:
            threading.stack_size(old)

    def run(self, function, args, kwargs) -> tuple:
        """(True, result) or (False, exception) of function(*args, **kwargs) on this thread."""
        self._job = (function, args, kwargs)
        self._ready.release()
        self._done.acquire()
        outcome, self._outcome = self._outcome, None
        return outcome

    def _serve(self) -> None:
        _state.deep = True
        while True:
            self._ready.acquire()
            function, args, kwargs = self._job
            self._job = None
            try:
                self._outcome = (True, function(*args, **kwargs))
            except BaseException as e:  # re-raised in the caller's thread
                self._outcome = (False, e)
            del function, args, kwargs  # nothing of the call stays alive until the next one
            self._done.release()
