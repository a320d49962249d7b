"""Lay a screenplay out on pages the way a typewriter (and Final Draft) would, before any drawing.

Courier 12 prints 10 characters an inch and 6 lines an inch, so the whole page is a grid of
character columns and lines: positions here are columns from the left margin (1.5") and line
numbers from the top margin (1"). Column widths and blank lines before each element come from
`filmcrew.tools.pages.PageSettings`, so the printed PDF and the page-eighths count agree.

Pagination follows the screenplay conventions a reader expects:
- no blank lines at the top of a page; `===` ends a page;
- a scene heading never ends a page: it moves down with the first lines of what follows;
- action splits only between lines, leaving at least two lines on each side;
- a speech splits only inside its dialogue, with `(MORE)` at the foot of the page and
  `NAME (CONT'D)` at the head of the next; otherwise the whole speech moves;
- dual dialogue never splits.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from filmcrew.domain import Element, Screenplay
from filmcrew.tools.pages import DEFAULT_SETTINGS, PageSettings, dual_groups

NOT_PRINTED = frozenset({"section", "synopsis", "note"})
SPEECH_BODY = frozenset({"parenthetical", "dialogue", "lyric"})
CUE_COLUMN = 22  # 3.7" from the paper's edge
DIALOGUE_COLUMN = 10  # 2.5"
PARENTHETICAL_COLUMN = 16  # 3.1"
DUAL_WIDTH = 28  # each dual-dialogue column, in characters
DUAL_RIGHT = 31  # the right column starts 3.1" in from the margin


@dataclass(frozen=True)
class Span:
    """A run of text in one style on one printed line."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Placed:
    """Text placed on a line: the column it starts at (from the left margin) and its spans."""

    column: float
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        """The plain text of the placed spans."""
        return "".join(span.text for span in self.spans)


Row = tuple[Placed, ...]  # one printed line; empty for a blank line, two items for dual dialogue


@dataclass
class Block:
    """One element (or a whole speech, or a dual-dialogue pair) ready to be placed on pages."""

    kind: str
    space_before: int
    rows: list[Row]
    head: int = 0  # rows that must stay together at the top (a speech's cue)
    cue: str = ""  # the speaker, for (CONT'D) when a speech splits
    scene_number: str | None = None


@dataclass
class Page:
    """One laid-out page: its rows, and the scene numbers printed beside heading rows."""

    rows: list[Row] = field(default_factory=list)
    scene_numbers: dict[int, str] = field(default_factory=dict)


def layout_pages(sp: Screenplay, settings: PageSettings | None = None, scene_numbers: bool = False) -> list[Page]:
    """Lay the whole screenplay out into pages of `settings.lpp` lines."""
    settings = settings or DEFAULT_SETTINGS
    return paginate(build_blocks(sp, settings, scene_numbers), settings.lpp)


# --- elements to blocks -------------------------------------------------------------------


def build_blocks(sp: Screenplay, settings: PageSettings, scene_numbers: bool) -> list[Block]:
    """Turn elements into blocks: speeches and dual pairs grouped, unprinted elements dropped."""
    elements, groups = sp.elements, dual_groups(sp.elements)
    labels = {scene.first_element: scene.label for scene in sp.scenes} if scene_numbers else {}
    blocks: list[Block] = []
    index = 0
    while index < len(elements):
        element = elements[index]
        if index in groups:
            right, end = groups[index]
            blocks.append(_dual_block(elements[index:right], elements[right:end], settings))
            index = end
        elif element.kind == "character":
            end = _speech_end(elements, index)
            blocks.append(_speech_block(elements[index:end], settings))
            index = end
        else:
            block = _single_block(element, settings, labels.get(index), scene_numbers)
            if block is not None:
                blocks.append(block)
            index += 1
    return blocks


def _speech_end(elements: list[Element], cue: int) -> int:
    """Index just past a speech: its cue and the parentheticals, dialogue and lyrics after it."""
    end = cue + 1
    while end < len(elements) and elements[end].kind in SPEECH_BODY:
        end += 1
    return end


