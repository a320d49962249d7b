"""XML plumbing for FDX: a safe parser that keeps line numbers, and `<Text>` runs both ways.

Safety: the stdlib expat parser builds the ElementTree (it also reports the line each element
starts and ends on, which ElementTree alone does not), and any DOCTYPE or ENTITY declaration is
refused before it can expand, so entity bombs and external entities never load. Malformed XML
is an `InputError` naming the file and line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from filmcrew.domain import TextRun
from filmcrew.errors import InputError

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class XmlTree:
    """A parsed XML document plus the source lines each element spans."""

    def __init__(
        self, root: ET.Element, spans: dict[int, tuple[int, int]], line_count: int
    ) -> None:
        self.root = root
        self._spans = spans
        self.line_count = line_count

    def lines(self, element: ET.Element) -> tuple[int, int]:
        """Return the 1-based first and last XML lines of an element."""
        return self._spans.get(id(element), (1, 1))


def _refuse_declaration(where: str, parser: expat.XMLParserType, what: str) -> None:
    """Stop parsing at a DTD: entity expansion is how XML bombs and file reads get in."""
    raise InputError(
        f"FDX with a {what} declaration refused (entities are not allowed)",
        path=where,
        line=parser.CurrentLineNumber,
    )


def parse_xml(data: bytes, where: str) -> XmlTree:
    """Parse bytes with expat into an ElementTree, recording each element's line span."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    spans: dict[int, tuple[int, int]] = {}
    open_lines: list[int] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        builder.start(tag, attrs)
        open_lines.append(parser.CurrentLineNumber)

    def end(tag: str) -> None:
        spans[id(builder.end(tag))] = (open_lines.pop(), parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = lambda *_: _refuse_declaration(where, parser, "DOCTYPE")
    parser.EntityDeclHandler = lambda *_: _refuse_declaration(where, parser, "ENTITY")
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise InputError(
            f"malformed FDX XML: {expat.ErrorString(exc.code)}", path=where, line=exc.lineno
        ) from None
    root = builder.close()
    return XmlTree(root, spans, data.count(b"\n") + (0 if data.endswith(b"\n") else 1))


def style_set(text_el: ET.Element) -> set[str]:
    """Split a `Style="Bold+Underline"` attribute into its parts."""
    return {part.strip() for part in (text_el.get("Style") or "").split("+") if part.strip()}


def merge_runs(runs: list[TextRun]) -> list[TextRun]:
    """Join neighbouring runs of one style and drop empty ones, so equal text compares equal."""
    merged: list[TextRun] = []
    for run in runs:
        if not run.text:
            continue
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.underline) == (
            run.bold,
            run.italic,
            run.underline,
        ):
            merged[-1] = last.model_copy(update={"text": last.text + run.text})
        else:
            merged.append(run)
    return merged


def styled(runs: list[TextRun]) -> bool:
    """Say whether any run carries emphasis (plain text keeps `runs` empty, as the parser does)."""
    return any(r.bold or r.italic or r.underline for r in runs)


def runs_of(par: ET.Element, all_caps: bool) -> list[TextRun]:
    """Read a paragraph's direct `<Text>` children as runs (`AllCaps` prints upper case)."""
    runs = []
    for text_el in par.findall("Text"):
        style = style_set(text_el)
        text = "".join(text_el.itertext())
        if all_caps or "AllCaps" in style:
            text = text.upper()
        runs.append(
            TextRun(
                text=text,
                bold="Bold" in style,
                italic="Italic" in style,
                underline="Underline" in style,
            )
        )
    return merge_runs(runs)


def clean(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (control characters, lone surrogates).

    Carriage returns become line feeds here, since an XML reader would turn them into ones.
    """
    return _INVALID_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def text_element(run: TextRun) -> ET.Element:
    """Build one `<Text>` run; plain runs carry no Style."""
    style = "+".join(
        name
        for name, on in (("Bold", run.bold), ("Italic", run.italic), ("Underline", run.underline))
        if on
    )
    text_el = ET.Element("Text", {"Style": style} if style else {})
    text_el.text = clean(run.text)
    return text_el
