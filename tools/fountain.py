"""Fountain 1.1 parser: text in, `Screenplay` out, every element with its source line span.

The rules are those of /work/shared/formats.md §1. In short, after `fountain_lines` has cut
boneyards and notes out, one pass walks the logical lines. A line that starts a paragraph (after
a blank line, the title page, or a line that closes a block such as a heading or a page break) is
tested in this order: page break, synopsis, section, forced heading `.`, forced cue `@`, forced
transition `>`, scene heading, transition, character cue; anything else starts an action
paragraph. Within action paragraphs `~` lines are lyrics, `>text<` lines centred and `!` lines
forced action, each line on its own.

Where the spec and writers' intent part ways the parser reads what the writer meant and warns:
a heading with text right under it, a heading-looking line without a blank line above it, a
cue name with a comma that is not a cue anywhere else.

The hot loop avoids regexes where a first-character test decides, and builds models without
re-validation (see `model_build`): a feature-length script parses in a few milliseconds.
"""

from __future__ import annotations

import re

from filmcrew.domain import Element, ParseWarning, Screenplay, TextRun, TitleEntry
from filmcrew.tools import emphasis
from filmcrew.tools.fountain_lines import NOTE_MARK, Lines, read_lines
from filmcrew.tools.headings import SCENE_NUMBER, group_scenes
from filmcrew.tools.model_build import build

__all__ = ["character_key", "parse", "parse_cue", "write"]

HEADING = re.compile(r"(?:INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST)[.\s]", re.I)
# Without a blank line above it, only an unmistakable heading (`INT. `, upper case) counts.
_LATE_HEADING = re.compile(r"(?:INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST)\.\s")
_CUE = re.compile(r"([^(^]*?)\s*((?:\([^()]*\)\s*)*)(\^?)\s*$")
_EXTENSION = re.compile(r"\(([^()]*)\)")
# A key is a short label (`Draft date`), so a sentence with a colon is not one.
_TITLE_KEY = re.compile(r"([^\W\d_][\w'’\-]*(?: [\w'’\-]+){0,3})[ ]*:(.*)$")
_TRANSITIONS = frozenset(("FADE OUT.", "FADE TO BLACK.", "CUT TO BLACK."))
_TITLE_KEYS = frozenset(
    (
        "title", "credit", "author", "authors", "source", "draft date", "date", "contact", "copyright",
        "notes", "revision", "episode", "series", "format", "language", "font", "tl", "tc", "tr", "cc",
        "bl", "br", "watermark",
    )
)
_BLOCK_KINDS = frozenset(("character", "parenthetical", "dialogue", "lyric"))


def character_key(name: str) -> str:
    """Return the identity of a cue name: casefolded, curly apostrophes straightened, spaces
    collapsed, so `McCLANE`, `MCCLANE` and `MCCLANE ` are one character."""
    return " ".join(name.replace("’", "'").casefold().split())


def parse_cue(line: str) -> tuple[str, list[str], bool] | None:
    """Split a cue line into (name, extensions, dual) if it has the shape of one.

    The shape is `NAME`, any `( ... )` extensions, an optional `^`; whether the name is
    acceptable (upper case) is for the caller to decide.
    """
    match = _CUE.match(line)
    if match is None:
        return None
    name, extensions, dual = match.groups()
    if not name.strip():
        return None
    return name.strip(), [e.strip() for e in _EXTENSION.findall(extensions)], bool(dual)


def _natural_cue(name: str) -> bool:
    """Say whether an unforced name reads as a cue: it starts with a letter or digit, has an
    upper-case letter and no lower-case one, and does not end in `:` (`CUT TO:`)."""
    return name[0].isalnum() and name.isupper() and not name.endswith(":")


def _is_transition(raw: str) -> bool:
    """Say whether a line is a transition; trailing spaces make `CUT TO: ` action on purpose."""
    text = raw.lstrip()
    return (text.endswith("TO:") or text in _TRANSITIONS) and text == text.upper()


def _is_page_break(stripped: str) -> bool:
    """Say whether a stripped line is three or more `=` and nothing else."""
    return len(stripped) >= 3 and not stripped.strip("=")


