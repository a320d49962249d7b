"""Retry transient failures (429, 5xx, timeouts, dropped connections) with backoff and jitter.

Never retries what cannot change (400, 401, 403, 404): those fail at once. A server's
Retry-After wins over our own backoff (up to `max_retry_after_s`). After the last attempt the
error becomes a one-line `ProviderFailed` naming provider, model and reason; the run stays
resumable because nothing was cached or checkpointed for the failed call.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

import structlog

from filmcrew.errors import ProviderFailed
from filmcrew.providers.base import CallRejected, Provider, ProviderError, RequestRejected, Wrapper

log = structlog.get_logger(__name__)

HINTS = {
    401: "check the API key",
    403: "the key has no access to this model",
    404: "unknown model or endpoint; check the model name in filmcrew.toml",
}


class Retrying(Wrapper):
    """Retry the inner provider's transient errors; turn final failures into ProviderFailed."""

    name = "retrying"

    def __init__(
        self,
        inner: Provider,
        attempts: int = 4,
        base_delay_s: float = 1.0,
        max_delay_s: float = 30.0,
        max_retry_after_s: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(inner)
        self.attempts = max(1, attempts)
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.max_retry_after_s = max_retry_after_s
        self.sleep = sleep
        self.rng = rng

    def delay(self, attempt: int, exc: Exception) -> float:
        """Seconds to wait before the next attempt: Retry-After, else backoff with jitter."""
        backoff = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        jittered = backoff / 2 + self.rng() * backoff / 2
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            return max(jittered, min(float(retry_after), self.max_retry_after_s))
        return jittered

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Call, retrying transient errors up to `attempts` times in all."""
        for attempt in range(1, self.attempts + 1):
            try:
                return call(req)
            except ProviderError as exc:
                if not self.inner.is_retryable(exc):
                    raise self._final(kind, req, exc, attempt, transient=False) from exc
                if attempt == self.attempts:
                    raise self._final(kind, req, exc, attempt, transient=True) from exc
                wait = self.delay(attempt, exc)
                log.warning("provider_retry", provider=self.vendor, agent=req.agent,
                            attempt=attempt, reason=exc.reason, wait_s=round(wait, 3))
                self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _final(self, kind: str, req: Any, exc: ProviderError, attempt: int, transient: bool) -> ProviderFailed:
        """Say in one line who failed, on which model, why, and after how many attempts."""
        model = exc.model or self.resolved_model(kind, req)
        who = " ".join(p for p in (exc.provider or self.vendor, model) if p)
        if transient:
            return ProviderFailed(f"{who}: {exc.reason} after {attempt} attempts")
        hint = HINTS.get(exc.status or 0, "") if isinstance(exc, RequestRejected) else ""
        message = f"{who}: {exc.reason}" + (f" ({hint})" if hint else "")
        if isinstance(exc, RequestRejected):
            return CallRejected(message, status=exc.status)
        return ProviderFailed(message)
