"""A wall-clock timeout per call, whatever the vendor SDK does.

SDK timeouts are per network operation: a server that trickles bytes never trips them. This
wrapper runs the call in a worker thread and gives up after the deadline with
`ProviderTimeout` (which `Retrying` retries). The SDK clients get the same timeout, so the
abandoned request also ends on its own.
"""

from __future__ import annotations

import contextvars
import threading
from typing import Any

from filmcrew.providers.base import Provider, ProviderTimeout, Wrapper


class _Outcome:
    """What the worker thread produced: a value or an exception."""

    __slots__ = ("value", "error")

    def __init__(self) -> None:
        self.value: Any = None
        self.error: BaseException | None = None


class Deadline(Wrapper):
    """Fail a call with `ProviderTimeout` after `seconds` (video gets its own, longer limit)."""

    name = "deadline"

    def __init__(self, inner: Provider, seconds: float, video_seconds: float | None = None) -> None:
        super().__init__(inner)
        self.seconds = seconds
        self.video_seconds = video_seconds or seconds

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Run the call in a daemon thread and wait at most the deadline."""
        limit = self.video_seconds if kind == "video" else self.seconds
        outcome = _Outcome()
        context = contextvars.copy_context()

        def work() -> None:
            try:
                outcome.value = context.run(call, req)
            except BaseException as exc:  # handed to the caller's thread below
                outcome.error = exc

        worker = threading.Thread(target=work, name=f"filmcrew-{kind}-call", daemon=True)
        worker.start()
        worker.join(limit)
        if worker.is_alive():
            raise ProviderTimeout(
                f"no answer within {limit:g} s",
                provider=self.vendor,
                model=self.resolved_model(kind, req),
            )
        if outcome.error is not None:
            raise outcome.error
        return outcome.value