def _element(kind: str, lines: list[str], start: int, end: int, notes: list[str], **extra: object) -> Element:
    """Build an element from its text lines, turning emphasis markup into runs."""
    text = lines[0] if len(lines) == 1 else "\n".join(lines)
    runs: list[TextRun] = []
    if ("*" in text or "_" in text) and kind != "note":
        text, segments = emphasis.parse_lines(lines)
        runs = emphasis.to_runs(segments)
    values = {"kind": kind, "text": text, "start_line": start, "end_line": end, "runs": runs, "notes": notes}
    values.update(extra)
    return build(Element, values)


class _Group:
    """Lines of one element being collected (a speech, a verse, an action paragraph)."""

    __slots__ = ("kind", "lines", "first", "last", "forced")

    def __init__(self, kind: str, first: int, forced: bool = False) -> None:
        self.kind = kind
        self.lines: list[str] = []
        self.first = first
        self.last = first
        self.forced = forced


class _Parser:
    """One parse of one script: walks the logical lines and collects elements and warnings."""

    def __init__(self, lines: Lines) -> None:
        self.texts = lines.texts
        self.starts = lines.starts
        self.ends = lines.ends
        self.notes = lines.notes
        self.size = len(lines.texts)
        self.warnings: list[ParseWarning] = lines.warnings
        self.out: list[Element] = []
        self.title: list[TitleEntry] = []
        self.last_block: tuple[int, int] | None = None
        self.comma_cues: list[tuple[int, int, int, int]] = []

    # --- helpers ---------------------------------------------------------------------

    def warn(self, index: int, message: str) -> None:
        """Record a warning at the first source line of a logical line."""
        line = self.starts[index] if index < self.size else (self.ends[-1] if self.ends else 1)
        self.warnings.append(build(ParseWarning, {"line": line, "message": message}))

    def notes_of(self, first: int, last: int) -> list[str]:
        """Collect the inline notes of logical lines first..last."""
        if not self.notes:
            return []
        found: list[str] = []
        for index in range(first, last + 1):
            found.extend(self.notes.get(index, ()))
        return found

    def emit(self, kind: str, lines: list[str], first: int, last: int, **extra: object) -> None:
        """Append one element spanning logical lines first..last."""
        self.out.append(
            _element(kind, lines, self.starts[first], self.ends[last], self.notes_of(first, last), **extra)
        )

    def flush(self, group: _Group | None, **extra: object) -> None:
        """Turn a collected group into an element, dropping empty lines at its edges."""
        if group is None:
            return
        lines = group.lines
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
            group.first += 1
        if not lines:
            return
        if group.forced:
            extra["forced"] = True
        self.emit(group.kind, lines, group.first, group.first + len(lines) - 1, **extra)

    # --- title page --------------------------------------------------------------------

    def title_page(self) -> int:
        """Read the title page if the script opens with one; return the first body line."""
        texts = self.texts
        if not texts:
            return 0
        match = _TITLE_KEY.match(texts[0])
        if match is None or HEADING.match(texts[0]):
            return 0
        key, value = match.group(1).strip(), match.group(2).strip()
        continued = self.size > 1 and texts[1].startswith("   ") and texts[1].strip() != ""
        if not value and key == key.upper() and key.casefold() not in _TITLE_KEYS and not continued:
            return 0  # `FADE IN:` or `CUT TO:` as line 1 starts the script
        entries: list[list[object]] = []
        index = 0
        while index < self.size:
            raw = texts[index]
            if not raw.strip():
                break
            if raw.startswith("   ") and entries:
                entries[-1][1].append(raw.strip())  # type: ignore[attr-defined]
                entries[-1][3] = index
            elif (match := _TITLE_KEY.match(raw)) is not None:
                value = match.group(2).strip()
                entries.append([match.group(1).strip(), [value] if value else [], index, index])
            else:
                self.warn(index, "title page ends without a blank line; add one before the script")
                break
            index += 1
        for key, values, first, last in entries:
            self.title.append(
                build(
                    TitleEntry,
                    {
                        "key": key,
                        "value": "\n".join(values),  # type: ignore[arg-type]
                        "start_line": self.starts[first],  # type: ignore[index]
                        "end_line": self.ends[last],  # type: ignore[index]
                    },
                )
            )
        return index

    # --- body ----------------------------------------------------------------------------

    def body(self, index: int) -> None:
        """Classify every paragraph from `index` on."""
        texts = self.texts
        size = self.size
        while index < size:
            if texts[index].strip():
                index = self.paragraph(index)
            else:
                index += 1

    def paragraph(self, index: int) -> int:
        """Classify a line that starts a paragraph; return the index of the next unread line."""
        raw = self.texts[index]
        line = raw.strip()
        first = line[0]
        if first == NOTE_MARK:
            for note in self.notes.get(index, ()):
                self.out.append(_element("note", [note], self.starts[index], self.ends[index], []))
            return index + 1
        if first == "=":
            if _is_page_break(line):
                self.emit("page_break", [""], index, index)
                return index + 1
            if line[1:2] != "=":
                self.emit("synopsis", [line[1:].strip()], index, index)
                return index + 1
        elif first == "#":
            body = line.lstrip("#")
            self.emit("section", [body.strip()], index, index, depth=len(line) - len(body))
            return index + 1
        elif first == "." and len(line) > 1 and line[1].isalnum():
            return self.heading(index, line[1:], forced=True)
        elif first == "@":
            return self.cue(index, line[1:], forced=True)
        elif first == ">" and len(line) > 1 and not line.endswith("<"):
            self.emit("transition", [line[1:].strip()], index, index, forced=True)
            return index + 1
        elif first in "IiEe" and HEADING.match(line):
            return self.heading(index, line, forced=False)
        if first not in "!~>(":
            followed = index + 1 < self.size and self.texts[index + 1].strip() != ""
            if not followed and _is_transition(raw):
                self.emit("transition", [line], index, index)
                return index + 1
            if followed:
                cue = parse_cue(line)
                if cue is not None and _natural_cue(cue[0]):
                    if "," not in cue[0]:
                        return self.dialogue(index, cue, forced=False)
                    return self.comma_action(index)
        return self.action(index)

    def heading(self, index: int, text: str, forced: bool) -> int:
        """Emit a scene heading (scene number cut off) and warn about text right under it."""
        match = SCENE_NUMBER.search(text)
        number = None
        if match is not None:
            number = match.group(1)
            text = text[: match.start()]
        self.emit("scene_heading", [text.strip()], index, index, scene_number=number, forced=forced)
        following = index + 1
        if following < self.size:
            below = self.texts[following].strip()
            if below and below[0] not in "=#" + NOTE_MARK:
                self.warn(following, "text right under a scene heading; read as a new paragraph (add a blank line)")
        return following

    # --- dialogue ------------------------------------------------------------------------

    def cue(self, index: int, text: str, forced: bool) -> int:
        """Handle a forced `@` cue: any name, mixed case kept."""
        cue = parse_cue(text)
        if cue is None:
            cue = (text.strip(), [], False)
        return self.dialogue(index, cue, forced=forced)

    def dialogue(self, index: int, cue: tuple[str, list[str], bool], forced: bool) -> int:
        """Emit a cue and its block (parentheticals, speech, lyrics) up to the next blank line."""
        name, extensions, dual = cue
        start = len(self.out)
        self.emit("character", [name], index, index, extensions=extensions, forced=forced)
        after = self.speech(index + 1)
        if dual:
            self.pair(start, index)
        self.last_block = (start, len(self.out))
        return after

    def speech(self, index: int) -> int:
        """Collect the lines under a cue; return the index after the block."""
        texts = self.texts
        group: _Group | None = None
        while index < self.size:
            raw = texts[index]
            line = raw.strip()
            if not line:
                if len(raw) < 2:
                    break
                # Two or more spaces: an empty line inside the speech, not its end.
                if group is not None:
                    group.lines.append("")
                index += 1
                continue
            if line[0] == "(" and line[-1] == ")":
                self.flush(group)
                group = None
                self.emit("parenthetical", [line], index, index)
                index += 1
                continue
            elif line[0] == "~":
                if group is None or group.kind != "lyric":
                    self.flush(group)
                    group = _Group("lyric", index)
                group.lines.append(line[1:].strip())
                index += 1
                continue
            elif self.interrupts(index, line):
                break
            if group is None or group.kind != "dialogue":
                self.flush(group)
                group = _Group("dialogue", index)
            group.lines.append(line)
            index += 1
        self.flush(group)
        return index

    def interrupts(self, index: int, line: str) -> bool:
        """Say whether a line inside a block starts something else (page break, heading)."""
        if line[0] == "=":
            return _is_page_break(line)
        if line[0] in "IE" and _LATE_HEADING.match(line) and line.isupper():
            self.warn(index, "scene heading without a blank line above it; add one")
            return True
        return False

    def pair(self, start: int, index: int) -> None:
        """Make the block just before a `^` cue the left column and this one the right."""
        previous = self.last_block
        out = self.out
        between = out[previous[1] : start] if previous else []
        if previous is None or any(e.kind != "note" for e in between) or out[previous[0]].dual is not None:
            self.warn(index, "'^' dual dialogue needs a speech right before it; read as a single speech")
            return
        for element in out[previous[0] : previous[1]]:
            element.__dict__["dual"] = "left"
        for element in out[start:]:
            element.__dict__["dual"] = "right"

    def comma_action(self, index: int) -> int:
        """Read a cue-shaped paragraph whose name has a comma as action for now; decide at the
        end, once every real cue name is known."""
        first = len(self.out)
        after = self.action(index)
        self.comma_cues.append((index, first, len(self.out), after))
        return after

    def resolve_comma_cues(self) -> None:
        """Turn comma-name paragraphs into speeches where that name is a cue elsewhere."""
        known = {character_key(e.text) for e in self.out if e.kind == "character"}
        for index, first, last, after in reversed(self.comma_cues):
            cue = parse_cue(self.texts[index].strip())
            assert cue is not None
            if character_key(cue[0]) not in known:
                self.warn(index, f"'{cue[0]}' has a comma, so it reads as action; write '@{cue[0]}' if it is a cue")
                continue
            kept, self.out = self.out, []
            self.emit("character", [cue[0]], index, index, extensions=cue[1])
            end = self.speech(index + 1)
            speech, self.out = self.out, kept
            if end == after:
                self.out[first:last] = speech

    # --- action --------------------------------------------------------------------------

    def action(self, index: int) -> int:
        """Collect an action paragraph; `~`, `>text<` and `!` lines inside it stand alone."""
        texts = self.texts
        group: _Group | None = None
        begin = index
        while index < self.size:
            raw = texts[index]
            line = raw.strip()
            if not line:
                break
            first = line[0]
            kind, text, forced = "action", raw.rstrip(), False
            if first == "~":
                kind, text = "lyric", line[1:].strip()
            elif first == ">" and len(line) > 1:
                if not line.endswith("<"):
                    if index > begin:
                        break  # a forced transition: the caller reads it as a new paragraph
                else:
                    kind, text = "centered", line[1:-1].strip()
            elif first == "!":
                at = raw.index("!")
                text, forced = (raw[:at] + raw[at + 1 :]).rstrip(), True
            elif index > begin and first in "=IE" and self.interrupts(index, line):
                break
            if group is None or group.kind != kind:
                self.flush(group)
                group = _Group(kind, index, forced)
            group.lines.append(text)
            index += 1
        if group is not None:
            # A lone `!` line is an empty forced action; keep it rather than lose the marker.
            if group.kind == "action" and group.forced and not any(group.lines):
                self.emit("action", [""], group.first, group.first, forced=True)
            else:
                self.flush(group)
        return index


