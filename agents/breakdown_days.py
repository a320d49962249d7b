"""Story days: which day of the story each scene happens on (film-grammar.md §1, §4).

The rule, in the order it is applied to each scene:

1. **Flashbacks and dreams do not move the clock.** A heading whose time or qualifiers say
   FLASHBACK, DREAM, NIGHTMARE, FANTASY, MEMORY, VISION, EARLIER, YEARS AGO or PAST (the
   lexicon's `FLASHBACK`), or a scene inside a `BEGIN FLASHBACK` ... `END FLASHBACK` /
   `BACK TO PRESENT` stretch, gets the current story day and is skipped by the time-of-day
   comparison, so returning from it never looks like a new day.
2. **A counted day is taken at its word.** `DAY TWO`, `Day 3`, `SUPER: DAY 4` in the heading, at
   the start of a sentence of the scene's opening action (before its first speech), or as a
   title at the end of the previous scene, sets the story day to that number.
3. **A "next day" marker advances one day**: `THE NEXT MORNING`, `NEXT DAY`, `THE FOLLOWING
   EVENING`, `THREE DAYS LATER`, `A WEEK LATER`, `THE DAY AFTER`, in the same places.
4. **Time running backwards advances one day.** Each time of day covers a band of the day
   cycle (DAWN 0; MORNING 1; DAY 1-3; NOON 2; AFTERNOON 3; DUSK/EVENING 4-5; NIGHT 5-7;
   MIDNIGHT/LATE NIGHT 6-7). The clock remembers the earliest hour the story can have reached;
   a scene whose band ends before that hour (NIGHT -> DAWN, NIGHT -> DAY, AFTERNOON -> MORNING)
   is the next day. DAY -> AFTERNOON -> DAY stays one day, because a DAY can be the afternoon.
5. **A heading naming another year** than the last one named (`NIGHT (1977)`, then
   `DAY (1987)`) is another day: the story has jumped in time.
6. **Relative times keep the day**: CONTINUOUS, SAME, MOMENTS LATER, LATER, LATER THAT NIGHT.
   They never trigger rule 4, though a named time in them (`LATER THAT NIGHT`) moves the clock on.

Rules 2-5 never stack: a scene advances at most one day ("Day two." under a NIGHT -> DAWN cut is
day 2, not 3). A scene without a heading or a recognised time keeps the day and the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from filmcrew.agents.lexicon import FLASHBACK, ORDINALS
from filmcrew.domain import Element, Scene, Screenplay
from filmcrew.tools.headings import split_scene_number

# Time of day -> (earliest, latest) band of the day cycle; longest phrases are matched first.
DAY_BANDS: dict[str, tuple[int, int]] = {
    "FIRST LIGHT": (0, 0),
    "EARLY MORNING": (0, 1),
    "LATE MORNING": (1, 2),
    "LATE AFTERNOON": (3, 4),
    "EARLY EVENING": (4, 4),
    "MAGIC HOUR": (4, 4),
    "LATE NIGHT": (6, 7),
    "PRE-DAWN": (7, 7),
    "DAYBREAK": (0, 0),
    "SUNRISE": (0, 0),
    "DAWN": (0, 0),
    "MORNING": (1, 1),
    "MIDDAY": (2, 2),
    "NOON": (2, 2),
    "DAY": (1, 3),
    "AFTERNOON": (3, 3),
    "SUNSET": (4, 4),
    "DUSK": (4, 4),
    "TWILIGHT": (4, 4),
    "NIGHTFALL": (4, 5),
    "EVENING": (4, 5),
    "NIGHT": (5, 7),
    "MIDNIGHT": (6, 6),
}
_BAND_PATTERN = re.compile(
    r"(?<![A-Z-])("
    + "|".join(re.escape(k) for k in sorted(DAY_BANDS, key=len, reverse=True))
    + r")(?![A-Z])"
)
_RELATIVE = re.compile(r"\b(LATER|CONTINUOUS|CONT'D|SAME|MOMENTS?|SECONDS|MINUTES|HOURS|THAT)\b")
_NUMBER = r"(\d{1,3}|" + "|".join(ORDINALS) + r")"
DAY_NUMBER = re.compile(rf"^day\s+{_NUMBER}\b(?!\s*(?:of|or|and|to|in|after|before)\b)", re.I)
_COUNT = r"(?:\d{1,3}|a|an|a\s+few|few|several|many|some|" + "|".join(ORDINALS) + r")"
NEXT_DAY = re.compile(
    r"^(?:(?:the\s+)?(?:next|following)\s+(?:day|morning|afternoon|evening|night|dawn|week|month|year)"
    rf"|{_COUNT}\s+(?:days?|weeks?|months?|years?)\s+(?:later|after|on)"
    r"|the\s+day\s+after|next\s+(?:day|morning))\b",
    re.I,
)
BEGIN_FLASHBACK = re.compile(r"^(?:begin|start)\s+(?:of\s+)?flash\s*back\b", re.I)
END_FLASHBACK = re.compile(
    r"^(?:end\s+(?:of\s+)?flash\s*back|back\s+to\s+(?:the\s+)?present)\b", re.I
)
_CLAUSE_SPLIT = re.compile(r"(?<=[.!?:;])\s+|\n+|\s+[-–—]{1,2}\s+|\s*--\s*")
_MARKER_HINT = re.compile(
    r"day|next|following|later|after|week|month|year|flash|present|begin|start|end", re.I
)
_OPENERS = " \t>([\"'“‘*_-–—"
_TITLE_KINDS = frozenset({"centered", "transition"})


@dataclass
class _Clock:
    """Where the story stands: the day, the earliest hour reached, whether in a flashback."""

    day: int = 1
    hour: int | None = None
    flashback: bool = False
    year: str = ""


@lru_cache(maxsize=4096)
def clauses(text: str) -> tuple[str, ...]:
    """Split text into the clauses a marker must open (`Day two. Calm sea` -> two clauses).

    Text with no word any marker needs (day, next, later, flashback...) yields nothing, which
    keeps long scripts fast.
    """
    if _MARKER_HINT.search(text) is None:
        return ()
    return tuple(c.strip(_OPENERS) for c in _CLAUSE_SPLIT.split(text) if c.strip(_OPENERS))


def day_band(time_of_day: str) -> tuple[int, int] | None:
    """Return the (earliest, latest) band of a time of day, or None when it names no time."""
    match = _BAND_PATTERN.search(time_of_day.upper())
    return DAY_BANDS[match.group(1)] if match else None


def is_relative(time_of_day: str) -> bool:
    """Say whether a time of day is relative to the previous scene (CONTINUOUS, LATER, SAME)."""
    return _RELATIVE.search(time_of_day.upper()) is not None


def counted_day(texts: list[str]) -> int | None:
    """Return N where a clause of the texts opens with `DAY N`, else None."""
    for text in texts:
        for clause in clauses(text):
            match = DAY_NUMBER.match(clause)
            if match:
                word = match.group(1).lower()
                return int(word) if word.isdigit() else ORDINALS[word]
    return None


def says_next_day(texts: list[str]) -> bool:
    """Say whether a clause of the texts opens with a next-day marker (`THE NEXT MORNING`)."""
    return any(NEXT_DAY.match(c) for text in texts for c in clauses(text))


def _opening_texts(elements: list[Element]) -> list[str]:
    """Return the action and titles of a scene before its first speech (heading excluded)."""
    texts: list[str] = []
    for element in elements:
        if element.kind == "character":
            break
        if element.kind in ("action", "centered", "transition"):
            texts.append(element.text)
    return texts


def _closing_titles(elements: list[Element]) -> list[str]:
    """Return the titles (`> THE NEXT DAY <`, transitions) that end a scene, leading on."""
    texts: list[str] = []
    for element in reversed(elements):
        if element.kind not in _TITLE_KINDS:
            break
        texts.insert(0, element.text)
    return texts


def _heading_parts(scene: Scene) -> tuple[str, str]:
    """Return (time-and-qualifier text, full heading text) of a scene's heading, or blanks."""
    heading = scene.heading
    if heading is None:
        return "", ""
    located = (
        " ".join(re.findall(r"\(([^)]*)\)", heading.location)) if "(" in heading.location else ""
    )
    return f"{heading.time_of_day} {heading.qualifiers} {located}".strip(), split_scene_number(
        heading.text
    )[0]


