"""Storyboard nodes: frames drawn in fanned-out batches, each frame drawn or generated once.

A batch is one shot when an image model draws (each call waits seconds on the network, so every
shot runs in parallel, up to `--concurrency`), and one scene's shots when the offline sketcher
draws: a sketch takes milliseconds, and LangGraph's bookkeeping per Send task grows with the
number of tasks in flight (measured: ~2 ms a task with 1,256 shots pending), so a feature's
storyboard as one task per shot spends more time scheduling than drawing. Offline sketches are
drawn in worker processes (`filmcrew.workers`): the fan-out's threads share one GIL.

Frames are stored by a key of everything that shapes them (the shot row, the cast's looks,
the aspect, the provider) in `work/frames/`, then placed at `storyboard/SHOT_ID.png`; an
unchanged shot is never drawn (or paid for) twice, and a crash inside a batch keeps the frames
the batch had finished.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path
from typing import Any

from langgraph.runtime import Runtime, get_runtime
from langgraph.types import Send

from filmcrew import workers
from filmcrew.agents.continuity import merge_findings, write_continuity
from filmcrew.agents.storyboard import (
    check_frame_subjects,
    draw_frame_from_run,
    frame_path,
    sketch_frames_to,
    generate_frame,
    judge_frames,
    keep_frame,
)
from filmcrew.artefacts import load_model, ref_for
from filmcrew.context import CrewContext
from filmcrew.nodes.common import answered_by, current_run_dir, key_of, library_of, shotlist_of
from filmcrew.domain import CharacterLibrary, ContinuityReport, Shot
from filmcrew.providers.base import InvalidOutput, Provider, Unsupported
from filmcrew.state import ArtefactRef, CrewState, FrameRef, FrameTask, RunSettings


def frame_tasks(state: CrewState) -> list[Send]:
    """Fan out the approved shot list: a task per shot for an image model, per scene offline."""
    shotlist = shotlist_of(current_run_dir(), state["shotlist"])
    per_shot = get_runtime(CrewContext).context.provider_for("storyboard").supports("image")
    batches = ([[shot] for shot in shotlist.shots] if per_shot
               else [list(shots) for _, shots in groupby(shotlist.shots, key=lambda shot: shot.scene)])
    return [
        Send(
            "draw_frame",
            FrameTask(
                shot_ids=[shot.shot_id for shot in batch],
                settings=state["settings"],
                shotlist=state["shotlist"],
                library=state["library"],
                screenplay=state["screenplay"],
            ),
        )
        for batch in batches
    ]


def draw_frame(task: FrameTask, runtime: Runtime[CrewContext]) -> CrewState:
    """Draw (offline) or generate (image provider) a batch of frames, reusing stored ones."""
    run_dir = str(runtime.context.run_dir)
    shotlist = shotlist_of(run_dir, task["shotlist"])
    wanted = task.get("shot_ids") or [task["shot_id"]]
    by_id = {shot.shot_id: shot for shot in shotlist.shots}
    if not runtime.context.provider_for("storyboard").supports("image"):
        frames = _sketches([by_id[shot_id] for shot_id in wanted], task, runtime, run_dir)
        for _ in frames:
            runtime.context.tick("storyboard", len(shotlist.shots))
        return {"frames": frames}
    frames = {}
    for shot_id in wanted:
        frames[shot_id] = _frame(by_id[shot_id], task, runtime, run_dir)
        runtime.context.tick("storyboard", len(shotlist.shots))
    return {"frames": frames}


def _sketches(shots: list[Shot], task: FrameTask, runtime: Runtime[CrewContext], run_dir: str) -> dict[str, FrameRef]:
    """A batch of sketches: keys named here, drawing (or taking from the store) and placing
    done by one worker job."""
    library = library_of(run_dir, task["library"])
    provider = runtime.context.provider_for("storyboard")
    keys = [frame_key(shot, library, task["settings"], provider, runtime.context.info) for shot in shots]
    targets = [frame_path(Path(run_dir), shot.shot_id) for shot in shots]
    jobs = [(shot, str(stored_frame(run_dir, key)), str(target)) for shot, key, target in zip(shots, keys, targets)]
    done = workers.run(sketch_frames_to, run_dir, task["library"], task["settings"].aspect, jobs)
    root = Path(run_dir).resolve()
    return {
        shot.shot_id: FrameRef(shot_id=shot.shot_id, ref=ArtefactRef(path=str(target.relative_to(root)), sha256=digest),
                               key=key, reused=reused)
        for shot, key, target, (digest, reused) in zip(shots, keys, targets, done)
    }


def _frame(shot: Shot, task: FrameTask, runtime: Runtime[CrewContext], run_dir: str) -> FrameRef:
    """One shot's frame from an image model: from the store when its inputs are unchanged,
    else generated (or sketched when the model fails) and stored."""
    library = library_of(run_dir, task["library"])
    provider = runtime.context.provider_for("storyboard")
    aspect = task["settings"].aspect
    key = frame_key(shot, library, task["settings"], provider, runtime.context.info)
    target = frame_path(Path(run_dir), shot.shot_id)
    relative = str(target.relative_to(Path(run_dir).resolve()))
    digest, reused = keep_frame(stored_frame(run_dir, key), target,
                                lambda: _make_frame(provider, shot, library, aspect, task, run_dir))
    return FrameRef(shot_id=shot.shot_id, ref=ArtefactRef(path=relative, sha256=digest), key=key, reused=reused)


def sketch_ahead(run_dir: str, shots: list[Shot], library_ref: ArtefactRef, settings: RunSettings,
                 provider: Provider, info: dict[str, Any]) -> None:
    """Sketch a scene's frames into the frame store as soon as its shots are planned.

    Called while a model plans the shots: the calls wait on the network and the worker
    processes sit idle, so the storyboard stage later finds these frames stored instead of
    drawing them after the last call. Only sketches: frames from an image model are paid for,
    so they wait for the shot list's approval. A scene re-planned by the continuity loop
    gets new keys, and its new frames are drawn by the storyboard stage as usual.
    """
    if provider.supports("image"):
        return
    library = library_of(run_dir, library_ref)
    stored = [stored_frame(run_dir, frame_key(shot, library, settings, provider, info)) for shot in shots]
    missing = [(shot, str(path), "") for shot, path in zip(shots, stored) if not path.is_file()]
    if missing:
        workers.run(sketch_frames_to, run_dir, library_ref, settings.aspect, missing)


def frame_key(shot: Shot, library: CharacterLibrary, settings: RunSettings, provider: Provider,
              info: dict[str, Any]) -> str:
    """Fingerprint everything that shapes a shot's frame: the shot row, its cast's looks, the
    aspect and style, who draws it and the drawing rules' version."""
    cast = [c for c in library.characters if c.name in shot.subjects]
    return key_of(shot, cast, settings.aspect, settings.style, _drawn_by(provider), info.get("frame_rules", ""))


