"""Storyboard nodes: one task per shot (fanned out), each drawing or generating one frame.

Frames are stored by a key of everything that shapes them (the shot row, the cast's looks,
the aspect, the provider) in `work/frames/`, then placed at `storyboard/SHOT_ID.png`; an
unchanged shot is never drawn (or paid for) twice.
"""

from __future__ import annotations

from pathlib import Path

from langgraph.runtime import Runtime
from langgraph.types import Send

from filmcrew.agents.storyboard import draw_frame as sketch_frame
from filmcrew.agents.continuity import merge_findings, write_continuity
from filmcrew.agents.storyboard import check_frame_subjects, frame_path, generate_frame, judge_frames
from filmcrew.artefacts import load_model, ref_for
from filmcrew.context import CrewContext
from filmcrew.files import atomic_write_bytes, sha256_bytes, sha256_file
from filmcrew.nodes.common import current_run_dir, key_of, library_of, shotlist_of
from filmcrew.domain import CharacterLibrary, ContinuityReport, Shot
from filmcrew.providers.base import InvalidOutput, Provider, Unsupported
from filmcrew.state import ArtefactRef, CrewState, FrameRef, FrameTask


def frame_tasks(state: CrewState) -> list[Send]:
    """Fan out one frame task per shot of the approved shot list."""
    shotlist = shotlist_of(current_run_dir(), state["shotlist"])
    return [
        Send(
            "draw_frame",
            FrameTask(
                shot_id=shot.shot_id,
                settings=state["settings"],
                shotlist=state["shotlist"],
                library=state["library"],
                screenplay=state["screenplay"],
            ),
        )
        for shot in shotlist.shots
    ]


def draw_frame(task: FrameTask, runtime: Runtime[CrewContext]) -> CrewState:
    """Draw (offline) or generate (image provider) one shot's frame, reusing a stored one."""
    run_dir = str(runtime.context.run_dir)
    shotlist = shotlist_of(run_dir, task["shotlist"])
    library = library_of(run_dir, task["library"])
    shot = next(s for s in shotlist.shots if s.shot_id == task["shot_id"])
    cast = [c for c in library.characters if c.name in shot.subjects]
    provider = runtime.context.provider_for("storyboard")
    aspect = task["settings"].aspect
    key = key_of(shot, cast, aspect, task["settings"].style, provider.name, runtime.context.info.get("frame_rules", ""))
    cached = Path(run_dir) / "work" / "frames" / f"{key}.png"
    reused = cached.is_file()
    png = cached.read_bytes() if reused else _make_frame(provider, shot, library, aspect, task, run_dir)
    if not reused:
        atomic_write_bytes(cached, png, durable=False)  # a lost frame is drawn again, so no fsync
    target = frame_path(Path(run_dir), shot.shot_id)
    relative = str(target.relative_to(Path(run_dir).resolve()))
    digest = sha256_bytes(png)
    if not (target.is_file() and sha256_file(target) == digest):  # a re-plan leaves unchanged frames be
        atomic_write_bytes(target, png, durable=False)
    ref = ArtefactRef(path=relative, sha256=digest)
    runtime.context.tick("storyboard", len(shotlist.shots))
    return {"frames": {shot.shot_id: FrameRef(shot_id=shot.shot_id, ref=ref, key=key, reused=reused)}}


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
    return sketch_frame(shot, library, aspect)


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
