"""Final Draft FDX: read `.fdx` into a `Screenplay`, write one Final Draft opens (formats.md §2).

Reading walks `<Content>` paragraph by paragraph: `Scene Heading` opens a scene, `Character`
splits into name and extensions, `<DualDialogue>` gives left and right columns, `<Text>` runs
become styled `TextRun`s and `<ScriptNote>`s become notes. `Shot` stays inside its scene as
action (the model has no shot element, and a heading would open a new scene); `General`,
`Cast List`, act markers and unknown types read as action, unknown ones with a warning.
The title page (a layout, not keys) is mapped to Fountain keys in `fdx_title`.

Writing maps every element kind so that reading gives it back: lyrics are `Singing` (declared
italic in `ElementSettings`), sections `Outline n`, a synopsis after a heading its `Summary`
and any other synopsis `Outline Body`, a standalone note an empty paragraph holding only a
`ScriptNote`, and a page break with nothing after it (`===` twice, or last) an empty paragraph
with `StartsNewPage="Yes"`. Boneyard text is not written.

Line numbers: FDX has no script lines, so every element's `start_line`/`end_line` are the
1-based lines of the XML file where its `<Paragraph>` starts and ends. That keeps the
project's promise that a finding points back into the file the user gave us.

Safety: `fdx_xml` parses with expat and refuses any DOCTYPE or ENTITY declaration, so entity
bombs and external entities never load; malformed XML is an `InputError` naming file and line.

Writing uses ElementTree as the serialiser, indents only between elements (never inside a
`<Text>`, where whitespace is content) and sorts nothing by chance, so output is byte-stable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import structlog

from filmcrew.domain import Element, ElementKind, ParseWarning, Screenplay, TextRun
from filmcrew.errors import InputError
from filmcrew.tools.fdx_title import read_title_page, title_page_element
from filmcrew.tools.fdx_xml import (
    XmlTree,
    clean,
    merge_runs,
    parse_xml,
    runs_of,
    style_set,
    styled,
    text_element,
)
from filmcrew.tools.headings import group_scenes, is_heading_text
from filmcrew.tools.pages import (
    DEFAULT_SETTINGS,
    PageSettings,
    dual_groups,
    format_eighths,
    scene_eighths,
    scene_start_pages,
)

log = structlog.get_logger(__name__)

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>'
_KIND_BY_TYPE: dict[str, ElementKind] = {
    "Scene Heading": "scene_heading",
    "Scene Heading (Top of Page)": "scene_heading",
    "Action": "action",
    "General": "action",
    "Shot": "action",
    "Cast List": "action",
    "New Act": "action",
    "End of Act": "action",
    "Character": "character",
    "Parenthetical": "parenthetical",
    "Dialogue": "dialogue",
    "Transition": "transition",
    "Singing": "lyric",
    "Lyrics": "lyric",
    "Outline Body": "synopsis",
}
_TYPE_BY_KIND = {
    "scene_heading": "Scene Heading",
    "action": "Action",
    "centered": "Action",
    "character": "Character",
    "parenthetical": "Parenthetical",
    "dialogue": "Dialogue",
    "transition": "Transition",
    "lyric": "Singing",
    "synopsis": "Outline Body",
    "note": "General",
}
_OUTLINE = re.compile(r"^Outline (\d)$")
_TRANSITION = re.compile(r"^[^a-z]*TO:$|^(FADE OUT\.|FADE TO BLACK\.|CUT TO BLACK\.)$")
_SPEECH_KINDS = frozenset({"character", "parenthetical", "dialogue", "lyric"})


# --- reading Content ----------------------------------------------------------------------


def _note_texts(par: ET.Element) -> list[str]:
    """Collect the text of each `<ScriptNote>` in a paragraph (its inner paragraphs, one a line)."""
    notes = []
    for note in par.findall("ScriptNote"):
        lines = ["".join(t.itertext()) for t in note.iter("Text")]
        text = "\n".join(lines).strip()
        if text:
            notes.append(text)
    return notes


def split_cue(text: str) -> tuple[str, list[str]]:
    """Split `JIM (O.S.) (CONT'D)` into the name and its extensions, parentheses removed."""
    cut = text.find("(")
    if cut < 0:
        return text.strip(), []
    return text[:cut].strip(), [e.strip() for e in re.findall(r"\(([^()]*)\)", text[cut:])]


def _needs_marker(kind: str, text: str) -> bool:
    """Say whether Fountain would need a forcing marker to read this element back the same."""
    if kind == "scene_heading":
        return not is_heading_text(text)
    if kind == "transition":
        return _TRANSITION.match(text) is None
    if kind == "character":
        return not re.search(r"[A-Z]", text) or bool(re.search(r"[a-z]", text))
    return False


class _ContentReader:
    """Turns `<Content>` paragraphs into elements, one paragraph at a time."""

    def __init__(self, tree: XmlTree, all_caps: frozenset[str]) -> None:
        self.tree = tree
        self.all_caps = all_caps
        self.elements: list[Element] = []
        self.warnings: list[ParseWarning] = []

    def _add(self, kind: ElementKind, par: ET.Element, text: str = "", **fields: object) -> Element:
        start, end = self.tree.lines(par)
        element = Element(kind=kind, text=text, start_line=start, end_line=end, **fields)  # type: ignore[arg-type]
        self.elements.append(element)
        return element

    def read(self, content: ET.Element) -> None:
        """Read every top-level paragraph of `<Content>` in order."""
        for par in content.findall("Paragraph"):
            if par.get("StartsNewPage") == "Yes" and self.elements:
                self._add("page_break", par)
            dual = par.find("DualDialogue")
            if dual is not None:
                self._read_dual(dual)
            else:
                self._read_paragraph(par, None)

    def _read_dual(self, dual: ET.Element) -> None:
        """Read a dual-dialogue block: the second cue starts the right column."""
        side, cues = "left", 0
        for par in dual.findall("Paragraph"):
            if par.get("Type") == "Character":
                cues += 1
                side = "left" if cues == 1 else "right"
            self._read_paragraph(par, side)

    def _kind(self, par: ET.Element, ptype: str) -> ElementKind:
        """Map a paragraph Type onto an element kind; unknown types are action, with a warning."""
        if ptype in _KIND_BY_TYPE:
            return _KIND_BY_TYPE[ptype]
        if _OUTLINE.match(ptype):
            return "section"
        self.warnings.append(
            ParseWarning(
                line=self.tree.lines(par)[0],
                message=f"unknown FDX paragraph type {ptype!r} read as action",
            )
        )
        return "action"

    def _read_paragraph(self, par: ET.Element, dual: str | None) -> None:
        """Read one paragraph (which may be empty, hold only notes, or continue a speech)."""
        ptype = par.get("Type") or "Action"
        kind = self._kind(par, ptype)
        runs = runs_of(par, ptype in self.all_caps)
        text = "".join(r.text for r in runs)
        notes = _note_texts(par)
        if not text:
            self._read_empty(par, kind, notes)
            return
        if kind == "dialogue" and self._continues_dialogue():
            self._extend_dialogue(runs, notes, par)
            return
        fields: dict[str, object] = {"runs": runs if styled(runs) else [], "notes": notes}
        if kind == "action" and par.get("Alignment") == "Center":
            kind = "centered"
        if kind in _SPEECH_KINDS and dual:
            fields["dual"] = dual
        self._typed(kind, par, ptype, text, fields)

    def _typed(
        self, kind: ElementKind, par: ET.Element, ptype: str, text: str, fields: dict[str, object]
    ) -> None:
        """Add an element, with what its kind carries: number, extensions, depth, summary."""
        if kind == "character":
            text, extensions = split_cue(text)
            fields.update(extensions=extensions, runs=[])
        elif kind == "section":
            fields["depth"] = int(ptype.split()[-1])
        elif kind == "scene_heading" and par.get("Number"):
            fields["scene_number"] = par.get("Number")
        self._add(kind, par, text, forced=_needs_marker(kind, text), **fields)
        if kind == "scene_heading":
            self._read_summary(par)

    def _read_summary(self, heading: ET.Element) -> None:
        """Turn a heading's `SceneProperties/Summary` paragraphs into synopses after it."""
        for par in heading.findall("SceneProperties/Summary/Paragraph"):
            runs = runs_of(par, False)
            text = "".join(r.text for r in runs)
            if text:
                runs = runs if styled(runs) else []
                self._add("synopsis", par, text, runs=runs, notes=_note_texts(par))

    def _read_empty(self, par: ET.Element, kind: str, notes: list[str]) -> None:
        """Read an empty paragraph: with notes a standalone note; in a speech a blank line."""
        for note in notes:
            self._add("note", par, note)
        if not notes and kind == "dialogue" and self._continues_dialogue():
            self._extend_dialogue([TextRun(text="")], [], par)

    def _continues_dialogue(self) -> bool:
        """Say whether the last element is dialogue a next Dialogue paragraph continues."""
        return bool(self.elements) and self.elements[-1].kind == "dialogue"

    def _extend_dialogue(self, runs: list[TextRun], notes: list[str], par: ET.Element) -> None:
        """Append one more Dialogue paragraph to the speech as a new line."""
        last = self.elements[-1]
        old = last.runs or [TextRun(text=last.text)]
        joined = merge_runs([*old, TextRun(text="\n"), *runs])
        self.elements[-1] = last.model_copy(
            update={
                "text": last.text + "\n" + "".join(r.text for r in runs),
                "runs": joined if styled(joined) else [],
                "notes": [*last.notes, *notes],
                "end_line": self.tree.lines(par)[1],
            }
        )


