"""Scene headings: split `INT. HOUSE - KITCHEN - NIGHT #12A#` into its parts, and group scenes.

Fountain leaves location and time open; writers separate them with ` - `, ` -- ` or a bare
`--`. We scan from the right for a known time of day: left of it is the location (which may
itself hold ` - `), right of it qualifiers such as `FLASHBACK (1944)`.
"""

from __future__ import annotations

import re

from filmcrew.domain import Element, IntExt, Scene, SceneHeading
from filmcrew.tools.model_build import build

HEADING_PREFIX = re.compile(r"^(INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST)(\.|\s|$)", re.I)
SCENE_NUMBER = re.compile(r"\s*#((?:[^\W_]|[.\-])+)#\s*$")
SEPARATOR = re.compile(r"\s+-{1,2}\s+|\s*--\s*|\s+–\s+|\s+—\s+")
TIMES_OF_DAY = (
    "MOMENTS LATER",
    "A MOMENT LATER",
    "SECONDS LATER",
    "MINUTES LATER",
    "HOURS LATER",
    "CONTINUOUS",
    "SAME TIME",
    "SAME",
    "LATER",
    "DAY",
    "NIGHT",
    "MORNING",
    "AFTERNOON",
    "EVENING",
    "DUSK",
    "DAWN",
    "SUNRISE",
    "SUNSET",
    "MIDDAY",
    "NOON",
    "MIDNIGHT",
    "LATE NIGHT",
    "EARLY MORNING",
    "MAGIC HOUR",
    "TWILIGHT",
    "NIGHTFALL",
    "DAYBREAK",
)
_TIME_SET = frozenset(TIMES_OF_DAY)


def is_heading_text(line: str) -> bool:
    """Say whether a line starts like a scene heading (`INT.`, `EXT `, `I/E.`, `EST.`)."""
    return HEADING_PREFIX.match(line) is not None


def split_scene_number(text: str) -> tuple[str, str | None]:
    """Cut a trailing `#12A#` scene number from heading text."""
    match = SCENE_NUMBER.search(text)
    if match is None:
        return text.rstrip(), None
    return text[: match.start()].rstrip(), match.group(1)


def normalise_int_ext(prefix: str) -> IntExt:
    """Map a heading prefix onto INT, EXT or INT/EXT (EST counts as EXT)."""
    letters = re.sub(r"[^A-Z/]", "", prefix.upper())
    if "/" in letters:
        return "INT/EXT"
    if letters.startswith("INT"):
        return "INT"
    if letters.startswith(("EXT", "EST")):
        return "EXT"
    return ""


def _is_time(part: str) -> bool:
    """Say whether a separated part names a time of day (`NIGHT`, `LATER THAT NIGHT`)."""
    key = re.sub(r"[^A-Z ]", "", part.upper()).strip()
    key = re.sub(r"\s+", " ", key)
    if key in _TIME_SET:
        return True
    words = key.split()
    return bool(words) and (words[-1] in _TIME_SET or words[0] in ("LATER", "CONTINUOUS", "SAME"))


def parse_heading(text: str) -> SceneHeading:
    """Split heading text (scene number already removed) into INT/EXT, location, time, rest."""
    stripped = text.strip()
    match = HEADING_PREFIX.match(stripped)
    if match is None:
        return SceneHeading(text=stripped, location=stripped.strip(" .-"))
    int_ext = normalise_int_ext(match.group(1))
    rest = stripped[match.end() :].strip().lstrip(".").strip()
    parts = [p for p in SEPARATOR.split(rest) if p.strip()]
    for index in range(len(parts) - 1, 0, -1):
        if _is_time(parts[index]):
            location = " - ".join(p.strip() for p in parts[:index])
            qualifiers = " - ".join(p.strip() for p in parts[index + 1 :])
            return SceneHeading(
                text=stripped,
                int_ext=int_ext,
                location=location.strip(),
                time_of_day=parts[index].strip().upper(),
                qualifiers=qualifiers,
            )
    return SceneHeading(text=stripped, int_ext=int_ext, location=" - ".join(p.strip() for p in parts))


def normalise_location(location: str) -> str:
    """Return a key under which `LIBRARY--DAY`-style spellings of one place compare equal."""
    key = location.upper().replace("’", "'")
    key = re.sub(r"\s*(-{1,2}|–|—)\s*", " - ", key)
    key = re.sub(r"[.,;:]+$", "", key)
    return re.sub(r"\s+", " ", key).strip()


_OPENERS = frozenset(
    ("FADE IN", "FADE UP", "FADE IN ON", "OPEN ON", "BLACK", "BLACK SCREEN", "OVER BLACK", "COLD OPEN",
     "TEASER", "PROLOGUE", "OPENING CREDITS", "MAIN TITLES", "TITLE CARD", "THE END")
)
_NOT_BODY = frozenset(("section", "synopsis", "note", "page_break", "transition", "centered"))


def is_preamble(element: Element) -> bool:
    """Say whether an element before the first heading is framing, not a scene's content.

    `FADE IN:`, `COLD OPEN` or `ACT ONE` above the first heading must not become a scene of
    their own: that would renumber every scene after it.
    """
    if element.kind in _NOT_BODY:
        return True
    if element.kind != "action" or "\n" in element.text:
        return False
    text = element.text.strip()
    if text != text.upper():
        return False
    return text.endswith(":") or text.rstrip(".").strip() in _OPENERS or text.startswith("ACT ")


def _scene_starts(elements: list[Element]) -> list[int]:
    """Return the element index where each scene starts (an implicit first scene included)."""
    starts = [i for i, e in enumerate(elements) if e.kind == "scene_heading"]
    if not starts:
        return [0] if any(e.kind != "note" for e in elements) else []
    if any(not is_preamble(e) for e in elements[: starts[0]]):
        starts.insert(0, 0)
    return starts


def group_scenes(elements: list[Element], line_count: int) -> list[Scene]:
    """Build scenes over a list of elements: each heading opens one. Text before the first
    heading is an implicit scene with no heading, unless it is only framing (`FADE IN:`,
    sections, notes); a script without any heading is one implicit scene."""
    scenes: list[Scene] = []
    starts = _scene_starts(elements)
    for order, first in enumerate(starts, start=1):
        end = starts[order] if order < len(starts) else len(elements)
        head = elements[first]
        heading = None
        label = str(order)
        if head.kind == "scene_heading":
            heading = parse_heading(head.text)
            label = head.scene_number or label
        next_start = elements[end].start_line - 1 if end < len(elements) else max(line_count, head.end_line)
        last_line = max(head.end_line, next_start)
        scenes.append(
            build(
                Scene,
                {
                    "number": order,
                    "label": label,
                    "heading": heading,
                    "start_line": head.start_line,
                    "end_line": last_line,
                    "first_element": first,
                    "end_element": end,
                },
            )
        )
    return scenes
