"""Style presets and aspect framing for the shot planner, read from `data/shot_styles.json`.

A style is data: a preset names every switch and number the coverage rules read (which shots a
scene gets, sizes, movement, lenses, pacing). `resolve_style` merges, in order, the preset the
user named (or the aspect's default preset), the aspect profile (9:16 drops OTS and wides,
stacks subjects and asks for a hook), and the modifiers whose keywords appear in free text
("classic coverage, but handheld"). The free text itself is kept for the model path.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from filmcrew.agents.shot_vocab import SIZES
from pydantic import BaseModel, ConfigDict, Field

from filmcrew.errors import InputError

ASPECTS: tuple[str, ...] = ("16:9", "1.85:1", "2.39:1", "9:16", "4:5")
VERTICAL_ASPECTS = frozenset({"9:16", "4:5"})


class StylePreset(BaseModel):
    """Every switch and number a coverage rule reads; one preset per style (see the JSON file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    keywords: list[str] = Field(default_factory=list)
    establishing: bool
    establishing_size: str
    establishing_movement: str
    establishing_angle: str
    master: bool
    master_size: str
    master_movement: str
    no_master_reason: str
    two_shot: bool
    two_shot_size: str
    ots: bool
    ots_size: str
    singles: bool
    single_size: str
    reaction_size: str
    max_reactions: int = Field(ge=0)
    insert_size: str
    max_inserts: int = Field(ge=0)
    pov: bool
    follow: bool
    follow_size: str
    pairing: bool
    default_movement: str
    kinetic_movement: str
    travel_movement: str
    intimate_movement: str
    menace_angle: str
    vulnerable_angle: str
    lens_by_size: dict[str, str]
    stack_subjects: bool
    hook: bool
    hook_max_s: float = Field(gt=0)
    floor_s: float = Field(gt=0)
    avg_shot_s: float = Field(gt=0)
    progression: float = Field(ge=0, le=1)
    cut_weights: dict[str, float]
    size_map: dict[str, str]
    framing_note: str
    insert_note: str

    def size(self, size: str) -> str:
        """Apply the aspect's size map (9:16 turns a WS into an FS)."""
        return self.size_map.get(size, size)

    def lens(self, size: str) -> str:
        """Pick the lens (35 mm equivalent) this style uses for a frame size."""
        return self.lens_by_size.get(size, "50")

    def weight(self, shot_type: str) -> float:
        """How readily the editor cuts to a shot of this type (see `shot_timing`)."""
        return self.cut_weights.get(shot_type, 0.5)


class ShotSettings(BaseModel):
    """What the shot planner was asked for: the aspect, the style as given, and the resolved preset.

    `name` is the preset name when the style named one, else the user's free text; `base`
    is the preset the rules started from; `modifiers` lists the keywords that changed it.
    """

    model_config = ConfigDict(frozen=True)

    aspect: str = "16:9"
    style: str = ""
    name: str = "classic coverage"
    base: str = "classic coverage"
    modifiers: list[str] = Field(default_factory=list)
    preset: StylePreset

    @property
    def vertical(self) -> bool:
        """Say whether the frame is taller than wide or nearly square (phone feeds)."""
        return self.aspect in VERTICAL_ASPECTS


@lru_cache(maxsize=1)
def style_data() -> dict[str, Any]:
    """Load the preset file shipped with the package."""
    text = (
        resources.files("filmcrew.agents")
        .joinpath("data", "shot_styles.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def preset_names() -> list[str]:
    """List the preset names, for help text and the model prompt."""
    return sorted(style_data()["presets"])


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Overlay overrides on a preset; dict fields (weights, lenses, size map) merge key by key."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _mentions(text: str, keyword: str) -> bool:
    """Say whether free text holds a keyword as whole words."""
    return re.search(rf"(?<![\w-]){re.escape(keyword.lower())}(?![\w-])", text) is not None


def _pick_preset(text: str, aspect: str) -> str:
    """Choose the preset a style names: exact name, most keyword hits, else the aspect default."""
    presets = style_data()["presets"]
    if text in presets:
        return text
    scores = {
        name: sum(_mentions(text, k) for k in [name, *p["keywords"]]) for name, p in presets.items()
    }
    best = max(sorted(scores), key=lambda name: scores[name])
    if scores[best] > 0:
        return str(best)
    return str(style_data()["default_preset"][aspect])


def _check_aspect(aspect: str) -> None:
    """Refuse an aspect the planner has no framing rules for."""
    if aspect not in ASPECTS:
        raise InputError(
            f"unknown aspect {aspect!r}; use one of {', '.join(ASPECTS)}", path="--aspect"
        )


def resolve_style(style: str | None, aspect: str) -> ShotSettings:
    """Resolve a preset name or free-text style for an aspect into the settings the rules read.

    Raises `InputError` for an aspect with no framing rules.
    """
    _check_aspect(aspect)
    given = " ".join((style or "").split())
    text = given.lower()
    base = _pick_preset(text, aspect)
    data = style_data()
    fields = _merge(data["presets"][base], data["aspects"].get(aspect, {}))
    applied: list[str] = []
    if text and text != base:
        for modifier in data["modifiers"]:
            hits = [k for k in modifier["keywords"] if _mentions(text, k)]
            if hits:
                fields = _merge(fields, modifier["set"])
                applied.append(hits[0])
    preset = StylePreset.model_validate(fields)
    _check_sizes(preset, base)
    name = base if not given or text == base else given
    return ShotSettings(
        aspect=aspect, style=given, name=name, base=base, modifiers=applied, preset=preset
    )


def _check_sizes(preset: StylePreset, name: str) -> None:
    """Fail loudly when the data file names a frame size outside the vocabulary."""
    sizes = [
        v for k, v in preset.model_dump().items() if k.endswith("_size") and isinstance(v, str)
    ]
    sizes += list(preset.size_map.values()) + list(preset.lens_by_size)
    bad = sorted({s for s in sizes if s not in SIZES})
    if bad:
        raise InputError(
            f"style {name!r} uses unknown frame sizes: {', '.join(bad)}", path="shot_styles.json"
        )
