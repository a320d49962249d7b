"""The crew as a LangGraph state machine. Wiring only: every node lives in `filmcrew.nodes`.

    [write_script, from a logline] → ingest → breakdown → build_characters → approve_characters
      → plan_shots × scene (Send) ‖ model_review → collect_shots → approve_shots → check_continuity
          ↺ fixable shot findings go back to plan_shots (bounded rounds)
      → approve_continuity → draw_frame × scene, or × shot with an image model (Send)
      → check_frames → export → END
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import get_runtime
from langgraph.types import Send

from filmcrew.context import CrewContext
from filmcrew.nodes.approval import make_gate
from filmcrew.nodes.cast import build_characters
from filmcrew.nodes.checks import check_continuity, model_review
from filmcrew.nodes.export import export
from filmcrew.nodes.frames import check_frames, draw_frame, frame_tasks
from filmcrew.nodes.script import breakdown, ingest
from filmcrew.nodes.shots import collect_shots, plan_shots, scene_tasks
from filmcrew.nodes.writer import write_script
from filmcrew.state import CrewState



def _to_frames(state: CrewState) -> str | list[Send]:
    """Fan out the storyboard, or go straight to export when there is no shot to draw."""
    return frame_tasks(state) or "check_frames"


def _to_shots(state: CrewState) -> str | list[Send | str]:
    """Fan out the shot planner, and beside it the continuity model's reading of the script
    when there is a model (it needs no shots); collect an empty shot list when there is no scene."""
    tasks: list[Send | str] = list(scene_tasks(state))
    if tasks and get_runtime(CrewContext).context.provider_for("continuity").supports("structured"):
        tasks.append("model_review")
    return tasks or "collect_shots"


def _first(state: CrewState) -> str:
    """Start with the writer when the run begins from a logline and has no script yet."""
    return "write_script" if state["settings"].logline and not state.get("script_path") else "ingest"


def build() -> StateGraph[Any, Any, Any, Any]:
    """Wire the crew's nodes into an uncompiled graph."""
    b: StateGraph[Any, Any, Any, Any] = StateGraph(CrewState, context_schema=CrewContext)
    b.add_node("write_script", write_script)  # a screenplay from a logline (needs a text model)
    b.add_node("ingest", ingest)  # parse the script, keep source lines, write normalised Fountain
    b.add_node("breakdown", breakdown)  # scenes, cast, props, story days, eighths
    b.add_node("build_characters", build_characters)  # the character library
    b.add_node("approve_characters", make_gate("characters", _to_shots), destinations=("plan_shots", "model_review", "collect_shots", END))
    b.add_node("plan_shots", plan_shots)  # one task per scene
    b.add_node("model_review", model_review)  # the continuity model reads the script meanwhile
    b.add_node("collect_shots", collect_shots)  # fan-in: shotlist.json / .csv
    b.add_node("approve_shots", make_gate("shots", lambda s: "check_continuity"), destinations=("check_continuity", END))
    b.add_node("check_continuity", check_continuity, destinations=("plan_shots", "approve_continuity"))
    b.add_node("approve_continuity", make_gate("continuity", _to_frames), destinations=("draw_frame", "check_frames", END))
    b.add_node("draw_frame", draw_frame)  # one task per scene (offline) or per shot (image model)
    b.add_node("check_frames", check_frames)  # frames show their subjects; judge scores looks
    b.add_node("export", export)  # fountain, fdx, pdf, html, otio, mp4 ...
    b.add_conditional_edges(START, _first, ["write_script", "ingest"])
    b.add_edge("write_script", "ingest")
    b.add_edge("ingest", "breakdown")
    b.add_edge("breakdown", "build_characters")
    b.add_edge("build_characters", "approve_characters")
    b.add_edge("plan_shots", "collect_shots")
    b.add_edge("model_review", "collect_shots")  # same superstep as the shots: one collect
    b.add_edge("collect_shots", "approve_shots")
    b.add_edge("draw_frame", "check_frames")
    b.add_edge("check_frames", "export")
    b.add_edge("export", END)
    return b
