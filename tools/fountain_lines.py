"""Fountain before classification: normalise the text, cut boneyards and notes out of it.

The result is a list of *logical lines*, each with the span of source lines it came from, so
that every element can name its lines in the file as the user wrote it, whatever was removed:

- `/* ... */` (boneyard) is kept aside with its own line span. Lines it fully covers vanish;
  a boneyard that held a blank line (it cut whole paragraphs) leaves one blank line behind, so
  `CUT TO:` above a cut-out scene still has its blank line, while a few lines cut out of a
  paragraph leave the paragraph whole.
- `[[ ... ]]` (note) may span lines; a line of two or more spaces continues it, a truly empty
  line ends it (then `[[` is plain text and a warning is given). A note inside text is removed
  and kept on the line; a note alone in its paragraph becomes a line of its own, marked with
  NOTE_MARK, which the classifier turns into a `note` element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from filmcrew.domain import Boneyard, ParseWarning
from filmcrew.tools.model_build import build

NOTE_MARK = "\x00"
_UNCLOSED_NOTE = (
    "'[[' has no ']]' before an empty line; kept as text (a note's empty lines need two spaces)"
)
_BONEYARD = re.compile(r"/\*(.*?)\*/", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ ]*\n")


@dataclass(slots=True)
class Lines:
    """Logical lines: text plus the first and last source line (1-based) each came from."""

    texts: list[str]
    starts: list[int]
    ends: list[int]
    line_count: int
    notes: dict[int, list[str]] = field(default_factory=dict)
    boneyards: list[Boneyard] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


def normalise(text: str) -> list[str]:
    """Drop BOMs, unify line ends, expand tabs to 4 spaces and split into source lines."""
    if "\ufeff" in text:
        # A BOM, or one left in the middle by joining files: never text a writer typed.
        text = text.replace("\ufeff", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = text.replace("\t", "    ")
    if NOTE_MARK in text:
        # NUL is no screenplay text; it would collide with the note marker.
        text = text.replace(NOTE_MARK, "\ufffd")
    if not text:
        return []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return lines


def join_around(before: str, after: str) -> str:
    """Join the text left and right of a removed note or boneyard, without doubling spaces."""
    if not before.strip():
        return before + after.lstrip(" ")
    if not after.strip():
        return before.rstrip(" ")
    if before.endswith(" ") and after.startswith(" "):
        return before.rstrip(" ") + " " + after.lstrip(" ")
    return before + after


_NUMBERS_KEPT = 200_000  # lines; a longer script gets a list of its own
_numbers: list[int] = [0]  # _numbers[n] == n; replaced when too short, never changed


def line_numbers(count: int) -> list[int]:
    """Return a fresh [1, 2, ..., count].

    Slicing a kept list is much cheaper than making thousands of int objects anew for every
    parse. The kept list is only ever replaced by a longer one, never changed in place, so
    parses in other threads always read a consistent one.
    """
    global _numbers
    numbers = _numbers
    if count >= len(numbers):
        if count >= _NUMBERS_KEPT:
            return list(range(1, count + 1))
        numbers = list(range(min(max(count + 1, 2 * len(numbers)), _NUMBERS_KEPT)))
        _numbers = numbers
    return numbers[1 : count + 1]


def read_lines(text: str) -> Lines:
    """Normalise a script and return its logical lines with boneyards and notes taken out."""
    source = normalise(text)
    count = len(source)
    numbers = line_numbers(count)
    # Until a note or boneyard joins lines, each logical line is one source line: starts and
    # ends can be the same list (both are replaced, never changed in place).
    lines = Lines(source, numbers, numbers, count)
    # A two-character search costs a hundred times a one-character one (memchr), and most
    # scripts hold no `*` or `[` at all, so those are looked for first.
    if "*" in text and "/*" in text:
        _cut_boneyards(lines)
    if "[" in text and "[[" in text:
        _cut_notes(lines)
    return lines


# --- boneyards ---------------------------------------------------------------------------


class _LineBuilder:
    """Collect logical lines while walking the text between boneyards."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.current = ""
        self.start = 1
        self.end = 1
        self.cut = False

    def add_text(self, chunk: str) -> None:
        """Add source text that may hold line breaks; each break finishes a line."""
        parts = chunk.split("\n")
        self.current = join_around(self.current, parts[0]) if self.cut else self.current + parts[0]
        for part in parts[1:]:
            self.finish()
            self.start = self.end = self.end + 1
            self.current = part
            self.cut = False

    def add_boneyard(self, content: str) -> None:
        """Step over a boneyard; it may end on a later line and may leave a blank line."""
        breaks = content.count("\n")
        self.cut = True
        if breaks and _PARAGRAPH_BREAK.search(content):
            self.finish()
            self.texts.append("")
            self.starts.append(self.end)
            self.ends.append(self.end)
            self.start = self.end + breaks
            self.current = ""
        self.end += breaks

    def finish(self) -> None:
        """End the current line; a line a boneyard left empty disappears."""
        if self.cut and not self.current.strip():
            return
        self.texts.append(self.current.rstrip(" ") if self.cut else self.current)
        self.starts.append(self.start)
        self.ends.append(self.end)


