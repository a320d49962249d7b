"""The model path: a provider refines the rule draft into structured shots, checked by the crew.

The request carries the scene text with its source line numbers, the rule draft, the cast
from the character library and the style; the answer is a `ShotPlan`. Every answer is parsed
(pydantic) and validated (`validate_shots`: lines in the scene, subjects present, vocabulary,
every speech covered). An invalid answer is repaired once, with its problems listed; a second
invalid answer leaves the rule draft, and the run says so in a note. Ids, durations, heading
fields and captions are always set by the crew's own rules, so both paths time scenes alike.
Requests hold no clock or randomness, so recordings replay.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import structlog
from filmcrew.agents.shot_beats import NameMatcher, SceneReading, read_scene, scene_elements
from filmcrew.agents.shot_checks import validate_shots
from filmcrew.agents.shot_framing import dialogue_caption, letters, shot_id
from filmcrew.agents.shot_styles import ShotSettings
from filmcrew.agents.shot_timing import assign_durations
from filmcrew.agents.shot_vocab import (
    ANGLES,
    AUDIO,
    DIRECTIONS,
    LENS_CLASSES,
    MOVEMENTS,
    SCREEN_SIDES,
    SIZES,
    TYPES,
    Audio,
    Direction,
    ScreenSide,
    ShotType,
    Size,
    is_vocab_angle,
    is_vocab_lens,
    is_vocab_movement,
    normalise_angle,
)
from filmcrew.prompts import render
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from filmcrew.domain import BreakdownScene, CharacterLibrary, Element, Screenplay, Shot
from filmcrew.providers.base import InvalidOutput, Provider, TextRequest, TextResult
from filmcrew.providers.structured import payload, repair_request, structured_request

log = structlog.get_logger(__name__)

PROMPT_ID = "shot_planner/plan_scene"
CustomField = Literal["angle", "movement", "lens"]


class PlannedShot(BaseModel):
    """One shot as the model proposes it (ids and durations are set by the crew)."""

    model_config = ConfigDict(extra="forbid")

    size: Size
    type: ShotType
    angle: str = Field(
        description=f"one of: {', '.join(ANGLES)}; another value only if 'angle' is in custom"
    )
    movement: str = Field(
        description=f"one of: {', '.join(MOVEMENTS)}; another value only if 'movement' is in custom"
    )
    lens: str = Field(
        description=(
            "35 mm-equivalent focal length in mm, e.g. 24, 50, 85 or 14-24; "
            "other values need 'lens' in custom"
        )
    )
    subjects: list[str] = Field(description="characters seen in frame, spelled as in the cast list")
    description: str
    lines: list[int] = Field(description="source line numbers of the scene text this shot covers")
    audio: Audio
    setup: str = Field(description="camera position letter; shots from one position share it")
    screen_side: ScreenSide
    direction: Direction
    notes: str
    custom: list[CustomField] = Field(
        description="fields that deliberately use a value outside the vocabulary"
    )


class ShotPlan(BaseModel):
    """The model's shot list for one scene, in cut order."""

    model_config = ConfigDict(extra="forbid")

    shots: list[PlannedShot] = Field(min_length=1)
    notes: str


# --- the request -------------------------------------------------------------------------


def _element_rows(element: Element) -> list[tuple[int, str]]:
    """Lay out one element as numbered rows (cues and dialogue indented like a script page)."""
    text = element.text
    if element.kind == "character":
        text = " ".join([element.text, *(f"({e})" for e in element.extensions)])
    indent = {
        "character": " " * 20,
        "parenthetical": " " * 15,
        "dialogue": " " * 10,
        "lyric": " " * 10,
    }.get(element.kind, "")
    rows = text.split("\n")
    if len(rows) != element.end_line - element.start_line + 1:
        rows = [" ".join(text.split())]
    return [(element.start_line + i, indent + row) for i, row in enumerate(rows)]


def numbered_text(sp: Screenplay, scene: BreakdownScene) -> str:
    """Return the scene's text with source line numbers, as the model sees it."""
    rows: list[tuple[int, str]] = []
    for element in scene_elements(sp, scene):
        if element.kind in ("note", "section", "synopsis", "page_break"):
            continue
        rows.extend(_element_rows(element))
    width = len(str(max((n for n, _ in rows), default=1)))
    return "\n".join(f"{n:>{width}} | {row}".rstrip() for n, row in rows)