def _single_block(element: Element, settings: PageSettings, label: str | None, numbered: bool) -> Block | None:
    """Lay out one element that is not part of a speech; None when it is not printed."""
    kind = element.kind
    if kind in NOT_PRINTED:
        return None
    if kind == "page_break":
        return Block("page_break", 0, [])
    if kind == "scene_heading":
        number = (element.scene_number or label) if numbered else None
        return Block(kind, settings.heading_space, wrap_element(element, 0, settings.heading_width), scene_number=number)
    if kind == "transition":
        text = " ".join(element.text.split())
        return Block(kind, settings.cue_space, [(Placed(max(0, settings.action_width - len(text)), _spans(element)),)])
    if kind == "centered":
        rows = wrap_element(element, 0, settings.action_width)
        centred = [tuple(replace(p, column=(settings.action_width - len(p.text)) / 2) for p in row) for row in rows]
        return Block(kind, settings.action_space, centred)
    if kind in SPEECH_BODY:  # a parenthetical or dialogue with no cue above: print it where it belongs
        return Block(kind, 0, _body_rows(element, settings, 0))
    return Block("action", settings.action_space, wrap_element(element, 0, settings.action_width))


def _speech_block(speech: list[Element], settings: PageSettings) -> Block:
    """Lay out a cue and its speech as one block whose head is the cue line."""
    cue = speech[0]
    rows: list[Row] = [(Placed(CUE_COLUMN, (Span(cue_text(cue)),)),)]
    for element in speech[1:]:
        rows.extend(_body_rows(element, settings, 0))
    return Block("speech", settings.cue_space, rows, head=1, cue=cue_text(cue, extensions=False))


def _body_rows(element: Element, settings: PageSettings, offset: int) -> list[Row]:
    """Rows of a parenthetical, dialogue or lyric line at the standard indents."""
    if element.kind == "parenthetical":
        return wrap_element(element, offset + PARENTHETICAL_COLUMN, settings.parenthetical_width)
    return wrap_element(element, offset + DIALOGUE_COLUMN, settings.dialogue_width, italic=element.kind == "lyric")


def _dual_block(left: list[Element], right: list[Element], settings: PageSettings) -> Block:
    """Lay two speeches side by side; the block is as tall as the longer column."""
    columns = [_dual_column(left, 0), _dual_column(right, DUAL_RIGHT)]
    height = max(len(columns[0]), len(columns[1]))
    rows = []
    for line in range(height):
        rows.append(tuple(column[line] for column in columns if line < len(column)))
    return Block("dual", settings.cue_space, rows)


def _dual_column(speech: list[Element], offset: int) -> list[Placed]:
    """One narrow column of dual dialogue: cue, then parentheticals and dialogue."""
    placed = [Placed(offset + 6, (Span(cue_text(speech[0])),))]
    for element in speech[1:]:
        inset, width = (3, DUAL_WIDTH - 6) if element.kind == "parenthetical" else (0, DUAL_WIDTH)
        for row in wrap_element(element, offset + inset, width, italic=element.kind == "lyric"):
            placed.extend(row)
    return placed


def cue_text(cue: Element, extensions: bool = True) -> str:
    """The printed cue: the name in capitals plus extensions such as `(V.O.)`, if not in the text."""
    name = " ".join(cue.text.split())
    if not extensions:
        return name.split("(")[0].strip() or name
    for extension in cue.extensions:
        bare = extension.strip().strip("()").strip()
        if bare and f"({bare})".casefold() not in name.casefold():
            name = f"{name} ({bare})"
    return name


# --- wrapping -----------------------------------------------------------------------------


def wrap_element(element: Element, column: int, width: int, italic: bool = False) -> list[Row]:
    """Wrap an element's text at `width` characters, keeping manual line breaks and emphasis."""
    text, styles = _styled(element)
    rows: list[Row] = []
    start = 0
    for line in text.split("\n"):
        for begin, end in wrap_spans(line, width):
            spans = _spans_between(text, styles, start + begin, start + end, italic)
            rows.append((Placed(column, spans),) if spans else ())
        start += len(line) + 1
    return rows


