"""Property tests: the parser takes any text without failing, within a bounded time, and its
output keeps its invariants; writing what it read and reading it again gives the same script.

Inputs are generated from Fountain-ish fragments (headings, cues, `^`, notes, boneyards,
emphasis, CR and CRLF, tabs, non-ASCII), so that the rules meet each other in odd orders.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filmcrew.domain import Screenplay
from filmcrew.tools.fountain import parse, write

FRAGMENTS = [
    "INT. HOUSE - DAY",
    "EXT. PARK - NIGHT #12A#",
    "int. kitchen",
    ".FORCED",
    "...",
    "NORA",
    "NORA (V.O.)(CONT'D)",
    "@McCLANE",
    "BOB ^",
    "GUY^",
    "MARA, 40",
    "(beat)",
    "(",
    ")",
    "Hello there.",
    "She *really* **means** it.",
    "***x***",
    "_under_line_",
    "\\*literal\\*",
    "*open",
    "CUT TO:",
    "CUT TO: ",
    "FADE OUT.",
    "FADE IN:",
    "> FADE IN:",
    ">THE END<",
    "> x <",
    ">",
    "~ la la",
    "~",
    "!INT. NOT A SCENE",
    "!",
    "# Act",
    "### Scene",
    "#",
    "= synopsis",
    "==",
    "===",
    "====",
    "[[note]]",
    "[[multi",
    "line]]",
    "]]",
    "[[",
    "/*",
    "*/",
    "/* gone */",
    "Title: X",
    "Author:",
    "    continued: yes",
    "\t\tTabbed",
    "  ",
    " ",
    "",
    "Café “quoted” — 日本語 😆",
    "Ünïcödé TEXT",
    "\\",
]
SEPARATORS = st.sampled_from(["\n", "\n", "\n", "\n\n", "\r\n", "\r", "\n  \n", "\n \n", " ", ""])


@st.composite
def fountainish(draw: st.DrawFn) -> str:
    """Join 0-30 fragments (or random text) with assorted line ends."""
    pieces = draw(
        st.lists(
            st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)),
            max_size=30,
        )
    )
    out = []
    for piece in pieces:
        out.append(piece)
        out.append(draw(SEPARATORS))
    return "".join(out)


def check_invariants(text: str, sp: Screenplay) -> None:
    """Spans inside the file and in order; scenes cover elements in order."""
    count = sp.line_count
    previous_end = 0
    for element in sp.elements:
        assert 1 <= element.start_line <= element.end_line <= count, (element, count)
        assert element.start_line > previous_end or element.kind in ("note",) or element.start_line == previous_end, element
        previous_end = max(previous_end, element.end_line)
    for entry in sp.title_page:
        assert 1 <= entry.start_line <= entry.end_line <= count
    for bone in sp.boneyard:
        assert 1 <= bone.start_line <= bone.end_line <= count
    for warning in sp.warnings:
        assert 1 <= warning.line <= max(count, 1)
    position = 0
    for number, scene in enumerate(sp.scenes, start=1):
        assert scene.number == number
        assert position <= scene.first_element < scene.end_element <= len(sp.elements)
        assert 1 <= scene.start_line <= scene.end_line <= max(count, scene.end_line)
        position = scene.end_element
    if sp.scenes:
        assert sp.scenes[-1].end_element == len(sp.elements)


@settings(max_examples=10_000, deadline=200, suppress_health_check=[HealthCheck.too_slow])
@given(fountainish())
def test_parser_takes_anything(text: str) -> None:
    sp = parse(text)
    check_invariants(text, sp)


@settings(max_examples=1_500, deadline=400, suppress_health_check=[HealthCheck.too_slow])
@given(fountainish())
def test_write_then_parse_gives_the_same_script(text: str) -> None:
    first = parse(text)
    second = parse(write(first))
    assert script_key(second) == script_key(first)


def script_key(sp: Screenplay) -> tuple[object, ...]:
    """What a round trip must keep (line numbers and forcing flags naturally change)."""
    elements = [
        (e.kind, e.text, [(r.text, r.bold, r.italic, r.underline) for r in e.runs], e.extensions, e.dual, e.scene_number, e.depth, e.notes)
        for e in sp.elements
    ]
    title = [(t.key, t.value) for t in sp.title_page]
    return title, elements, [b.text for b in sp.boneyard]
