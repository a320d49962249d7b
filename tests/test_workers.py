"""Worker processes: jobs run in another process, results and errors come back, and any
failure of the pool falls back to running the job here (speed changes, results never do)."""

from __future__ import annotations

import math
import os
import signal

import pytest

from filmcrew import workers


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch):
    """A fresh two-worker pool, stopped after the test."""
    monkeypatch.setenv("FILMCREW_WORKERS", "2")
    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(workers._Pool, "_disabled", False)
    workers.shutdown()
    yield workers
    workers.shutdown()


def test_a_job_runs_in_another_process_and_its_result_comes_back(pool) -> None:
    assert pool.run(os.getpid) != os.getpid()
    assert pool.run(math.hypot, 3.0, 4.0) == 5.0


def test_an_error_in_a_job_is_raised_in_the_caller_and_the_worker_stays(pool) -> None:
    with pytest.raises(ValueError, match="math domain error"):
        pool.run(math.sqrt, -1.0)
    assert pool.run(math.sqrt, 9.0) == 3.0
    assert not workers._Pool._disabled


def test_printing_in_a_job_does_not_break_the_reply_pipe(pool) -> None:
    assert pool.run(print, "a line a job prints") is None
    assert pool.run(math.hypot, 6.0, 8.0) == 10.0


def test_a_dead_worker_makes_the_job_run_here_and_stops_the_pool(pool) -> None:
    first = pool.run(os.getpid)
    os.kill(first, signal.SIGKILL)
    results = {pool.run(os.getpid) for _ in range(3)}  # one of these meets the dead worker
    assert os.getpid() in results
    assert workers._Pool._disabled
    assert pool.run(os.getpid) == os.getpid()


def test_no_workers_when_switched_off_or_on_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers._Pool, "_disabled", False)
    workers.shutdown()
    monkeypatch.setenv("FILMCREW_WORKERS", "0")
    assert workers.run(os.getpid) == os.getpid()
    monkeypatch.delenv("FILMCREW_WORKERS")
    monkeypatch.setattr(workers, "cores", lambda: 1)
    assert workers.run(os.getpid) == os.getpid()


def test_shutdown_ends_every_worker(pool) -> None:
    pids = {pool.run(os.getpid) for _ in range(4)}
    started = list(workers._Pool._current.started)
    pool.shutdown()
    assert all(w.proc.poll() is not None for w in started)
    assert pids and os.getpid() not in pids


def test_a_shutdown_during_a_job_is_not_a_broken_pool(pool) -> None:
    import threading
    import time

    done: list[object] = []
    job = threading.Thread(target=lambda: done.append(pool.run(time.sleep, 1.0)))
    job.start()
    time.sleep(0.5)
    pool.shutdown()  # the worker is stopped under the sleeping job, which then finishes here
    job.join()
    assert done == [None]
    assert not workers._Pool._disabled
    assert pool.run(os.getpid) != os.getpid()  # a new pool starts on the next job