def _all_caps_types(root: ET.Element) -> frozenset[str]:
    """Element types whose document settings print them in capitals (`Style="AllCaps"`)."""
    types = set()
    for setting in root.findall("ElementSettings"):
        font = setting.find("FontSpec")
        if font is not None and "AllCaps" in style_set(font):
            types.add(setting.get("Type") or "")
    return frozenset(types)


def read_fdx(data: bytes, source: str | None = None) -> Screenplay:
    """Parse Final Draft XML bytes into a `Screenplay`.

    Raises:
        InputError: malformed XML, a DOCTYPE/ENTITY declaration, or not a FinalDraft document.
    """
    where = source or "<fdx>"
    tree = parse_xml(data, where)
    if tree.root.tag != "FinalDraft":
        raise InputError(
            f"not a Final Draft file: root element is <{tree.root.tag}>, expected <FinalDraft>",
            path=where,
            line=1,
        )
    reader = _ContentReader(tree, _all_caps_types(tree.root))
    content = tree.root.find("Content")
    content_end = tree.line_count
    if content is not None:
        reader.read(content)
        content_end = tree.lines(content)[1]
    log.debug(
        "fdx_read", source=where, elements=len(reader.elements), version=tree.root.get("Version")
    )
    return Screenplay(
        source=source,
        title_page=read_title_page(tree),
        elements=reader.elements,
        scenes=group_scenes(reader.elements, content_end),
        warnings=reader.warnings,
        line_count=tree.line_count,
    )


