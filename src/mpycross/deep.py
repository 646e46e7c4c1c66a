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

import functools
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


def call_deep(function, *args, **kwargs):
    """function(*args, **kwargs) on a thread with STACK_BYTES of stack.

    The recursion limit is raised while it runs (it is global to the
    interpreter) and put back when the last deep call ends.
    """
    global _running, _saved_limit
    outcome: dict = {}

    def run():
        _state.deep = True
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as e:  # re-raised in the caller's thread
            outcome["error"] = e

    with _lock:
        if _running == 0:
            _saved_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_saved_limit, MAX_NESTING * FRAMES_PER_LEVEL + 1000))
        _running += 1
        old = threading.stack_size(STACK_BYTES)
        try:
            worker = threading.Thread(target=run, name="mpycross-deep", daemon=True)
            worker.start()
        except BaseException:
            _running -= 1
            if _running == 0:
                sys.setrecursionlimit(_saved_limit)
            raise
        finally:
            threading.stack_size(old)
    try:
        worker.join()
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                sys.setrecursionlimit(_saved_limit)
    if "error" in outcome:
        error = outcome["error"]
        raise error.with_traceback(error.__traceback__)
    return outcome["value"]