def _in_flashback(clock: _Clock, when: str, texts: list[str]) -> bool:
    """Update the flashback stretch from BEGIN/END markers and say whether this scene is one."""
    for clause in (c for text in texts for c in clauses(text)):
        if BEGIN_FLASHBACK.match(clause):
            clock.flashback = True
        elif END_FLASHBACK.match(clause):
            clock.flashback = False
    return clock.flashback or FLASHBACK.search(when) is not None


def _advance(clock: _Clock, when: str, texts: list[str], heading: str) -> None:
    """Move the clock for one present-time scene (rules 2-5 of the module docstring)."""
    band = day_band(when)
    markers = [heading, when, *texts]
    counted = counted_day(markers)
    backwards = (
        band is not None
        and not is_relative(when)
        and clock.hour is not None
        and band[1] < clock.hour
    )
    next_day = says_next_day(markers) or _new_year(clock, when)
    if counted is not None:
        clock.day, clock.hour = counted, band[0] if band else None
    elif next_day or backwards:
        clock.day, clock.hour = clock.day + 1, band[0] if band else None
    elif band is not None:
        clock.hour = band[0] if clock.hour is None else max(clock.hour, band[0])


_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def _new_year(clock: _Clock, when: str) -> bool:
    """Say whether the heading names a year other than the last one named (`NIGHT (1977)` after
    `DAY (1987)`): the story has moved to another time, so another day. Remembers the year."""
    found = _YEAR.search(when)
    if found is None:
        return False
    moved = bool(clock.year) and found.group(1) != clock.year
    clock.year = found.group(1)
    return moved


def story_days(sp: Screenplay) -> list[int]:
    """Return the story day of every scene, in `sp.scenes` order (rules in the module docstring)."""
    clock, days = _Clock(), []
    carried: list[str] = []
    for scene in sp.scenes:
        elements = sp.scene_elements(scene)
        when, heading = _heading_parts(scene)
        body = elements[1:] if scene.heading is not None else elements
        closing = _closing_titles(body)
        texts = carried + _opening_texts(body[: len(body) - len(closing)])
        if not _in_flashback(clock, when, texts):
            _advance(clock, when, texts, heading)
        days.append(clock.day)
        carried = closing
    return days
