"""Model providers behind one interface; vendor SDKs are imported only in this package.

What agents call::

    from filmcrew.config import load_settings
    from filmcrew.providers import for_agent, structured
    from filmcrew.providers.base import InvalidOutput, NotAvailable, TextRequest

    settings = load_settings(project_dir, provider=flag_provider, model=flag_model)
    provider = for_agent(settings, "shot_planner")          # the full wrapper stack
    if provider.supports("structured"):
        try:
            shots, result = structured(provider, TextRequest(agent="shot_planner",
                                       prompt=rendered.text, prompt_id=rendered.key), ShotList)
        except (NotAvailable, InvalidOutput):
            shots = rule_based_shots(...)                   # keep the craft-rule draft
    refs = provider.capability_info("image").max_reference_images

- `for_agent(settings, agent) -> Provider`: the configured provider for one agent
  (`writer`, `breakdown`, `characters`, `shot_planner`, `continuity`, `storyboard`, `video`),
  wrapped in logging, metering, recording, cache, repair, retry and timeout layers.
- `structured(provider, req, Output) -> (Output, TextResult)`: structured output validated
  into a pydantic model, with one repair re-ask; raises `InvalidOutput` after that.
- `Provider.text/image/video(req)` return results with `usage`, `cost_usd`, `fingerprint`,
  `cached`, `provider`, `model`. `Provider.supports(name)` and `Provider.capability_info(kind)`
  say what the configured models can do.
- Vision: `TextRequest(..., images=[paths])` shows the model PNG/JPEG files after the prompt
  when `provider.supports("vision")` (otherwise the adapter raises `Unsupported` unsent). The
  fingerprint counts `image_hashes` (filled in from the files), never the paths; recordings
  keep each image as `<sha256>.png|.jpg` beside the JSON.
- `ledger(settings)` holds the run's calls, tokens, cost and cache hits
  (`ledger(settings).as_run_json()` for run.json); `settings.provider_per_agent()` and
  `settings.summary()` say who answered.
- Errors: `NotAvailable` (offline: use the rules), `Unsupported` (this provider/model cannot),
  `InvalidOutput` (bad structured output after a repair, or a refusal),
  `filmcrew.errors.ProviderFailed` (exit 3: gave up after retries; the run stays resumable),
  `filmcrew.errors.ReplayMiss` (exit 3: no recording for a request).

Test doubles and recordings: `ScriptedProvider` (providers/scripted.py), the `replay` provider
and `Replay.assert_consumed()` (providers/replay.py), `author_recording()` and
`structured_request()` for hand-made eval recordings (providers/recording.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from filmcrew.providers.base import (
    Capabilities,
    ImageRequest,
    ImageResult,
    InvalidOutput,
    NotAvailable,
    Provider,
    TextRequest,
    TextResult,
    Unsupported,
    Usage,
    VideoRequest,
    VideoResult,
    fingerprint,
)
from filmcrew.providers.ledger import Ledger
from filmcrew.providers.scripted import ScriptedProvider, UnexpectedCall
from filmcrew.providers.structured import structured, structured_request

if TYPE_CHECKING:
    from filmcrew.config import Settings
    from filmcrew.providers.runtime import Runtime


def for_agent(settings: Settings, agent: str) -> Provider:
    """Return the provider stack an agent uses, built once per run and agent."""
    from filmcrew.config import AGENTS, did_you_mean
    from filmcrew.errors import InputError
    from filmcrew.providers.registry import build
    from filmcrew.providers.runtime import runtime

    if agent not in AGENTS:
        raise InputError(f"unknown agent {agent!r}{did_you_mean(agent, AGENTS)}")
    rt = runtime(settings)
    with rt._lock:
        if agent not in rt.providers:
            rt.providers[agent] = build(settings, agent)
        return rt.providers[agent]


def ledger(settings: Settings) -> Ledger:
    """Return the run's cost and usage ledger."""
    return run_state(settings).ledger


def run_state(settings: Settings) -> Runtime:
    """Return what the run's providers share (ledger, cache, recordings); `.close()` at the end."""
    from filmcrew.providers.runtime import runtime

    return runtime(settings)


__all__ = [
    "Capabilities",
    "ImageRequest",
    "ImageResult",
    "InvalidOutput",
    "Ledger",
    "NotAvailable",
    "Provider",
    "ScriptedProvider",
    "TextRequest",
    "TextResult",
    "UnexpectedCall",
    "Unsupported",
    "Usage",
    "VideoRequest",
    "VideoResult",
    "fingerprint",
    "for_agent",
    "ledger",
    "run_state",
    "structured",
    "structured_request",
]
