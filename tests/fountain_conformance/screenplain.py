"""screenplain (Martin Vilcans, MIT): rendered HTML and FDX, read back into element tuples.

Rather than re-create screenplain's renderers, the adapter reads its expected output into a
list of (kind, text, extra) tuples and turns our parse into the same list. What only reflects
screenplain's way of writing is normalised on our side: a speech is one tuple per line, the
cue carries its extensions, forced transitions are upper case, a page break is a tuple before
the element that carries the class, notes and boneyards are not printed.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from filmcrew.domain import Screenplay

from .common import body, conformance_dir, cue_text

SUITE = "screenplain"
Item = tuple[str, ...]


def folder() -> Path:
    """Return the suite's folder."""
    return conformance_dir() / SUITE


def load_cases() -> list[tuple[str, Path, Path]]:
    """Return (case id, input, expected) for every `X.html` and `X.fdx` beside an input."""
    cases = []
    for source in sorted(folder().glob("*.fountain")):
        for suffix in (".html", ".fdx"):
            expected = source.with_suffix(suffix)
            if expected.exists():
                cases.append((expected.name, source, expected))
    return cases


def read_source(path: Path) -> str:
    """Read an input as a user's file would be read (UTF-8, BOM allowed)."""
    return path.read_bytes().decode("utf-8")


def ours(screenplay: Screenplay, fdx: bool) -> list[Item]:
    """Turn our parse into screenplain's tuples (see the module docstring)."""
    items: list[Item] = []
    for element in body(screenplay):
        kind = element.kind
        side = element.dual or ""
        if kind == "scene_heading":
            items.append(
                ("scene_heading", element.text, element.scene_number or "" if not fdx else "")
            )
        elif kind == "character":
            items.append(("character", cue_text(element), side))
        elif kind == "dialogue":
            items.extend(("dialogue", line, side) for line in element.text.split("\n"))
        elif kind in ("parenthetical", "lyric"):
            items.append((kind, element.text, side))
        elif kind == "transition":
            items.append(("transition", element.text.upper()))
        elif kind == "section":
            items.append(("section", element.text, str(element.depth)))
        elif kind in ("action", "centered", "synopsis"):
            items.append((kind, element.text))
        elif kind == "page_break":
            items.append(("page_break",))
    return items


# --- HTML ------------------------------------------------------------------------------------


class _HtmlReader(HTMLParser):
    """Read screenplain's bare HTML into tuples."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Item] = []
        self.side = ""
        self.target: list[str] | None = None
        self.kind = ""
        self.extra = ""
        self.lines: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if "page-break" in classes:
            self.items.append(("page_break",))
        if tag == "div" and ("left" in classes or "right" in classes):
            self.side = "left" if "left" in classes else "right"
        elif tag == "div" and "action" in classes:
            self.kind, self.lines = ("centered" if "centered" in classes else "action"), [""]
        elif tag == "div" and "transition" in classes:
            self.kind, self.lines = "transition", [""]
        elif tag == "h6":
            self.kind, self.lines, self.extra = "scene_heading", [""], ""
        elif len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.kind, self.lines, self.extra = "section", [""], tag[1]
        elif tag == "span" and any(c.endswith("-synopsis") for c in classes):
            self.kind, self.lines = "synopsis", [""]
        elif tag == "span" and ("scnuml" in classes or "scnumr" in classes):
            self.target = []
        elif tag == "p" and self.kind not in ("action", "centered"):
            speech = (
                "character"
                if "character" in classes
                else "parenthetical"
                if "parenthetical" in classes
                else "dialogue"
            )
            self.kind, self.lines = speech, [""]
        elif tag == "br" and self.kind in ("action", "centered"):
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.target is not None:
            self.extra = "".join(self.target)
            self.target = None
            return
        if (
            tag == "div"
            and self.kind in ("action", "centered", "transition")
            or tag in ("h6", "h1", "h2", "h3", "h4", "h5")
            or (tag == "span" and self.kind == "synopsis")
            or tag == "p"
            and self.kind in ("character", "parenthetical", "dialogue")
        ):
            self._finish()
        elif tag == "div" and self.side and self.kind == "":
            self.side = ""

    def handle_data(self, data: str) -> None:
        if self.target is not None:
            self.target.append(data)
        elif self.kind:
            self.lines[-1] += data

    def _finish(self) -> None:
        text = "\n".join(line.replace("\xa0", " ") for line in self.lines)
        kind = self.kind
        if kind == "dialogue":
            text = text.strip()
        if kind in ("character", "parenthetical", "dialogue"):
            self.items.append((kind, text, self.side))
        elif kind == "scene_heading" or kind == "section":
            self.items.append((kind, text, self.extra))
        else:
            self.items.append((kind, text))
        self.kind, self.lines, self.extra = "", [], ""


def expected_html(path: Path) -> list[Item]:
    """Read an expected `.html` file into tuples."""
    reader = _HtmlReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.items


# --- FDX -------------------------------------------------------------------------------------

_FDX_KINDS = {
    "Scene Heading": "scene_heading",
    "Action": "action",
    "Character": "character",
    "Parenthetical": "parenthetical",
    "Dialogue": "dialogue",
    "Transition": "transition",
}


def expected_fdx(path: Path) -> list[Item]:
    """Read an expected `.fdx` file into tuples (a DualDialogue splits at its second cue)."""
    root = ET.fromstring(path.read_bytes())
    items: list[Item] = []
    content = root.find("Content")
    assert content is not None, f"{path}: no <Content>"
    for paragraph in content.findall("Paragraph"):
        dual = paragraph.find("DualDialogue")
        if dual is None:
            items.append(_fdx_item(paragraph, ""))
            continue
        side = ""
        for inner in dual.findall("Paragraph"):
            if inner.get("Type") == "Character":
                side = "right" if side == "left" else "left"
            items.append(_fdx_item(inner, side))
    return items


def _fdx_item(paragraph: ET.Element, side: str) -> Item:
    """Turn one FDX paragraph into a tuple."""
    kind = _FDX_KINDS.get(paragraph.get("Type") or "", "action")
    text = html.unescape("".join(t.text or "" for t in paragraph.findall("Text")))
    if kind in ("character", "parenthetical", "dialogue"):
        return (kind, text, side)
    if kind == "scene_heading":
        return (kind, text, "")
    return (kind, text)
