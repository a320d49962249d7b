"""Page count and page eighths, counted as a typewriter would print the script (formats.md §4).

One page of Courier 12 holds 55 lines on US Letter (57 on A4) and plays about a minute, so
production measures scenes in eighths of a page. We lay the elements out line by line:
blank lines before each element, word wrap at the element's column width, a forced page
break (`===`) ending the page, and nothing added above the first element of a page (the
blank lines a heading would want at the top of a page are never printed). Notes, sections
and synopses are not printed; dual dialogue takes the height of its longer column.

This is an estimate, not Final Draft's pagination: it does not keep headings with their
text or split speeches with (MORE)/(CONT'D), which makes real scripts run slightly longer.
The numbers are integers all the way (`-(-lines * 8 // lpp)`), so no float error creeps in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from filmcrew.domain import Element, Screenplay

PAPER_LINES: dict[str, int] = {"letter": 55, "a4": 57}
_DIALOGUE_KINDS = frozenset({"parenthetical", "dialogue", "lyric"})


class PageSettings(BaseModel):
    """Paper and column widths used to count printed lines; US Letter by default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paper: Literal["letter", "a4"] = "letter"
    lines_per_page: int | None = Field(
        default=None, ge=8, description="Overrides the paper's lines."
    )
    heading_width: int = Field(default=60, ge=8)
    action_width: int = Field(default=60, ge=8)
    parenthetical_width: int = Field(default=25, ge=8)
    dialogue_width: int = Field(default=35, ge=8)
    heading_space: int = Field(default=2, ge=0, description="Blank lines before a scene heading.")
    action_space: int = Field(
        default=1, ge=0, description="Blank lines before action or centred text."
    )
    cue_space: int = Field(default=1, ge=0, description="Blank lines before a cue or transition.")

    @property
    def lpp(self) -> int:
        """Lines per page: the explicit override, else the paper's."""
        return self.lines_per_page or PAPER_LINES[self.paper]


DEFAULT_SETTINGS = PageSettings()


@dataclass(frozen=True)
class Layout:
    """Where every element landed: lines it costs (blank lines before included) and its page.

    Both lists run parallel to `Screenplay.elements`. A dual-dialogue group charges its whole
    height to its first cue and 0 to the rest, so sums over any element range stay right.
    """

    lines: list[int]
    pages: list[int]


def wrapped_lines(line: str, width: int) -> int:
    """Count the printed lines of one source line word-wrapped at `width` characters.

    Greedy, like a typewriter: each line breaks at the last space that still fits. A word
    longer than the column is broken hard; leading indentation counts on the first line.
    An empty line still prints as one line.
    """
    size = len(line)
    count, start = 1, 0
    while size - start > width:
        cut = line.rfind(" ", start, start + width + 1)
        if cut <= start or line[start:cut].isspace():
            start += width
        else:
            start = cut + 1
            while start < size and line[start] == " ":
                start += 1
        if start < size:
            count += 1
    return count


def _text_lines(text: str, width: int) -> int:
    """Count the printed lines of a text whose manual line breaks are kept."""
    if "\n" not in text:
        return 1 if len(text) <= width else wrapped_lines(text, width)
    return sum(wrapped_lines(line, width) for line in text.split("\n"))


@lru_cache(maxsize=32)
def _kind_table(settings: PageSettings) -> dict[str, tuple[int, int]]:
    """Map element kinds to (blank lines before, wrap width); width 0 means one line, always."""
    return {
        "scene_heading": (settings.heading_space, settings.heading_width),
        "action": (settings.action_space, settings.action_width),
        "centered": (settings.action_space, settings.action_width),
        "character": (settings.cue_space, 0),
        "transition": (settings.cue_space, 0),
        "parenthetical": (0, settings.parenthetical_width),
        "dialogue": (0, settings.dialogue_width),
        "lyric": (0, settings.dialogue_width),
    }


