"""FDX reading and writing (formats.md §2), checked against the Final Draft and Fade In samples."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filmcrew.domain import Element, Screenplay, TextRun, TitleEntry
from filmcrew.errors import InputError
from filmcrew.tools import fountain
from filmcrew.tools.fdx import read_fdx, read_page_settings, split_cue, write_fdx
from filmcrew.tools.headings import group_scenes
from filmcrew.tools.pages import PageSettings, format_eighths, scene_eighths


def shared_dir() -> Path:
    """The shared reference folder: `$FILMCREW_SHARED`, else `<repo>/../shared`."""
    env = os.environ.get("FILMCREW_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def shared_file(*parts: str) -> Path:
    """Path of a shared reference file, or skip the test when it is not there."""
    path = shared_dir().joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"shared file {path} not found (set FILMCREW_SHARED to the shared folder)")
    return path


def el(kind: str, text: str = "", line: int = 1, **fields: object) -> Element:
    """A hand-built element."""
    return Element(kind=kind, text=text, start_line=line, end_line=line, **fields)  # type: ignore[arg-type]


def screenplay(*elements: Element, title: list[TitleEntry] | None = None) -> Screenplay:
    """A screenplay over hand-built elements, scenes grouped the project's way."""
    items = list(elements)
    return Screenplay(elements=items, scenes=group_scenes(items, 1), title_page=title or [])


def comparable(sp: Screenplay) -> list[tuple[object, ...]]:
    """What an element means, minus where it came from (lines) and Fountain spelling (forced)."""
    return [
        (
            e.kind,
            e.text,
            [r.model_dump() for r in e.runs],
            e.scene_number,
            e.extensions,
            e.dual,
            e.depth,
            e.notes,
        )
        for e in sp.elements
    ]


def content_paragraphs(data: bytes) -> list[ET.Element]:
    """Top-level `<Content>` paragraphs of an FDX document."""
    content = ET.fromstring(data).find("Content")
    assert content is not None
    return content.findall("Paragraph")


def paragraph_text(par: ET.Element) -> str:
    """Joined `<Text>` runs of one paragraph."""
    return "".join("".join(t.itertext()) for t in par.findall("Text"))


# --- reading the samples ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["TestFDX-FD.fdx", "TestFDX-FI.fdx"])
def test_read_sample_scenes_and_elements(name: str) -> None:
    data = shared_file("samples", "fdx", name).read_bytes()
    sp = read_fdx(data, name)
    assert [s.heading.text if s.heading else None for s in sp.scenes] == [
        "INT. RADIO STUDIO",
        "EXT. OUTSIDE THE FOOD STORE",
    ]
    assert [s.label for s in sp.scenes] == ["1", "2"]
    kinds = [e.kind for e in sp.elements]
    assert kinds.count("character") == 4
    assert kinds[:5] == ["scene_heading", "action", "character", "parenthetical", "dialogue"]
    jim = next(e for e in sp.elements if e.kind == "character" and e.text == "JIM")
    assert jim.extensions == ["O.S."]
    assert sp.elements[-1].kind == "transition"
    assert sp.elements[-1].text == "FADE TO BLACK"
    assert sp.elements[-1].forced  # Fountain needs `>` to read it as a transition
    assert sp.warnings == []


@pytest.mark.parametrize("name", ["TestFDX-FD.fdx", "TestFDX-FI.fdx"])
def test_read_sample_line_numbers_are_xml_lines(name: str) -> None:
    path = shared_file("samples", "fdx", name)
    lines = path.read_text(encoding="utf-8").split("\n")
    sp = read_fdx(path.read_bytes(), name)
    for element in sp.elements:
        assert "<Paragraph" in lines[element.start_line - 1]
        assert element.end_line >= element.start_line
    assert sp.line_count == len(lines) - (1 if lines[-1] == "" else 0)
    assert sp.scenes[0].start_line == sp.elements[0].start_line


