"""Model review: a language model reads one scene, with its neighbours as context.

The model sees the scene as numbered source lines (the numbers the user's file has), the
previous and next scenes, the cast and the story day, and answers with structured findings.
A finding must cite a line inside the scene, or it is dropped (a model that points at a line
it has not been asked about, or invents one, cannot be trusted on that finding). Unknown kinds
are dropped too. The request is built only from the script, so a recorded answer replays.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, Literal, TypeVar

import structlog
from filmcrew.agents.continuity_body import descriptor_tokens, garments
from filmcrew.agents.continuity_names import NameIndex, build_names, character_key, fold
from filmcrew.agents.continuity_tracker import StateEvent
from filmcrew.agents.continuity_words import singular
from filmcrew.prompts import load, render
from pydantic import BaseModel, Field

from filmcrew.domain import Breakdown, Element, Finding, Screenplay
from filmcrew.providers.base import InvalidOutput, NotAvailable, Provider, TextRequest, Unsupported
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
        PROMPT_ID, title=sp.title() or "the script", scene_label=scene.label,
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


# --- model extraction of state events ----------------------------------------------

EXTRACT_ID = "continuity/extract_state"
ALLOWED = {
    "presence": {"exit", "enter", "death"},
    "prop": {"break", "destroy", "repair", "lose", "find", "give", "take", "leave"},
    "wardrobe": {"on", "off", "change", "wear"},
    "injury": {"injure"},
    "body": {"wet", "dirty", "makeup", "clean"},
}


class ExtractedEvent(BaseModel):
    """One state change as a model logs it."""

    line: int
    who: str
    attribute: str
    value: str
    actor: str = ""
    target: str = ""
    part: str = ""
    side: str = ""
    noun: str = ""
    descriptors: list[str] = Field(default_factory=list)


class SceneState(BaseModel):
    """A model's continuity log of one scene."""

    events: list[ExtractedEvent] = Field(default_factory=list)


def extract_request(sp: Screenplay, breakdown: Breakdown, scene_number: int) -> TextRequest:
    """Build the state-extraction request for one scene (what a recording is keyed on)."""
    scene = next((s for s in sp.scenes if s.number == scene_number), None)
    if scene is None:
        raise ValueError(f"no scene {scene_number}")
    cast = ", ".join(c.name for c in breakdown.characters) or "(none)"
    rendered = render(EXTRACT_ID, title=sp.title() or "the script", scene_label=scene.label,
                      cast=cast, scene=_scene_text(sp, scene_number), first_line=scene.start_line,
                      last_line=scene.end_line)
    return TextRequest(agent="continuity", prompt=rendered.text, prompt_id=rendered.key)


def extract_state(provider: Provider, sp: Screenplay, breakdown: Breakdown, scene_number: int) -> list[StateEvent]:
    """Ask a model for one scene's state changes; keep those citing a scene line with known values.

    Raises `NotAvailable` when no text model is configured (offline).
    """
    if not provider.supports("text"):
        raise NotAvailable(provider.name, "text", "no text model configured for the continuity checker")
    scene = next(s for s in sp.scenes if s.number == scene_number)
    log_, _ = structured(provider, extract_request(sp, breakdown, scene_number), SceneState)
    names = build_names(breakdown)
    kept = [_state_event(e, scene_number, names) for e in log_.events
            if scene.start_line <= e.line <= scene.end_line and e.value in ALLOWED.get(e.attribute, ())]
    return [e for e in kept if e is not None]


def _state_event(extracted: ExtractedEvent, scene: int, names: NameIndex) -> StateEvent | None:
    """Turn a model's event into a tracker `StateEvent` (characters by key, things by noun)."""
    who = _who(extracted.who, names) if extracted.attribute != "prop" else singular(fold(extracted.who).split()[-1])
    if not who:
        return None
    descriptors = [d for word in extracted.descriptors for d in descriptor_tokens(fold(word))]
    part = extracted.part.lower()
    if extracted.attribute == "wardrobe":
        part = next((slot for noun, slot, _, _ in garments(fold(extracted.part or extracted.noun))), part)
    return StateEvent(scene=scene, line=extracted.line, entity=who, attribute=extracted.attribute,  # type: ignore[arg-type]
                      value=extracted.value, actor=_who(extracted.actor, names), target=_who(extracted.target, names),
                      part=part, side=extracted.side.lower(), noun=fold(extracted.noun or extracted.part),
                      descriptors=sorted(set(descriptors)), named=True,
                      text=f"(model) {extracted.who} {extracted.value}",
                      source="model")


