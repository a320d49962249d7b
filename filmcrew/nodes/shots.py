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
from filmcrew.domain import Shot, ShotList
from filmcrew.nodes.common import current_run_dir, breakdown_of, key_of, library_of
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
            ),
        )
        for number in numbers
    ]


def plan_shots(task: SceneTask, runtime: Runtime[CrewContext]) -> CrewState:
    """Plan one scene's coverage, reusing the stored result when its inputs are unchanged."""
    run_dir = str(runtime.context.run_dir)
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
    reused = (Path(run_dir) / relative).is_file()
    if reused:
        ref = ref_for(run_dir, relative)
        saved = load_model(run_dir, ref, SceneShotFile)
    else:
        shots, notes = _plan(task, style_text, provider, run_dir)
        saved = SceneShotFile(aspect=settings.aspect, shots=shots, notes=notes)
        ref = save_model(run_dir, relative, saved)
    runtime.context.tick("shots", len(sheet.scenes))
    entry = SceneShots(scene=scene.number, ref=ref, key=key, reused=reused, count=len(saved.shots))
    return {"scene_shots": {str(scene.number): entry}, "notes": [] if reused else saved.notes}


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