@pytest.mark.parametrize("name", ["TestFDX-FD.fdx", "TestFDX-FI.fdx"])
def test_read_sample_title_page(name: str) -> None:
    sp = read_fdx(shared_file("samples", "fdx", name).read_bytes(), name)
    entries = {e.key: e.value for e in sp.title_page}
    assert entries["Title"] == "_FDX Test Script_"  # underlined on the page
    assert entries["Credit"] == "Written by"
    assert entries["Author"] == "Ian"
    if name == "TestFDX-FI.fdx":  # the Fade In file also carries the lower-left block
        assert entries["Draft date"] == "Draft\ninformation"
        assert entries["Contact"] == "Contact\ninformation"
        assert entries["Copyright"] == "Copyright (c) 2026"


@pytest.mark.parametrize("name", ["TestFDX-FD.fdx", "TestFDX-FI.fdx"])
def test_read_samples_match_fountain_source(name: str) -> None:
    source = shared_file("samples", "fdx", "TestFDX-FD.fountain")
    expected = fountain.parse(source.read_text(encoding="utf-8"), source.name)
    got = read_fdx(shared_file("samples", "fdx", name).read_bytes(), name)
    assert comparable(got) == comparable(expected)
    assert [e.forced for e in got.elements] == [e.forced for e in expected.elements]
    assert [(s.label, s.heading) for s in got.scenes] == [
        (s.label, s.heading) for s in expected.scenes
    ]


def test_read_page_settings_from_page_size() -> None:
    assert (
        read_page_settings(shared_file("samples", "fdx", "TestFDX-FD.fdx").read_bytes()).paper
        == "a4"
    )
    assert (
        read_page_settings(shared_file("samples", "fdx", "TestFDX-FI.fdx").read_bytes()).paper
        == "letter"
    )
    assert read_page_settings(write_fdx(screenplay(), PageSettings(paper="a4"))).paper == "a4"


# --- exporting the sample --------------------------------------------------------------


def test_export_matches_final_draft_content() -> None:
    source = shared_file("samples", "fdx", "TestFDX-FD.fountain")
    reference = shared_file("samples", "fdx", "TestFDX-FD.fdx").read_bytes()
    sp = fountain.parse(source.read_text(encoding="utf-8"), source.name)
    ours = write_fdx(sp, read_page_settings(reference))

    def shape(data: bytes) -> list[tuple[str | None, str, str | None, str | None]]:
        rows = []
        for par in content_paragraphs(data):
            props = par.find("SceneProperties")
            length = props.get("Length") if props is not None else None
            rows.append((par.get("Type"), paragraph_text(par), par.get("Number"), length))
        return rows

    assert shape(ours) == shape(reference)


# --- writing ---------------------------------------------------------------------------


def test_write_declaration_and_root() -> None:
    data = write_fdx(screenplay(el("action", "x")))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<FinalDraft ')
    root = ET.fromstring(data)
    assert root.attrib == {"DocumentType": "Script", "Template": "No", "Version": "5"}
    assert [child.tag for child in root][:2] == ["Content", "PageLayout"]


def test_write_heading_number_length_and_page() -> None:
    sp = screenplay(
        el("scene_heading", "INT. A - DAY", scene_number="12A"),
        el("action", "\n".join(["x"] * 18)),
        el("page_break"),
        el("scene_heading", "EXT. B - NIGHT"),
        el("action", "y"),
    )
    pars = content_paragraphs(write_fdx(sp))
    first, second = pars[0], pars[2]
    assert first.get("Number") == "12A"
    assert second.get("Number") is None
    assert second.get("StartsNewPage") == "Yes"
    lengths = [p.find("SceneProperties").get("Length") for p in (first, second)]  # type: ignore[union-attr]
    assert lengths == [format_eighths(n) for n in scene_eighths(sp)] == ["3/8", "1/8"]
    assert [p.find("SceneProperties").get("Page") for p in (first, second)] == ["1", "2"]  # type: ignore[union-attr]


def test_write_lengths_use_the_paper() -> None:
    sp = screenplay(el("scene_heading", "INT. A - DAY"), el("action", "\n".join(["x"] * 54)))
    letter = content_paragraphs(write_fdx(sp))[0].find("SceneProperties")
    a4 = content_paragraphs(write_fdx(sp, PageSettings(paper="a4")))[0].find("SceneProperties")
    assert (letter.get("Length"), a4.get("Length")) == ("1 1/8", "1")  # type: ignore[union-attr]


