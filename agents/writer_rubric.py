"""Each format's rubric (data in `data/writer_rubrics.json`) and what filmcrew can measure itself.

A critic model judges what only reading can judge (is there a hook, does the episode end on a
cliffhanger); filmcrew measures what it can count with its own parser, page counter and
breakdown: screen time by printed lines (a page a minute), scenes, named cast, the largest cast
in one scene. Measured misses become issues without a model, so the rubric holds offline too.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, Field

from filmcrew.agents.breakdown import break_down
from filmcrew.agents.writer_models import Issue, Measured, WriterSpec
from filmcrew.errors import InputError
from filmcrew.tools.fountain import parse
from filmcrew.tools.pages import PAPER_LINES, element_lines, scene_line_counts

SECONDS_PER_LINE = 60 / PAPER_LINES["letter"]


class Rubric(BaseModel):
    """What a format asks of a screenplay."""

    label: str
    part_name: str
    parts: int = Field(ge=1)
    minutes: float = Field(gt=0)
    min_minutes: float = Field(gt=0)
    max_minutes: float = Field(gt=0)
    tolerance: float = Field(ge=0)
    scene_seconds: int = Field(gt=0)
    beats_per_call: int = Field(ge=1)
    max_cast: int = Field(ge=1)
    episode_seconds: tuple[int, int] | None = None
    hook_seconds: float = 0
    cliffhanger: bool = False
    aspect: str
    style: str
    rules: list[str]

    def rules_text(self) -> str:
        """The rules as a bulleted list for prompts."""
        return "\n".join(f"- {rule}" for rule in self.rules)


@lru_cache(maxsize=1)
def _all() -> dict[str, Rubric]:
    """Load every format's rubric once."""
    raw = json.loads(resources.files("filmcrew.agents").joinpath("data", "writer_rubrics.json").read_text("utf-8"))
    return {name: Rubric.model_validate(value) for name, value in raw.items()}


def rubric_for(fmt: str) -> Rubric:
    """Return a format's rubric, or an InputError naming the formats there are."""
    rubrics = _all()
    if fmt not in rubrics:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(rubrics)}")
    return rubrics[fmt]


def normalised(spec: WriterSpec) -> WriterSpec:
    """Fill the format's defaults and check minutes and episodes against its bounds."""
    rubric = rubric_for(spec.format)
    minutes = spec.minutes or rubric.minutes
    if not rubric.min_minutes <= minutes <= rubric.max_minutes:
        per = " per episode" if spec.format == "microdrama" else ""
        raise InputError(f"--minutes {minutes:g} is outside {rubric.min_minutes:g}-{rubric.max_minutes:g}{per} "
                         f"for a {rubric.label}")
    episodes = max(1, spec.episodes)
    if episodes > 1 and spec.format != "microdrama":
        raise InputError("--episodes needs --format microdrama (a season of vertical episodes)")
    if episodes > 80:
        raise InputError("--episodes is at most 80")
    if not spec.logline.strip():
        raise InputError("the logline is empty; say in a sentence what the story is")
    return spec.model_copy(update={"minutes": minutes, "episodes": episodes, "logline": spec.logline.strip()})


def part_seconds(spec: WriterSpec, rubric: Rubric, parts: int) -> int:
    """Screen time one part should run: an episode's minutes, or the film's split over its acts."""
    if spec.format == "microdrama":
        return round(spec.minutes * 60)
    return round(spec.minutes * 60 / max(1, parts))


def measure(text: str) -> Measured:
    """Measure a screenplay with filmcrew's own parser, page counter and breakdown."""
    sp = parse(text, "draft")
    lines = scene_line_counts(sp)
    sheet = break_down(sp)
    headed = [s for s in sp.scenes if s.heading is not None]
    opening = 0.0
    if headed:
        first = next((e for e in sp.scene_elements(headed[0]) if e.kind != "scene_heading"), None)
        opening = round(element_lines(first)[1] * SECONDS_PER_LINE, 1) if first else 0.0
    return Measured(seconds=round(sum(lines) * SECONDS_PER_LINE), scenes=len(headed),
                    cast=[c.name for c in sheet.characters], opening_seconds=opening,
                    largest_scene_cast=max((len(s.characters) for s in sheet.scenes), default=0))


def rule_issues(measured: Measured, rubric: Rubric, spec: WriterSpec, reference_limit: int = 0) -> list[Issue]:
    """Turn measured misses of the rubric into issues (no model needed)."""
    issues = _length_issues(measured, rubric, spec)
    if len(measured.cast) > rubric.max_cast:
        issues.append(Issue(rule="cast size", scene=0,
                            problem=f"{len(measured.cast)} named characters ({', '.join(measured.cast)}); "
                                    f"a {rubric.label} holds at most {rubric.max_cast}",
                            fix="merge or cut minor parts, or give walk-ons no name"))
    if reference_limit and measured.largest_scene_cast > reference_limit:
        issues.append(Issue(rule="cast per scene", scene=0,
                            problem=f"a scene holds {measured.largest_scene_cast} characters; the image model "
                                    f"keeps at most {reference_limit} faces consistent in one frame",
                            fix=f"keep at most {reference_limit} named characters on screen in any scene"))
    return issues


def _length_issues(measured: Measured, rubric: Rubric, spec: WriterSpec) -> list[Issue]:
    """Check screen time against the episode window or the target minutes."""
    if rubric.episode_seconds is not None:
        low, high = rubric.episode_seconds
        if low <= measured.seconds <= high:
            return []
        verb = "cut" if measured.seconds > high else "add"
        return [Issue(rule=f"{low}-{high} s per episode", scene=0,
                      problem=f"the episode runs about {measured.seconds} s by page count",
                      fix=f"{verb} action or dialogue to land between {low} and {high} seconds")]
    target = spec.minutes * 60
    if abs(measured.seconds - target) <= rubric.tolerance * target:
        return []
    verb = "cut" if measured.seconds > target else "expand"
    return [Issue(rule="length", scene=0,
                  problem=f"the draft runs about {measured.seconds // 60} min {measured.seconds % 60} s by page count; "
                          f"asked for {spec.minutes:g} min",
                  fix=f"{verb} scenes to come within {round(rubric.tolerance * 100)}% of {spec.minutes:g} minutes")]


def measured_text(measured: Measured, rubric: Rubric) -> str:
    """Describe the measurements for the critic's prompt."""
    lines = [f"- screen time by page count: about {measured.seconds} s",
             f"- scenes: {measured.scenes}",
             f"- named cast ({len(measured.cast)}): {', '.join(measured.cast) or 'none'}",
             f"- the opening paragraph plays about {measured.opening_seconds:g} s"]
    if rubric.hook_seconds:
        lines.append(f"- the hook must land within {rubric.hook_seconds:g} s")
    return "\n".join(lines)
