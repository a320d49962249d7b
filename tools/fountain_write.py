"""Write a Screenplay as Fountain text that parses back to the same elements.

Layout: title page first, then boneyards (kept so nothing is lost), then the elements with a
blank line between paragraphs; a cue, its parentheticals, speech and lyrics stay together.
A forcing marker (`!`, `@`, `.`, `>`) is added exactly where the plain rules would read the
text as something else, literal `*` and `_` are escaped, and emphasis runs become markers.
Line numbers naturally differ from the source; everything else survives `parse(write(sp))`.
"""

from __future__ import annotations

from filmcrew.domain import Element, Screenplay, TitleEntry
from filmcrew.tools import emphasis
from filmcrew.tools.fountain_rules import (
    HEADING,
    is_late_heading,
    is_page_break,
    is_transition,
    natural_cue,
    parse_cue,
)
from filmcrew.tools.fountain_title import opens_title_page

_BLOCK_PARTS = frozenset(("parenthetical", "dialogue", "lyric"))
_MARKED_STARTS = "!@~>=#"


def write(screenplay: Screenplay) -> str:
    """Return the screenplay as Fountain text (ends with one newline)."""
    paragraphs = [*_title_page(screenplay.title_page)]
    bones = [f"/*{bone.text}*/" for bone in screenplay.boneyard]
    # Boneyards go first, where no literal `/*` of the script's text can pair with their `*/`;
    # only a literal `/*` on the title page sends them to the end instead.
    late = any("/*" in entry.value for entry in screenplay.title_page)
    if not late:
        paragraphs.extend(bones)
    elements = screenplay.elements
    index = 0
    while index < len(elements):
        element = elements[index]
        if element.kind == "character":
            end = index + 1
            while end < len(elements) and _in_block(elements[end], elements[end - 1]):
                end += 1
            paragraphs.append(_block(elements[index:end]))
            index = end
            continue
        paragraphs.append(_with_notes(_paragraph(element), element))
        index += 1
    if late:
        paragraphs.extend(bones)
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def _in_block(element: Element, previous: Element) -> bool:
    """Say whether an element continues the speech of the element before it.

    Parentheticals and dialogue always do. A lyric may also stand after a speech as its own
    paragraph; writing it inside the speech changes nothing when it shares the speech's
    column (a lyric outside a dual pair has none), but two lyrics in a row must stay apart
    (inside one speech they would merge).
    """
    if element.kind != "lyric":
        return element.kind in _BLOCK_PARTS
    return previous.kind != "lyric" and element.dual == previous.dual


def _title_page(entries: list[TitleEntry]) -> list[str]:
    """Render the title page as one paragraph of `Key: value` lines (or none)."""
    lines: list[str] = []
    for entry in entries:
        values = [v.strip() for v in entry.value.split("\n") if v.strip()]
        if len(values) == 1:
            lines.append(f"{entry.key}: {values[0]}")
        else:
            lines.append(f"{entry.key}:")
            lines.extend(f"    {value}" for value in values)
    return ["\n".join(lines)] if lines else []


def _styled(element: Element) -> str:
    """Return an element's text with emphasis markers and escapes."""
    if element.runs:
        return emphasis.render(emphasis.from_runs(element.runs))
    return emphasis.escape(element.text)


def _with_notes(text: str, element: Element) -> str:
    """Put an element's inline notes back at the start of its first line (after any
    indentation): there no literal `[[` of the text can pair with a note's `]]`, and the
    parser joins what is left around them as it was."""
    if not element.notes:
        return text
    notes = "".join(f"[[{_note_text(note)}]]" for note in element.notes)
    indent = len(text) - len(text.lstrip(" "))
    return text[:indent] + notes + text[indent:]


def _note_text(text: str) -> str:
    """Keep a note's empty lines inside it: they need two spaces."""
    return "\n".join(line if line.strip() else "  " for line in text.split("\n"))