def test_write_emphasis_as_styles() -> None:
    runs = [
        TextRun(text="Plain "),
        TextRun(text="both", bold=True, italic=True),
        TextRun(text=" under", underline=True),
    ]
    sp = screenplay(el("action", "Plain both under", runs=runs))
    texts = content_paragraphs(write_fdx(sp))[0].findall("Text")
    assert [(t.get("Style"), t.text) for t in texts] == [
        (None, "Plain "),
        ("Bold+Italic", "both"),
        ("Underline", " under"),
    ]
    assert comparable(read_fdx(write_fdx(sp))) == comparable(sp)


def test_write_keeps_whitespace_inside_text() -> None:
    text = "    Four spaces\n\n  two  spaces "
    data = write_fdx(screenplay(el("action", text)))
    assert f"<Text>{text}</Text>".encode() in data
    assert read_fdx(data).elements[0].text == text


def test_write_centred_cue_lyric_and_sections() -> None:
    sp = screenplay(
        el("section", "ACT ONE", depth=1),
        el("section", "Tiny", depth=5),
        el("scene_heading", "INT. A - DAY"),
        el("centered", "THE END"),
        el("character", "JIM", extensions=["V.O.", "CONT'D"]),
        el("parenthetical", "(low)"),
        el("lyric", "La la la"),
    )
    pars = content_paragraphs(write_fdx(sp))
    rows = [(p.get("Type"), p.get("Alignment"), paragraph_text(p)) for p in pars]
    assert rows == [
        ("Outline 1", None, "ACT ONE"),
        ("Outline 5", None, "Tiny"),
        ("Scene Heading", None, "INT. A - DAY"),
        ("Action", "Center", "THE END"),
        ("Character", None, "JIM (V.O.) (CONT'D)"),
        ("Parenthetical", None, "(low)"),
        ("Singing", None, "La la la"),
    ]
    assert comparable(read_fdx(write_fdx(sp))) == comparable(sp)


def test_write_notes_as_script_notes() -> None:
    sp = screenplay(
        el("scene_heading", "INT. A - DAY"),
        el("note", "SHOT: CU on the key"),
        el("action", "She waits.", notes=["check the clock", "two\nlines"]),
    )
    pars = content_paragraphs(write_fdx(sp))
    assert pars[1].find("Text") is None
    assert pars[1].find("ScriptNote") is not None
    assert len(pars[2].findall("ScriptNote")) == 2
    assert paragraph_text(pars[2]) == "She waits."
    assert comparable(read_fdx(write_fdx(sp))) == comparable(sp)


def test_write_synopsis_into_the_heading_summary() -> None:
    sp = screenplay(
        el("section", "ACT ONE", depth=1),
        el("synopsis", "The act in a line."),
        el("scene_heading", "INT. A - DAY"),
        el("synopsis", "They meet."),
        el("action", "x"),
    )
    data = write_fdx(sp)
    pars = content_paragraphs(data)
    assert [p.get("Type") for p in pars] == ["Outline 1", "Outline Body", "Scene Heading", "Action"]
    summary = pars[2].find("SceneProperties/Summary/Paragraph")
    assert summary is not None and paragraph_text(summary) == "They meet."
    assert paragraph_text(pars[2]) == "INT. A - DAY"
    assert comparable(read_fdx(data)) == comparable(sp)


def test_write_dual_dialogue_block() -> None:
    sp = screenplay(
        el("character", "BRICK", dual="left"),
        el("dialogue", "Screw retirement.", dual="left"),
        el("character", "STEEL", dual="right"),
        el("parenthetical", "(smiles)", dual="right"),
        el("dialogue", "Screw retirement.", dual="right"),
        el("action", "They clink glasses."),
    )
    pars = content_paragraphs(write_fdx(sp))
    assert len(pars) == 2
    inner = pars[0].findall("DualDialogue/Paragraph")
    assert [p.get("Type") for p in inner] == [
        "Character",
        "Dialogue",
        "Character",
        "Parenthetical",
        "Dialogue",
    ]
    assert comparable(read_fdx(write_fdx(sp))) == comparable(sp)


def test_write_page_break_sets_starts_new_page() -> None:
    sp = screenplay(el("action", "one"), el("page_break"), el("action", "two"))
    pars = content_paragraphs(write_fdx(sp))
    assert [p.get("StartsNewPage") for p in pars] == [None, "Yes"]
    assert [e.kind for e in read_fdx(write_fdx(sp)).elements] == ["action", "page_break", "action"]


