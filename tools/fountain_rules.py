"""Line-level Fountain rules shared by the parser and the writer, and the element builder.

The writer asks the same questions as the parser ("would this line read as a heading?") so
that it adds a forcing marker exactly where one is needed; keeping the rules in one place
makes `parse(write(sp))` hold by construction rather than by coincidence.
"""

from __future__ import annotations

import re
from typing import Any

from filmcrew.domain import Element
from filmcrew.tools import emphasis
from filmcrew.tools.model_build import many_builder, template

HEADING = re.compile(
    r"(?:INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST)[.\s]", re.IGNORECASE
)
# Without a blank line above it, only an unmistakable heading (`INT. `, upper case) counts.
LATE_HEADING = re.compile(r"(?:INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST)\.\s")
# A key is a short label (`Draft date`), so a sentence with a colon is not one.
TITLE_KEY = re.compile(r"([^\W\d_][\w'’\-]*(?: [\w'’\-]+){0,2})[ ]*:(.*)$")
TITLE_KEYS = frozenset(
    (
        "title",
        "credit",
        "author",
        "authors",
        "source",
        "draft date",
        "date",
        "contact",
        "copyright",
        "notes",
        "revision",
        "episode",
        "series",
        "format",
        "language",
        "font",
        "tl",
        "tc",
        "tr",
        "cc",
        "bl",
        "br",
        "watermark",
    )
)
_CUE = re.compile(r"([^(^]*?)\s*((?:\([^()]*\)\s*)*)(\^?)\s*$")
_EXTENSION = re.compile(r"\(([^()]*)\)")
TRANSITIONS = frozenset(("FADE OUT.", "FADE TO BLACK.", "CUT TO BLACK."))


def character_key(name: str) -> str:
    """Return the identity of a cue name: casefolded, curly apostrophes straightened, spaces
    collapsed, so `McCLANE`, `MCCLANE` and `MCCLANE ` are one character."""
    return " ".join(name.replace("’", "'").casefold().split())


def parse_cue(line: str) -> tuple[str, list[str], bool] | None:
    """Split a cue line into (name, extensions, dual) if it has the shape of one.

    The shape is `NAME`, any `( ... )` extensions, an optional `^`; whether the name is
    acceptable (upper case) is for `natural_cue` to decide.
    """
    if "(" not in line and "^" not in line:
        name = line.strip()
        return (name, [], False) if name else None
    match = _CUE.match(line)
    if match is None:
        return None
    name, extensions, dual = match.groups()
    if not name.strip():
        return None
    return name.strip(), [e.strip() for e in _EXTENSION.findall(extensions)], bool(dual)


def natural_cue(name: str) -> bool:
    """Say whether an unforced name reads as a cue: it starts with a letter or digit, has an
    upper-case letter and no lower-case one, and does not end in `:` (`CUT TO:`)."""
    return name[0].isalnum() and name.isupper() and not name.endswith(":")


def is_transition(raw: str) -> bool:
    """Say whether a line is a transition; trailing spaces make `CUT TO: ` action on purpose."""
    text = raw.lstrip()
    return (text.endswith("TO:") or text in TRANSITIONS) and text == text.upper()


def is_page_break(stripped: str) -> bool:
    """Say whether a stripped line is three or more `=` and nothing else."""
    return len(stripped) >= 3 and not stripped.strip("=")


def is_late_heading(stripped: str) -> bool:
    """Say whether a line inside a paragraph is a heading someone forgot the blank line for."""
    return stripped[0] in "IE" and stripped.isupper() and LATE_HEADING.match(stripped) is not None


HEADING_STARTS = frozenset(("INT.", "INT ", "EXT.", "EXT ", "EST.", "EST "))


def is_heading(stripped: str) -> bool:
    """Say whether a stripped line opens like a scene heading (HEADING, case-insensitive).

    Most lines are settled by their first characters without running the regex: this runs
    for every paragraph of a script.
    """
    if stripped[:4].upper() in HEADING_STARTS:
        return True
    return (
        stripped[0] in "IiEe"
        and stripped[1:2] in "NnSsXx/ "
        and HEADING.match(stripped) is not None
    )


# --- building elements ---------------------------------------------------------------------

_FIELDS = (
    "kind",
    "text",
    "start_line",
    "end_line",
    "runs",
    "forced",
    "scene_number",
    "extensions",
    "dual",
    "depth",
    "notes",
)
_make_elements = many_builder(Element, _FIELDS)


Fields = dict[str, Any]
"""An element's field values before it becomes a model. The parser collects these (so that
`dual` can still be set when the right column of a dual dialogue turns up) and `build_elements`
makes them models in one pass; the dict becomes the model's own storage."""


def fields(
    kind: str,
    text: str,
    start: int,
    end: int,
    notes: list[str],
    forced: bool = False,
    number: str | None = None,
    extensions: list[str] | None = None,
    depth: int | None = None,
) -> Fields:
    """Return the field values of one element (its lines joined by line breaks)."""
    return {
        "kind": kind,
        "text": text,
        "start_line": start,
        "end_line": end,
        "runs": [],
        "forced": forced,
        "scene_number": number,
        "extensions": [] if extensions is None else extensions,
        "dual": None,
        "depth": depth,
        "notes": notes,
    }


_BLANK: Fields = template({
    "kind": "",
    "text": "",
    "start_line": 0,
    "end_line": 0,
    "runs": None,
    "forced": False,
    "scene_number": None,
    "extensions": None,
    "dual": None,
    "depth": None,
    "notes": None,
})


def plain_fields(kind: str, text: str, start: int, end: int, notes: list[str]) -> Fields:
    """`fields` for the common element with no marker, number, extension or depth.

    Copying a complete dict and replacing six values is cheaper than building eleven
    entries afresh, and this runs for nearly every element.
    """
    values = _BLANK.copy()
    values["kind"] = kind
    values["text"] = text
    values["start_line"] = start
    values["end_line"] = end
    values["runs"] = []
    values["extensions"] = []
    values["notes"] = notes
    return values


def build_elements(collected: list[Fields], markup: bool = True) -> list[Element]:
    """Turn collected field values into Element models, emphasis markup into runs.

    This runs once per element of the script, so the models are made in C loops (`map`
    over the slot setters of `model_build`), each dict becoming its model's storage, rather
    than by a constructor call per element. `markup=False` says the script holds no `*` or
    `_` at all, so no element needs its text looked at.
    """
    if markup:
        for values in collected:
            text = values["text"]
            if "*" in text or "_" in text:
                _styled(values)
    return _make_elements(collected)


def _styled(values: Fields) -> Fields:
    """Turn emphasis markup in an element's text into runs (notes keep their text as is)."""
    text = values["text"]
    if ("*" in text or "_" in text) and values["kind"] != "note":
        values["text"], segments = emphasis.parse_lines(text.split("\n"))
        values["runs"] = emphasis.to_runs(segments)
    return values