def wrap_spans(line: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of one line into (start, end) slices; long words break hard.

    Leading indentation stays with the first word; the spaces at a break are dropped.
    An empty line gives one empty slice, so blank lines inside action still print.
    """
    if len(line.rstrip()) <= width:
        return [(0, len(line.rstrip()))]
    slices: list[tuple[int, int]] = []
    begin = 0
    while begin < len(line):
        end = begin + width
        if end >= len(line.rstrip()):
            slices.append((begin, len(line.rstrip())))
            break
        cut = line.rfind(" ", begin, end + 1)
        if cut <= begin or not line[begin:cut].strip():
            cut = end  # one word longer than the column
        slices.append((begin, len(line[:cut].rstrip())))
        begin = cut
        while begin < len(line) and line[begin] == " ":
            begin += 1
    return slices


def _styled(element: Element) -> tuple[str, list[tuple[bool, bool, bool]]]:
    """Return the element's text and a (bold, italic, underline) style per character.

    Runs are trusted only when they spell exactly the element's text; otherwise it prints plain.
    """
    text = element.text
    if element.runs and "".join(run.text for run in element.runs) == text:
        styles = [(run.bold, run.italic, run.underline) for run in element.runs for _ in run.text]
        return text, styles
    return text, [(False, False, False)] * len(text)


def _spans_between(text: str, styles: list[tuple[bool, bool, bool]], begin: int, end: int, italic: bool) -> tuple[Span, ...]:
    """Group the characters text[begin:end] into spans of equal style (one Span per run)."""
    spans: list[Span] = []
    current: tuple[bool, bool, bool] | None = None
    start = begin
    for index in range(begin, end):
        bold, slanted, underline = styles[index]
        style = (bold, slanted or italic, underline)
        if style != current:
            if current is not None:
                spans.append(Span(text[start:index], *current))
            current, start = style, index
    if current is not None:
        spans.append(Span(text[start:end], *current))
    return tuple(spans)


def _spans(element: Element) -> tuple[Span, ...]:
    """The element's text as spans on one line (transitions do not wrap)."""
    text, styles = _styled(element)
    flat = text.replace("\n", " ")
    return _spans_between(flat, styles, 0, len(flat), False)


# --- pagination ---------------------------------------------------------------------------


def paginate(blocks: list[Block], lpp: int) -> list[Page]:
    """Place blocks on pages of `lpp` lines, following the keep and split rules above."""
    pages = [Page()]
    for index, block in enumerate(blocks):
        page = pages[-1]
        if block.kind == "page_break":
            if page.rows:
                pages.append(Page())
            continue
        if not block.rows:
            continue
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None
        _place(pages, block, nxt, lpp)
    return [page for page in pages if page.rows] or [Page()]


def _place(pages: list[Page], block: Block, nxt: Block | None, lpp: int) -> None:
    """Place one block on the current page, splitting or moving it to a new page as the rules say."""
    while block.rows:
        page = pages[-1]
        before = block.space_before if page.rows else 0
        free = lpp - len(page.rows) - before
        if len(block.rows) + _keep_with(block, nxt) <= free:
            _put(page, block, block.rows, before)
            return
        first, rest = _split(block, free)
        if not first and not page.rows:
            # Taller than a page and not splittable by the rules (a huge dual block): cut it hard.
            first, rest = block.rows[:free], block.rows[free:]
        if first:
            _put(page, block, first, before)
            block = replace(block, rows=rest, scene_number=None, head=block.head if block.kind == "speech" else 0)
        pages.append(Page())


def _keep_with(block: Block, nxt: Block | None) -> int:
    """Lines of the next block a heading must keep with it on the same page."""
    if block.kind != "scene_heading" or nxt is None or not nxt.rows or nxt.kind == "page_break":
        return 0
    return nxt.space_before + min(2, len(nxt.rows))


def _split(block: Block, free: int) -> tuple[list[Row], list[Row]]:
    """Split a block to fill `free` lines; ([], rows) when the rules say move it whole."""
    rows = block.rows
    if block.kind in ("action", "centered") and free >= 2 and len(rows) - free >= 2:
        return rows[:free], rows[free:]
    if block.kind in ("action", "centered") and free >= 2 and len(rows) >= 4:
        keep = len(rows) - 2
        return (rows[:keep], rows[keep:]) if keep >= 2 and keep <= free else ([], rows)
    if block.kind == "speech":
        return _split_speech(block, free)
    return [], rows


def _split_speech(block: Block, free: int) -> tuple[list[Row], list[Row]]:
    """Split a speech inside its dialogue: two lines at least before, `(MORE)`, `(CONT'D)` after."""
    body = len(block.rows) - block.head
    keep = free - block.head - 1  # one line for (MORE)
    if keep < 2 or body - keep < 1:
        return [], block.rows
    more: Row = (Placed(CUE_COLUMN, (Span("(MORE)"),)),)
    contd: Row = (Placed(CUE_COLUMN, (Span(f"{block.cue} (CONT'D)"),)),)
    cut = block.head + keep
    return [*block.rows[:cut], more], [contd, *block.rows[cut:]]


def _put(page: Page, block: Block, rows: list[Row], before: int) -> None:
    """Append rows (after `before` blank lines) and note a scene number beside a heading."""
    page.rows.extend([()] * before)
    if block.scene_number:
        page.scene_numbers[len(page.rows)] = block.scene_number
    page.rows.extend(rows)