def parse(text: str, source: str | None = None) -> Screenplay:
    """Parse Fountain text into a Screenplay.

    Args:
        text: the script, already decoded (a BOM, CRLF or CR line ends and tabs are fine).
        source: where it came from, kept on the result for messages.

    Returns:
        The screenplay: title page, elements with 1-based source line spans, scenes,
        boneyard, warnings and the file's line count.
    """
    lines = read_lines(text)
    parser = _Parser(lines)
    body = parser.title_page()
    parser.body(body)
    if parser.comma_cues:
        parser.resolve_comma_cues()
    elements = parser.out
    scenes = group_scenes(elements, lines.line_count)
    if elements and not any(e.kind == "scene_heading" for e in elements):
        parser.warnings.append(
            build(ParseWarning, {"line": elements[0].start_line, "message": "no scene heading; the whole script is read as one scene"})
        )
    return build(
        Screenplay,
        {
            "source": source,
            "title_page": parser.title,
            "elements": elements,
            "scenes": scenes,
            "boneyard": lines.boneyards,
            "warnings": sorted(parser.warnings, key=lambda w: w.line),
            "line_count": lines.line_count,
        },
    )


def write(screenplay: Screenplay) -> str:
    """Write a Screenplay as Fountain text; see `fountain_write.write`."""
    from filmcrew.tools.fountain_write import write as _write

    return _write(screenplay)
