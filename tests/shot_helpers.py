"""Hand-built screenplays and breakdown scenes for the shot planner tests.

Each helper lays elements out the way Fountain would (a blank line between paragraphs, none
inside a speech), so line numbers are those of a real file; the breakdown row is written by
hand, so a rule test depends only on the planner.
"""

from __future__ import annotations

from filmcrew.tools.headings import group_scenes, parse_heading
from filmcrew.tools.pages import format_eighths

from filmcrew.domain import BreakdownScene, Element, Screenplay

_IN_SPEECH = {"parenthetical", "dialogue", "lyric"}


def make_sp(*items: tuple[str, str] | tuple[str, str, dict[str, object]]) -> Screenplay:
    """Build a screenplay from (kind, text[, fields]) items, numbering lines as a file would."""
    elements: list[Element] = []
    line = 1
    for item in items:
        kind, text = item[0], item[1]
        fields: dict[str, object] = dict(item[2]) if len(item) > 2 else {}  # type: ignore[misc]
        if elements and kind not in _IN_SPEECH:
            line += 1
        height = text.count("\n") + 1
        elements.append(
            Element(kind=kind, text=text, start_line=line, end_line=line + height - 1, **fields)
        )  # type: ignore[arg-type]
        line += height
    sp = Screenplay(elements=elements, line_count=line - 1)
    sp.scenes = group_scenes(elements, sp.line_count)
    return sp


def row(
    sp: Screenplay,
    number: int,
    *,
    characters: list[str],
    speaking: list[str] | None = None,
    props: list[str] | None = None,
    eighths: int = 4,
) -> BreakdownScene:
    """Write the breakdown row of one scene by hand."""
    scene = sp.scenes[number - 1]
    heading = scene.heading or parse_heading("")
    return BreakdownScene(
        number=number,
        label=scene.label,
        heading=heading.text,
        int_ext=heading.int_ext,
        location=heading.location,
        time_of_day=heading.time_of_day,
        story_day=1,
        eighths=eighths,
        eighths_str=format_eighths(eighths),
        start_line=scene.start_line,
        end_line=scene.end_line,
        characters=characters,
        speaking=speaking if speaking is not None else characters,
        props=props or [],
    )


def speech(
    name: str, *lines: str, extensions: list[str] | None = None, paren: str = ""
) -> list[tuple[str, str, dict[str, object]] | tuple[str, str]]:
    """Return the elements of one speech: cue, optional parenthetical, dialogue."""
    items: list[tuple[str, str, dict[str, object]] | tuple[str, str]] = [
        ("character", name, {"extensions": extensions or []})
    ]
    if paren:
        items.append(("parenthetical", paren))
    items.append(("dialogue", "\n".join(lines)))
    return items


def two_hander() -> tuple[Screenplay, BreakdownScene]:
    """Build an office scene: two people trade lines, a FORM slides across, a line lands."""
    sp = make_sp(
        ("scene_heading", "INT. HARBOUR OFFICE - DAY"),
        ("action", "A cramped office. Tide charts on every wall."),
        ("action", "DEV waits at a desk stacked with folders."),
        *speech("DEV", "Mrs Vance. You got my letter."),
        *speech("NORA", "I got a letter. Whether it was yours I couldn't say."),
        *speech("DEV", "The trust is automating the light."),
        ("action", "Dev slides a FORM across the desk. Nora stares at it."),
        *speech("NORA", "Then you've got till Friday."),
    )
    return sp, row(sp, 1, characters=["DEV", "NORA"], props=["FORM"])
