"""Shot planner nodes: one task per scene (fanned out), then the assembled shot list.

A scene's shots are stored under a key made of everything that shaped them (the scene's
content fingerprint, the looks of its cast, the style, the provider, continuity hints), so a
re-plan after an edit, or a resume after a crash, reuses every scene whose inputs did not change.
"""

from __future__ import annotations

from pathlib import Path

from langgraph.runtime import Runtime
from langgraph.types import Send

from filmcrew.agents.shot_planner import plan_scene, resolve_style, write_shotlist
from filmcrew.artefacts import load_model, ref_for, save_model
from filmcrew.context import CrewContext
from filmcrew.agents.shot_revision import revise_shots
from filmcrew.domain import Finding, Shot, ShotList
from filmcrew.nodes.common import current_run_dir, breakdown_of, key_of, library_of, screenplay_of
from filmcrew.state import CrewState, SceneShots, SceneTask


class SceneShotFile(ShotList):
    """The shots of one scene plus the notes the planner made about them."""


def scene_tasks(state: CrewState, hints: dict[int, list[str]] | None = None) -> list[Send]:
    """Fan out one shot-planning task per scene (or only the scenes that have hints)."""
    sheet = breakdown_of(current_run_dir(), state["breakdown"])
    numbers = [s.number for s in sheet.scenes if hints is None or s.number in hints]
    return [
        Send(
            "plan_shots",
            SceneTask(
                scene=number,
                settings=state["settings"],
                screenplay=state["screenplay"],
                breakdown=state["breakdown"],
                library=state["library"],
                hints=sorted((hints or {}).get(number, [])),
            ),
        )
        for number in numbers
    ]


def plan_shots(task: SceneTask, runtime: Runtime[CrewContext]) -> CrewState:
    """Plan one scene's coverage, reusing the stored result when its inputs are unchanged."""
    run_dir = str(runtime.context.run_dir)
    screenplay = screenplay_of(run_dir, task["screenplay"])
    sheet = breakdown_of(run_dir, task["breakdown"])
    library = library_of(run_dir, task["library"])
    scene = next(s for s in sheet.scenes if s.number == task["scene"])
    previous = next((s for s in sheet.scenes if s.number == task["scene"] - 1), None)
    cast = [c for c in library.characters if c.name in scene.characters]
    provider = runtime.context.provider_for("shot_planner")
    settings = task["settings"]
    style_text = settings.scene_styles.get(str(scene.number)) or settings.style  # chat: "make scene 3 handheld"
    key = key_of(scene.fingerprint, previous.fingerprint if previous else "", cast, settings.aspect,
                 style_text, provider.name, task["hints"], runtime.context.info.get("shot_rules", ""))
    relative = f"work/shots/{scene.number:04d}-{key}.json"
    stored = Path(run_dir) / relative
    reused = stored.is_file()
    if not reused:
        style = resolve_style(style_text or None, settings.aspect)
        shots, notes = plan_scene(screenplay, scene, library, style, provider, previous=previous)
        if task["hints"]:
            findings = [Finding.model_validate_json(h) for h in task["hints"]]
            shots, fixed = revise_shots(shots, findings)
            notes = [*notes, *fixed]
        save_model(run_dir, relative, SceneShotFile(aspect=settings.aspect, shots=shots, notes=notes))
    ref = ref_for(run_dir, relative)
    saved = load_model(run_dir, ref, SceneShotFile)
    runtime.context.tick("shots", len(sheet.scenes))
    entry = SceneShots(scene=scene.number, ref=ref, key=key, reused=reused, count=len(saved.shots))
    return {"scene_shots": {str(scene.number): entry}, "notes": [] if reused else saved.notes}


def collect_shots(state: CrewState, runtime: Runtime[CrewContext]) -> CrewState:
    """Assemble the scenes' shots, in script order, into `shotlist.json` and `shotlist.csv`."""
    run_dir = str(runtime.context.run_dir)
    sheet = breakdown_of(run_dir, state["breakdown"])
    settings = state["settings"]
    shots: list[Shot] = []
    notes: list[str] = []
    for scene in sheet.scenes:
        entry = state["scene_shots"][str(scene.number)]
        part = load_model(run_dir, entry.ref, SceneShotFile)
        shots.extend(part.shots)
        notes.extend(part.notes)
    style = resolve_style(settings.style or None, settings.aspect)
    shotlist = ShotList(aspect=settings.aspect, style=style.name, shots=shots, notes=notes)
    write_shotlist(shotlist, Path(run_dir), sheet)
    return {"shotlist": ref_for(run_dir, "shotlist.json")}

