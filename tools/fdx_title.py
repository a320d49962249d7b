"""The FDX title page: a layout of positioned lines, mapped to and from Fountain title keys.

Final Draft keeps no keys, only lines: about 16 blank ones, the centred title block (Title,
Credit, Author, Source) and a lower-left block (Contact, Draft date). Writing lays the keys
out that way; reading names each block of lines by its place and wording: the first centred
block is the title, a centred line ending in "by" the credit, the next one the author; lower
down, "Copyright"/"(c)" is the copyright, a year, month or "draft" the draft date, the rest
contact. Emphasis survives as Fountain markers (`_**TITLE**_`), as title values keep them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from filmcrew.domain import TextRun, TitleEntry
from filmcrew.tools import emphasis
from filmcrew.tools.fdx_xml import XmlTree, runs_of, styled, text_element
from filmcrew.tools.pages import PageSettings

_CREDIT = re.compile(r"(^|\s)by$", re.I)
_COPYRIGHT = re.compile(r"^(copyright|©|\(c\))", re.I)
_DATE = re.compile(
    r"\bdraft\b|\b(19|20)\d\d\b|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|"
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.I,
)
_CENTRED_KEYS = ("title", "credit", "author", "authors", "source")
_LEFT_KEYS = ("contact", "draft date", "copyright")


def _fountain_text(runs: list[TextRun]) -> str:
    """Write runs as Fountain text: title values keep their emphasis as `*`/`_` markers."""
    if styled(runs):
        return emphasis.render(emphasis.from_runs(runs))
    return "".join(r.text for r in runs)


def _title_blocks(tree: XmlTree, content: ET.Element) -> list[tuple[str, str, int, int]]:
    """Group title-page lines into blocks (alignment, text, first, last line) at blank lines."""
    blocks: list[tuple[str, str, int, int]] = []
    current: list[tuple[str, str, int, int]] = []
    for par in [*content.findall("Paragraph"), None]:
        text = "" if par is None else _fountain_text(runs_of(par, False))
        if text.strip() and par is not None:
            start, end = tree.lines(par)
            align = par.get("Alignment") or "Left"
            if current and current[-1][0] != align:
                blocks.append(_join_block(current))
                current = []
            current.append((align, text, start, end))
        elif current:
            blocks.append(_join_block(current))
            current = []
    return blocks


def _join_block(lines: list[tuple[str, str, int, int]]) -> tuple[str, str, int, int]:
    """Merge consecutive title-page lines into one block."""
    return lines[0][0], "\n".join(line[1] for line in lines), lines[0][2], lines[-1][3]


def _title_key(align: str, text: str, keys: list[str]) -> str:
    """Name a title-page block: centred ones are Title, Credit, Author, Source in that order."""
    if align == "Center":
        if "Title" not in keys:
            return "Title"
        if _CREDIT.search(text) and "Credit" not in keys:
            return "Credit"
        return "Author" if "Author" not in keys else "Source"
    if _COPYRIGHT.match(text):
        return "Copyright"
    if _DATE.search(text) and "Draft date" not in keys:
        return "Draft date"
    return "Contact"


def read_title_page(tree: XmlTree) -> list[TitleEntry]:
    """Map the positioned lines of `<TitlePage>` back onto Fountain title keys."""
    content = tree.root.find("TitlePage/Content")
    if content is None:
        return []
    entries: list[TitleEntry] = []
    for align, text, start, end in _title_blocks(tree, content):
        key = _title_key(align, text, [e.key for e in entries])
        entries.append(TitleEntry(key=key, value=text, start_line=start, end_line=end))
    return entries


def _title_line(text: str, align: str) -> ET.Element:
    """One positioned title-page line, Fountain emphasis as styled runs; empty if `text` is."""
    par = ET.Element("Paragraph", {"Alignment": align, "Type": "General"})
    if text:
        plain, segments = emphasis.parse_lines([text])
        par.extend(text_element(run) for run in emphasis.to_runs(segments) or [TextRun(text=plain)])
    return par


def _title_lines(
    values: dict[str, str], keys: tuple[str, ...], align: str
) -> list[tuple[str, str]]:
    """Lay out title values as (text, alignment) lines; blocks are split by blank lines.

    A credit sits one line above its author, every other block three lines apart when
    centred and one line apart lower left, as typed title pages do.
    """
    lines: list[tuple[str, str]] = []
    previous = ""
    for key in keys:
        if key not in values:
            continue
        if lines:
            gap = 1 if previous == "credit" or align == "Left" else 3
            lines += [("", align)] * gap
        lines += [(line, align) for line in values[key].split("\n")]
        previous = key
    return lines


def title_page_element(entries: list[TitleEntry], settings: PageSettings) -> ET.Element | None:
    """Lay Fountain title keys out like a typed title page: centred block, contact lower left."""
    values = {e.key.casefold(): e.value for e in entries}
    centred = _title_lines(values, _CENTRED_KEYS, "Center")
    left = _title_lines(values, _LEFT_KEYS, "Left")
    if not centred and not left:
        return None
    top = [("", "Left")] * 16 + centred
    lines = top + [("", "Left")] * max(2, settings.lpp - 4 - len(top) - len(left)) + left
    page = ET.Element("TitlePage")
    content = ET.SubElement(page, "Content")
    content.extend(_title_line(text, align) for text, align in lines)
    return page
