"""A wall-clock timeout per call, whatever the vendor SDK does.

SDK timeouts are per network operation: a server that trickles bytes never trips them. This
wrapper runs the call in a worker thread and gives up after the deadline with
`ProviderTimeout` (which `Retrying` retries). The SDK clients get the same timeout, so the
abandoned request also ends on its own.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from filmcrew.providers.base import Provider, ProviderTimeout, Wrapper


class _Workers:
    """Daemon worker threads, reused between calls (starting a thread per call costs ~0.5 ms).

    A worker is spawned only when none is idle, so a call stuck past its deadline never
    delays the next one; daemon threads never hold up the process at exit.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]]] = queue.SimpleQueue()
        self._idle = 0
        self._lock = threading.Lock()

    def submit(self, fn: Callable[[], Any]) -> Future[Any]:
        """Run `fn` on a worker and return its future."""
        future: Future[Any] = Future()
        with self._lock:
            spawn = self._idle == 0
            if not spawn:
                self._idle -= 1
        if spawn:
            threading.Thread(target=self._loop, name="filmcrew-call", daemon=True).start()
        self._jobs.put((future, fn))
        return future

    def _loop(self) -> None:
        """Take jobs forever; each job's outcome goes to its future."""
        while True:
            future, fn = self._jobs.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn())
                except BaseException as exc:  # handed to the caller's thread
                    future.set_exception(exc)
            with self._lock:
                self._idle += 1


_workers = _Workers()


class Deadline(Wrapper):
    """Fail a call with `ProviderTimeout` after `seconds` (video gets its own, longer limit)."""

    name = "deadline"

    def __init__(self, inner: Provider, seconds: float, video_seconds: float | None = None) -> None:
        super().__init__(inner)
        self.seconds = seconds
        self.video_seconds = video_seconds or seconds

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Run the call on a worker thread and wait at most the deadline."""
        limit = self.video_seconds if kind == "video" else self.seconds
        context = contextvars.copy_context()
        future = _workers.submit(lambda: context.run(call, req))
        try:
            return future.result(timeout=limit)
        except FutureTimeout:
            future.cancel()
            raise ProviderTimeout(
                f"no answer within {limit:g} s",
                provider=self.vendor,
                model=self.resolved_model(kind, req),
            ) from None
