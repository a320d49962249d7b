"""Model review: a language model reads one scene, with its neighbours as context.

The model sees the scene as numbered source lines (the numbers the user's file has), the
previous and next scenes, the cast and the story day, and answers with structured findings.
A finding must cite a line inside the scene, or it is dropped (a model that points at a line
it has not been asked about, or invents one, cannot be trusted on that finding). Unknown kinds
are dropped too. The request is built only from the script, so a recorded answer replays.
"""

from __future__ import annotations

from typing import Literal

import structlog
from pydantic import BaseModel, Field

from filmcrew.domain import Breakdown, Element, Finding, Screenplay
from filmcrew.prompts import render
from filmcrew.providers.base import NotAvailable, Provider, TextRequest
from filmcrew.providers.structured import structured

log = structlog.get_logger(__name__)

SCRIPT_KINDS = frozenset(
    {"time_of_day", "presence", "prop_state", "wardrobe", "injury", "makeup", "name", "unintroduced",
     "location_name", "look"}
)
PROMPT_ID = "continuity/review_scene"


class ReviewedFinding(BaseModel):
    """One finding as a model reports it."""

    kind: str = Field(description="one of: " + ", ".join(sorted(SCRIPT_KINDS)))
    severity: Literal["error", "warning", "note"]
    line: int = Field(description="source line number inside the scene")
    message: str
    fix: str = ""


class SceneReview(BaseModel):
    """A model's review of one scene."""

    findings: list[ReviewedFinding] = Field(default_factory=list)


def numbered(elements: list[Element]) -> str:
    """Render elements as `  42 | text` lines, one per source line, cues with extensions."""
    out: list[str] = []
    for element in elements:
        text = element.text
        if element.kind == "character" and element.extensions:
            text = f"{text} ({') ('.join(element.extensions)})"
        indent = "    " if element.kind in ("dialogue", "parenthetical") else ""
        indent = "      " if element.kind == "character" else indent
        for offset, line in enumerate(text.split("\n")):
            out.append(f"{element.start_line + offset:5d} | {indent}{line}")
    return "\n".join(out)


def _scene_text(sp: Screenplay, number: int) -> str:
    """Return a scene's numbered text, or `(none)` where there is no such scene."""
    scene = next((s for s in sp.scenes if s.number == number), None)
    return numbered(sp.scene_elements(scene)) if scene is not None else "(none)"


def review_request(sp: Screenplay, breakdown: Breakdown, scene_number: int) -> TextRequest:
    """Build the review request for one scene (also what a recording is keyed on)."""
    scene = next((s for s in sp.scenes if s.number == scene_number), None)
    if scene is None:
        raise ValueError(f"no scene {scene_number}")
    row = next((s for s in breakdown.scenes if s.number == scene_number), None)
    cast = ", ".join(c.name for c in breakdown.characters) or "(none)"
    rendered = render(
        PROMPT_ID, title=sp.title() or (sp.source or "the script"), scene_label=scene.label,
        story_day=row.story_day if row else 1, cast=cast, previous=_scene_text(sp, scene_number - 1),
        scene=_scene_text(sp, scene_number), next=_scene_text(sp, scene_number + 1),
        first_line=scene.start_line, last_line=scene.end_line,
    )
    return TextRequest(agent="continuity", prompt=rendered.text, prompt_id=rendered.key)


def review_scene(provider: Provider, sp: Screenplay, breakdown: Breakdown, scene_number: int) -> list[Finding]:
    """Ask a model to review one scene; keep findings that cite a line of that scene.

    Raises `NotAvailable` when no text model is configured (offline).
    """
    if not provider.supports("text"):
        raise NotAvailable(provider.name, "text", "no text model configured for the continuity checker")
    scene = next(s for s in sp.scenes if s.number == scene_number)
    review, _ = structured(provider, review_request(sp, breakdown, scene_number), SceneReview)
    kept = [_finding(f, scene_number) for f in review.findings
            if scene.start_line <= f.line <= scene.end_line and f.kind in SCRIPT_KINDS]
    dropped = len(review.findings) - len(kept)
    if dropped:
        log.info("continuity_model_findings_dropped", scene=scene_number, dropped=dropped)
    return kept


def _finding(reviewed: ReviewedFinding, scene: int) -> Finding:
    """Turn a model finding into a `Finding` (id given at merge time)."""
    return Finding(id="", kind=reviewed.kind, severity=reviewed.severity, scene=scene, line=reviewed.line,
                   message=reviewed.message.strip(), fix=reviewed.fix.strip(), source="model")


def review_script(provider: Provider, sp: Screenplay, breakdown: Breakdown) -> list[Finding]:
    """Review every scene (raises `NotAvailable` on the first scene when there is no model)."""
    found: list[Finding] = []
    for scene in sp.scenes:
        found.extend(review_scene(provider, sp, breakdown, scene.number))
    return found
