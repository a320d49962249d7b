"""Work started before the node that needs it, so call slots do not sit idle between stages.

A node that knows a later node's inputs are final may start that node's calls here; the later
node takes the futures instead of calling again. Nothing here is checkpointed: after a crash or
a resume the later node simply makes its calls itself (the provider cache answers those that
finished). When the run ends, fails or pauses, calls not yet started are cancelled; the
threads are daemons, so a call still in flight never holds up the process's exit.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from filmcrew.providers.throttled import BACKGROUND

_Job = tuple[Future[Any], Callable[[], Any]]


class WorkAhead:
    """Named batches of calls running in the background of one graph invocation."""

    def __init__(self, threads: int) -> None:
        self._threads = max(1, threads)
        self._spawned = 0
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._batches: dict[str, list[Future[Any]]] = {}
        self._lock = threading.Lock()

    def start(self, key: str, jobs: list[Callable[[], Any]]) -> bool:
        """Start a batch under `key` unless one is already there; say whether it started."""
        with self._lock:
            if key in self._batches:
                return False
            batch: list[Future[Any]] = []
            for job in jobs:
                batch.append(Future())
                self._jobs.put((batch[-1], _in_background(job)))
            self._batches[key] = batch
            while self._spawned < min(self._threads, len(jobs)):
                threading.Thread(target=self._work, name="filmcrew-ahead", daemon=True).start()
                self._spawned += 1
            return True

    def take(self, key: str) -> list[Future[Any]] | None:
        """Hand over the batch started under `key` (once), or None."""
        with self._lock:
            return self._batches.pop(key, None)

    def close(self) -> None:
        """Cancel every call not yet started and let the threads end after their current call."""
        with self._lock:
            for batch in self._batches.values():
                for future in batch:
                    future.cancel()
            self._batches.clear()
            for _ in range(self._spawned):
                self._jobs.put(None)
            self._spawned = 0

    def _work(self) -> None:
        """Run queued jobs until told to stop; a cancelled job is skipped."""
        while (job := self._jobs.get()) is not None:
            future, run = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(run())
            except BaseException as exc:  # handed to whoever takes the batch
                future.set_exception(exc)


def _in_background(job: Callable[[], Any]) -> Callable[[], Any]:
    """Bind a job to the caller's context, marked as background work, so its calls give way to
    calls the graph is waiting on."""
    context = contextvars.copy_context()
    context.run(BACKGROUND.set, True)
    return lambda: context.run(job)
