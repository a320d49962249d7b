"""Pydantic models that are also output files: the screenplay and what the crew makes of it.

Every screenplay element keeps its source line span (1-based lines of the file as the user
gave it), so a breakdown row, a shot or a continuity finding can point back to the page.
Field names here are part of the JSON contract in PRODUCT.md: add fields, never rename.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ElementKind = Literal[
    "scene_heading",
    "action",
    "character",
    "parenthetical",
    "dialogue",
    "transition",
    "centered",
    "lyric",
    "page_break",
    "section",
    "synopsis",
    "note",
]
IntExt = Literal["INT", "EXT", "INT/EXT", ""]
Severity = Literal["error", "warning", "note"]


class TextRun(BaseModel):
    """A stretch of text with one emphasis style (Fountain `*`, `**`, `_`)."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


class Element(BaseModel):
    """One screenplay element as written, with the lines it spans in the source file.

    `text` is the plain text (forcing markers, emphasis markers and inline notes removed,
    line breaks kept). `runs` holds the styled runs only when the text carries emphasis.
    """

    model_config = ConfigDict(extra="forbid")

    kind: ElementKind
    text: str = ""
    start_line: int
    end_line: int
    runs: list[TextRun] = Field(default_factory=list)
    forced: bool = False
    scene_number: str | None = None
    extensions: list[str] = Field(default_factory=list)
    dual: Literal["left", "right"] | None = None
    depth: int | None = None
    notes: list[str] = Field(default_factory=list)


class TitleEntry(BaseModel):
    """A title-page `Key: value` entry; multi-line values are joined with newlines."""

    key: str
    value: str
    start_line: int
    end_line: int


class Boneyard(BaseModel):
    """Text the writer commented out with `/* ... */`; kept so nothing is lost, never printed."""

    text: str
    start_line: int
    end_line: int


class ParseWarning(BaseModel):
    """Something the parser accepted but a writer should look at."""

    line: int
    message: str


class SceneHeading(BaseModel):
    """A scene heading split into its parts (INT/EXT, location, time of day, qualifiers)."""

    text: str
    int_ext: IntExt = ""
    location: str = ""
    time_of_day: str = ""
    qualifiers: str = ""


class Scene(BaseModel):
    """A scene: its heading and the half-open range of element indices it owns.

    `number` is the 1-based order in the script; `label` is the printed scene number
    (a forced `#12A#` where the script has one, otherwise `number` as text).
    A script with text before its first heading gets an implicit scene with `heading=None`.
    """

    number: int
    label: str
    heading: SceneHeading | None
    start_line: int
    end_line: int
    first_element: int
    end_element: int


class Screenplay(BaseModel):
    """A parsed screenplay: title page, elements in order, scenes over them."""

    source: str | None = None
    title_page: list[TitleEntry] = Field(default_factory=list)
    elements: list[Element] = Field(default_factory=list)
    scenes: list[Scene] = Field(default_factory=list)
    boneyard: list[Boneyard] = Field(default_factory=list)
    warnings: list[ParseWarning] = Field(default_factory=list)
    line_count: int = 0

    def scene_elements(self, scene: Scene) -> list[Element]:
        """Return the elements that belong to one scene, heading included."""
        return self.elements[scene.first_element : scene.end_element]

    def title(self) -> str:
        """Return the title-page title, or an empty string."""
        for entry in self.title_page:
            if entry.key.casefold() == "title":
                return entry.value
        return ""


# --- breakdown -------------------------------------------------------------------------


class BreakdownScene(BaseModel):
    """One scene of the breakdown sheet (PRODUCT.md `breakdown.json` scenes)."""

    number: int
    label: str
    heading: str
    int_ext: IntExt
    location: str
    time_of_day: str
    story_day: int
    eighths: int
    eighths_str: str
    start_line: int
    end_line: int
    characters: list[str] = Field(default_factory=list)
    speaking: list[str] = Field(default_factory=list)
    introduced: list[str] = Field(default_factory=list)
    props: list[str] = Field(default_factory=list)
    wardrobe: list[str] = Field(default_factory=list)
    sounds: list[str] = Field(default_factory=list)
    qualifiers: str = ""
    fingerprint: str = ""
    extras: list[str] = Field(default_factory=list)  # groups in caps: CROWD, TWO COPS
    offscreen: list[str] = Field(default_factory=list)  # speak only as V.O./O.S. here, unseen


