"""What `filmcrew providers` reports, as plain data: providers, whether they are configured
(and why not), the model each agent uses, and what those models can do.

Nothing here calls a vendor or imports an SDK.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from filmcrew.errors import FilmcrewError
from filmcrew.providers.base import Capabilities
from filmcrew.providers.registry import create, names

if TYPE_CHECKING:
    from filmcrew.config import Settings

KIND_OF_SLOT = {"text": "text", "text_light": "text", "image": "image", "video": "video"}


def describe_caps(caps: Capabilities) -> str:
    """Say what a capability row grants, e.g. `text, structured, vision, image (16 refs)`."""
    names = caps.names()
    if caps.vision:  # text calls that carry images: listed with the text capabilities
        at = sum(1 for name in names if name in ("text", "structured"))
        names = [*names[:at], "vision", *names[at:]]
    words = []
    for name in names:
        if name == "image" and caps.max_reference_images:
            words.append(f"image ({caps.max_reference_images} refs)")
        elif name == "video" and caps.max_video_seconds:
            words.append(f"video ({caps.max_video_seconds} s)")
        else:
            words.append(name)
    return ", ".join(words) or "none"


def _replay_status(settings: Settings) -> tuple[bool, str]:
    """Say whether there are recordings to replay."""
    folder = Path(settings.replay_dir or settings.recordings_dir)
    count = len(list(folder.glob("*.json"))) if folder.is_dir() else 0
    if count:
        return True, f"{count} recordings in {folder}"
    return False, f"no recordings in {folder} (make some with --record)"


def _vendor_row(settings: Settings, vendor: str) -> dict[str, Any]:
    """One vendor's row: configured or not, its slot models and their capabilities."""
    from filmcrew.config import SLOT_CAPABILITIES

    ok, why = settings.configured(vendor)
    cfg = settings.vendor(vendor)
    models = {slot: cfg.slot_model(vendor, slot) for slot in SLOT_CAPABILITIES[vendor]}
    caps = Capabilities()
    for slot, model in models.items():
        caps = caps.merged(settings.capability_for(vendor, model, KIND_OF_SLOT[slot]))
    if vendor == "openai" or not settings.gemini.uses_vertex():
        caps = caps.model_copy(update={"video": False, "max_video_seconds": 0})
    if ok and not models["text"]:
        why += f"; no model set: pass --model or set [{vendor}] text_model"
    if ok and vendor == "gemini" and not settings.gemini.uses_vertex():
        why += "; video needs Vertex"
    return {"provider": vendor, "configured": ok, "why": why, "models": models,
            "capabilities": describe_caps(caps)}


def provider_rows(settings: Settings) -> list[dict[str, Any]]:
    """Rows for every registered provider."""
    rows = []
    for name in names():
        if name in ("openai", "gemini"):
            rows.append(_vendor_row(settings, name))
        elif name == "replay":
            ok, why = _replay_status(settings)
            rows.append({"provider": name, "configured": ok, "why": why, "models": {},
                         "capabilities": "whatever was recorded"})
        else:
            rows.append({"provider": name, "configured": True,
                         "why": "always available: craft rules, no model", "models": {},
                         "capabilities": "none (agents use their rules)"})
    return rows


def agent_rows(settings: Settings) -> list[dict[str, Any]]:
    """Rows for every agent: its provider, models and what it can ask for."""
    from filmcrew.config import AGENTS

    rows = []
    for agent in AGENTS:
        name = settings.provider_for(agent)
        models = {kind: settings.model_for(agent, kind) for kind in ("text", "image", "video")}
        try:
            caps = describe_caps(create(name, settings, agent).capability_info())
        except FilmcrewError as exc:
            caps = f"unavailable: {exc}"
        rows.append({"agent": agent, "provider": name, "models": models, "capabilities": caps})
    return rows


def report(settings: Settings) -> dict[str, Any]:
    """Everything `filmcrew providers` prints."""
    return {
        "default": settings.provider,
        "reason": settings.provider_reason,
        "summary": settings.summary(),
        "config_file": str(settings.config_file) if settings.config_file else None,
        "providers": provider_rows(settings),
        "agents": agent_rows(settings),
    }
