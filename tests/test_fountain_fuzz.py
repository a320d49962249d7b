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
SEPARATORS = ["\n", "\n", "\n", "\n\n", "\r\n", "\r", "\n  \n", "\n \n", " ", ""]
# Mostly fragments, sometimes arbitrary text; drawn as (piece, line end) pairs in one list,
# which keeps generation cheap enough for ten thousand inputs in a few seconds.
_PIECE = st.one_of(
    st.sampled_from(FRAGMENTS), st.sampled_from(FRAGMENTS), st.sampled_from(FRAGMENTS), st.text(max_size=10)
)
fountainish = st.lists(st.tuples(_PIECE, st.sampled_from(SEPARATORS)), max_size=30).map(
    lambda pairs: "".join(piece + end for piece, end in pairs)
)


def check_invariants(sp: Screenplay) -> None:
    """Spans inside the file and in order; scenes cover the elements in order."""
    count = sp.line_count
    previous_end = 0
    for element in sp.elements:
        assert previous_end < element.start_line <= element.end_line <= count, (element, count)
        previous_end = element.end_line
    for entry in sp.title_page:
        assert 1 <= entry.start_line <= entry.end_line <= count
    for bone in sp.boneyard:
        assert 1 <= bone.start_line <= bone.end_line <= count
    for warning in sp.warnings:
        assert 1 <= warning.line <= count
    position = 0
    for number, scene in enumerate(sp.scenes, start=1):
        assert scene.number == number
        assert position <= scene.first_element < scene.end_element <= len(sp.elements)
        assert 1 <= scene.start_line <= scene.end_line <= count
        position = scene.end_element
    if sp.scenes:
        assert sp.scenes[-1].end_element == len(sp.elements)


def spans(sp: Screenplay) -> list[tuple[str, str, int, int]]:
    """Kinds, texts and line spans: what must not depend on how lines end."""
    return [(e.kind, e.text, e.start_line, e.end_line) for e in sp.elements]


@settings(max_examples=5_000, deadline=300, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(fountainish)
def test_parser_takes_anything(text: str) -> None:
    """Four inputs per example: as generated, then with LF, CRLF and BOM plus CR line ends,
    which must all read the same (20,000 inputs in all)."""
    check_invariants(parse(text))
    unix = text.replace("\r\n", "\n").replace("\r", "\n")
    variants = [parse(unix), parse(unix.replace("\n", "\r\n")), parse("\ufeff" + unix.replace("\n", "\r"))]
    for sp in variants:
        check_invariants(sp)
    assert spans(variants[0]) == spans(variants[1]) == spans(variants[2])


@settings(max_examples=1_500, deadline=400, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(fountainish)
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
