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
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
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


def forks(workers: int) -> bool:
    """Whether work spread over ``workers`` processes goes to forked ones (else: here)."""
    return workers > 1 and can_fork()


def _single_threaded() -> None:
    # a worker per core already: BLAS threads on top would spin against the other workers
    # (measured: linking 1,000 documents took 15 s on 2 workers, 6 s with this, 9 s serially)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


def _run(i: int) -> Any:
    fn, jobs = _WORK  # type: ignore[misc]
    return fn(jobs[i])


@contextmanager
def _frozen() -> Iterator[None]:
    """Every object out of the collector's sight while forked workers live: a collection in a
    worker would write to every object it inspects, copying the parent's pages one by one.
    Nested, only the outermost block thaws them."""
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


@contextmanager
def _pool(fn: Callable, jobs: Sequence, workers: int) -> Iterator[ProcessPoolExecutor]:
    """Forked workers that run ``fn(jobs[i])`` for each ``_run(i)`` submitted: the work is
    handed over by fork, through :data:`_WORK`, for as long as the pool lives."""
    global _WORK
    _WORK = (fn, jobs)
    try:
        context = multiprocessing.get_context("fork")
        with (
            _frozen(),
            ProcessPoolExecutor(workers, mp_context=context, initializer=_single_threaded) as pool,
        ):
            yield pool
    finally:
        _WORK = None


def fork_map(fn: Callable, jobs: Sequence, workers: int, *, cost: Callable | None = None) -> list:
    """``[fn(job) for job in jobs]`` on ``workers`` forked processes. ``cost(job)`` orders
    the work largest first, so that one long job does not start last."""
    if not forks(workers) or len(jobs) <= 1:
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
    if not forks(workers):
        for task in [*here, *anywhere]:
            task()
        return
    take_all = partial(_take_in_turn, anywhere, multiprocessing.get_context("fork").Value("i", 0))
    with _pool(_call, [take_all] * (workers - 1), workers - 1) as pool:
        futures = [pool.submit(_run, i) for i in range(workers - 1)]
        for task in here:
            task()
        take_all()
        for future in futures:
            future.result()


def _call(fn: Callable[[], Any]) -> Any:
    return fn()


def _take_in_turn(tasks: Sequence[Callable[[], Any]], taken: Any) -> None:
    """Run the tasks no process has taken yet (``taken``: a shared counter, the next one)."""
    while True:
        with taken.get_lock():
            i = taken.value
            taken.value += 1
        if i >= len(tasks):
            return
        tasks[i]()


class Finish:
    """What a :func:`background` block gets: call it to finish the tasks; ``forked`` says
    whether they went to a forked process (if not, calling it runs them here)."""

    __slots__ = ("_finish", "forked")

    def __init__(self, finish: Callable[[], None], *, forked: bool) -> None:
        self._finish = finish
        self.forked = forked

    def __call__(self) -> None:
        self._finish()


@contextmanager
def background(
    tasks: list[Callable[[], Any]],
    workers: int,
    *,
    hand_over: bool = False,
    then: Sequence[Callable[[], Any]] = (),
) -> Iterator[Finish]:
    """Run ``tasks``, in turn, on a forked process while the block runs, then ``then``
    there and here, each task once. The block gets ``finish``, a :class:`Finish`: calling
    it, this process takes the tasks not yet started, waits for the worker and raises the
    first error a task raised; leaving the block calls it (if the block fails, it only
    waits). The worker sees this process's memory as it is on entering: start tasks as soon
    as what they read exists. With one worker, or without fork, nothing is forked
    (``finish.forked`` is false) and ``finish`` runs them all.

    ``hand_over``: ``tasks`` are the worker's alone, and this process drops its references
    to them once it has forked, so that what only they read can be freed here (the worker
    keeps its own copy); ``finish`` takes only ``then``."""
    if not forks(workers) or not tasks:
        run_here = [
            partial(_take_in_turn, tasks, multiprocessing.Value("i", 0)),
            partial(_take_in_turn, then, multiprocessing.Value("i", 0)),
        ]
        yield Finish(partial(_run_all, run_here), forked=False)
        _run_all(run_here)
        return
    context = multiprocessing.get_context("fork")
    # The worker finds its tasks in a list this process empties once the worker has them.
    # The counters stay here: freed, their shared memory would be the next counter made here.
    counters = (context.Value("i", 0), context.Value("i", 0))
    handed = [partial(_take_in_turn, tasks, counters[0]), partial(_take_in_turn, then, counters[1])]
    here = handed[1:] if hand_over else list(handed)
    del tasks
    receive, send = context.Pipe(duplex=False)
    outcome: list[BaseException | None] = []  # the worker's error or None, once it is known

    def wait() -> BaseException | None:
        if not outcome:
            try:
                outcome.append(receive.recv())
            except EOFError:  # killed before it could say
                outcome.append(RuntimeError(f"a worker died (exit code {process.exitcode})"))
            process.join()
            receive.close()
        return outcome[0]

    def finish() -> None:
        try:
            _run_all(here)
        finally:  # waited for even when a task here failed
            error = wait()
        if error is not None:
            raise error

    with _frozen():
        process = context.Process(target=_run_tasks, args=(handed, send), daemon=True)
        process.start()
        send.close()
        if hand_over:
            handed.clear()
        try:
            yield Finish(finish, forked=True)
        except BaseException:
            wait()  # its files must not outlive a failed run
            raise
        finish()


def _run_all(takers: list[Callable[[], None]]) -> None:
    for take_all in takers:
        take_all()


def _run_tasks(handed: list[Callable[[], None]], send: Any) -> None:
    """A background worker: its share of the tasks, then None, or the error that stopped
    them, sent back."""
    try:
        _run_all(handed)
    except BaseException as exc:
        try:
            send.send(exc)
        except Exception:  # an error that cannot be pickled: its traceback, as text
            send.send(RuntimeError(traceback.format_exc()))
    else:
        send.send(None)


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