def stored_frame(run_dir: str, key: str) -> Path:
    """Where the frame store keeps the frame with this key."""
    return Path(run_dir) / "work" / "frames" / f"{key}.png"


def _drawn_by(provider: Provider) -> str:
    """Who draws the frames: the image model, or the sketcher whatever provider is configured."""
    return answered_by(provider, "image") if provider.supports("image") else "sketch"


def _make_frame(provider: Provider, shot: Shot, library: CharacterLibrary, aspect: str,
                task: FrameTask, run_dir: str) -> bytes:
    """Generate with an image model when one is configured, else sketch with the craft rules."""
    if provider.supports("image"):
        try:
            heading = f"{shot.int_ext}. {shot.location} - {shot.time_of_day}".strip()
            return generate_frame(provider, shot, heading, library, aspect, task["settings"].style,
                                  Path(run_dir) / "characters")
        except (Unsupported, InvalidOutput):
            pass
    return workers.run(draw_frame_from_run, run_dir, task["library"], shot, aspect)


def check_frames(state: CrewState, runtime: Runtime[CrewContext]) -> CrewState:
    """Check every frame shows exactly its shot's subjects, let a vision judge score generated
    frames against the references, and add what they find to `continuity.json`."""
    run_dir = runtime.context.run_dir
    shotlist = shotlist_of(str(run_dir), state["shotlist"])
    library = library_of(str(run_dir), state["library"])
    report = load_model(str(run_dir), state["continuity"], ContinuityReport)
    found = check_frame_subjects(run_dir, shotlist, library)
    provider = runtime.context.provider_for("storyboard")
    judged = judge_frames(provider, shotlist, library, run_dir)
    findings = merge_findings(report.findings, found, judged.findings)
    write_continuity(findings, run_dir)
    notes = judged.notes if provider.supports("image") else []  # offline runs have no frames to judge
    return {"continuity": ref_for(run_dir, "continuity.json"), "consistency": judged.means(), "notes": notes}