def test_empty_pages_survive_on_empty_paragraphs() -> None:
    sp = screenplay(
        el("action", "one"),
        el("page_break"),
        el("page_break"),
        el("action", "two"),
        el("page_break"),
    )
    pars = content_paragraphs(write_fdx(sp))
    assert [(p.get("StartsNewPage"), paragraph_text(p)) for p in pars] == [
        (None, "one"),
        ("Yes", ""),
        ("Yes", "two"),
        ("Yes", ""),
    ]
    assert comparable(read_fdx(write_fdx(sp))) == comparable(sp)


def test_write_drops_characters_xml_cannot_hold() -> None:
    sp = screenplay(el("action", "bell\x07 and form\x0cfeed & <tags> “quotes”"))
    back = read_fdx(write_fdx(sp))
    assert back.elements[0].text == "bell and formfeed & <tags> “quotes”"


def test_write_is_byte_stable() -> None:
    sp = screenplay(
        el("scene_heading", "INT. A - DAY", scene_number="1"),
        el("action", "x", runs=[TextRun(text="x", bold=True)]),
        title=[TitleEntry(key="Title", value="T", start_line=1, end_line=1)],
    )
    once = write_fdx(sp)
    assert write_fdx(sp) == once
    assert write_fdx(read_fdx(once)) == once


def test_title_page_round_trip() -> None:
    entries = [
        ("Title", "_**BRICK & STEEL**_\nFULL RETIRED"),
        ("Credit", "Written by"),
        ("Author", "Stu Maschwitz"),
        ("Source", "Story by KTM"),
        ("Contact", "Next Level Productions\n1588 Mission Dr."),
        ("Draft date", "1/20/2012"),
        ("Copyright", "(c) 2012 Stu"),
    ]
    title = [TitleEntry(key=k, value=v, start_line=1, end_line=1) for k, v in entries]
    data = write_fdx(screenplay(el("action", "x"), title=title))
    lines = ET.fromstring(data).findall("TitlePage/Content/Paragraph")
    assert lines[16].get("Alignment") == "Center"
    assert paragraph_text(lines[16]) == "BRICK & STEEL"
    assert lines[16].find("Text").get("Style") == "Bold+Underline"  # type: ignore[union-attr]
    assert sorted((e.key, e.value) for e in read_fdx(data).title_page) == sorted(entries)


def test_no_title_page_without_entries() -> None:
    assert ET.fromstring(write_fdx(screenplay(el("action", "x")))).find("TitlePage") is None


# --- reading details -------------------------------------------------------------------