class BreakdownCharacter(BaseModel):
    """A character across the script."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    scenes: list[int] = Field(default_factory=list)
    first_line: int
    dialogue_count: int = 0
    speaking: bool = True


class AliasCandidate(BaseModel):
    """Two cues that may be one person (e.g. `BOB` and `CYBER BOB`); merged only by configuration."""

    names: list[str]
    reason: str


class Location(BaseModel):
    """A normalised location and the scenes set there."""

    name: str
    int_ext: list[str] = Field(default_factory=list)
    scenes: list[int] = Field(default_factory=list)


class Breakdown(BaseModel):
    """The whole breakdown (`breakdown.json`)."""

    scenes: list[BreakdownScene] = Field(default_factory=list)
    characters: list[BreakdownCharacter] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    props: list[str] = Field(default_factory=list)
    alias_candidates: list[AliasCandidate] = Field(default_factory=list)
    story_days: int = 1
    total_eighths: int = 0
    pages: float = 0.0
    runtime_s: int = 0


# --- characters ------------------------------------------------------------------------


class Look(BaseModel):
    """How a character looks on one story day (or by default)."""

    story_day: int | None = None
    wardrobe: list[str] = Field(default_factory=list)
    hair: str = ""
    makeup: str = ""
    injuries: list[str] = Field(default_factory=list)
    notes: str = ""
    scenes: list[int] = Field(default_factory=list)  # scene numbers this look is worn in


class Character(BaseModel):
    """One entry of the character library: defined once, reused in every frame."""

    name: str
    handle: str
    aliases: list[str] = Field(default_factory=list)
    age: str = ""
    build: str = ""
    face: str = ""
    hair: str = ""
    signature_wardrobe: list[str] = Field(default_factory=list)
    color: str = "#888888"
    description: str = ""
    voice: str = ""
    pronouns: str = ""  # "she/her", "he/him", "they/them" or "" when the script does not say
    looks: list[Look] = Field(default_factory=list)
    reference_images: list[str] = Field(default_factory=list)
    speaking: bool = True
    fingerprint: str = ""


class CharacterLibrary(BaseModel):
    """The character library (`characters.json`)."""

    characters: list[Character] = Field(default_factory=list)

    def get(self, name: str) -> Character | None:
        """Find a character by name or alias, case-insensitively."""
        key = name.casefold()
        for character in self.characters:
            if character.name.casefold() == key or key in (a.casefold() for a in character.aliases):
                return character
        partial = [c for c in self.characters if _first_or_last(c.name) & {key}]
        return partial[0] if len(partial) == 1 else None  # `KIT` finds `KIT ADEYEMI` when unique


def _first_or_last(name: str) -> set[str]:
    """The first and last word of a multi-word name (how action lines refer to people)."""
    words = name.casefold().split()
    return {words[0], words[-1]} if len(words) > 1 else set()


# --- shots -----------------------------------------------------------------------------


class Shot(BaseModel):
    """One row of the shot list (film-grammar.md §2, PRODUCT.md `shotlist.json`)."""

    shot_id: str
    scene: int
    size: str
    type: str
    angle: str = "eye level"
    movement: str = "static"
    lens: str = "50"
    subjects: list[str] = Field(default_factory=list)
    description: str = ""
    lines: list[int] = Field(default_factory=list)
    duration_s: float = 2.0
    audio: str = "sync"
    setup: str = ""
    notes: str = ""
    int_ext: str = ""
    location: str = ""
    time_of_day: str = ""
    screen_side: str = ""
    direction: str = ""
    dialogue: str = ""


class ShotList(BaseModel):
    """The shot list (`shotlist.json`)."""

    aspect: str = "16:9"
    style: str = ""
    shots: list[Shot] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


# --- continuity ------------------------------------------------------------------------


class Finding(BaseModel):
    """A continuity finding: what is wrong, where, and the fix in plain words."""

    id: str
    kind: str
    severity: Severity
    scene: int | None = None
    shot: str | None = None
    line: int | None = None
    message: str
    fix: str = ""
    source: Literal["rules", "model"] = "rules"


class ContinuityReport(BaseModel):
    """All findings of a run (`continuity.json`)."""

    findings: list[Finding] = Field(default_factory=list)


# --- run -------------------------------------------------------------------------------


class RunInfo(BaseModel):
    """What `run.json` records about a run (PRODUCT.md stable shape plus additions)."""

    run_id: str
    status: str
    script: str = ""
    script_sha256: str = ""
    aspect: str = "16:9"
    style: str = ""
    provider_per_agent: dict[str, str] = Field(default_factory=dict)
    calls: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    cache_hits: int = 0
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    per_agent: dict[str, dict[str, float]] = Field(default_factory=dict)
    provider_summary: str = ""
    consistency: dict[str, float] = Field(default_factory=dict)  # shot id -> judge's mean score (0-1)
