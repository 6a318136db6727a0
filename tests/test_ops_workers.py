"""The one worker-pool policy, on real processes: a dead worker's task runs once more in a new worker, then
fails alone; a task past its deadline has its worker replaced; workers never see the terminal's Ctrl-C."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from pathlib import Path

import pytest
from opssite import alive, children, kill_own_process

from wiredesk.core.errors import WorkerDied, WorkerTimeout
from wiredesk.core.workers import WorkerPool

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the workers")


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def spin() -> None:
    while True:
        pass


def wait_for_workers(count: int) -> list[int]:
    """The first `count` workers of the pool this test started (other tests may have left children)."""
    deadline = time.monotonic() + 60
    while len(workers := [pid for pid in children(os.getpid()) if pid not in EARLIER]) < count:
        assert time.monotonic() < deadline, "no worker started"
        time.sleep(0.02)
    return workers


EARLIER: set[int] = set()


@pytest.fixture(autouse=True)
def earlier_children() -> None:
    EARLIER.clear()
    EARLIER.update(children(os.getpid()))


def test_a_task_whose_worker_is_killed_runs_again_in_a_new_worker() -> None:
    with WorkerPool(1) as pool:
        task = pool.submit(pid_after, 3)
        [first] = wait_for_workers(1)
        time.sleep(0.5)  # into the task
        os.kill(first, signal.SIGKILL)
        second = task.result(timeout=60)
        assert second != first and not alive(first)


def test_a_worker_killed_as_it_starts_is_a_dead_worker_and_its_task_runs_in_the_next(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed before it has read its start-up data (the OOM killer, a person with `kill`): the pool's rule
    for a dead worker, not a task failed as if no worker could be started."""
    import subprocess

    from wiredesk.core import workers

    started = subprocess.Popen
    killed: list[int] = []

    def killed_once_started(*args, **kwargs):  # type: ignore[no-untyped-def]
        process = started(*args, **kwargs)
        if not killed:
            process.kill()
            process.wait()
            killed.append(process.pid)
        return process

    monkeypatch.setattr(workers.subprocess, "Popen", killed_once_started)
    with WorkerPool(1) as pool:
        assert pool.submit(pid_after, 0).result(timeout=60) not in killed
    assert len(killed) == 1


def test_a_task_that_kills_two_workers_fails_alone_and_the_pool_goes_on() -> None:
    with WorkerPool(2) as pool:
        deadly = pool.submit(kill_own_process)
        fine = [pool.submit(pid_after, 0.1) for _ in range(4)]
        with pytest.raises(WorkerDied, match="died 2 times"):
            deadly.result(timeout=60)
        assert all(isinstance(task.result(timeout=60), int) for task in fine)
        assert isinstance(pool.submit(pid_after, 0).result(timeout=60), int)


def test_a_task_past_its_deadline_fails_and_its_worker_is_replaced() -> None:
    with WorkerPool(1) as pool:
        before = pool.submit(pid_after, 0).result(timeout=60)
        stuck = pool.submit(spin, deadline=1.0)
        with pytest.raises(WorkerTimeout, match="longer than 1 s"):
            stuck.result(timeout=60)
        assert not alive(before)
        after = pool.submit(pid_after, 0, deadline=30).result(timeout=60)
        assert after != before


def test_workers_ignore_ctrl_c_even_while_starting_and_close_ends_them() -> None:
    with WorkerPool(2) as pool:
        tasks = [pool.submit(pid_after, 1) for _ in range(2)]
        workers = wait_for_workers(2)
        for pid in workers:  # as the terminal sends it to the whole group, at once, however far they got
            os.kill(pid, signal.SIGINT)
            os.kill(pid, signal.SIGTERM)
        assert sorted(task.result(timeout=60) for task in tasks) == sorted(workers)
        busy = pool.submit(pid_after, 60)
        time.sleep(0.2)
    assert busy.done() and not any(alive(pid) for pid in workers)


def test_ctrl_c_at_any_moment_of_the_first_task_leaves_a_pool_that_closes(monkeypatch: pytest.MonkeyPatch) -> None:
    # the first submit starts the pool's manager thread: a Ctrl-C between creating it and starting it left
    # a thread that close() could not join ("cannot join thread before it is started")
    rng = random.Random(7)
    interrupted, thread_errors = 0, []
    monkeypatch.setattr(threading, "excepthook", lambda args: thread_errors.append(args.exc_value))
    for _ in range(300):
        pool = WorkerPool(1)
        timer = threading.Timer(rng.uniform(0, 4e-4), os.kill, (os.getpid(), signal.SIGINT))
        try:
            timer.start()
            pool.submit(time.sleep, 0)
            timer.join()
            time.sleep(0.01)  # the handler runs here at the latest
        except KeyboardInterrupt:
            interrupted += 1
            timer.join()
        pool.close()
    assert interrupted == 300 and thread_errors == []
