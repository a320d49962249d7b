"""screenplay-tools (wildwinter, MIT): its `.txt` dumps, and our parse rendered in that form.

The dump is one record per element (see the suite's FORMAT.md §1.1). This adapter writes our
Screenplay the way that parser's `dump()` would, holding only what reflects how that suite
writes things, never what it decides:

- blank lines are ACTION records in that model: with "merge actions" on, consecutive action
  paragraphs join with their blank lines; a blank line after centred text stays a record of
  its own; with it off, every action line and every blank line is a record;
- emphasis is shown as markup, parentheticals without parentheses, CONT'D left out;
- a multi-line title value starts with a line break and keeps each continuation line
  indented (written here with four spaces, as the suite's files do);
- notes and boneyards become numbered placeholders listed at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from filmcrew.domain import Element, Screenplay, TitleEntry

from .common import conformance_dir, cue_text, markup

SUITE = "screenplay-tools"


@dataclass(frozen=True)
class Case:
    """One parse case: input file, expected dump file, parser switches."""

    source: str
    expected: str
    merge_actions: bool = True
    merge_dialogue: bool = True
    tags: bool = False

    @property
    def id(self) -> str:
        """The case id: the expected file's name."""
        return self.expected


CASES = (
    Case("Action.fountain", "Action-Merged.txt"),
    Case("Action.fountain", "Action-Unmerged.txt", merge_actions=False),
    Case("Boneyards.fountain", "Boneyards.txt"),
    Case("Character.fountain", "Character.txt"),
    Case("Dialogue.fountain", "Dialogue-Merged.txt"),
    Case("Dialogue.fountain", "Dialogue-Unmerged.txt", merge_dialogue=False),
    Case("LineBreaks.fountain", "LineBreaks.txt"),
    Case("Lyrics.fountain", "Lyrics.txt"),
    Case("Notes.fountain", "Notes.txt"),
    Case("PageBreak.fountain", "PageBreak.txt"),
    Case("Parenthetical.fountain", "Parenthetical.txt"),
    Case("SceneHeading.fountain", "SceneHeading.txt"),
    Case("Scratch.fountain", "Scratch.txt"),
    Case("Sections.fountain", "Sections.txt"),
    Case("Tags.fountain", "Tags.txt", tags=True),
    Case("TitlePage.fountain", "TitlePage.txt"),
    Case("Transition.fountain", "Transition.txt"),
    Case("UTF8.fountain", "UTF8.txt"),
)


def folder() -> Path:
    """Return the suite's folder."""
    return conformance_dir() / SUITE


def read_case(case: Case) -> tuple[str, str]:
    """Return (Fountain input, expected dump) of a case."""
    base = folder()
    return (base / case.source).read_text(encoding="utf-8"), (base / case.expected).read_text(
        encoding="utf-8"
    )


def _title(entry: TitleEntry) -> str:
    """Render a title entry; a value that starts below its key starts with a line break."""
    values = entry.value.split("\n") if entry.value else []
    spanned = entry.end_line - entry.start_line + 1
    if values and len(values) == spanned:
        text = "\n".join([values[0], *(f"    {v}" for v in values[1:])])
    else:
        text = "".join(f"\n    {v}" for v in values)
    return f'TITLEENTRY:"{entry.key}":"{text}"'


@dataclass
class _Dump:
    """Accumulates records while walking the elements."""

    case: Case
    records: list[str] = field(default_factory=list)
    action: list[str] | None = None  # a merged action being built
    action_end: int = 0
    notes: list[str] = field(default_factory=list)

    def flush(self) -> None:
        """Finish a merged action record."""
        if self.action is not None:
            self.records.append(f'ACTION:"{"".join(self.action)}"')
            self.action = None

    def plain_action(self, text: str, start: int, end: int, previous: Element | None) -> None:
        """Add an action paragraph, merged with the one before or line by line."""
        if not self.case.merge_actions:
            if previous is not None and previous.kind in ("action", "centered", "note"):
                self.records.extend(['ACTION:""'] * (start - previous.end_line - 1))
            self.records.extend(f'ACTION:"{line}"' for line in text.split("\n"))
            return
        if self.action is not None and previous is not None and previous.kind in ("action", "note"):
            self.action.append("\n" * (start - self.action_end))
        else:
            self.flush()
            self.action = []
        self.action.append(text)
        self.action_end = end

    def add(self, element: Element, previous: Element | None) -> None:
        """Add the record(s) of one element."""
        kind = element.kind
        if kind in ("action", "note"):
            text = markup(element) if kind == "action" else f"[[{self._note(element.text)}]]"
            self.plain_action(text, element.start_line, element.end_line, previous)
            return
        self.flush()
        if previous is not None and previous.kind == "centered" and kind == "centered":
            self.records.extend(['ACTION:""'] * (element.start_line - previous.end_line - 1))
        self.records.extend(_records(element, self.case))

    def _note(self, text: str) -> int:
        """Number a note in order of appearance."""
        self.notes.append(text)
        return len(self.notes) - 1