def fdx(content: str, extra: str = "") -> bytes:
    """A minimal FDX document around some Content paragraphs."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<FinalDraft DocumentType="Script" Version="3">\n'
        f"<Content>\n{content}\n</Content>\n{extra}</FinalDraft>\n"
    ).encode()


@pytest.mark.parametrize(
    ("text", "name", "extensions"),
    [
        ("JIM", "JIM", []),
        ("JIM (O.S.)", "JIM", ["O.S."]),
        ("MAYA (V.O.)(CONT'D)", "MAYA", ["V.O.", "CONT'D"]),
        ("ANA ( on the phone )", "ANA", ["on the phone"]),
    ],
)
def test_split_cue(text: str, name: str, extensions: list[str]) -> None:
    assert split_cue(text) == (name, extensions)


def test_read_types_and_unknowns() -> None:
    sp = read_fdx(
        fdx(
            '<Paragraph Type="Scene Heading (Top of Page)"><Text>INT. A - DAY</Text></Paragraph>\n'
            '<Paragraph Type="Shot"><Text>ANGLE ON THE DOOR</Text></Paragraph>\n'
            '<Paragraph Type="General"><Text>general</Text></Paragraph>\n'
            '<Paragraph Type="Mystery"><Text>odd</Text></Paragraph>\n'
            '<Paragraph Type="Action"><Text></Text></Paragraph>\n'
            '<Paragraph Type="Outline 3"><Text>Sequence</Text></Paragraph>\n'
            '<Paragraph Type="Singing"><Text>Oh la</Text></Paragraph>'
        ),
        "odd.fdx",
    )
    assert [(e.kind, e.text, e.depth) for e in sp.elements] == [
        ("scene_heading", "INT. A - DAY", None),
        ("action", "ANGLE ON THE DOOR", None),
        ("action", "general", None),
        ("action", "odd", None),
        ("section", "Sequence", 3),
        ("lyric", "Oh la", None),
    ]
    assert [(w.line, "Mystery" in w.message) for w in sp.warnings] == [(7, True)]


def test_read_joins_runs_and_dialogue_lines() -> None:
    sp = read_fdx(
        fdx(
            '<Paragraph Type="Character"><Text>DEALER</Text></Paragraph>\n'
            '<Paragraph Type="Dialogue"><Text>Dealer </Text><Text Style="Bold">gets</Text>'
            "<Text> a seven.</Text></Paragraph>\n"
            '<Paragraph Type="Dialogue"></Paragraph>\n'
            '<Paragraph Type="Dialogue"><Text>Hit or stand sir?</Text></Paragraph>'
        )
    )
    dialogue = sp.elements[1]
    assert dialogue.text == "Dealer gets a seven.\n\nHit or stand sir?"
    assert [(r.text, r.bold) for r in dialogue.runs] == [
        ("Dealer ", False),
        ("gets", True),
        (" a seven.\n\nHit or stand sir?", False),
    ]
    assert (dialogue.start_line, dialogue.end_line) == (5, 7)


def test_read_all_caps_prints_upper_case() -> None:
    settings = '<ElementSettings Type="Character"><FontSpec Style="AllCaps"/></ElementSettings>\n'
    sp = read_fdx(
        fdx(
            '<Paragraph Type="Character"><Text>McClane</Text></Paragraph>\n'
            '<Paragraph Type="Dialogue"><Text Style="AllCaps+Italic">yippee</Text></Paragraph>',
            settings,
        )
    )
    assert [e.text for e in sp.elements] == ["MCCLANE", "YIPPEE"]
    assert sp.elements[1].runs[0].italic


# --- hostile and broken input ----------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<FinalDraft><Content><Paragraph Type="Action"><Text>&lol3;</Text></Paragraph></Content></FinalDraft>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<FinalDraft><Content><Paragraph Type="Action"><Text>&xxe;</Text></Paragraph></Content></FinalDraft>
"""


@pytest.mark.parametrize(
    "data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"]
)
def test_entities_are_refused(data: bytes) -> None:
    with pytest.raises(InputError, match=r"^evil\.fdx:2: .*DOCTYPE"):
        read_fdx(data, "evil.fdx")


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b'<?xml version="1.0"?>\n<FinalDraft>\n<Content>\n<Paragraph>\n</Content>', 5),
        (b"", 1),
        (b"<FinalDraft><Content><Paragraph><Text>&undefined;</Text>", 1),
        (b"\n\nnot xml at all", 3),
    ],
)
def test_malformed_xml_names_file_and_line(data: bytes, line: int) -> None:
    with pytest.raises(InputError) as caught:
        read_fdx(data, "broken.fdx")
    assert str(caught.value).startswith(f"broken.fdx:{line}: malformed FDX XML")
    assert "\n" not in str(caught.value)


def test_wrong_root_is_input_error() -> None:
    with pytest.raises(InputError, match=r"^page\.xml:1: not a Final Draft file"):
        read_fdx(b"<html><body/></html>", "page.xml")


def test_missing_source_name_still_says_where() -> None:
    with pytest.raises(InputError, match=r"^<fdx>:1: "):
        read_fdx(b"<oops")


# --- round trips through the parser ----------------------------------------------------


def round_trip_inputs() -> list[Path]:
    """Fountain files to push through write -> read: the examples and two conformance suites."""
    repo = Path(__file__).resolve().parents[1]
    files = sorted((repo / "examples").glob("*.fountain"))
    conformance = shared_dir() / "conformance"
    for suite in ("screenplain", "screenplay-tools"):
        files += sorted((conformance / suite).glob("*.fountain"))
    return files


