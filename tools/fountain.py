"""Fountain 1.1 parser: text in, `Screenplay` out, every element with its source line span.

The rules are those of /work/shared/formats.md §1. `fountain_lines` cuts boneyards and notes
out, `fountain_title` reads the title page, then one pass walks the logical lines. A line that
starts a paragraph (after a blank line, or after a line that closes a block such as a heading or
a page break) is tested in this order: note, page break, synopsis, section, forced heading `.`,
forced cue `@`, forced transition `>`, scene heading, transition, character cue; anything else
starts an action paragraph. Within action paragraphs `~` lines are lyrics, `>text<` lines
centred and `!` lines forced action, each line on its own.

Where the spec and writers' intent part ways the parser reads what the writer meant and warns:
a heading with text right under it, a heading-looking line without a blank line above it, a
cue name with a comma that is not a cue anywhere else.

Speed: a feature-length script has thousands of paragraphs, so the pass strips every line once,
decides by first character before trying a regex, settles the commonest paragraphs inline
(`_Parser.body`), collects each element's field values as a dict copied from a template, and
turns the dicts into models without re-validating them (`build_elements`). The cycle collector
is paused meanwhile and the result goes straight to the oldest generation (`_collector_paused`).
`benchmarks/parse.py` measures it against other parsers.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any
from contextlib import contextmanager

from filmcrew.domain import ParseWarning, Screenplay
from filmcrew.tools.fountain_lines import NOTE_MARK, Lines, read_lines
from filmcrew.tools.fountain_rules import (
    HEADING_STARTS,
    TRANSITIONS,
    Fields,
    build_elements,
    character_key,
    fields,
    is_heading,
    is_late_heading,
    is_page_break,
    natural_cue,
    parse_cue,
    plain_fields,
)
from filmcrew.tools.fountain_title import read_title_page
from filmcrew.tools.headings import scenes_of, split_scene_number
from filmcrew.tools.model_build import build, template

__all__ = ["character_key", "parse", "parse_cue", "write"]

_MARKS = frozenset(NOTE_MARK + "=#.@>")
_GENERAL_FIRST = _MARKS | frozenset("!~>(")  # first characters `body` leaves to `paragraph`
_SPEECH_MARKS = "(~=" + NOTE_MARK  # lines in a speech that are not plain dialogue
_UNDER_HEADING = "=#" + NOTE_MARK  # what may sit right under a heading without a warning
# Field templates for the hottest paths (split dicts, see `model_build.template`); every
# list field is replaced before use.
_FIELDS_OF_ACTION = {
    **plain_fields("action", "", 0, 0, []),
    "runs": None,
    "extensions": None,
    "notes": None,
}
_BLANK_ACTION = template(_FIELDS_OF_ACTION)
_BLANK_CUE = template({**_FIELDS_OF_ACTION, "kind": "character"})
_BLANK_HEADING = template({**_FIELDS_OF_ACTION, "kind": "scene_heading"})
_BLANK_DIALOGUE = template({**_FIELDS_OF_ACTION, "kind": "dialogue"})
_BLANK_PARENTHETICAL = template({**_FIELDS_OF_ACTION, "kind": "parenthetical"})


class _Parser:
    """One pass over one script's logical lines, collecting elements and warnings."""

    def __init__(self, lines: Lines) -> None:
        self.raw = lines.texts
        self.clean = list(map(str.strip, lines.texts))
        self.starts = lines.starts
        self.ends = lines.ends
        self.notes = lines.notes
        self.size = len(lines.texts)
        self.warnings: list[ParseWarning] = lines.warnings
        self.out: list[Fields] = []  # each element's field values, made models at the end
        self.last_block: tuple[int, int] | None = None
        self.comma_cues: list[tuple[int, int, int, int]] = []
        self.headings: list[int] = []  # where in `out` each scene heading is

    # --- helpers -------------------------------------------------------------------------

    def warn(self, index: int, message: str) -> None:
        """Record a warning at the first source line of a logical line."""
        self.warnings.append(build(ParseWarning, {"line": self.starts[index], "message": message}))

    def notes_of(self, first: int, last: int) -> list[str]:
        """Collect the inline notes of logical lines first..last."""
        found: list[str] = []
        for index in range(first, last + 1):
            found.extend(self.notes.get(index, ()))
        return found

    def emit(
        self,
        kind: str,
        lines: list[str],
        first: int,
        last: int,
        forced: bool = False,
        number: str | None = None,
        extensions: list[str] | None = None,
        depth: int | None = None,
    ) -> None:
        """Append one element spanning logical lines first..last."""
        notes = self.notes_of(first, last) if self.notes else []
        text = lines[0] if len(lines) == 1 else "\n".join(lines)
        self.out.append(
            fields(
                kind,
                text,
                self.starts[first],
                self.ends[last],
                notes,
                forced,
                number,
                extensions,
                depth,
            )
        )

    def close(self, kind: str, lines: list[str], first: int, forced: bool = False) -> None:
        """Emit collected lines (logical lines first, first+1, ...) as one element, without
        the empty lines at its edges. A marked line with nothing after its marker (`~`,
        `><`, `!`) is still an element, with empty text: the writer marked it on purpose."""
        if not lines[-1] or not lines[0]:
            marked = kind != "dialogue" and (kind != "action" or forced)
            origin, count = first, len(lines)
            while lines and not lines[-1]:
                lines.pop()
            while lines and not lines[0]:
                lines.pop(0)
                first += 1
            if not lines:
                if marked:
                    self.emit(kind, [""], origin, origin + count - 1, forced)
                return
        last = first + len(lines) - 1
        notes = self.notes_of(first, last) if self.notes else []
        text = lines[0] if len(lines) == 1 else "\n".join(lines)
        values = plain_fields(kind, text, self.starts[first], self.ends[last], notes)
        values["forced"] = forced
        self.out.append(values)

    def one_line(self, blank: dict[str, Any], text: str, at: int) -> dict[str, Any]:
        """Emit the element of the single line `at`: a copy of its kind's blank fields (the
        commonest elements of a script come here, so the fields are set directly)."""
        values = blank.copy()
        values["text"] = text
        values["start_line"] = self.starts[at]
        values["end_line"] = self.ends[at]
        values["runs"] = []
        values["extensions"] = []
        values["notes"] = self.notes.get(at, []) if self.notes else []
        self.out.append(values)
        return values

    # --- paragraphs ----------------------------------------------------------------------

    def body(self, index: int) -> None:
        """Classify every paragraph from `index` on.

        Most paragraphs of a script are a one-line action, a heading, or a plain cue over a
        one-line speech (perhaps after a parenthetical); those are settled in this loop, by
        the same tests in the same order as `paragraph`, which reads everything else. A
        method call and its attribute look-ups per paragraph would cost as much as the
        classifying, and this loop runs for every paragraph of the script.
        """
        clean, raw = self.clean, self.raw
        size = self.size
        out = self.out
        paragraph = self.paragraph
        blank_action, blank_cue, blank_dialogue = _BLANK_ACTION, _BLANK_CUE, _BLANK_DIALOGUE
        blank_parenthetical = _BLANK_PARENTHETICAL
        one_line = self.one_line

        while index < size:
            line = clean[index]
            if not line:
                index += 1
                continue
            first = line[0]
            if first in _GENERAL_FIRST:
                index = paragraph(index)
                continue
            if first in "IiEe" and (line[:4].upper() in HEADING_STARTS or is_heading(line)):
                index = self.heading(index, line, forced=False)
                continue
            following = index + 1
            if following < size and (below := clean[following]):
                if (
                    # a plain cue (`natural_cue`, no extension, no `^`, no comma) ...
                    line.isupper()
                    and "(" not in line
                    and "^" not in line
                    and "," not in line
                    and first.isalnum()
                    and line[-1] != ":"
                ):
                    # ... over a one-line speech, perhaps after one parenthetical: settled
                    # here as `dialogue` and `speech` would; any other block goes there.
                    said = following
                    if below[0] == "(" and below[-1] == ")" and following + 1 < size:
                        said = following + 1
                    spoken = clean[said]
                    after = said + 1
                    if (
                        spoken
                        and (after >= size or (not clean[after] and len(raw[after]) < 2))
                        and spoken[0] not in _SPEECH_MARKS
                        and not (spoken[0] in "IE" and is_late_heading(spoken))
                    ):
                        start = len(out)
                        one_line(blank_cue, line, index)
                        if said != following:
                            one_line(blank_parenthetical, below, following)
                        one_line(blank_dialogue, spoken, said)
                        self.last_block = (start, len(out))
                        index = after + 1  # `after` is blank (or past the end): step over it
                        continue
                index = paragraph(index)
                continue
            text = raw[index]
            # A transition is tested on the raw line: `CUT TO: ` with a space is action.
            # (TRANSITIONS are upper case, so `isupper` settles most lines at once.)
            if line.isupper() and (
                text.endswith("TO:") or (line in TRANSITIONS and text.endswith(line))
            ):
                index = paragraph(index)
                continue
            # A one-line action paragraph; indentation counts in action.
            one_line(blank_action, text.rstrip() if text[0] != first else line, index)
            index = following + 1  # `following` is blank (or past the end): step over it

    def paragraph(self, index: int) -> int:
        """Classify a line that starts a paragraph; return the index of the next unread line.

        The tests run in the order of formats.md §1.2. `body` settles the commonest shapes
        itself and sends everything else here; this method reads every shape, so it is the
        reference those shortcuts must agree with (a test sends every paragraph here and
        compares).
        """
        line = self.clean[index]
        first = line[0]
        if first in _MARKS:
            done = self.marked(index, line, first)
            if done:
                return done
        elif first in "IiEe" and (line[:4].upper() in HEADING_STARTS or is_heading(line)):
            return self.heading(index, line, forced=False)
        if first in "!~>(":
            return self.action(index)
        following = index + 1
        if following < self.size and self.clean[following]:
            if "(" not in line and "^" not in line:
                # The usual cue: a bare upper-case name (`natural_cue` spelled out).
                if line.isupper() and line[0].isalnum() and line[-1] != ":":
                    if "," in line:
                        return self.comma_action(index)
                    return self.dialogue(index, line, [], False, False)
            elif line.partition("(")[0].isupper():
                cue = parse_cue(line)
                if cue is not None and natural_cue(cue[0]):
                    if "," in cue[0]:
                        return self.comma_action(index)
                    return self.dialogue(index, *cue, False)
            return self.action(index)
        raw = self.raw[index]
        # A transition is tested on the raw line: `CUT TO: ` with a space is action on purpose.
        if (raw.endswith("TO:") and line.isupper()) or (line in TRANSITIONS and raw.endswith(line)):
            self.out.append(
                plain_fields(
                    "transition",
                    line,
                    self.starts[index],
                    self.ends[index],
                    self.notes.get(index, []),
                )
            )
            return following
        # A one-line action paragraph; indentation counts in action.
        self.one_line(_BLANK_ACTION, raw.rstrip() if raw[0] != first else line, index)
        return following

    def marked(self, index: int, line: str, first: str) -> int:
        """Handle a paragraph opening with a marker (note, `=`, `#`, `.`, `@`, `>`); return
        the next unread line, or 0 when the line is not what its marker suggests."""
        if first == NOTE_MARK:
            for note in self.notes.get(index, ()):
                self.out.append(fields("note", note, self.starts[index], self.ends[index], []))
            return index + 1
        if first == "=":
            if is_page_break(line):
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
            cue = parse_cue(line[1:]) or (line[1:].strip(), [], False)
            return self.dialogue(index, *cue, True)
        elif first == ">" and len(line) > 1 and not line.endswith("<"):
            self.emit("transition", [line[1:].strip()], index, index, forced=True)
            return index + 1
        return 0

    def heading(self, index: int, text: str, forced: bool) -> int:
        """Emit a scene heading (scene number cut off) and warn about text right under it."""
        number = None
        if text[-1] == "#":
            text, number = split_scene_number(text)
        values = _BLANK_HEADING.copy()
        values["text"] = text.strip()
        values["start_line"] = self.starts[index]
        values["end_line"] = self.ends[index]
        values["runs"] = []
        values["extensions"] = []
        values["notes"] = self.notes.get(index, []) if self.notes else []
        if forced:
            values["forced"] = True
        if number is not None:
            values["scene_number"] = number
        out = self.out
        self.headings.append(len(out))
        out.append(values)
        following = index + 1
        if following < self.size:
            below = self.clean[following]
            if not below:
                return following + 1  # the usual blank line: step over it
            if below[0] not in _UNDER_HEADING:
                self.warn(
                    following,
                    "text right under a scene heading; read as a new paragraph (add a blank line)",
                )
        return following

    # --- speeches ------------------------------------------------------------------------

    def dialogue(
        self, index: int, name: str, extensions: list[str], dual: bool, forced: bool
    ) -> int:
        """Emit a cue and its block (parentheticals, speech, lyrics) up to the next blank line."""
        start = len(self.out)
        clean = self.clean
        cue = self.one_line(_BLANK_CUE, name, index)
        cue["forced"], cue["extensions"] = forced, extensions
        line = clean[index + 1] if index + 1 < self.size else ""
        after = index + 2
        ends_here = after >= self.size or (not clean[after] and len(self.raw[after]) < 2)
        if (
            line
            and ends_here
            and line[0] not in _SPEECH_MARKS
            and not (line[0] in "IE" and is_late_heading(line))
        ):
            self.one_line(_BLANK_DIALOGUE, line, after - 1)
        else:
            after = self.speech(index + 1)
        if dual:
            self.pair(start, index)
        self.last_block = (start, len(self.out))
        return after

    def speech(self, index: int) -> int:
        """Collect the lines under a cue; return the index after the block."""
        clean = self.clean
        size = self.size
        kind = ""  # the element being collected: "dialogue", "lyric" or none yet
        lines: list[str] = []
        first = index
        aside = False  # the previous line was a parenthetical
        while index < size:
            line = clean[index]
            if not line:
                if len(self.raw[index]) < 2:
                    break
                if kind:  # two or more spaces: an empty line inside the speech, not its end
                    lines.append("")
                index += 1
                continue
            mark = line[0]
            if mark == NOTE_MARK:
                break  # a note alone between two-space lines: the main loop emits it
            if mark == "(" and line[-1] == ")" and not aside:
                if kind:
                    self.close(kind, lines, first)
                    kind = ""
                self.emit("parenthetical", [line], index, index)
                aside = True
                index += 1
                continue
            if aside and mark == "(" and line[-1] == ")":
                # The spec puts a parenthetical after a cue or dialogue only.
                self.warn(
                    index, "a parenthetical right after another reads as dialogue; merge the two"
                )
            aside = False
            if mark == "~":
                if kind != "lyric":
                    if kind:
                        self.close(kind, lines, first)
                    kind, lines, first = "lyric", [], index
                lines.append(line[1:].strip())
            elif mark in "=IE" and self.interrupts(index, line):
                break
            else:
                if kind != "dialogue":
                    if kind:
                        self.close(kind, lines, first)
                    kind, lines, first = "dialogue", [], index
                lines.append(line)
            index += 1
        if kind:
            self.close(kind, lines, first)
        return index

    def interrupts(self, index: int, line: str) -> bool:
        """Say whether a line inside a block starts something else (page break, heading)."""
        if line[0] == "=":
            return is_page_break(line)
        if is_late_heading(line):
            self.warn(index, "scene heading without a blank line above it; add one")
            return True
        return False

    def pair(self, start: int, index: int) -> None:
        """Make the block just before a `^` cue the left column and this one the right."""
        previous = self.last_block
        out = self.out
        between = out[previous[1] : start] if previous else []
        if (
            previous is None
            or any(f["kind"] != "note" for f in between)
            or out[previous[0]]["dual"] is not None
        ):
            self.warn(
                index, "'^' dual dialogue needs a speech right before it; read as a single speech"
            )
            return
        for left in out[previous[0] : previous[1]]:
            left["dual"] = "left"
        for right in out[start:]:
            right["dual"] = "right"

    def comma_action(self, index: int) -> int:
        """Read a cue-shaped paragraph whose name has a comma as action for now; decide at the
        end, once every real cue name is known (`resolve_comma_cues`)."""
        first = len(self.out)
        after = self.action(index)
        self.comma_cues.append((index, first, len(self.out), after))
        return after

    def resolve_comma_cues(self) -> None:
        """Turn comma-name paragraphs into speeches where that name is a cue elsewhere."""
        known = {character_key(f["text"]) for f in self.out if f["kind"] == "character"}
        for index, first, last, after in reversed(self.comma_cues):
            name, extensions, _ = parse_cue(self.clean[index]) or ("", [], False)
            if character_key(name) not in known:
                self.warn(
                    index,
                    f"'{name}' has a comma, so it reads as action; write '@{name}' if it is a cue",
                )
                continue
            kept, self.out = self.out, []
            self.emit("character", [name], index, index, False, None, extensions)
            end = self.speech(index + 1)
            speech, self.out = self.out, kept
            if end == after:
                self.out[first:last] = speech
        self.headings = [
            i for i, values in enumerate(self.out) if values["kind"] == "scene_heading"
        ]

    # --- action --------------------------------------------------------------------------

    def action(self, index: int) -> int:
        """Collect an action paragraph; `~`, `>text<` and `!` lines inside it stand alone."""
        raw, clean, size = self.raw, self.clean, self.size
        line = clean[index]
        if (index + 1 >= size or not clean[index + 1]) and line[0] not in "~>!":
            # The common paragraph: one plain line.
            text = raw[index]
            text = text.rstrip() if text[0] != line[0] else line
            notes = self.notes.get(index, [])
            self.out.append(
                plain_fields("action", text, self.starts[index], self.ends[index], notes)
            )
            return index + 1
        begin = index
        kind = ""
        lines: list[str] = []
        first = index
        forced = False
        while index < size:
            line = clean[index]
            if not line:
                break
            mark = line[0]
            text = raw[index]
            # Indentation counts in action; without it the stripped line is the text.
            this, text, forcing = "action", text.rstrip() if text[0] != line[0] else line, False
            if mark == "~":
                this, text = "lyric", line[1:].strip()
            elif mark == ">" and len(line) > 1:
                if not line.endswith("<"):
                    if index > begin:
                        break  # a forced transition: the caller reads it as a new paragraph
                else:
                    this, text = "centered", line[1:-1]  # inner spaces kept as typed
            elif mark == "!":
                at = text.index("!")
                text, forcing = (text[:at] + text[at + 1 :]).rstrip(), True
            elif index > begin and mark in "=IE" and self.interrupts(index, line):
                break
            if this != kind:
                if kind:
                    self.close(kind, lines, first, forced)
                kind, lines, first, forced = this, [], index, forcing
            lines.append(text)
            index += 1
        if kind:
            self.close(kind, lines, first, forced)
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
    with _collector_paused():
        return _parse(text, source)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while parsing.

    A parse allocates tens of thousands of small containers and creates no reference
    cycles, so collections triggered halfway through find nothing to free, yet each one
    walks every young object. Reference counting still frees everything as usual, and the
    previous state is restored afterwards; a caller who disabled the collector on purpose
    keeps it disabled.

    Pausing alone only defers the work: the first allocation after re-enabling would start
    a young collection walking the whole fresh screenplay (a tenth of a long parse) to learn
    that all of it is alive. The result lives as long as the caller keeps it, so it is moved
    straight to the oldest generation instead (`gc.freeze` then `gc.unfreeze`: two list
    splices, which also reset the allocation counts). Objects the caller made just before
    the parse are promoted with it, which only means a cycle among them waits for the next
    full collection rather than a young one; nothing is exempt from collection afterwards.
    It is skipped when someone else keeps objects frozen (a pre-fork server), whose
    permanent generation must stay as it is.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if enabled and not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
    finally:
        if enabled:
            gc.enable()


def _parse(text: str, source: str | None) -> Screenplay:
    """Parse with the collector paused; see `parse`."""
    lines = read_lines(text)
    title, body = read_title_page(lines)
    parser = _Parser(lines)
    parser.body(body)
    if parser.comma_cues:
        parser.resolve_comma_cues()
    markup = "*" in text or "_" in text
    elements = build_elements(parser.out, markup)  # the dicts became the models' storage
    scenes = scenes_of(parser.out, lines.line_count, parser.headings)
    if elements and all(scene.heading is None for scene in scenes):
        message = "no scene heading; the whole script is read as one scene"
        parser.warnings.append(
            build(ParseWarning, {"line": elements[0].start_line, "message": message})
        )
    return build(
        Screenplay,
        {
            "source": source,
            "title_page": title,
            "elements": elements,
            "scenes": scenes,
            "boneyard": lines.boneyards,
            "warnings": sorted(parser.warnings, key=lambda w: w.line),
            "line_count": lines.line_count,
        },
    )


def write(screenplay: Screenplay) -> str:
    """Write a Screenplay as Fountain text that parses back to the same elements.

    See `fountain_write` for the layout and the forcing rules.
    """
    from filmcrew.tools.fountain_write import write as write_fountain

    return write_fountain(screenplay)