def _measure(element: Element, table: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """Return (blank lines before, printed lines) of one element from a kind table."""
    spec = table.get(element.kind)
    if spec is None:
        return 0, 0
    before, width = spec
    return before, (_text_lines(element.text, width) if width else 1)


def element_lines(element: Element, settings: PageSettings = DEFAULT_SETTINGS) -> tuple[int, int]:
    """Return (blank lines wanted before, printed lines) for one element on its own.

    Notes, sections, synopses and page breaks are not printed: (0, 0).
    """
    return _measure(element, _kind_table(settings))


def _speech_end(elements: list[Element], cue: int) -> int:
    """Return the index just past a speech: its cue and the dialogue elements that follow."""
    end = cue + 1
    while end < len(elements) and elements[end].kind in _DIALOGUE_KINDS:
        end += 1
    return end


def _speech_start(elements: list[Element], before: int) -> int | None:
    """Find the cue of the speech that ends just before index `before`, if there is one."""
    index = before - 1
    while index >= 0 and elements[index].kind in _DIALOGUE_KINDS:
        index -= 1
    if index >= 0 and elements[index].kind == "character":
        return index
    return None


def dual_groups(elements: list[Element]) -> dict[int, tuple[int, int]]:
    """Map each dual-dialogue group's first index to (index of the right cue, end index).

    A right-hand cue (`dual == "right"`, Fountain `STEEL ^`) pairs with the speech just before
    it, whether or not that speech is marked `left`, so any parser convention is handled.
    """
    groups: dict[int, tuple[int, int]] = {}
    for index, element in enumerate(elements):
        if element.kind != "character" or element.dual != "right":
            continue
        left = _speech_start(elements, index)
        if left is not None and left not in groups:
            groups[left] = (index, _speech_end(elements, index))
    return groups


def _column_lines(
    elements: list[Element], start: int, end: int, table: dict[str, tuple[int, int]]
) -> int:
    """Count one column of dual dialogue, its cue's blank lines left out."""
    return sum(_measure(e, table)[1] for e in elements[start:end])


def _units(sp: Screenplay, settings: PageSettings) -> list[tuple[int, int, int, int]]:
    """Cut the elements into layout units (start, end, blank lines before, printed lines).

    A unit is one element, or a whole dual-dialogue pair; a page break is a unit of -1 lines.
    """
    elements, table = sp.elements, _kind_table(settings)
    groups = dual_groups(elements)
    units = []
    index = 0
    while index < len(elements):
        if index in groups:
            right, end = groups[index]
            body = max(
                _column_lines(elements, index, right, table),
                _column_lines(elements, right, end, table),
            )
            units.append((index, end, settings.cue_space, body))
            index = end
            continue
        element = elements[index]
        if element.kind == "page_break":
            units.append((index, index + 1, 0, -1))
        else:
            units.append((index, index + 1, *_measure(element, table)))
        index += 1
    return units


def layout(sp: Screenplay, settings: PageSettings | None = None) -> Layout:
    """Lay the whole script out and return per-element line costs and page numbers.

    Blank lines are dropped at the top of a page, and a page that cannot fit an element's
    blank lines ends there; a long element runs on over the page end.
    """
    settings = settings or DEFAULT_SETTINGS
    lpp = settings.lpp
    lines = [0] * len(sp.elements)
    pages = [1] * len(sp.elements)
    page, pos = 1, 0
    for start, end, before, body in _units(sp, settings):
        if body < 0 and pos:
            page, pos = page + 1, 0
        if body > 0:
            if pos == 0:
                before = 0
            elif pos + before >= lpp:
                page, pos, before = page + 1, 0, 0
            lines[start] = before + body
        pages[start:end] = [page] * (end - start)
        turned, pos = divmod(pos + lines[start], lpp)
        page += turned
    return Layout(lines=lines, pages=pages)


def scene_line_counts(sp: Screenplay, settings: PageSettings | None = None) -> list[int]:
    """Printed lines per scene (heading up to the next heading), in `sp.scenes` order."""
    lines = layout(sp, settings).lines
    return [sum(lines[s.first_element : s.end_element]) for s in sp.scenes]


def lines_to_eighths(lines: int, lpp: int) -> int:
    """Round a line count up to whole eighths of a page; every scene is at least 1/8."""
    return max(1, -(-lines * 8 // lpp))


def scene_eighths(sp: Screenplay, settings: PageSettings | None = None) -> list[int]:
    """Page eighths per scene, in `sp.scenes` order (8 = one page)."""
    lpp = (settings or DEFAULT_SETTINGS).lpp
    return [lines_to_eighths(n, lpp) for n in scene_line_counts(sp, settings)]


def scene_start_pages(sp: Screenplay, settings: PageSettings | None = None) -> list[int]:
    """The page each scene starts on (its heading's page), in `sp.scenes` order."""
    pages = layout(sp, settings).pages
    return [pages[s.first_element] if s.first_element < len(pages) else 1 for s in sp.scenes]


def format_eighths(n: int) -> str:
    """Write eighths the way a breakdown does: `3/8`, `1 1/8`, `2`; never reduced (`4/8`)."""
    if n < 0:
        raise ValueError(f"eighths cannot be negative: {n}")
    whole, part = divmod(n, 8)
    if not part:
        return str(whole)
    return f"{whole} {part}/8" if whole else f"{part}/8"


def page_count(sp: Screenplay, settings: PageSettings | None = None) -> float:
    """Total printed lines over lines per page; about one minute of screen time a page.

    The unprinted rest of a page ended by `===` is not added: like the rest of this module it
    estimates reading length, not the number of sheets a printer would use.
    """
    settings = settings or DEFAULT_SETTINGS
    return sum(layout(sp, settings).lines) / settings.lpp
