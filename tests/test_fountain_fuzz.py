"""Property tests: the parser takes any text without failing, within a bounded time, and its
output keeps its invariants; writing what it read and reading it again gives the same script.

Inputs are generated from Fountain-ish fragments (headings, cues, `^`, notes, boneyards,
emphasis, CR and CRLF, tabs, non-ASCII), so that the rules meet each other in odd orders.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filmcrew.domain import Element, Screenplay
from filmcrew.tools.fountain import parse, write

try:
    from fountain_helpers import parse_the_long_way, script_key
except ImportError:  # tests/ is a package
    from tests.fountain_helpers import parse_the_long_way, script_key  # type: ignore[no-redef]

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
    "__",
    ">__",
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


def _assemble(parts: tuple[bytes, str, int]) -> str:
    """Build a script from byte pairs (fragment, line end) and one piece of arbitrary text.

    Drawing bytes rather than a list of choices keeps generation cheap enough for ten
    thousand examples in seconds, and bytes still shrink to the smallest failing script.
    """
    data, text, position = parts
    pieces = [
        FRAGMENTS[data[i] % len(FRAGMENTS)] + SEPARATORS[data[i + 1] % len(SEPARATORS)]
        for i in range(0, len(data) - 1, 2)
    ]
    return "".join(pieces[:position]) + text + "".join(pieces[position:])


fountainish = st.tuples(st.binary(max_size=60), st.text(max_size=16), st.integers(0, 30)).map(
    _assemble
)


def check_invariants(sp: Screenplay) -> None:
    """Spans inside the file and in order; scenes cover the elements in order."""
    count = sp.line_count
    previous: Element | None = None
    for element in sp.elements:
        assert 1 <= element.start_line <= element.end_line <= count, (element, count)
        if previous is not None:
            # Notes written side by side on one line share it; everything else follows on.
            shared = (
                element.kind == previous.kind == "note"
                and element.start_line == previous.start_line
            )
            assert shared or element.start_line > previous.end_line, (previous, element)
        previous = element
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


@settings(
    max_examples=10_000, deadline=300, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(fountainish)
def test_parser_takes_anything(text: str) -> None:
    """10,000 generated inputs; each is read again with CRLF line ends and a BOM, which must
    give the same elements on the same lines."""
    sp = parse(text)
    check_invariants(sp)
    windows = "\ufeff" + text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    assert spans(parse(windows)) == spans(sp)


@settings(
    max_examples=3_000, deadline=400, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(fountainish)
def test_write_then_parse_gives_the_same_script(text: str) -> None:
    first = parse(text)
    second = parse(write(first))
    assert script_key(second) == script_key(first)


@settings(
    max_examples=3_000, deadline=400, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(fountainish)
def test_shortcuts_read_as_the_general_path(text: str) -> None:
    """The parser settles common paragraphs inline; sending every paragraph through the
    general path must give the same screenplay, warnings and line spans included."""
    assert parse(text) == parse_the_long_way(text)
