"""The outer layers: `Metered` prices each call and books it; `Logged` logs one event per call.

The event `provider_call` carries provider, model, agent, kind, fingerprint, latency, tokens,
cost and cache hit. Failures log `provider_call_failed` with the reason. Nothing here sees a
key: requests hold none, and `filmcrew.logs.redact` masks anything key-shaped anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import structlog

from filmcrew.providers.base import (
    ImageResult,
    NotAvailable,
    Provider,
    TextResult,
    Usage,
    VideoResult,
    Wrapper,
    fingerprint,
)
from filmcrew.providers.ledger import Ledger

log = structlog.get_logger(__name__)

PriceLookup = Callable[[str, str], Any]


def estimate_cost(price: Any, usage: Usage) -> float:
    """Price a call's usage (tokens per million, images, video seconds)."""
    return (
        usage.input_tokens * price.input_per_mtok / 1_000_000
        + usage.output_tokens * price.output_per_mtok / 1_000_000
        + usage.images * price.per_image
        + usage.video_seconds * price.per_video_second
    )


class Metered(Wrapper):
    """Set `cost_usd` from the price table and add the call to the ledger."""

    name = "metered"

    def __init__(self, inner: Provider, ledger: Ledger, price_for: PriceLookup) -> None:
        super().__init__(inner)
        self.ledger = ledger
        self.price_for = price_for

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Call, price (cache hits cost nothing) and book."""
        result: TextResult | ImageResult | VideoResult = call(req)
        price = self.price_for(result.provider, result.model)
        cost = 0.0 if result.cached else estimate_cost(price, result.usage)
        priced = bool(price.known())
        self.ledger.add(req.agent, result.provider, result.model, result.usage, cost,
                        result.cached, priced)
        return result.model_copy(update={"cost_usd": cost})


class Logged(Wrapper):
    """Log every call once, with its latency and what it cost."""

    name = "logged"

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Time the call and log the outcome."""
        started = time.perf_counter()
        try:
            result = call(req)
        except NotAvailable:
            raise  # offline: the agent falls back to its rules; nothing happened
        except Exception as exc:
            log.warning(
                "provider_call_failed", provider=self.vendor, agent=req.agent, kind=kind,
                model=self.resolved_model(kind, req), fingerprint=fingerprint(kind, req),
                latency_ms=_ms(started), error=f"{type(exc).__name__}: {exc}",
            )
            raise
        usage = result.usage
        log.info(
            "provider_call", provider=result.provider, model=result.model, agent=req.agent,
            kind=kind, fingerprint=result.fingerprint, latency_ms=_ms(started),
            input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
            images=usage.images, video_seconds=usage.video_seconds,
            cost_usd=round(result.cost_usd, 6), cache_hit=result.cached,
        )
        return result


def _ms(started: float) -> float:
    """Milliseconds since `started`, rounded for logs."""
    return round((time.perf_counter() - started) * 1000, 2)