def _paragraph(element: Element) -> str:
    """Render one element that is not part of a dialogue block."""
    kind = element.kind
    if kind == "scene_heading":
        return _heading(element)
    if kind == "action":
        return _action(_styled(element))
    if kind == "centered":
        return "\n".join(f">{line}<" for line in _styled(element).split("\n"))
    if kind == "transition":
        return _transition(_styled(element))
    if kind == "lyric":
        return "\n".join(f"~{line}" for line in _styled(element).split("\n"))
    if kind == "page_break":
        return "==="
    if kind == "section":
        return "#" * (element.depth or 1) + " " + _styled(element)
    if kind == "synopsis":
        return "= " + _styled(element)
    if kind == "note":
        return f"[[{_note_text(element.text)}]]"
    # A speech part without a cue above it can only be written as action.
    return _action(_styled(element))


def _heading(element: Element) -> str:
    """Render a scene heading, forcing it with `.` unless it starts with INT/EXT/EST/I/E."""
    text = _styled(element)
    if element.scene_number:
        text = f"{text} #{element.scene_number}#"
    if HEADING.match(text):
        return text
    return "." + text


def _transition(text: str) -> str:
    """Render a transition, forcing it with `>` unless it reads as one by itself."""
    natural = (
        "\n" not in text
        and is_transition(text)
        and text[:1] not in _MARKED_STARTS + ".("
        and not HEADING.match(text)
        and not opens_title_page(text)
    )
    return text if natural else "> " + text


def _action(text: str) -> str:
    """Render action, forcing lines that the plain rules would read as something else."""
    lines = text.split("\n")
    out = [_first_action_line(lines[0], lines[1] if len(lines) > 1 else None)]
    for line in lines[1:]:
        stripped = line.strip()
        risky = not stripped or stripped[0] in "~>!" or is_page_break(stripped)
        if risky or is_late_heading(stripped):
            line = "!" + line
        out.append(line)
    return "\n".join(out)


def _first_action_line(line: str, second: str | None) -> str:
    """Return the first line of an action paragraph, with `!` where needed."""
    stripped = line.strip()
    if not stripped:
        return "!" + line
    first = stripped[0]
    risky = (
        first in _MARKED_STARTS
        or (first == "." and len(stripped) > 1 and stripped[1].isalnum())
        or HEADING.match(stripped) is not None
        or opens_title_page(line, second or "")
        or (second is None and is_transition(line))
    )
    if not risky and second is not None:
        cue = parse_cue(stripped)
        risky = cue is not None and natural_cue(cue[0])
    return "!" + line if risky else line


def _cue_line(element: Element, alone: bool) -> str:
    """Render a cue: name, extensions, `^` on the right column; `@` where needed."""
    name = _styled(element)
    extensions = "".join(f" ({extension})" for extension in element.extensions)
    dual = " ^" if element.dual == "right" else ""
    line = f"{name}{extensions}{dual}"
    parsed = parse_cue(line)
    natural = (
        not alone
        and parsed == (name, list(element.extensions), bool(dual))
        and natural_cue(name)
        and "," not in name
        and name[0] not in _MARKED_STARTS + ".("
        and not HEADING.match(line)
        and not opens_title_page(line)  # as the script's first line it would open a title page
    )
    return line if natural else "@" + line


def _block(elements: list[Element]) -> str:
    """Render a cue and the parts of its speech, one line after another."""
    cue = elements[0]
    lines = [_with_notes(_cue_line(cue, alone=len(elements) == 1), cue)]
    for element in elements[1:]:
        text = _styled(element)
        if element.kind == "parenthetical":
            if not (text.startswith("(") and text.endswith(")")):
                text = f"({text})"
            part = text
        elif element.kind == "lyric":
            part = "\n".join(f"~{line}" for line in text.split("\n"))
        else:
            part = "\n".join(line if line.strip() else "  " for line in text.split("\n"))
        lines.append(_with_notes(part, element))
    return "\n".join(lines)