def _cast_text(reading: SceneReading, library: CharacterLibrary | None) -> str:
    """Describe the scene's cast from the character library (one line each)."""
    rows: list[str] = []
    for name in reading.cast:
        entry = library.get(name) if library else None
        detail = "; ".join(
            p
            for p in ((entry.description if entry else ""), (entry.pronouns if entry else ""))
            if p
        )
        rows.append(f"- {name}" + (f": {detail}" if detail else ""))
    rows += [f"- {name} (heard only: V.O./O.S., not a subject)" for name in reading.voices]
    return "\n".join(rows) or "- nobody on screen"


def _style_text(settings: ShotSettings) -> str:
    """Describe the style: its name or the user's words, the preset, the aspect framing."""
    preset = settings.preset
    parts = [settings.name, f"({preset.description})"]
    if settings.style and settings.style != settings.base:
        parts.append(f"starting from the '{settings.base}' preset")
    if preset.framing_note:
        parts.append(f"framing: {preset.framing_note}")
    return " ".join(parts)


def _vocabulary_text() -> str:
    """List the vocabulary the answer must use."""
    rows = {
        "size": SIZES,
        "type": TYPES,
        "angle": ANGLES,
        "movement": MOVEMENTS,
        "audio": AUDIO,
        "screen_side": [s for s in SCREEN_SIDES if s],
        "direction": [d for d in DIRECTIONS if d],
    }
    listed = [f"- {name}: {', '.join(values)}" for name, values in rows.items()]
    lens = f"- lens: a 35 mm-equivalent focal length in mm, 8 to 800 ({', '.join(LENS_CLASSES)})"
    return "\n".join([*listed[:4], lens, *listed[4:]])


def planned_fields(shot: Shot) -> dict[str, Any]:
    """Return a shot's values for the fields the model answers with (a `PlannedShot`'s, bar
    `custom`), so the draft the model sees reads like the answer it gives."""
    return {f: getattr(shot, f) for f in PlannedShot.model_fields if f != "custom"}


def _draft_json(draft: list[Shot]) -> str:
    """Render the rule draft as the fields the model answers with (sorted keys, stable bytes)."""
    rows = [json.dumps(planned_fields(s), sort_keys=True, ensure_ascii=False) for s in draft]
    return "[\n" + ",\n".join(rows) + "\n]"


def build_request(
    sp: Screenplay,
    scene: BreakdownScene,
    library: CharacterLibrary | None,
    settings: ShotSettings,
    draft: list[Shot],
) -> TextRequest:
    """Render the prompt and build the structured request for one scene."""
    reading = read_scene(sp, scene, library)
    rendered = render(
        PROMPT_ID,
        heading=scene.heading or f"scene {scene.label} (no heading)",
        scene_text=numbered_text(sp, scene),
        cast=_cast_text(reading, library),
        style=_style_text(settings),
        aspect=settings.aspect,
        vocabulary=_vocabulary_text(),
        rule_draft=_draft_json(draft),
    )
    req = TextRequest(
        agent="shot_planner", prompt=rendered.text, prompt_id=rendered.key, temperature=0.0
    )
    return structured_request(req, ShotPlan)


# --- the answer --------------------------------------------------------------------------


def _custom_problems(plan: ShotPlan) -> list[str]:
    """Problems with values outside the vocabulary that the model did not flag as custom."""
    problems: list[str] = []
    checks = {"angle": is_vocab_angle, "movement": is_vocab_movement, "lens": is_vocab_lens}
    for index, shot in enumerate(plan.shots, start=1):
        for field, known in checks.items():
            value = getattr(shot, field)
            if not known(value) and field not in shot.custom:
                problems.append(
                    f"shot {index}: {field} {value!r} is not in the vocabulary; "
                    f"use a vocabulary word or list {field!r} in custom"
                )
    return problems


