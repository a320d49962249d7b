"""The state tracker: what each character and prop is like, scene by scene, per story day.

A script supervisor keeps a running record: who is in the scene and who has left, what each
character wears, which injuries and stains they carry, what is broken, lost or in whose pocket.
`track` walks the screenplay once and turns it into `StateEvent`s (from the verb lexicon of
`continuity_events`, and optionally from a model), each tied to a scene and a source line, and
the scene facts the rules need (story day, continuity chain, flashback, intercut). The rules in
`continuity_script` then compare later states against earlier ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from filmcrew.agents import continuity_events as ev
from filmcrew.agents.continuity_names import NameIndex, build_names, fold
from filmcrew.agents.continuity_text import Clause, Reader, cue_parts, infer_genders, read_paragraph
from filmcrew.agents.lexicon import FLASHBACK
from filmcrew.agents.lexicon_continuity import (
    CONTINUITY_MARKERS,
    FLASHBACK_END,
    INTERCUT,
    PERIODS,
    REMOTE_EXTENSIONS,
    REMOTE_PAREN,
    SIMULTANEOUS,
)
from filmcrew.tools.headings import normalise_location
from pydantic import BaseModel, Field

from filmcrew.domain import Breakdown, CharacterLibrary, Element, Scene, Screenplay

_MARKER_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(CONTINUITY_MARKERS, key=len, reverse=True)) + r")\b"
)
_PERIOD_PATTERN = re.compile(
    r"(?<![A-Z-])(" + "|".join(re.escape(k) for k in sorted(PERIODS, key=len, reverse=True)) + r")(?![A-Z])"
)
CHAINING = frozenset({"continuous", "same", "moments"})
# A parenthetical that brings the speaker (back) in: "(returning briskly)", "(entering)".
ENTRANCE_PAREN = re.compile(r"(?:\w+ly\s+)?(?:returning|re-?entering|entering|coming\s+(?:back\s+)?in|back\s+in|"
                            r"reappearing|bursting\s+in|sweeping\s+(?:back\s+)?in|poking\s+(?:his|her|their)\s+head\s+in|"
                            r"in\s+the\s+doorway|from\s+the\s+doorway|at\s+the\s+door)\b")


class StateEvent(BaseModel):
    """One thing the script says about a character's or a prop's state, at one line.

    `attribute`/`value` pairs: presence (exit, enter, act, speak, speak_remote, death),
    prop (break, repair, use, lose, find, give, take, leave), wardrobe (wear, on, off, change),
    injury (injure, ref, unmarked, run), body (wet, dirty, makeup, clean, dry_assert,
    clean_assert), light (sun, night).
    """

    scene: int
    line: int
    entity: str
    attribute: Literal["presence", "prop", "wardrobe", "injury", "body", "light"]
    value: str
    actor: str = ""
    owner: str = ""
    target: str = ""
    part: str = ""
    side: str = ""
    descriptors: list[str] = Field(default_factory=list)
    noun: str = ""
    phrase: str = ""
    definite: bool = False
    worn: bool = False
    sentence: str = ""
    named: bool = True
    text: str = ""
    source: Literal["rules", "model"] = "rules"


@dataclass
class SceneView:
    """The facts about one scene the continuity rules need."""

    number: int
    label: str
    heading: str
    heading_line: int
    start_line: int
    end_line: int
    location: str
    int_ext: str
    time: str
    marker: str
    story_day: int
    flashback: bool
    intercut: bool
    simultaneous: bool
    elements: list[Element]
    chain: int = 0
    periods: frozenset[int] | None = None
    when: str = ""
    marker_words: str = ""
    clauses: list[Clause] = field(default_factory=list)

    @property
    def continues(self) -> bool:
        """Say whether this scene picks up the previous one without a time gap."""
        return self.marker in CHAINING


@dataclass
class Timeline:
    """The tracked screenplay: scene facts, state events in script order, and the name index."""

    scenes: list[SceneView]
    events: list[StateEvent]
    names: NameIndex

    def scene(self, number: int) -> SceneView | None:
        """Return the scene with this number, if any."""
        return next((s for s in self.scenes if s.number == number), None)


def marker_text(scene: Scene) -> str:
    """Return the continuity marker as the heading writes it (`MOMENTS LATER`), or ''."""
    if scene.heading is None:
        return ""
    parts = " ".join((scene.heading.time_of_day, scene.heading.qualifiers, scene.heading.location)).upper()
    match = _MARKER_PATTERN.search(parts)
    return match.group(1) if match else ""


def heading_time(scene: Scene) -> tuple[str, str]:
    """Return (explicit time of day, continuity marker) read from a scene heading."""
    if scene.heading is None:
        return "", ""
    parts = " ".join((scene.heading.time_of_day, scene.heading.qualifiers)).upper()
    tail = scene.heading.location.upper().split(" - ")[-1]
    marker_match = _MARKER_PATTERN.search(parts) or _MARKER_PATTERN.fullmatch(tail.strip())
    marker = CONTINUITY_MARKERS[marker_match.group(1)] if marker_match else ""
    rest = _MARKER_PATTERN.sub(" ", parts)
    period = _PERIOD_PATTERN.search(rest)
    return (period.group(1) if period else ""), marker


def _scene_texts(sp: Screenplay, scene: Scene) -> list[str]:
    """Return the heading and the action/transition texts of a scene, for keyword tests."""
    return [e.text for e in sp.scene_elements(scene) if e.kind in ("scene_heading", "action", "transition", "centered")]


def scene_views(sp: Screenplay, breakdown: Breakdown) -> list[SceneView]:
    """Build the scene facts: times, markers, story days, flashbacks, intercuts, chains."""
    days = {s.number: s.story_day for s in breakdown.scenes}
    views: list[SceneView] = []
    in_flashback = False
    for scene in sp.scenes:
        view, in_flashback = _view(sp, scene, days.get(scene.number, 1), in_flashback)
        views.append(view)
    _link(views)
    return views


def _view(sp: Screenplay, scene: Scene, day: int, in_flashback: bool) -> tuple[SceneView, bool]:
    """Make one scene's facts; a `BEGIN FLASHBACK` stretch lasts until `BACK TO PRESENT`."""
    time, marker = heading_time(scene)
    texts = _scene_texts(sp, scene)
    heading = scene.heading.text if scene.heading else ""
    qualifiers = " ".join((scene.heading.time_of_day, scene.heading.qualifiers)) if scene.heading else ""
    joined = "\n".join(texts)
    opens_flashback = bool(re.search(r"^\s*(?:BEGIN\s+)?FLASH\s*BACK", joined, re.M))
    flashback = bool(FLASHBACK.search(qualifiers)) or in_flashback or opens_flashback
    begins = bool(re.search(r"\bBEGIN\s+FLASH\s*BACK\b", joined, re.I))
    still = (in_flashback or begins) and not FLASHBACK_END.search(joined)
    elements = sp.scene_elements(scene)
    view = SceneView(
        number=scene.number, label=scene.label, heading=heading,
        heading_line=elements[0].start_line if elements else scene.start_line,
        start_line=scene.start_line, end_line=scene.end_line,
        location=normalise_location(scene.heading.location) if scene.heading else "",
        int_ext=scene.heading.int_ext if scene.heading else "",
        time=time, marker=marker, marker_words=marker_text(scene), story_day=day, flashback=flashback,
        intercut=bool(INTERCUT.search(joined)), simultaneous=bool(SIMULTANEOUS.search(qualifiers)),
        elements=elements,
    )
    return view, still


