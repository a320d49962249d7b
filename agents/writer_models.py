"""What the writer asks models for and what it hands back: outlines, beats, critiques, edits.

The output models are small and flat on purpose: every field is required and typed plainly, so
OpenAI's strict mode, Gemini's schema subset and small local models can all fill them in.
The result types (`Draft`, `Revision`, `ScriptDiff`) are what the CLI and chat show.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Format = Literal["feature", "short", "microdrama"]
FORMATS: tuple[str, ...] = ("feature", "short", "microdrama")


class WriterSpec(BaseModel):
    """What the user asked the writer for."""

    logline: str
    format: Format = "short"
    minutes: float = 0.0
    episodes: int = 1


class WriterOptions(BaseModel):
    """Bounds of the writer's loops (from `[writer]` in filmcrew.toml when set)."""

    critique_rounds: int = Field(default=1, ge=0, le=5)
    fix_retries: int = Field(default=2, ge=0, le=5)


# --- model outputs -----------------------------------------------------------------------


class CastMember(BaseModel):
    """One character of the outline: the library builds their look from this."""

    name: str = Field(description="The name as it will appear in CAPS in the script, e.g. MAYA.")
    age: str
    look: str = Field(description="One visual line: build, face, hair.")
    wardrobe: str = Field(description="The signature outfit, e.g. 'red wool coat, black boots'.")
    want: str


class Part(BaseModel):
    """One act (feature, short) or one episode (micro-drama) of the outline."""

    number: int
    title: str
    summary: str
    ending: str = Field(description="How the part ends: the turn, or the cliffhanger of an episode.")


class Outline(BaseModel):
    """The story before it has scenes."""

    title: str
    logline: str
    tone: str
    cast: list[CastMember]
    parts: list[Part]


class Beat(BaseModel):
    """One scene-to-be of a beat sheet."""

    heading: str = Field(description="The scene heading it will have, e.g. 'INT. KITCHEN - NIGHT'.")
    summary: str
    characters: list[str]
    seconds: int = Field(description="Planned screen time in seconds.")


class BeatSheet(BaseModel):
    """The beats of one part, in order: one beat becomes one scene."""

    beats: list[Beat]


class Issue(BaseModel):
    """One way a draft misses its format's rubric, and the fix."""

    rule: str
    scene: int = Field(description="Scene number the issue is in; 0 for the whole script.")
    problem: str
    fix: str


class Critique(BaseModel):
    """A critic's reading of a draft against the rubric; no issues means it passes."""

    issues: list[Issue]


class SceneEdit(BaseModel):
    """One change to a screenplay, scene by scene; untouched scenes stay byte for byte."""

    op: Literal["replace", "insert_after", "delete"]
    scene: int = Field(description="Scene number in the current draft; insert_after 0 inserts before scene 1.")
    fountain: str = Field(description="The new scene(s) in Fountain, each starting with a scene heading; '' for delete.")


class ScriptEdits(BaseModel):
    """A revision as scene edits, with a one-line summary for the user."""

    summary: str
    edits: list[SceneEdit]


# --- results -----------------------------------------------------------------------------


class SceneChange(BaseModel):
    """How one scene fared between two versions of a screenplay."""

    status: Literal["unchanged", "changed", "added", "removed"]
    old: int | None = None
    new: int | None = None
    heading: str = ""


class ScriptDiff(BaseModel):
    """A scene-level comparison plus a unified text diff."""

    scenes: list[SceneChange] = Field(default_factory=list)
    unified: str = ""

    def changed(self) -> list[SceneChange]:
        """Return every scene that is not unchanged."""
        return [s for s in self.scenes if s.status != "unchanged"]


class Measured(BaseModel):
    """What filmcrew measures on a draft with its own parser and page counter."""

    seconds: int
    scenes: int
    cast: list[str]
    opening_seconds: float = 0.0
    largest_scene_cast: int = 0


class DraftedScript(BaseModel):
    """One drafted screenplay (a season has one per episode)."""

    text: str
    title: str
    episode: int = 0
    measured: Measured | None = None
    issues: list[Issue] = Field(default_factory=list)


class Draft(BaseModel):
    """What the writer hands back from a logline."""

    spec: WriterSpec
    outline: Outline
    screenplays: list[DraftedScript]
    notes: list[str] = Field(default_factory=list)
    calls: int = 0


class Revision(BaseModel):
    """A screenplay revised by instruction, with what changed."""

    text: str
    summary: str
    diff: ScriptDiff
    notes: list[str] = Field(default_factory=list)