def read_page_settings(data: bytes, source: str | None = None) -> PageSettings:
    """Return the page settings an FDX file was laid out on: A4 when its `PageSize` is 11.69in tall.

    Final Draft stores paper in inches (`<PageLayout><PageSize Height="11.69" Width="8.26"/>`);
    anything that is not A4 counts as Letter, the default.
    """
    tree = parse_xml(data, source or "<fdx>")
    size = tree.root.find("PageLayout/PageSize")
    try:
        height = float(size.get("Height", "11")) if size is not None else 11.0
    except ValueError:
        height = 11.0
    return PageSettings(paper="a4" if abs(height - 11.69) < 0.1 else "letter")


# --- writing ------------------------------------------------------------------------------


def _script_note(text: str) -> ET.Element:
    """Build a `<ScriptNote>` holding the note text, one inner paragraph per line."""
    note = ET.Element("ScriptNote")
    for line in text.split("\n"):
        inner = ET.SubElement(note, "Paragraph")
        inner.append(text_element(TextRun(text=line)))
    return note


def _cue_text(element: Element) -> str:
    """Put a cue's extensions back into its text: `JIM (O.S.)`."""
    return " ".join([element.text, *(f"({ext})" for ext in element.extensions)])


def _paragraph(element: Element, attrs: dict[str, str]) -> ET.Element:
    """Build the `<Paragraph>` for one element (attributes sorted, as Final Draft writes them)."""
    kind = element.kind
    if kind == "section":
        attrs["Type"] = f"Outline {min(max(element.depth or 1, 1), 6)}"
    else:
        attrs["Type"] = _TYPE_BY_KIND.get(kind, "Action")
    if kind == "centered":
        attrs["Alignment"] = "Center"
    par = ET.Element("Paragraph", dict(sorted(attrs.items())))
    if kind == "note":
        par.append(_script_note(element.text))
        return par
    if kind == "character":
        runs = [TextRun(text=_cue_text(element))]
    else:
        runs = element.runs or [TextRun(text=element.text)]
    for run in runs:
        par.append(text_element(run))
    for note in element.notes:
        par.append(_script_note(note))
    return par


