"""Independent pieces of a build spread over this machine's cores (``xref build --jobs N``).

Workers are forked: they start with the parent's memory, so the jobs, the loaded jieba
dictionary and everything the jobs point to reach them without being pickled, and only the
results travel back. Where fork is not available (Windows, and macOS by default) the work runs
in this process. Results come back in the order of the jobs, so outputs do not depend on how
many workers there were.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

# The work of the current pool: read by the forked workers, which inherit it. A module
# global because fork hands over memory, not arguments; it is set only while a pool lives.
_WORK: tuple[Callable, Sequence] | None = None


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _single_threaded() -> None:
    # a worker per core already: BLAS threads on top would spin against the other workers
    # (measured: linking 1,000 documents took 15 s on 2 workers, 6 s with this, 9 s serially)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


def _run(i: int) -> Any:
    fn, jobs = _WORK  # type: ignore[misc]
    return fn(jobs[i])


@contextmanager
def _pool(fn: Callable, jobs: Sequence, workers: int) -> Iterator[ProcessPoolExecutor]:
    """Forked workers that run ``fn(jobs[i])`` for each ``_run(i)`` submitted: the work is
    handed over by fork, through :data:`_WORK`, for as long as the pool lives."""
    global _WORK
    _WORK = (fn, jobs)
    # out of the collector's sight while workers live: a collection in a worker would write to
    # every object it inspects, copying the parent's pages one by one
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_single_threaded) as pool:
            yield pool
    finally:
        _WORK = None
        gc.unfreeze()


def fork_map(fn: Callable, jobs: Sequence, workers: int, *, cost: Callable | None = None) -> list:
    """``[fn(job) for job in jobs]`` on ``workers`` forked processes. ``cost(job)`` orders
    the work largest first, so that one long job does not start last."""
    if workers <= 1 or len(jobs) <= 1 or not can_fork():
        return list(map(fn, jobs))
    order = sorted(range(len(jobs)), key=lambda i: -cost(jobs[i])) if cost else range(len(jobs))
    with _pool(fn, jobs, min(workers, len(jobs))) as pool:
        futures = {i: pool.submit(_run, i) for i in order}
        return [futures[i].result() for i in range(len(jobs))]


def share(here: list[Callable[[], Any]], anywhere: list[Callable[[], Any]], workers: int) -> None:
    """Run every task: ``here`` in this process, ``anywhere`` in whichever process is free
    first, this one once its own tasks are done or one of ``workers - 1`` forked ones. Tasks
    are taken in order, so list the longest first. What reads most of this process's memory
    belongs ``here``: a forked process copies every page it touches."""
    if workers <= 1 or not can_fork():
        for task in [*here, *anywhere]:
            task()
        return
    taken = multiprocessing.get_context("fork").Value("i", 0)  # next of ``anywhere``

    def take_all() -> None:
        while True:
            with taken.get_lock():
                i = taken.value
                taken.value += 1
            if i >= len(anywhere):
                return
            anywhere[i]()

    with _pool(_call, [take_all] * (workers - 1), workers - 1) as pool:
        futures = [pool.submit(_run, i) for i in range(workers - 1)]
        for task in here:
            task()
        take_all()
        for future in futures:
            future.result()


def _call(fn: Callable[[], Any]) -> Any:
    return fn()


def partitions(texts: list[str], size: int) -> list[list[str]]:
    """Consecutive runs of texts of about ``size`` characters each."""
    out, current, n = [], [], 0
    for text in texts:
        current.append(text)
        n += len(text)
        if n >= size:
            out.append(current)
            current, n = [], 0
    return [*out, current] if current else out