def _cut_boneyards(lines: Lines) -> None:
    """Remove every `/* ... */` from the logical lines and keep it in `lines.boneyards`."""
    text = "\n".join(lines.texts)
    matches = list(_BONEYARD.finditer(text))
    if not matches:
        return
    builder = _LineBuilder()
    position = 0
    for match in matches:
        builder.add_text(text[position : match.start()])
        first = builder.end
        builder.add_boneyard(match.group(1))
        lines.boneyards.append(
            build(Boneyard, {"text": match.group(1), "start_line": first, "end_line": builder.end})
        )
        position = match.end()
    builder.add_text(text[position:])
    builder.finish()
    lines.texts, lines.starts, lines.ends = builder.texts, builder.starts, builder.ends


# --- notes -------------------------------------------------------------------------------


def _note_stop(text: str) -> bool:
    """Say whether a line ends an unclosed note: empty, or fewer than two spaces."""
    return not text.strip() and len(text) < 2


def _note_text(raw: str) -> str:
    """Return a note's text: its lines without trailing spaces (the two-space lines that
    kept it going become empty lines), outer white space trimmed."""
    if "\n" not in raw:
        return raw.strip()
    return "\n".join(line.rstrip() for line in raw.split("\n")).strip()


def _next_index(flags: list[bool]) -> list[int]:
    """For each index, the first index at or after it whose flag is set (len if none)."""
    size = len(flags)
    result = [size] * (size + 1)
    for index in range(size - 1, -1, -1):
        result[index] = index if flags[index] else result[index + 1]
    return result


class _NoteCutter:
    """Walk the logical lines once, removing notes and merging the lines a note spans."""

    def __init__(self, lines: Lines) -> None:
        self.src = lines
        self.texts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.notes: dict[int, list[str]] = {}
        self.carry: list[str] = []  # notes of note-only lines, for the next line
        self.carry_start = 0
        texts = lines.texts
        self.next_close = _next_index(["]]" in t for t in texts])
        self.next_stop = _next_index([_note_stop(t) for t in texts])

    def emit(self, text: str, start: int, end: int, notes: list[str]) -> None:
        """Add one logical line, with the notes found on it and any carried over."""
        if self.carry:
            notes = self.carry + notes
            start = min(start, self.carry_start)
            self.carry = []
        if notes:
            self.notes[len(self.texts)] = notes
        self.texts.append(text)
        self.starts.append(start)
        self.ends.append(end)

    def cut_line(self, index: int) -> int:
        """Remove the notes of the line at `index` (merging lines a note spans); return the
        index of the next unread line."""
        src = self.src
        text, end, last = src.texts[index], src.ends[index], index
        notes: list[str] = []
        search = 0
        while True:
            opening = text.find("[[", search)
            if opening < 0:
                break
            closing = text.find("]]", opening + 2)
            if closing < 0:
                follow = self.next_close[last + 1]
                if follow >= len(src.texts) or self.next_stop[last + 1] < follow:
                    src.warnings.append(
                        build(
                            ParseWarning,
                            {
                                "line": src.starts[index],
                                "message": _UNCLOSED_NOTE,
                            },
                        )
                    )
                    search = opening + 2
                    continue
                text = "\n".join([text, *src.texts[last + 1 : follow + 1]])
                end, last = src.ends[follow], follow
                closing = text.find("]]", opening + 2)
            notes.append(_note_text(text[opening + 2 : closing]))
            text = join_around(text[:opening], text[closing + 2 :])
            search = max(0, opening - 1)
        self.place(index, last, text, end, notes)
        return last + 1

    def place(self, index: int, last: int, text: str, end: int, notes: list[str]) -> None:
        """Keep a line with its notes, or hang a note-only line's notes on a neighbour."""
        start = self.src.starts[index]
        if text.strip() or not notes:
            self.emit(text, start, end, notes)
            return
        previous = self.texts[-1] if self.texts else ""
        if (
            previous.strip()
            and not previous.startswith(NOTE_MARK)
            and (index == 0 or self.src.texts[index - 1].strip())
        ):
            self.notes.setdefault(len(self.texts) - 1, []).extend(notes)
            return
        following = self.src.texts[last + 1] if last + 1 < len(self.src.texts) else ""
        if following.strip():
            if not self.carry:
                self.carry_start = start
            self.carry.extend(notes)
            return
        self.emit(NOTE_MARK, start, end, notes)


def _cut_notes(lines: Lines) -> None:
    """Remove `[[notes]]` from the logical lines; see the module docstring for the rules."""
    cutter = _NoteCutter(lines)
    index = 0
    size = len(lines.texts)
    while index < size:
        text = lines.texts[index]
        if "[[" in text:
            index = cutter.cut_line(index)
        else:
            cutter.emit(text, lines.starts[index], lines.ends[index], [])
            index += 1
    lines.texts, lines.starts, lines.ends, lines.notes = (
        cutter.texts,
        cutter.starts,
        cutter.ends,
        cutter.notes,
    )
