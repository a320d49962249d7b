"""Provider names, their factories, and `build()`, which stacks the wrappers.

Each factory imports its vendor SDK lazily (inside the provider, on first call), so
`filmcrew providers` and offline runs never load an SDK. A new provider is one module and one
line in `FACTORIES`. The stack for a paid provider is, outermost first::

    Logged(Metered(Recording?(Cached?(Repairing(Retrying(Throttled(Deadline(Vendor))))))))

Repairing sits outside Retrying so its re-ask is retried too, and inside Cached so the cache
and recordings hold the repaired answer. Throttled holds one of the run's call slots
(`--concurrency`) per attempt, so backoff sleeps and cache hits hold none. `replay` is
`Logged(Metered(Replay(dir)))`, and `offline` is `Logged(Offline)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from filmcrew.errors import InputError
from filmcrew.providers.base import Provider

if TYPE_CHECKING:
    from filmcrew.config import Settings

Factory = Callable[["Settings", str], Provider]


def _offline(settings: Settings, agent: str) -> Provider:
    """The no-model provider."""
    from filmcrew.providers.offline import WHY, OfflineProvider

    reason = settings.provider_reason
    return OfflineProvider(WHY if reason == "no key set" else f"offline chosen ({reason})")


def _require(settings: Settings, vendor: str) -> None:
    """Refuse to build a vendor that cannot be called, saying what to set."""
    ok, why = settings.configured(vendor)
    if not ok:
        raise InputError(f"provider {vendor} is not configured: {why}; see `filmcrew providers`")


def _models(settings: Settings, vendor: str, agent: str) -> tuple[dict[str, str], dict[str, object]]:
    """The agent's model per kind and each model's capability row."""
    models = {kind: settings.model_for(agent, kind) for kind in ("text", "image", "video")}
    caps = {kind: settings.capability_for(vendor, model, kind) for kind, model in models.items()}
    return models, caps


def _openai(settings: Settings, agent: str) -> Provider:
    """OpenAI or a compatible server."""
    from filmcrew.providers.openai_provider import OpenAIProvider

    _require(settings, "openai")
    cfg = settings.openai
    models, caps = _models(settings, "openai", agent)
    return OpenAIProvider(
        api_key=cfg.api_key.get_secret_value() if cfg.api_key else None,
        base_url=cfg.base_url, models=models, caps=caps,  # type: ignore[arg-type]
        timeout_s=settings.timeout_s, use_chat=cfg.uses_chat(), strict=cfg.strict,
    )


def _gemini(settings: Settings, agent: str) -> Provider:
    """Gemini (API key) or Vertex."""
    from filmcrew.providers.gemini_provider import GeminiProvider

    _require(settings, "gemini")
    cfg = settings.gemini
    models, caps = _models(settings, "gemini", agent)
    return GeminiProvider(
        api_key=cfg.api_key.get_secret_value() if cfg.api_key else None,
        models=models, caps=caps, vertex=cfg.uses_vertex(),  # type: ignore[arg-type]
        project=cfg.project, location=cfg.location, base_url=cfg.base_url,
        timeout_s=settings.timeout_s, poll_interval_s=settings.poll_interval_s,
        video_timeout_s=settings.video_timeout_s,
    )


def _replay(settings: Settings, agent: str) -> Provider:
    """Recorded answers, shared by every agent of the run."""
    from filmcrew.providers.runtime import runtime

    directory = settings.replay_dir or settings.recordings_dir
    from pathlib import Path

    return runtime(settings).replay(Path(directory))


FACTORIES: dict[str, Factory] = {
    "offline": _offline,
    "openai": _openai,
    "gemini": _gemini,
    "replay": _replay,
}


def names() -> list[str]:
    """List the known provider names."""
    return list(FACTORIES)


def create(name: str, settings: Settings, agent: str) -> Provider:
    """Make the bare provider called `name` for an agent (no wrappers)."""
    from filmcrew.config import did_you_mean

    factory = FACTORIES.get(name)
    if factory is None:
        raise InputError(f"unknown provider {name!r}{did_you_mean(name, names())}; "
                         f"known providers: {', '.join(names())}")
    return factory(settings, agent)


def build(settings: Settings, agent: str) -> Provider:
    """Compose the full wrapper stack for one agent, as configured."""
    from filmcrew.providers.cache import Cached
    from filmcrew.providers.deadline import Deadline
    from filmcrew.providers.logged import Logged, Metered
    from filmcrew.providers.recording import Recording
    from filmcrew.providers.repairing import Repairing
    from filmcrew.providers.retrying import Retrying
    from filmcrew.providers.runtime import runtime
    from filmcrew.providers.throttled import Throttled

    name = settings.provider_for(agent)
    inner = create(name, settings, agent)
    rt = runtime(settings)
    if name == "offline":
        return Logged(inner)
    if name == "replay":
        return Logged(Metered(inner, rt.ledger, settings.price_for))
    retry = settings.retry
    stack: Provider = Deadline(inner, settings.timeout_s, settings.video_timeout_s)
    stack = Throttled(stack, rt.slots)
    stack = Retrying(stack, attempts=retry.attempts, base_delay_s=retry.base_delay_s,
                     max_delay_s=retry.max_delay_s, max_retry_after_s=retry.max_retry_after_s)
    stack = Repairing(stack)
    if settings.cache:
        stack = Cached(stack, rt.cache())
    if settings.record:
        stack = Recording(stack, settings.recordings_dir)
    return Logged(Metered(stack, rt.ledger, settings.price_for))