def _records(element: Element, case: Case) -> list[str]:
    """Render one non-action element."""
    kind = element.kind
    text = markup(element)
    if kind == "scene_heading":
        number = f" ({element.scene_number})" if element.scene_number else ""
        return [f'HEADING:"{text}"{number}']
    if kind == "centered":
        return [f'ACTION:"{line}" (centered)' for line in text.split("\n")]
    if kind == "character":
        extensions = cue_text(element, drop_contd=True)[len(element.text) :].strip()
        record = f'CHARACTER:"{text}"' + (f' "{extensions}"' if extensions else "")
        return [record + (" (Dual)" if element.dual == "right" else "")]
    if kind == "dialogue":
        lines = text.split("\n") if not case.merge_dialogue else [text]
        return [f'DIALOGUE:"{line}"' for line in lines]
    if kind == "parenthetical":
        inner = text[1:-1] if text.startswith("(") and text.endswith(")") else text
        return [f'PARENTHETICAL:"{inner}"']
    if kind == "lyric":
        return [f'LYRIC:"{line}"' for line in text.split("\n")]
    if kind == "transition":
        return [f'TRANSITION:"{text}"']
    if kind == "page_break":
        return ['PAGEBREAK:""']
    if kind == "section":
        return [f'SECTION:"{text}" ({element.depth})']
    if kind == "synopsis":
        return [f'SYNOPSIS:"{text}"']
    raise ValueError(f"no record for {kind}")


def dump(screenplay: Screenplay, case: Case) -> str:
    """Render a parse result as that suite's dump (no newline at the end)."""
    state = _Dump(case)
    state.records.extend(_title(entry) for entry in screenplay.title_page)
    previous: Element | None = None
    for element in screenplay.elements:
        if previous is not None and previous.kind == "centered" and element.kind == "action":
            state.records.extend(['ACTION:""'] * (element.start_line - previous.end_line - 1))
            previous = None  # the blank-line record stands between them: no merging
        state.add(element, previous)
        previous = element
    state.flush()
    inline = [note for element in screenplay.elements for note in element.notes]
    notes = state.notes + inline
    state.records.extend(f'[[{n}]]NOTE:"{text}"' for n, text in enumerate(notes))
    state.records.extend(
        f'/*{n}*/BONEYARD:"{bone.text}"' for n, bone in enumerate(screenplay.boneyard)
    )
    return "\n".join(state.records)


# --- extra checks: the FDX twins and the emphasis file ------------------------------------

FDX_TWINS = ("TestFDX-FD", "TestFDX-FI")
_FDX_KINDS = {
    "Scene Heading": "scene_heading",
    "Action": "action",
    "Character": "character",
    "Parenthetical": "parenthetical",
    "Dialogue": "dialogue",
    "Transition": "transition",
}


def fdx_items(path: Path) -> list[tuple[str, str, str]]:
    """Return (kind, trimmed text, scene number) for each typed paragraph of an FDX body."""
    import xml.etree.ElementTree as ET

    content = ET.fromstring(path.read_bytes()).find("Content")
    assert content is not None, f"{path}: no <Content>"
    items = []
    for paragraph in content.findall("Paragraph"):
        kind = _FDX_KINDS.get(paragraph.get("Type") or "")
        if kind is None:
            continue
        text = "".join(t.text or "" for t in paragraph.findall("Text")).strip()
        items.append((kind, text, paragraph.get("Number") or ""))
    return items


def our_items(screenplay: Screenplay) -> list[tuple[str, str, str]]:
    """Return the same triples for our parse of the Fountain twin."""
    items = []
    for element in screenplay.elements:
        if element.kind == "note":
            continue
        text = cue_text(element) if element.kind == "character" else element.text
        items.append((element.kind, text.strip(), element.scene_number or ""))
    return items