def _setups(plan: ShotPlan) -> list[str]:
    """Map the model's setup names onto letters in order of first use (blank: one per shot)."""
    names: dict[str, str] = {}
    out: list[str] = []
    for index, shot in enumerate(plan.shots):
        key = shot.setup.strip().upper() or f"#{index}"
        names.setdefault(key, letters(len(names)))
        out.append(names[key])
    return out


def to_shots(
    plan: ShotPlan, reading: SceneReading, settings: ShotSettings, library: CharacterLibrary | None
) -> list[Shot]:
    """Turn a plan into shot rows: crew ids, canonical names, heading fields, captions, timing."""
    scene = reading.scene
    names = NameMatcher([*scene.characters, *scene.speaking], library)
    label = reading.label
    shots: list[Shot] = []
    for index, (planned, setup) in enumerate(zip(plan.shots, _setups(plan), strict=True)):
        angle = (
            normalise_angle(planned.angle)
            if is_vocab_angle(planned.angle)
            else planned.angle.strip()
        )
        shot = Shot(
            shot_id=shot_id(label, index),
            scene=scene.number,
            size=planned.size,
            type=planned.type,
            angle=angle,
            movement=planned.movement.strip(),
            lens=planned.lens.strip().removesuffix("mm").strip(),
            subjects=[names.resolve(s) or s for s in planned.subjects],
            description=planned.description.strip(),
            lines=sorted(set(planned.lines)),
            audio=planned.audio,
            setup=setup,
            notes=planned.notes.strip(),
            int_ext=scene.int_ext,
            location=scene.location,
            time_of_day=scene.time_of_day,
            screen_side=planned.screen_side,
            direction=planned.direction,
        )
        shots.append(shot.model_copy(update={"dialogue": dialogue_caption(shot, reading)}))
    return assign_durations(shots, reading, settings.preset)


def check_answer(
    result: TextResult,
    sp: Screenplay,
    reading: SceneReading,
    settings: ShotSettings,
    library: CharacterLibrary | None,
) -> tuple[list[Shot], list[str]]:
    """Parse and validate one answer; return its shots and problems (no shots when unusable)."""
    if result.refusal:
        raise InvalidOutput(
            f"the model refused the shot plan: {result.refusal}", refusal=result.refusal
        )
    try:
        plan = ShotPlan.model_validate(payload(result))
    except (ValueError, ValidationError) as exc:
        return [], [f"the answer does not fit the ShotPlan schema: {_short(exc)}"]
    shots = to_shots(plan, reading, settings, library)
    return shots, _custom_problems(plan) + validate_shots(sp, reading.scene, shots)


def _short(exc: Exception) -> str:
    """Summarise a parse or validation error in one line."""
    if isinstance(exc, ValidationError):
        errs = exc.errors()[:5]
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in errs
        )
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def refine(
    sp: Screenplay,
    scene: BreakdownScene,
    library: CharacterLibrary | None,
    settings: ShotSettings,
    provider: Provider,
    draft: list[Shot],
    *,
    previous: BreakdownScene | None = None,
) -> tuple[list[Shot], list[str]]:
    """Ask the provider to refine the rule draft; repair once; fall back to the draft with a note.

    `previous` is accepted for symmetry with the rules (the draft already reflects it).
    """
    reading = read_scene(sp, scene, library)
    label = reading.label
    req = build_request(sp, scene, library, settings, draft)
    try:
        result = provider.text(req)
        shots, problems = check_answer(result, sp, reading, settings, library)
        if not problems:
            return shots, []
        log.info("shot_plan_repair", scene=scene.number, problems=len(problems))
        again = provider.text(repair_request(req, result.text, "; ".join(problems[:12])))
        shots, problems = check_answer(again, sp, reading, settings, library)
    except InvalidOutput as exc:
        log.warning("shot_plan_invalid", scene=scene.number, error=str(exc))
        return draft, [f"scene {label}: model answer unusable ({exc}); kept the rule draft"]
    if problems:
        log.warning("shot_plan_invalid_twice", scene=scene.number, problems=problems[:5])
        return draft, [
            f"scene {label}: model answer invalid twice ({problems[0]}); kept the rule draft"
        ]
    return shots, [f"scene {label}: model answer repaired once"]