def _who(name: str, names: NameIndex) -> str:
    """Map a name the model wrote onto a character key ('' when it names nobody)."""
    key = character_key(name) if name else ""
    if not key:
        return ""
    return names.person(names.forms.get(key, key))


def model_events(provider: Provider, sp: Screenplay, breakdown: Breakdown) -> list[StateEvent]:
    """Extract state events for every scene (raises `NotAvailable` offline)."""
    found: list[StateEvent] = []
    for scene in sp.scenes:
        found.extend(extract_state(provider, sp, breakdown, scene.number))
    return found


def review_script(provider: Provider, sp: Screenplay, breakdown: Breakdown) -> list[Finding]:
    """Review every scene (raises `NotAvailable` on the first scene when there is no model)."""
    found: list[Finding] = []
    for scene in sp.scenes:
        found.extend(review_scene(provider, sp, breakdown, scene.number))
    return found


T = TypeVar("T")


def review_version() -> str:
    """The versions of the prompts `ask_model` asks with: part of a stored review's key."""
    return ",".join(f"{p.id}@{p.version}" for p in map(load, (PROMPT_ID, EXTRACT_ID)))


def ask_model(provider: Provider, sp: Screenplay, breakdown: Breakdown,
              concurrency: int = 1) -> tuple[list[Finding], list[StateEvent] | None]:
    """Ask a model, per scene, for a review and a state log: the crew's continuity review and
    the corpus eval both come here, so the graded path is the crew's.

    Both requests of every scene go through one pool of `concurrency` threads (a plain loop
    would take 2 x scenes x latency). Without a structured-output model there is nothing to
    add: ([], None). An answer still invalid after the repair re-ask adds nothing for its
    scene; provider failures and replay misses propagate.
    """
    if not provider.supports("structured"):
        return [], None
    answers = _in_pool(review_jobs(provider, sp, breakdown), concurrency)
    return ([], None) if answers is None else gather_review(answers)


def review_jobs(provider: Provider, sp: Screenplay, breakdown: Breakdown) -> list[Callable[[], list[Any]]]:
    """The calls of a model review, in order: each scene's review, then its state log."""
    review = partial(_review_one, provider, sp, breakdown)
    extract = partial(_events_one, provider, sp, breakdown)
    jobs: list[Callable[[], list[Any]]] = []
    for scene in breakdown.scenes:
        jobs += [partial(review, scene.number), partial(extract, scene.number)]
    return jobs


def gather_review(answers: list[list[Any]]) -> tuple[list[Finding], list[StateEvent]]:
    """Join the answers of `review_jobs` (same order) into findings and state events."""
    reviewed = [f for found in answers[0::2] for f in found]
    events = [e for found in answers[1::2] for e in found]
    return reviewed, events


def _in_pool(jobs: list[Callable[[], T]], concurrency: int) -> list[T] | None:
    """Run the calls `concurrency` at once, results in job order; None when the provider turns
    out to have no model for them."""
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="continuity-model")
    try:
        futures = [pool.submit(contextvars.copy_context().run, job) for job in jobs]
        return [future.result() for future in futures]
    except Unsupported:
        return None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _review_one(provider: Provider, sp: Screenplay, breakdown: Breakdown, number: int) -> list[Finding]:
    """Review one scene; an answer invalid after the repair re-ask adds nothing."""
    try:
        return review_scene(provider, sp, breakdown, number)
    except InvalidOutput as exc:
        log.warning("continuity_review_invalid", scene=number, error=str(exc))
        return []


def _events_one(provider: Provider, sp: Screenplay, breakdown: Breakdown, number: int) -> list[StateEvent]:
    """Extract one scene's state changes; an invalid answer adds none."""
    try:
        return list(extract_state(provider, sp, breakdown, number))
    except InvalidOutput as exc:
        log.warning("continuity_events_invalid", scene=number, error=str(exc))
        return []
