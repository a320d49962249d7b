"""The shot planner: a scene's coverage as a shot list, by craft rules and (optionally) a model.

The graph calls `plan_scene` once per scene, in parallel: the scene is read as beats
(`shot_beats`), the rules draft the coverage (`shot_rules`, `shot_action`), frame it
(`shot_framing`) and time it (`shot_timing`); a provider that can return structured output
then refines the draft (`shot_model`), and every answer is checked against the scene
(`shot_checks`) before it is kept. Styles are data (`shot_styles`, `data/shot_styles.json`).
`write_shotlist` writes `shotlist.json` and `shotlist.csv`; `shotlist_table` is the
per-scene summary the CLI prints.
"""

from __future__ import annotations

import hashlib
from importlib import resources

import structlog
from filmcrew.agents.shot_beats import read_scene
from filmcrew.agents.shot_checks import validate_shots
from filmcrew.agents.shot_framing import frame, shooting_order
from filmcrew.agents.shot_model import refine
from filmcrew.agents.shot_output import shotlist_schema, shotlist_table, write_shotlist
from filmcrew.agents.shot_rules import cover
from filmcrew.agents.shot_styles import ShotSettings, StylePreset, resolve_style
from filmcrew.agents.shot_timing import assign_durations, timing_note

from filmcrew.domain import Breakdown, BreakdownScene, CharacterLibrary, Finding, Screenplay, Shot, ShotList
from filmcrew.providers.base import NotAvailable, Provider, Unsupported
from filmcrew.state import ArtefactRef

log = structlog.get_logger(__name__)

# Bump when a rule change should re-plan stored scenes (the graph keys its cache on it).
RULES_VERSION = "shot-rules-1"


def rules_version() -> str:
    """Name the rule code and data in use; a changed preset or word list re-plans cached scenes."""
    data = resources.files("filmcrew.agents").joinpath("data")
    digest = hashlib.sha256()
    for name in ("shot_styles.json", "shot_cues.json"):
        digest.update(data.joinpath(name).read_bytes())
    return f"{RULES_VERSION}+{digest.hexdigest()[:12]}"


__all__ = [
    "RULES_VERSION",
    "ShotSettings",
    "StylePreset",
    "plan_scene",
    "plan_scene_from_run",
    "plan_scene_rules",
    "plan_shotlist",
    "resolve_style",
    "rules_version",
    "scene_notes",
    "shooting_order",
    "shotlist_schema",
    "shotlist_table",
    "validate_shots",
    "write_shotlist",
]


def plan_scene_rules(
    sp: Screenplay,
    scene: BreakdownScene,
    library: CharacterLibrary | None,
    settings: ShotSettings,
    *,
    previous: BreakdownScene | None = None,
) -> list[Shot]:
    """Plan a scene's coverage by craft rules alone: deterministic, offline, byte-stable.

    `previous` is the scene before it in the script (None for the first scene): it decides
    whether the scene needs an establishing shot and, in vertical styles, a hook.
    """
    reading = read_scene(sp, scene, library)
    drafts, no_master = cover(reading, settings, previous)
    shots = frame(drafts, reading, settings, no_master)
    return assign_durations(shots, reading, settings.preset)


def scene_notes(
    sp: Screenplay,
    scene: BreakdownScene,
    shots: list[Shot],
    library: CharacterLibrary | None = None,
) -> list[str]:
    """Return the shot-list notes a scene needs, such as why its timing parts from page time."""
    note = timing_note(sp, read_scene(sp, scene, library), shots)
    return [note] if note else []


def plan_scene(
    sp: Screenplay,
    scene: BreakdownScene,
    library: CharacterLibrary | None,
    settings: ShotSettings,
    provider: Provider | None,
    *,
    previous: BreakdownScene | None = None,
) -> tuple[list[Shot], list[str]]:
    """Plan a scene: the rule draft, refined by the provider when it serves structured output.

    Returns the shots and notes for the shot list ("scene 4: model answer invalid twice, kept
    the rule draft", timing notes). A provider without a model (NotAvailable, Unsupported)
    leaves the rule draft; ProviderFailed propagates so the run stops resumable (exit 3).
    """
    draft = plan_scene_rules(sp, scene, library, settings, previous=previous)
    shots: list[Shot] = draft
    notes: list[str] = []
    if provider is not None and draft and provider.supports("structured"):
        try:
            shots, notes = refine(sp, scene, library, settings, provider, draft, previous=previous)
        except NotAvailable as exc:
            log.info("shot_model_unavailable", scene=scene.number, reason=str(exc))
        except Unsupported as exc:
            log.info("shot_model_unsupported", scene=scene.number, reason=str(exc))
    log.info(
        "shots_planned",
        scene=scene.number,
        count=len(shots),
        source="rules" if shots is draft else "model",
    )
    return shots, [*notes, *scene_notes(sp, scene, shots, library)]


def plan_scene_from_run(
    run_dir: str,
    refs: tuple[ArtefactRef, ArtefactRef, ArtefactRef],
    number: int,
    style_text: str,
    aspect: str,
    hints: list[str],
    provider: Provider | None = None,
) -> tuple[list[Shot], list[str]]:
    """Plan scene `number` from the artefacts of a run folder, `refs` = (screenplay, breakdown,
    character library), each parsed once per content hash; then revise it for the continuity checker's `hints` (findings as JSON).

    Taking references rather than models lets a worker process plan a scene by the rules while
    receiving a few short strings, not the whole screenplay, with each scene.
    """
    from filmcrew.agents.shot_revision import revise_shots
    from filmcrew.artefacts import load_model

    screenplay = load_model(run_dir, refs[0], Screenplay)
    sheet = load_model(run_dir, refs[1], Breakdown)
    library = load_model(run_dir, refs[2], CharacterLibrary)
    scene = next(s for s in sheet.scenes if s.number == number)
    previous = next((s for s in sheet.scenes if s.number == number - 1), None)
    style = resolve_style(style_text or None, aspect)
    shots, notes = plan_scene(screenplay, scene, library, style, provider, previous=previous)
    if hints:
        shots, fixed = revise_shots(shots, [Finding.model_validate_json(h) for h in hints])
        notes = [*notes, *fixed]
    return shots, notes


def plan_shotlist(
    sp: Screenplay,
    breakdown: Breakdown,
    library: CharacterLibrary | None,
    settings: ShotSettings,
    provider: Provider | None = None,
) -> ShotList:
    """Plan every scene in order (what the graph does in parallel) and assemble the shot list."""
    shots: list[Shot] = []
    notes: list[str] = []
    previous: BreakdownScene | None = None
    for scene in breakdown.scenes:
        planned, said = plan_scene(sp, scene, library, settings, provider, previous=previous)
        shots.extend(planned)
        notes.extend(said)
        previous = scene
    return ShotList(aspect=settings.aspect, style=settings.name, shots=shots, notes=notes)