@pytest.mark.parametrize("path", round_trip_inputs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_round_trip_keeps_elements(path: Path) -> None:
    sp = fountain.parse(path.read_text(encoding="utf-8-sig"), path.name)
    back = read_fdx(write_fdx(sp), path.name)
    assert comparable(back) == comparable(without_edge_breaks(sp))
    assert [(s.label, s.heading) for s in back.scenes] == [(s.label, s.heading) for s in sp.scenes]
    assert title_keys(back) == title_keys(sp)


PRINTED_KEYS = {
    "title": "title",
    "credit": "credit",
    "author": "author",
    "authors": "author",
    "source": "source",
    "contact": "contact",
    "draft date": "draft date",
    "copyright": "copyright",
}


def title_keys(sp: Screenplay) -> list[tuple[str, str]]:
    """Title entries an FDX title page can print, keys normalised (`Authors` is an author)."""
    rows = [(PRINTED_KEYS.get(e.key.casefold(), ""), e.value) for e in sp.title_page]
    return sorted(row for row in rows if row[0])


def without_edge_breaks(sp: Screenplay) -> Screenplay:
    """Drop page breaks FDX cannot carry: those before the first paragraph."""
    elements = list(sp.elements)
    while elements and elements[0].kind == "page_break":
        elements.pop(0)
    return sp.model_copy(
        update={"elements": elements, "scenes": group_scenes(elements, sp.line_count)}
    )


# --- any screenplay survives write -> read ---------------------------------------------

_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\t")
_LINE = st.text(_CHARS, min_size=1, max_size=30)
_TEXT = st.lists(_LINE, min_size=1, max_size=3).map("\n".join)
_NAME = st.from_regex(r"[A-Z][A-Z0-9 .'#-]{0,14}[A-Z]", fullmatch=True)


@st.composite
def _runs(draw: st.DrawFn, text: str) -> list[TextRun]:
    """Split a text into merged runs with at least one styled, or none at all."""
    if draw(st.booleans()) or len(text) < 2:
        return []
    cut = draw(st.integers(1, len(text) - 1))
    style = draw(
        st.sampled_from(
            [{"bold": True}, {"italic": True}, {"underline": True}, {"bold": True, "italic": True}]
        )
    )
    return [TextRun(text=text[:cut], **style), TextRun(text=text[cut:])]


@st.composite
def _plain(draw: st.DrawFn, kind: str) -> list[Element]:
    """One stand-alone element of a kind that needs nothing around it."""
    text = draw(_TEXT)
    fields: dict[str, object] = {
        "runs": draw(_runs(text)),
        "notes": draw(st.lists(_LINE.map(str.strip).filter(bool), max_size=2)),
    }
    if kind == "scene_heading":
        fields["scene_number"] = draw(st.none() | st.from_regex(r"[A-Z0-9.-]{1,4}", fullmatch=True))
    if kind == "section":
        fields["depth"] = draw(st.integers(1, 6))
    if kind == "note":
        fields = {}
        text = text.strip() or "note"
    return [el(kind, text, **fields)]


@st.composite
def _speech(draw: st.DrawFn, side: str | None = None) -> list[Element]:
    """A cue and its lines; never two dialogue elements in a row (they would be one)."""
    cue = el(
        "character",
        draw(_NAME),
        extensions=draw(st.lists(st.sampled_from(["V.O.", "O.S.", "CONT'D"]), max_size=2)),
        dual=side,
    )
    lines = []
    for kind in draw(
        st.lists(st.sampled_from(["parenthetical", "dialogue", "lyric"]), min_size=1, max_size=4)
    ):
        if lines and kind == lines[-1].kind == "dialogue":
            continue
        text = draw(_TEXT)
        lines.append(el(kind, text, runs=draw(_runs(text)), dual=side))
    return [cue, *lines]


_BLOCK = st.one_of(
    *(
        _plain(kind)
        for kind in (
            "scene_heading",
            "action",
            "centered",
            "transition",
            "section",
            "synopsis",
            "note",
        )
    ),
    _speech(),
    st.tuples(_speech("left"), _speech("right")).map(lambda pair: [*pair[0], *pair[1]]),
    st.just([el("page_break")]),
)


@given(
    st.lists(_BLOCK, min_size=1, max_size=12).map(
        lambda blocks: [e for block in blocks for e in block]
    )
)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_screenplay_round_trips(elements: list[Element]) -> None:
    sp = without_edge_breaks(screenplay(*elements))
    data = write_fdx(sp)
    assert comparable(read_fdx(data)) == comparable(sp)
    assert write_fdx(read_fdx(data)) == data
