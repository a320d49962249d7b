"""Shot planner nodes: one task per scene (fanned out), then the assembled shot list.

A scene's shots are stored under a key made of everything that shaped them (the scene's
content fingerprint, the looks of its cast, the style, the provider, continuity hints), so a
re-plan after an edit, or a resume after a crash, reuses every scene whose inputs did not change.
"""

from __future__ import annotations

from pathlib import Path

from langgraph.runtime import Runtime
from langgraph.types import Send

from filmcrew import workers
from filmcrew.agents.shot_planner import plan_scene_from_run, resolve_style, write_shotlist
from filmcrew.artefacts import load_model, ref_for, save_model
from filmcrew.context import CrewContext
from filmcrew.agents.shot_revision import revise_shots
from filmcrew.domain import Finding, Shot, ShotList
from filmcrew.nodes.frames import sketch_ahead
from filmcrew.nodes.common import answered_by, breakdown_of, current_run_dir, key_of, library_of
from filmcrew.providers.base import Provider
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
                **_base(state, number, hints),
            ),
        )
        for number in numbers
    ]


def _base(state: CrewState, number: int, hints: dict[int, list[str]] | None) -> dict[str, SceneShots]:
    """For a scene sent back with hints, the shots the checker saw (the revision starts there)."""
    entry = (state.get("scene_shots") or {}).get(str(number)) if hints else None
    return {"base": entry} if entry is not None else {}


def plan_shots(task: SceneTask, runtime: Runtime[CrewContext]) -> CrewState:
    """Plan one scene's coverage, reusing the stored result when its inputs are unchanged;
    revise the planned shots when the continuity checker sent hints."""
    run_dir = str(runtime.context.run_dir)
    base = task.get("base")
    if task["hints"] and base is not None:
        return _revise(task, base, run_dir, runtime)
    sheet = breakdown_of(run_dir, task["breakdown"])
    library = library_of(run_dir, task["library"])
    scene = next(s for s in sheet.scenes if s.number == task["scene"])
    previous = next((s for s in sheet.scenes if s.number == task["scene"] - 1), None)
    cast = [c for c in library.characters if c.name in scene.characters]
    provider = runtime.context.provider_for("shot_planner")
    settings = task["settings"]
    style_text = settings.scene_styles.get(str(scene.number)) or settings.style  # chat: "make scene 3 handheld"
    key = key_of(scene.fingerprint, previous.fingerprint if previous else "", cast, settings.aspect,
                 style_text, answered_by(provider), task["hints"], runtime.context.info.get("shot_rules", ""))
    relative = f"work/shots/{scene.number:04d}-{key}.json"
    reused = (Path(run_dir) / relative).is_file()
    if reused:
        ref = ref_for(run_dir, relative)
        saved = load_model(run_dir, ref, SceneShotFile)
    else:
        shots, notes = _plan(task, style_text, provider, run_dir)
        saved = SceneShotFile(aspect=settings.aspect, shots=shots, notes=notes)
        ref = save_model(run_dir, relative, saved)
        if provider.supports("structured"):  # the workers are idle while a model plans
            sketch_ahead(run_dir, saved.shots, task["library"], settings,
                         runtime.context.provider_for("storyboard"), runtime.context.info)
    runtime.context.tick("shots", len(sheet.scenes))
    entry = SceneShots(scene=scene.number, ref=ref, key=key, reused=reused, count=len(saved.shots))
    return {"scene_shots": {str(scene.number): entry}, "notes": [] if reused else saved.notes}


def _revise(task: SceneTask, base: SceneShots, run_dir: str, runtime: Runtime[CrewContext]) -> CrewState:
    """Apply the continuity checker's fixes to the shots it checked (the shots are not planned
    again: a second round revises the first round's revision, and no model is asked twice)."""
    key = key_of(base.key, task["hints"])
    relative = f"work/shots/{base.scene:04d}-{key}.json"
    reused = (Path(run_dir) / relative).is_file()
    if reused:
        ref = ref_for(run_dir, relative)
        saved, fixed = load_model(run_dir, ref, SceneShotFile), []
    else:
        planned = load_model(run_dir, base.ref, SceneShotFile)
        shots, fixed = revise_shots(planned.shots, [Finding.model_validate_json(h) for h in task["hints"]])
        saved = SceneShotFile(aspect=planned.aspect, shots=shots, notes=[*planned.notes, *fixed])
        ref = save_model(run_dir, relative, saved)
    runtime.context.tick("shots", len(breakdown_of(run_dir, task["breakdown"]).scenes))
    entry = SceneShots(scene=base.scene, ref=ref, key=key, reused=reused, count=len(saved.shots))
    return {"scene_shots": {str(base.scene): entry}, "notes": fixed}


def _plan(task: SceneTask, style_text: str, provider: Provider, run_dir: str) -> tuple[list[Shot], list[str]]:
    """Plan a scene: by the rules in a worker process (CPU work that would hold the fan-out's
    GIL), or here when a model refines the draft (its client and ledger live in this process)."""
    refs = (task["screenplay"], task["breakdown"], task["library"])
    args = (run_dir, refs, task["scene"], style_text, task["settings"].aspect, task["hints"])
    if provider.supports("structured"):
        return plan_scene_from_run(*args, provider=provider)
    return workers.run(plan_scene_from_run, *args)


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

