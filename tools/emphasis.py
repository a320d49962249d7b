"""Fountain emphasis: `*italic*`, `**bold**`, `***bold italic***`, `_underline_` as styled runs.

Parsing works one line at a time (emphasis never crosses a line break) and follows a small
delimiter-stack algorithm: a marker opens only when a non-space character follows it and closes
only when one precedes it, so `*69 and then *23` stays literal. An underscore must also sit at a
word edge (`snake_case_name` is not underlined). `\\*` and `\\_` are literal characters.

Rendering is the inverse: it writes markers around the styled runs so that parsing the result
gives the same runs back, which is what the Fountain writer and the conformance adapters need.
"""

from __future__ import annotations

import re

from filmcrew.domain import TextRun

BOLD = 1
ITALIC = 2
UNDERLINE = 4

_TOKEN = re.compile(r"\\[*_]|\*+|_")
_STAR_STYLE = {1: ITALIC, 2: BOLD, 3: BOLD | ITALIC}
_MARKERS = ((UNDERLINE, "_"), (BOLD, "**"), (ITALIC, "*"))

Segment = tuple[str, int]
"""A piece of plain text and its style bits (BOLD | ITALIC | UNDERLINE)."""


def has_markup(text: str) -> bool:
    """Say whether a text could hold emphasis or escapes at all (a cheap pre-check)."""
    return "*" in text or "_" in text


class _Delim:
    """One marker run in a line: `*`, `**`, `***` or `_`, and what it opened or closed."""

    __slots__ = ("can_close", "can_open", "char", "closes", "count", "literal", "opens", "position")

    def __init__(
        self, char: str, count: int, can_open: bool, can_close: bool, position: int
    ) -> None:
        self.position = position  # index among the line's tokens
        self.char = char
        self.count = count
        self.can_open = can_open
        self.can_close = can_close
        self.opens: list[int] = []
        self.closes: list[int] = []
        self.literal = 0


def _compatible(opener: int, closer: int) -> bool:
    """Say whether star runs of these lengths can pair (1 with 1, 2 with 2, 3 with anything)."""
    return opener == closer or opener == 3 or closer == 3


def _tokenise(line: str) -> list[str | _Delim]:
    """Split a line into literal text and marker runs with their open/close abilities."""
    tokens: list[str | _Delim] = []
    last = 0
    size = len(line)
    for match in _TOKEN.finditer(line):
        start, end = match.span()
        if start > last:
            tokens.append(line[last:start])
        raw = match.group()
        last = end
        if raw[0] == "\\":
            tokens.append(raw[1])
            continue
        before = line[start - 1] if start > 0 else " "
        after = line[end] if end < size else " "
        can_open = not after.isspace()
        can_close = not before.isspace()
        if raw == "_":
            can_open = can_open and not before.isalnum()
            can_close = can_close and not after.isalnum()
        elif len(raw) > 3:
            tokens.append(raw)
            continue
        tokens.append(_Delim(raw[0], len(raw), can_open, can_close, len(tokens)))
    if last < size:
        tokens.append(line[last:])
    return tokens


def _close(delim: _Delim, stack: list[_Delim]) -> None:
    """Match a closing run against the openers on the stack, innermost first."""
    while delim.count and stack:
        index = len(stack) - 1
        while index >= 0:
            opener = stack[index]
            if opener.char == delim.char and (
                delim.char == "_" or _compatible(opener.count, delim.count)
            ):
                break
            index -= 1
        if index < 0:
            return
        opener = stack[index]
        if opener.position + 1 == delim.position:
            return  # `__` with nothing inside is two underscores, not empty emphasis
        for dropped in stack[index + 1 :]:
            dropped.literal += dropped.count
            dropped.count = 0
        del stack[index + 1 :]
        used = min(opener.count, delim.count)
        style = UNDERLINE if delim.char == "_" else _STAR_STYLE[used]
        opener.opens.append(style)
        delim.closes.append(style)
        opener.count -= used
        delim.count -= used
        if not opener.count:
            stack.pop()


def _match(tokens: list[str | _Delim]) -> None:
    """Pair the marker runs of one line; unpaired markers become literal text."""
    stack: list[_Delim] = []
    for token in tokens:
        if isinstance(token, str):
            continue
        if token.can_close:
            _close(token, stack)
        if token.count and token.can_open:
            stack.append(token)
        elif token.count:
            token.literal += token.count
            token.count = 0
    for opener in stack:
        opener.literal += opener.count
        opener.count = 0


