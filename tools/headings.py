"""Scene headings: split `INT. HOUSE - KITCHEN - NIGHT #12A#` into its parts, and group scenes.

Fountain leaves location and time open; writers separate them with ` - `, ` -- ` or a bare
`--`. We scan from the right for a known time of day: left of it is the location (which may
itself hold ` - `), right of it qualifiers such as `FLASHBACK (1944)`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from filmcrew.domain import Element, IntExt, Scene, SceneHeading
from filmcrew.tools.model_build import builder, many_builder

HEADING_PREFIX = re.compile(
    r"^(INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST)(\.|\s|$)", re.IGNORECASE
)
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


_NUMBER_TEXT = re.compile(r"(?:[^\W_]|[.\-])+")


def split_scene_number(text: str) -> tuple[str, str | None]:
    """Cut a trailing `#12A#` scene number (letters, digits, `-`, `.`) from heading text."""
    text = text.rstrip()
    if not text.endswith("#"):
        return text, None
    opening = text.rfind("#", 0, len(text) - 1)
    if opening < 0:
        return text, None
    number = text[opening + 1 : -1]
    # isalnum() is exactly the letters and digits of the pattern; `.` and `-` need it.
    if not number.isalnum() and _NUMBER_TEXT.fullmatch(number) is None:
        return text, None
    return text[:opening].rstrip(), number


_NOT_PREFIX_CHARS = re.compile(r"[^A-Z/]+")
_INT_EXT_CACHE: dict[str, IntExt] = {}


def normalise_int_ext(prefix: str) -> IntExt:
    """Map a heading prefix onto INT, EXT or INT/EXT (EST counts as EXT)."""
    cached = _INT_EXT_CACHE.get(prefix)
    if cached is not None:
        return cached
    letters = _NOT_PREFIX_CHARS.sub("", prefix.upper())
    result: IntExt = ""
    if "/" in letters:
        result = "INT/EXT"
    elif letters.startswith("INT"):
        result = "INT"
    elif letters.startswith(("EXT", "EST")):
        result = "EXT"
    if len(_INT_EXT_CACHE) < 256:  # prefixes are few; the bound only guards odd input
        _INT_EXT_CACHE[prefix] = result
    return result


_NOT_TIME_CHARS = re.compile(r"[^A-Z ]+")
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")  # `(FLASHBACK)`, `[PRESENT]`, `(1973)`
_HEADING_FIELDS = ("text", "int_ext", "location", "time_of_day", "qualifiers")
_make_heading = builder(SceneHeading, _HEADING_FIELDS)
_make_headings = many_builder(SceneHeading, _HEADING_FIELDS)


def _is_time(part: str) -> bool:
    """Say whether a separated part names a time of day (`NIGHT`, `LATER THAT NIGHT`)."""
    if part in _TIME_SET:
        return True
    key = part.strip().upper()
    if key in _TIME_SET:
        return True
    words = _NOT_TIME_CHARS.sub(" ", key).split()
    if not words:
        return False
    return (
        " ".join(words) in _TIME_SET
        or words[-1] in _TIME_SET
        or words[0] in ("LATER", "CONTINUOUS", "SAME")
    )


def _time_of(part: str) -> tuple[str, str] | None:
    """Return (time of day, qualifier) when a part names a time: `DAY (FLASHBACK)`,
    `NIGHT [PRESENT]`, `NIGHT (1973)`, `DAY / DRIVING`."""
    bracketed = _PARENTHESES.findall(part) if "(" in part or "[" in part else []
    if not bracketed:
        return _plain_time_of(part)
    core = _PARENTHESES.sub(" ", part).strip()
    found = _plain_time_of(core) if core else None
    if found is None:
        return None
    return found[0], " ".join(q for q in (found[1], *bracketed) if q)


def _plain_time_of(part: str) -> tuple[str, str] | None:
    """`_time_of` for a part without bracketed qualifiers."""
    if "/" in part:
        first, _, rest = part.partition("/")
        if first.strip() and _is_time(first):
            return " ".join(first.split()).upper(), rest.strip()
    if _is_time(part):
        return " ".join(part.split()).upper(), ""
    return None


def _split_parts(rest: str) -> list[str]:
    """Split the text after the prefix at ` - `, ` -- `, `--`, en and em dashes."""
    if "--" not in rest and "  " not in rest and rest.isascii() and rest.isprintable():
        # Single spaces, plain hyphens, no odd white space: str.split does what SEPARATOR
        # would, and the parts are neither empty nor padded (`rest` is stripped).
        return rest.split(" - ")
    return [part.strip() for part in SEPARATOR.split(rest) if part and not part.isspace()]


# The usual prefixes, tested by slicing before the regex (which handles every spelling).
_PLAIN_PREFIXES: dict[str, IntExt] = {
    "INT. ": "INT",
    "EXT. ": "EXT",
    "EST. ": "EXT",
    "INT ": "INT",
    "EXT ": "EXT",
}
_NOT_PLAIN = frozenset(("", " ", ".", "-"))  # what may not follow `INT. ` on the fast path


def _prefix(stripped: str) -> tuple[IntExt, str] | None:
    """Return (INT/EXT, the text after the prefix), or None when there is no prefix."""
    if "/" not in stripped[:12]:  # INT./EXT. and I/E take the regex
        for size in (5, 4):
            int_ext = _PLAIN_PREFIXES.get(stripped[:size])
            if int_ext is not None and not stripped[size : size + 1].isspace():
                return int_ext, stripped[size:].strip().lstrip(".").strip()
    match = HEADING_PREFIX.match(stripped)
    if match is None:
        return None
    return normalise_int_ext(match.group(1)), stripped[match.end() :].strip().lstrip(".").strip()


def parse_heading(text: str) -> SceneHeading:
    """Split heading text (scene number already removed) into INT/EXT, location, time, rest."""
    return _make_heading(heading_fields(text))


def heading_fields(text: str) -> dict[str, str]:
    """`parse_heading`'s field values, before they become a model."""
    stripped = text.strip()
    int_ext = _PLAIN_PREFIXES.get(stripped[:5])
    if int_ext is not None and stripped[5:6] not in _NOT_PLAIN and "/" not in stripped[:12]:
        # The common shapes `INT. PLACE - TIME` and `INT. PLACE - PART - TIME`, settled
        # without the general path: the parts are what `_split_parts` gives for such text,
        # and a time in the last part ends the scan from the right at once.
        rest = stripped[5:]
        if "--" not in rest and "  " not in rest and rest.isascii() and rest.isprintable():
            parts = rest.split(" - ")
            count = len(parts)
            if count > 1 and parts[-1] in _TIME_SET and (count == 2 or _time_of(parts[-2]) is None):
                return {
                    "text": stripped,
                    "int_ext": int_ext,
                    "location": parts[0] if count == 2 else " - ".join(parts[:-1]),
                    "time_of_day": parts[-1],
                    "qualifiers": "",
                }
    return _any_heading_fields(stripped)