class _ContentWriter:
    """Writes elements into `<Content>`, tracking page breaks, summaries and dual dialogue."""

    def __init__(self, sp: Screenplay, settings: PageSettings) -> None:
        self.sp = sp
        self.content = ET.Element("Content")
        self.page_break = False
        self.summary: ET.Element | None = None
        eighths = scene_eighths(sp, settings)
        pages = scene_start_pages(sp, settings)
        self.scene_props = {
            s.first_element: {"Length": format_eighths(n), "Page": str(p), "Title": ""}
            for s, n, p in zip(sp.scenes, eighths, pages, strict=True)
            if s.heading is not None
        }

    def _attrs(self) -> dict[str, str]:
        """Attributes every top-level paragraph starts with: a pending page break, if any."""
        attrs = {"StartsNewPage": "Yes"} if self.page_break else {}
        self.page_break = False
        return attrs

    def write(self) -> ET.Element:
        """Write all elements and return the `<Content>` element."""
        elements = self.sp.elements
        groups = dual_groups(elements)
        index = 0
        while index < len(elements):
            if index in groups:
                index = self._write_dual(index, groups[index][1])
                continue
            self._write_one(index, elements[index])
            index += 1
        if self.page_break:
            self._blank_page_end()
        return self.content

    def _blank_page_end(self) -> None:
        """Carry a page break that has no paragraph after it (`===` twice, or at the very end)
        on an empty paragraph, so an empty page is kept and reads back as a page break."""
        ET.SubElement(self.content, "Paragraph", {**self._attrs(), "Type": "Action"})
        self.summary = None

    def _write_dual(self, start: int, end: int) -> int:
        """Wrap both speeches of a dual-dialogue pair in `<Paragraph><DualDialogue>`."""
        outer = ET.SubElement(self.content, "Paragraph", self._attrs())
        dual = ET.SubElement(outer, "DualDialogue")
        for element in self.sp.elements[start:end]:
            dual.append(_paragraph(element, {}))
        self.summary = None
        return end

    def _write_one(self, index: int, element: Element) -> None:
        """Write one element; a synopsis right after a heading goes into its `Summary`."""
        if element.kind == "page_break":
            if self.page_break:
                self._blank_page_end()
            self.page_break, self.summary = True, None
            return
        if element.kind == "synopsis" and self.summary is not None:
            inner = ET.SubElement(self.summary, "Paragraph")
            inner.extend(text_element(run) for run in element.runs or [TextRun(text=element.text)])
            inner.extend(_script_note(note) for note in element.notes)
            return
        attrs = self._attrs()
        if element.kind == "scene_heading" and element.scene_number:
            attrs["Number"] = clean(element.scene_number)
        par = _paragraph(element, attrs)
        self.summary = None
        if index in self.scene_props:
            props = ET.Element("SceneProperties", self.scene_props[index])
            par.insert(0, props)
            self.summary = ET.SubElement(props, "Summary")
        self.content.append(par)

    def finish(self) -> None:
        """Remove `Summary` elements left empty."""
        for props in self.content.iter("SceneProperties"):
            summary = props.find("Summary")
            if summary is not None and len(summary) == 0:
                props.remove(summary)


