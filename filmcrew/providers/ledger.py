"""The cost and usage ledger of a run: calls, tokens, cost and cache hits.

`Metered` (the layer just inside `Logged`) adds every answered call. The graph reads the totals
(`as_run_json()`) into run.json. `calls` counts every answered request, cache hits included;
`cache_hits` says how many of them cost nothing. Thread-safe: parallel nodes share one ledger.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

from filmcrew.providers.base import Usage


@dataclass
class Tally:
    """Totals for one agent, one provider/model, or the whole run."""

    calls: int = 0
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    images: int = 0
    video_seconds: float = 0.0
    cost_usd: float = 0.0
    unpriced_calls: int = 0

    @property
    def tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    def add(self, usage: Usage, cost_usd: float, cached: bool, priced: bool) -> None:
        """Count one answered call."""
        self.calls += 1
        self.cache_hits += int(cached)
        if cached:
            return
        self.input_tokens += usage.input_tokens
        self.output_tokens += usage.output_tokens
        self.images += usage.images
        self.video_seconds += usage.video_seconds
        self.cost_usd += cost_usd
        self.unpriced_calls += int(not priced)

    def as_dict(self) -> dict[str, Any]:
        """Plain data with `tokens` and a rounded cost (byte-stable in run.json)."""
        data = asdict(self)
        data["tokens"] = self.tokens
        data["cost_usd"] = round(self.cost_usd, 6)
        data["video_seconds"] = round(self.video_seconds, 3)
        return data


class Ledger:
    """Totals per run, per agent and per provider/model."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total = Tally()
        self.by_agent: dict[str, Tally] = {}
        self.by_model: dict[str, Tally] = {}

    def add(
        self,
        agent: str,
        provider: str,
        model: str,
        usage: Usage,
        cost_usd: float,
        cached: bool,
        priced: bool = True,
    ) -> None:
        """Record one answered call."""
        key = f"{provider}/{model}" if model else provider
        with self._lock:
            for tally in (self.total, self.by_agent.setdefault(agent, Tally()),
                          self.by_model.setdefault(key, Tally())):
                tally.add(usage, cost_usd, cached, priced)

    def totals(self) -> dict[str, Any]:
        """Run totals as plain data."""
        with self._lock:
            return self.total.as_dict()

    def per_agent(self) -> dict[str, dict[str, Any]]:
        """Totals per agent, sorted by agent name."""
        with self._lock:
            return {k: self.by_agent[k].as_dict() for k in sorted(self.by_agent)}

    def per_model(self) -> dict[str, dict[str, Any]]:
        """Totals per `provider/model`, sorted."""
        with self._lock:
            return {k: self.by_model[k].as_dict() for k in sorted(self.by_model)}

    def as_run_json(self) -> dict[str, Any]:
        """The run.json fields: calls, tokens, cost_usd, cache_hits, plus breakdowns."""
        total = self.totals()
        return {
            "calls": total["calls"],
            "tokens": total["tokens"],
            "cost_usd": total["cost_usd"],
            "cache_hits": total["cache_hits"],
            "per_agent": self.per_agent(),
            "per_model": self.per_model(),
        }