def _parse_any_heading(stripped: str) -> SceneHeading:
    """`parse_heading` for every shape of heading (the fast path must agree with this)."""
    return _make_heading(_any_heading_fields(stripped))


def _any_heading_fields(stripped: str) -> dict[str, str]:
    """`heading_fields` for every shape of heading."""
    found = _prefix(stripped)
    if found is None:
        return _heading_values(stripped, "", stripped.strip(" .-"))
    int_ext, rest = found
    parts = _split_parts(rest)
    for index in range(len(parts) - 1, 0, -1):
        part = parts[index]
        found_time = (part, "") if part in _TIME_SET else _time_of(part)
        if found_time is not None:
            time, qualifier = found_time
            later = parts[index + 1 :]
            if index > 1 and _time_of(parts[index - 1]) is not None:  # `RIVER - NIGHT - CONTINUOUS`
                index -= 1
                later = [parts[index], *later]
            qualifiers = " - ".join([qualifier, *later] if qualifier else later)
            location = parts[0] if index == 1 else " - ".join(parts[:index])
            return _heading_values(stripped, int_ext, location, time, qualifiers)
    location = parts[0] if len(parts) == 1 else " - ".join(parts)
    return _heading_values(stripped, int_ext, location)


def _heading_values(
    text: str, int_ext: IntExt, location: str, time: str = "", qualifiers: str = ""
) -> dict[str, str]:
    """A SceneHeading's field values, in the model's field order."""
    return {
        "text": text,
        "int_ext": int_ext,
        "location": location,
        "time_of_day": time,
        "qualifiers": qualifiers,
    }


