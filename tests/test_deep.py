"""mpycross.deep.call_deep: big-stack threads, reused, and safe across fork."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from mpycross.deep import call_deep


def _nest(depth: int) -> int:
    return 0 if depth == 0 else 1 + _nest(depth - 1)


def test_results_errors_and_the_recursion_limit():
    limit = sys.getrecursionlimit()
    assert call_deep(_nest, 20_000) == 20_000  # deeper than the default limit allows
    with pytest.raises(ZeroDivisionError):
        call_deep(lambda: 1 / 0)
    assert sys.getrecursionlimit() == limit


def test_a_thread_is_reused_and_keeps_nothing_of_a_call():
    first = call_deep(threading.get_ident)
    assert call_deep(threading.get_ident) == first != threading.get_ident()
    big = bytearray(10)
    import weakref

    class Holder:
        pass

    held = Holder()
    held.data = big
    ref = weakref.ref(held)
    call_deep(lambda h: len(h.data), held)
    del held
    assert ref() is None  # the idle thread holds neither the arguments nor the result


def test_parallel_callers_each_get_a_thread():
    results = []

    def caller():
        results.append(call_deep(_nest, 5_000))

    threads = [threading.Thread(target=caller) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [5_000] * 4


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_child_starts_its_own_threads():
    """The parent's idle threads do not exist in a child (compile -j forks warm workers)."""
    call_deep(_nest, 10)
    pid = os.fork()
    if pid == 0:  # the child: a deep call must not wait for a thread that is not there
        code = 0 if call_deep(_nest, 10_000) == 10_000 else 1
        os._exit(code)
    for _ in range(300):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        threading.Event().wait(0.1)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked child hung in call_deep")
    assert os.waitstatus_to_exitcode(status) == 0