def _link(views: list[SceneView]) -> None:
    """Give each scene its continuity chain and effective periods of the day."""
    chain = 0
    previous: SceneView | None = None
    for view in views:
        if view.flashback:
            chain += 1
            view.chain = chain
            view.periods = PERIODS.get(view.time)
            view.when = view.time
            continue
        if previous is None or not view.continues:
            chain += 1
        view.chain = chain
        inherited = previous.periods if previous is not None and view.marker in CHAINING | {"later"} else None
        view.periods = PERIODS.get(view.time) or inherited
        view.when = view.time or (previous.when if previous is not None and inherited is not None else "")
        if previous is not None and previous.intercut and view.continues:
            view.intercut = True
        previous = view


# --- walking the script ----------------------------------------------------------------


def track(sp: Screenplay, breakdown: Breakdown, library: CharacterLibrary | None = None,
          extra: list[StateEvent] | None = None) -> Timeline:
    """Read the whole screenplay into scene facts and state events (rules, plus model events)."""
    names = build_names(breakdown, library)
    infer_genders(names, [e.text for e in sp.elements if e.kind == "action"])
    views = scene_views(sp, breakdown)
    events: list[StateEvent] = []
    props = frozenset(ev.singular(fold(p).split()[-1]) for p in breakdown.props if p.split())
    for view in views:
        events.extend(_scene_events(view, names, props))
    events.extend(extra or [])
    events.sort(key=lambda e: (e.scene, e.line))
    return Timeline(views, events, names)