def parse_line(line: str) -> list[Segment]:
    """Return one line's styled segments (markers removed, escapes resolved)."""
    tokens = _tokenise(line)
    _match(tokens)
    depth = {BOLD: 0, ITALIC: 0, UNDERLINE: 0}
    segments: list[Segment] = []
    for token in tokens:
        if isinstance(token, str):
            _append(segments, token, _style(depth))
            continue
        for style in token.closes:
            _count(depth, style, -1)
        if token.literal:
            _append(segments, token.char * token.literal, _style(depth))
        # The last-matched part of an opening run is the outermost style; open it first.
        for style in reversed(token.opens):
            _count(depth, style, 1)
    return segments


def _count(depth: dict[int, int], style: int, step: int) -> None:
    """Add `step` to the nesting depth of every style bit in `style`."""
    for bit in (BOLD, ITALIC, UNDERLINE):
        if style & bit:
            depth[bit] += step


def _style(depth: dict[int, int]) -> int:
    """Return the style bits that are open at this point."""
    return (
        (BOLD if depth[BOLD] else 0)
        | (ITALIC if depth[ITALIC] else 0)
        | (UNDERLINE if depth[UNDERLINE] else 0)
    )


def _append(segments: list[Segment], text: str, style: int) -> None:
    """Append text, merging it into the previous segment when the style is the same."""
    if not text:
        return
    if segments and segments[-1][1] == style:
        segments[-1] = (segments[-1][0] + text, style)
    else:
        segments.append((text, style))


def parse_lines(lines: list[str]) -> tuple[str, list[Segment]]:
    """Parse several lines of one element; return the plain text and its segments."""
    segments: list[Segment] = []
    for index, line in enumerate(lines):
        if index:
            _append(segments, "\n", 0)
        if has_markup(line):
            for text, style in parse_line(line):
                _append(segments, text, style)
        else:
            _append(segments, line, 0)
    return "".join(text for text, _ in segments), segments


def to_runs(segments: list[Segment]) -> list[TextRun]:
    """Turn segments into TextRun models, or [] when nothing is styled."""
    if not any(style for _, style in segments):
        return []
    return [
        TextRun(
            text=text,
            bold=bool(style & BOLD),
            italic=bool(style & ITALIC),
            underline=bool(style & UNDERLINE),
        )
        for text, style in segments
    ]


def from_runs(runs: list[TextRun]) -> list[Segment]:
    """Turn TextRun models back into segments."""
    segments: list[Segment] = []
    for run in runs:
        style = (
            (BOLD if run.bold else 0)
            | (ITALIC if run.italic else 0)
            | (UNDERLINE if run.underline else 0)
        )
        _append(segments, run.text, style)
    return segments


def escape(text: str) -> str:
    """Escape literal `*` and `_` so that Fountain reads them as characters."""
    if not has_markup(text):
        return text
    return text.replace("*", "\\*").replace("_", "\\_")


def render(segments: list[Segment], escape_literals: bool = True) -> str:
    """Write segments as Fountain text with emphasis markers; parsing it gives them back.

    With `escape_literals=False` literal `*` and `_` stay bare, as most sources write them
    (the result then shows the markup but may not parse back to the same runs).
    """
    out: list[str] = []
    for line_segments in _split_lines(segments):
        out.append(_render_line(line_segments, escape_literals))
    return "\n".join(out)


def _split_lines(segments: list[Segment]) -> list[list[Segment]]:
    """Cut segments at line breaks: markers never span lines."""
    lines: list[list[Segment]] = [[]]
    for text, style in segments:
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part:
                lines[-1].append((part, style))
    return lines


def _extent(line: list[Segment], start: int, bit: int) -> int:
    """Return how many segments from `start` on keep a style bit switched on."""
    end = start
    while end < len(line) and line[end][1] & bit:
        end += 1
    return end


def _render_line(line: list[Segment], escape_literals: bool) -> str:
    """Render one line: open longer-lasting styles first so markers nest properly."""
    out: list[str] = []
    stack: list[int] = []
    for index, (text, style) in enumerate(line):
        while stack and not style & stack[-1]:
            out.append(_marker(stack.pop()))
        while any(not style & bit for bit in stack):
            out.append(_marker(stack.pop()))
        new = [bit for bit, _ in _MARKERS if style & bit and bit not in stack]
        new.sort(key=lambda bit: -_extent(line, index, bit))
        for bit in new:
            out.append(_marker(bit))
            stack.append(bit)
        out.append(escape(text) if escape_literals else text)
    while stack:
        out.append(_marker(stack.pop()))
    return "".join(out)


def _marker(bit: int) -> str:
    """Return the Fountain marker of one style bit."""
    for style, marker in _MARKERS:
        if style == bit:
            return marker
    raise ValueError(f"not a single style bit: {bit}")