def normalise_location(location: str) -> str:
    """Return a key under which `LIBRARY--DAY`-style spellings of one place compare equal."""
    key = location.upper().replace("’", "'")
    key = re.sub(r"\s+-\s+|\s*(--|–|—)\s*", " - ", key)  # `HALF-DARK` keeps its hyphen
    key = re.sub(r"[.,;:]+$", "", key)
    return re.sub(r"\s+", " ", key).strip()


_OPENERS = frozenset(
    (
        "FADE IN",
        "FADE UP",
        "FADE IN ON",
        "OPEN ON",
        "BLACK",
        "BLACK SCREEN",
        "OVER BLACK",
        "COLD OPEN",
        "TEASER",
        "PROLOGUE",
        "OPENING CREDITS",
        "MAIN TITLES",
        "TITLE CARD",
        "THE END",
    )
)
_NOT_BODY = frozenset(("section", "synopsis", "note", "page_break", "transition", "centered"))


def is_preamble(element: Element) -> bool:
    """Say whether an element before the first heading is framing, not a scene's content.

    `FADE IN:`, `COLD OPEN` or `ACT ONE` above the first heading must not become a scene of
    their own: that would renumber every scene after it.
    """
    return _preamble(element.__dict__)


def _preamble(values: Mapping[str, Any]) -> bool:
    """`is_preamble` on an element's field values."""
    kind = values["kind"]
    if kind in _NOT_BODY:
        return True
    text = values["text"]
    if kind != "action" or "\n" in text:
        return False
    text = text.strip()
    if text != text.upper():
        return False
    return text.endswith(":") or text.rstrip(".").strip() in _OPENERS or text.startswith("ACT ")


_make_scenes = many_builder(
    Scene, ("number", "label", "heading", "start_line", "end_line", "first_element", "end_element")
)


def group_scenes(elements: list[Element], line_count: int) -> list[Scene]:
    """Build scenes over a list of elements: each heading opens one. Text before the first
    heading is an implicit scene with no heading, unless it is only framing (`FADE IN:`,
    sections, notes); a script without any heading is one implicit scene."""
    return scenes_of([e.__dict__ for e in elements], line_count)


def scenes_of(
    elements: Sequence[Mapping[str, Any]], line_count: int, headings: list[int] | None = None
) -> list[Scene]:
    """`group_scenes` on the elements' field values (what the parser holds before it builds
    the models; reading dicts is much cheaper than model attributes on a long script).
    `headings`, if given, are the indices of the scene headings."""
    if headings is None:
        headings = [i for i, values in enumerate(elements) if values["kind"] == "scene_heading"]
    starts = list(headings)
    if not starts:
        starts = [0] if any(values["kind"] != "note" for values in elements) else []
    elif any(not _preamble(values) for values in elements[: starts[0]]):
        starts.insert(0, 0)
    count = len(elements)
    scenes: list[dict[str, Any]] = []
    headed: list[dict[str, Any]] = []  # the scenes that open with a heading
    heads: list[dict[str, str]] = []  # their headings' field values
    ends = [*starts[1:], count] if starts else []
    for order, (first, end) in enumerate(zip(starts, ends, strict=True), start=1):
        head = elements[first]
        head_end = head["end_line"]
        next_start = elements[end]["start_line"] - 1 if end < count else max(line_count, head_end)
        scene = {
            "number": order,
            "label": "",
            "heading": None,
            "start_line": head["start_line"],
            "end_line": next_start if next_start > head_end else head_end,
            "first_element": first,
            "end_element": end,
        }
        if head["kind"] == "scene_heading":
            heads.append(heading_fields(head["text"]))
            headed.append(scene)
            scene["label"] = head["scene_number"] or str(order)
        else:
            scene["label"] = str(order)
        scenes.append(scene)
    for scene, heading in zip(headed, _make_headings(heads), strict=True):
        scene["heading"] = heading
    return _make_scenes(scenes)
