"""Forked workers: every job runs once, results come back in order, errors are not lost."""

from __future__ import annotations

import os
import time
from functools import partial
from pathlib import Path

import pytest

from xref.parallel import background, can_fork, fork_map, share

pytestmark = pytest.mark.skipif(not can_fork(), reason="runs in one process without fork")


def _square(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def test_fork_map_keeps_the_order_of_the_jobs_whatever_runs_first() -> None:
    results = fork_map(_square, list(range(20)), 2, cost=lambda x: x % 7)
    assert [r for r, _ in results] == [x * x for x in range(20)]
    assert os.getpid() not in {pid for _, pid in results}  # the work left this process


def _touch(folder: Path, name: str) -> None:
    path = folder / name
    assert not path.exists(), f"{name} written twice"
    path.write_text(str(os.getpid()))


def test_share_runs_every_task_once_here_or_in_a_worker(tmp_path: Path) -> None:
    here = [partial(_touch, tmp_path, f"here{i}") for i in range(2)]
    anywhere = [partial(_touch, tmp_path, f"any{i}") for i in range(12)]
    share(here, anywhere, 2)
    written = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert set(written) == {f"here{i}" for i in range(2)} | {f"any{i}" for i in range(12)}
    assert {written["here0"], written["here1"]} == {str(os.getpid())}


def _fail() -> None:
    raise ValueError("disk full")


def test_an_error_in_a_worker_reaches_the_caller(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="disk full"):
        share([], [_fail], 2)
    with pytest.raises(ValueError, match="disk full"):
        fork_map(lambda job: job(), [_fail, _fail], 2)


def test_background_tasks_run_on_another_process_while_the_block_runs(tmp_path: Path) -> None:
    tasks = [partial(_touch, tmp_path, f"bg{i}") for i in range(3)]
    with background(tasks, 2):
        _touch(tmp_path, "here")
    written = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert set(written) == {"here", "bg0", "bg1", "bg2"}
    assert written["here"] == str(os.getpid())


def _slow_touch(folder: Path, name: str) -> None:
    time.sleep(0.3)
    _touch(folder, name)


def test_finish_takes_the_tasks_the_worker_has_not_started(tmp_path: Path) -> None:
    tasks = [partial(_slow_touch, tmp_path, f"bg{i}") for i in range(6)]
    with background(tasks, 2) as finish:
        finish()
        assert len(list(tmp_path.iterdir())) == 6  # all done once finish returns
    pids = {p.read_text() for p in tmp_path.iterdir()}
    assert str(os.getpid()) in pids and len(pids) == 2


def test_background_errors_reach_the_caller_and_one_worker_runs_tasks_at_the_end(
    tmp_path: Path,
) -> None:
    with pytest.raises(ValueError, match="disk full"), background([_fail], 2):
        pass
    with pytest.raises(ValueError, match="disk full"), background([_fail], 2) as finish:
        finish()
    order = []
    with background([lambda: order.append("task")], 1):
        order.append("block")
    assert order == ["block", "task"]
    with pytest.raises(KeyError), background([lambda: order.append("late")], 1):
        raise KeyError("the block failed")
    assert order == ["block", "task"]  # not run for a failed block


def test_handed_over_tasks_run_on_the_worker_alone_then_both_take_the_rest(
    tmp_path: Path,
) -> None:
    """How the build writes: the graph files handed over to the worker (this process frees
    the graph), then the report taken by whichever process is free, each task once."""
    import weakref

    class Task:
        def __init__(self, name: str) -> None:
            self.name = name

        def __call__(self) -> None:
            _slow_touch(tmp_path, self.name)

    tasks = [Task(f"bg{i}") for i in range(3)]
    held = [weakref.ref(t) for t in tasks]
    then = [partial(_touch, tmp_path, f"then{i}") for i in range(8)]
    with background(tasks, 2, hand_over=True, then=then) as finish:
        assert finish.forked
        del tasks
        assert all(ref() is None for ref in held)  # nothing here keeps them alive
        # a counter made here while the worker runs is not the worker's
        share([], [partial(_touch, tmp_path, f"any{i}") for i in range(8)], 2)
        finish()
        written = {p.name: p.read_text() for p in tmp_path.iterdir()}
    expected = {f"bg{i}" for i in range(3)} | {f"{w}{i}" for w in ("then", "any") for i in range(8)}
    assert set(written) == expected
    assert str(os.getpid()) not in {written[f"bg{i}"] for i in range(3)}
    assert str(os.getpid()) in {written[f"then{i}"] for i in range(8)}


def test_with_one_process_handed_over_tasks_run_here_first(tmp_path: Path) -> None:
    order: list[str] = []
    with background(
        [lambda: order.append("task")], 1, hand_over=True, then=[lambda: order.append("then")]
    ) as finish:
        assert not finish.forked  # the caller keeps what the tasks read: they run here
        order.append("block")
        finish()
    assert order == ["block", "task", "then"]
