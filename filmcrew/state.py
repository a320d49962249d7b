"""The crew's shared state: small, checkpointed every step, references instead of content.

SqliteSaver writes the whole state at every superstep, so the screenplay, the shot list and
every frame live in the run folder; the state holds their paths and content hashes. Keys that
parallel (Send) tasks write have reducers, or two writes in one superstep would clash.
Module paths of these classes are persisted in checkpoints: never move or rename them.
"""

from __future__ import annotations

import operator
from typing import Annotated, NotRequired, TypedDict

from pydantic import BaseModel, Field


# The stages of a run, in order (progress bars, run.json, the registry).
STAGES = ("write", "parse", "breakdown", "characters", "shots", "continuity", "storyboard", "export")


class ArtefactRef(BaseModel):
    """A file in the run folder: its path relative to the folder and its sha256."""

    path: str
    sha256: str


class SceneShots(BaseModel):
    """The shots of one scene as a file, keyed by the fingerprint of what produced them."""

    scene: int
    ref: ArtefactRef
    key: str
    reused: bool = False
    count: int = 0


class FrameRef(BaseModel):
    """One storyboard frame and the fingerprint of the shot data it was drawn from."""

    shot_id: str
    ref: ArtefactRef
    key: str
    reused: bool = False


class Approval(BaseModel):
    """A human (or `--yes`) decision at an approval gate."""

    stage: str
    approved: bool
    note: str = ""
    by: str = "auto"


class RunSettings(BaseModel):
    """What a run was asked to do; fixed when the run starts, stored in the registry too."""

    aspect: str = "16:9"
    style: str = ""
    auto_approve: bool = True
    continuity_rounds: int = 1
    strict: bool = False
    formats: list[str] = Field(default_factory=list)
    logline: str = ""
    provider: str = ""
    """The `--provider` flag the run started with ('' = from configuration); resume reuses it."""
    model: str = ""
    """The `--model` flag the run started with ('' = from configuration); resume reuses it."""
    format: str = ""
    """Writer format when drafting from a logline: feature, short or microdrama ('' = short)."""
    minutes: float = 0.0
    """Target screen time of the draft in minutes (per episode for micro-drama); 0 = the format's default."""
    episodes: int = 0
    """Episodes of a micro-drama season (0 or 1 = a single screenplay)."""
    scene_styles: dict[str, str] = Field(default_factory=dict)
    """Coverage style per scene (key: scene number as text), overriding `style` for that scene."""


def merge_dicts(left: dict[str, object] | None, right: dict[str, object] | None) -> dict[str, object]:
    """Reducer for maps written by parallel tasks: later keys win, others are kept."""
    merged = dict(left or {})
    merged.update(right or {})
    return merged


class CrewState(TypedDict, total=False):
    """The state every node reads and returns partial updates to."""

    run_id: str
    """The run (and LangGraph thread) id."""
    script_path: str
    """The screenplay file as the user gave it (empty when the writer drafts one)."""
    settings: RunSettings
    """Aspect, style, approvals and other choices made when the run started."""
    screenplay: ArtefactRef
    """The parsed screenplay (JSON in `work/`), source line numbers intact."""
    breakdown: ArtefactRef
    """`breakdown.json`."""
    library: ArtefactRef
    """`characters.json`."""
    scene_shots: Annotated[dict[str, SceneShots], merge_dicts]
    """Per scene (key: scene number as text) the file with its shots; written by Send tasks."""
    shotlist: ArtefactRef
    """`shotlist.json`, assembled from `scene_shots`."""
    review: ArtefactRef
    """The continuity model's review of the script (in `work/continuity/`), made while the shots are planned."""
    continuity: ArtefactRef
    """`continuity.json`."""
    continuity_round: int
    """How many times continuity findings were sent back to the shot planner."""
    frames: Annotated[dict[str, FrameRef], merge_dicts]
    """Per shot id its storyboard frame; written by Send tasks."""
    approvals: Annotated[dict[str, Approval], merge_dicts]
    """Decisions at the approval gates, by stage."""
    notes: Annotated[list[str], operator.add]
    """Things the run tells the user (model answers kept as rule drafts, skipped exports)."""
    consistency: dict[str, float]
    """Per generated frame, the vision judge's mean score against the character references."""
    exports: dict[str, str]
    """Exported format -> what was written, or why it was skipped."""


class SceneTask(TypedDict):
    """The payload of one Send task of the shot planner."""

    scene: int
    settings: RunSettings
    screenplay: ArtefactRef
    breakdown: ArtefactRef
    library: ArtefactRef
    hints: list[str]
    base: NotRequired[SceneShots]
    """With hints: the scene's shots the continuity checker saw, which the hints revise."""


class FrameTask(TypedDict, total=False):
    """The payload of one Send task of the storyboard artist: a batch of shots (`shot_ids`;
    runs saved before batches carry a single `shot_id`)."""

    shot_id: str
    shot_ids: list[str]
    settings: RunSettings
    shotlist: ArtefactRef
    library: ArtefactRef
    screenplay: ArtefactRef