def _element_settings(settings: PageSettings) -> list[ET.Element]:
    """Declare the element types we write, with indents matching the line widths we count with.

    No `AllCaps` anywhere: Fountain prints text as typed, so Final Draft should too.
    """
    left = 1.5
    spec = [
        ("General", "", "Left", left, left + 6.0, 0),
        (
            "Scene Heading",
            "",
            "Left",
            left,
            left + settings.heading_width / 10,
            12 * settings.heading_space,
        ),
        ("Action", "", "Left", left, left + settings.action_width / 10, 12 * settings.action_space),
        ("Character", "", "Left", 3.5, 7.25, 12 * settings.cue_space),
        ("Parenthetical", "", "Left", 3.0, 3.0 + settings.parenthetical_width / 10, 0),
        ("Dialogue", "", "Left", 2.5, 2.5 + settings.dialogue_width / 10, 0),
        ("Singing", "Italic", "Left", 2.5, 2.5 + settings.dialogue_width / 10, 0),
        ("Transition", "", "Right", 5.5, 7.1, 12 * settings.cue_space),
        ("Outline Body", "Italic", "Left", left, left + 6.0, 0),
        *((f"Outline {n}", "Bold", "Left", left, left + 6.0, 12) for n in range(1, 7)),
    ]
    out = []
    for etype, style, align, indent, right, space in spec:
        setting = ET.Element("ElementSettings", {"Type": etype})
        ET.SubElement(
            setting, "FontSpec", {"Font": "Courier Final Draft", "Size": "12", "Style": style}
        )
        ET.SubElement(
            setting,
            "ParagraphSpec",
            {
                "Alignment": align,
                "FirstIndent": "0.00",
                "LeftIndent": f"{indent:.2f}",
                "RightIndent": f"{right:.2f}",
                "SpaceBefore": str(space),
                "Spacing": "1",
                "StartsNewPage": "No",
            },
        )
        out.append(setting)
    return out


def _page_layout(settings: PageSettings) -> ET.Element:
    """Paper size in inches, so Final Draft paginates on the paper we counted eighths for."""
    height, width = ("11.69", "8.27") if settings.paper == "a4" else ("11.00", "8.50")
    layout = ET.Element("PageLayout")
    ET.SubElement(layout, "PageSize", {"Height": height, "Width": width})
    return layout


def write_fdx(sp: Screenplay, settings: PageSettings | None = None) -> bytes:
    """Serialise a screenplay as a Final Draft document (UTF-8 bytes, byte-stable).

    Scene headings carry their `Number` (when the script has one) and `SceneProperties`
    `Length` in eighths and `Page`, counted with `settings` (Letter by default).
    """
    settings = settings or DEFAULT_SETTINGS
    root = ET.Element("FinalDraft", {"DocumentType": "Script", "Template": "No", "Version": "5"})
    writer = _ContentWriter(sp, settings)
    root.append(writer.write())
    writer.finish()
    root.append(_page_layout(settings))
    root.extend(_element_settings(settings))
    title = title_page_element(sp.title_page, settings)
    if title is not None:
        root.append(title)
    ET.indent(root, space="  ")
    return (DECLARATION + "\n" + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")