def _scene_events(view: SceneView, names: NameIndex, props: frozenset[str] = frozenset()) -> list[StateEvent]:
    """Turn one scene's action and cues into state events."""
    reader = Reader(names, props=props)
    events: list[StateEvent] = []
    elements = view.elements
    for index, element in enumerate(elements):
        if element.kind == "action":
            clauses = read_paragraph(element.text, element.start_line, index, reader)
            view.clauses.extend(clauses)
            for clause in clauses:
                events.extend(ev.clause_events(clause, view.number, reader, view.location))
        elif element.kind == "character":
            following = elements[index + 1 : index + 2]
            speech = _speech(element, following, view.number, names)
            if speech is not None:
                reader.note([speech.entity])
                if following and following[0].kind == "parenthetical" and ENTRANCE_PAREN.match(
                        following[0].text.strip("() ").lower()):
                    events.append(speech.model_copy(update={"value": "enter"}))
                events.append(speech)
    return _arrivals(view, events)


def _arrivals(view: SceneView, events: list[StateEvent]) -> list[StateEvent]:
    """A character whose first move in a scene is "steps out" (of a lift, a car, a doorway onto
    the terrace) is arriving here, not leaving: you cannot leave a scene you were never in."""
    seen: set[str] = set()
    out: list[StateEvent] = []
    for event in events:
        if event.attribute == "presence" and event.entity not in seen:
            seen.add(event.entity)
            if event.value == "exit" and re.search(r"\b(?:steps|comes|walks|strolls|stumbles|bursts|climbs|gets)\s+"
                                                   r"(?:back\s+)?(?:out|outside)\b", fold(event.text)):
                event = event.model_copy(update={"value": "enter"})
        out.append(event)
    return out


def _speech(cue: Element, following: list[Element], scene: int, names: NameIndex) -> StateEvent | None:
    """Make a speak event for a cue; voices off screen (V.O., O.S., phone) are remote."""
    key, extensions = cue_parts(cue)
    if not key:
        return None
    canonical = names.person(key)
    remote = any(_remote_extension(x) for x in extensions)
    if following and following[0].kind == "parenthetical":
        remote = remote or bool(REMOTE_PAREN.match(following[0].text.strip("() ")))
    value = "speak_remote" if remote else "speak"
    return StateEvent(scene=scene, line=cue.start_line, entity=canonical, attribute="presence", value=value,
                      text=cue.text)


def _remote_extension(extension: str) -> bool:
    """Say whether a cue extension means the speaker is heard and not seen."""
    folded = fold(extension).replace(" ", "")
    return folded in REMOTE_EXTENSIONS or folded.rstrip(".") in {x.rstrip(".") for x in REMOTE_EXTENSIONS} or \
        any(word in folded for word in ("phone", "radio", "filter", "intercom", "v.o", "o.s", "o.c"))
