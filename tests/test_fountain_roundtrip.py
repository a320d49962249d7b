"""The Fountain writer: `parse(write(sp))` gives the same elements as `sp`, on every example
script and conformance input, and forcing markers appear exactly where plain rules misread."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmcrew.domain import Element, Screenplay, TextRun, TitleEntry
from filmcrew.tools.fountain import parse, write

try:
    from fountain_helpers import parse_the_long_way, script_key
    from fountain_conformance.common import conformance_dir
except ImportError:  # tests/ is a package
    from tests.fountain_conformance.common import conformance_dir  # type: ignore[no-redef]
    from tests.fountain_helpers import parse_the_long_way, script_key  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*.fountain")) + sorted(
    (REPO / "evals").glob("**/*.fountain")
)
CONFORMANCE = sorted(conformance_dir().glob("*/*.fountain"))


def test_there_are_example_scripts() -> None:
    assert EXAMPLES, "examples/*.fountain are missing"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(REPO)))
def test_examples_round_trip(path: Path) -> None:
    original = parse(path.read_text(encoding="utf-8"))
    assert original.elements
    again = parse(write(original))
    assert script_key(again) == script_key(original)
    assert [s.label for s in again.scenes] == [s.label for s in original.scenes]


@pytest.mark.skipif(
    not CONFORMANCE,
    reason=f"conformance inputs not found at {conformance_dir()} (set FILMCREW_SHARED)",
)
@pytest.mark.parametrize("path", CONFORMANCE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_conformance_inputs_round_trip(path: Path) -> None:
    original = parse(path.read_bytes().decode("utf-8"))
    written = write(original)
    assert script_key(parse(written)) == script_key(original)
    assert write(parse(written)) == written  # writing is stable after one pass


@pytest.mark.parametrize(
    "path", EXAMPLES + CONFORMANCE, ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_shortcuts_read_as_the_general_path(path: Path) -> None:
    """`_Parser.body` settles common paragraphs inline; on every example and conformance
    script that must give exactly what the general path gives."""
    text = path.read_bytes().decode("utf-8-sig")
    assert parse(text) == parse_the_long_way(text)


def round_trip(text: str) -> tuple[Screenplay, str]:
    """Parse, write, and check that reading the output gives the same script."""
    original = parse(text)
    written = write(original)
    assert script_key(parse(written)) == script_key(original), written
    return original, written


@pytest.mark.parametrize(
    ("source", "expected_line"),
    [
        ("!INT. NOT A SCENE\n", "!INT. NOT A SCENE"),
        ("!CUT TO:\n", "!CUT TO:"),
        ("!SHOUTING\nat nobody\n", "!SHOUTING"),
        ("!Title: not a title\n", "!Title: not a title"),
        ("!~not a lyric\n", "!~not a lyric"),
        ("!>not a transition\n", "!>not a transition"),
        ("!#not a section\n", "!#not a section"),
        ("!=not a synopsis\n", "!=not a synopsis"),
        ("!.SNIPER\n", "!.SNIPER"),
        ("!@bob\n", "!@bob"),
        ("A plain line.\n", "A plain line."),
    ],
)
def test_action_is_forced_only_where_needed(source: str, expected_line: str) -> None:
    original, written = round_trip(source)
    assert original.elements[0].kind == "action"
    assert written.splitlines()[0] == expected_line


def test_forced_lines_inside_action() -> None:
    _, written = round_trip("He reads the card.\n!INT. NOT A SCENE\n!~ not a lyric\n!\nEnd.\n")
    assert written.splitlines() == [
        "He reads the card.",
        "!INT. NOT A SCENE",
        "!~ not a lyric",
        "!",
        "End.",
    ]


def test_headings_cues_and_transitions_are_forced_when_needed() -> None:
    source = (
        ".SNIPER SCOPE POV #3#\n\nINT. HOUSE - DAY #4#\n\n@McCLANE\nYippie.\n\n"
        "NORA (V.O.)\nHi.\n\n> fade out\n\nCUT TO:\n"
    )
    _, written = round_trip(source)
    assert written.split("\n\n") == [
        ".SNIPER SCOPE POV #3#",
        "INT. HOUSE - DAY #4#",
        "@McCLANE\nYippie.",
        "NORA (V.O.)\nHi.",
        "> fade out",
        "CUT TO:\n",
    ]


def test_title_page_comes_first_with_indented_multiline_values() -> None:
    _, written = round_trip(
        "Title:\n\tWRONG NUMBER\n\tEPISODE 1: PILOT\nAuthor: Ana\n\nINT. X - DAY\n"
    )
    assert written.startswith(
        "Title:\n    WRONG NUMBER\n    EPISODE 1: PILOT\nAuthor: Ana\n\nINT. X - DAY\n"
    )


def test_emphasis_and_literal_markers() -> None:
    original, written = round_trip(
        "He dialed *69 and *said* **no**, _twice_ \\*really\\*. snake_case.\n"
    )
    assert original.elements[0].text == "He dialed *69 and said no, twice *really*. snake_case."
    assert (
        written.splitlines()[0]
        == "He dialed \\*69 and *said* **no**, _twice_ \\*really\\*. snake\\_case."
    )


def test_dual_dialogue_lyrics_and_empty_speech_lines() -> None:
    _, written = round_trip("GIRL\nHey!\n  \nYou!\n~ la la\n\nGUY ^\n(shouting)\nHello!\n")
    assert written == "GIRL\nHey!\n  \nYou!\n~la la\n\nGUY ^\n(shouting)\nHello!\n"


def test_notes_and_boneyards_are_kept() -> None:
    original, written = round_trip(
        "Before [[inline]] after.\n\n[[alone\non two lines]]\n\n/* cut\n\nscene */\n\nINT. X\n"
    )
    assert original.boneyard[0].text == " cut\n\nscene "
    assert "[[alone\non two lines]]" in written
    assert "/* cut\n\nscene */" in written


def test_centred_text_sections_synopses_page_breaks() -> None:
    _, written = round_trip("># THE END #<\n\n## Act Two\n\n= The turn.\n\n===\n")
    assert written == "># THE END #<\n\n## Act Two\n\n= The turn.\n\n===\n"


def test_writing_a_screenplay_built_elsewhere() -> None:
    """A screenplay from another reader (FDX) may lack what the parser would give; the writer
    still produces Fountain that reads back as the same script."""
    sp = Screenplay(
        title_page=[TitleEntry(key="Title", value="Built", start_line=1, end_line=1)],
        elements=[
            Element(
                kind="scene_heading", text="ROOFTOP", scene_number="7", start_line=1, end_line=1
            ),
            Element(kind="action", text="BANG", start_line=2, end_line=2),
            Element(kind="character", text="Mia", extensions=["O.S."], start_line=3, end_line=3),
            Element(kind="parenthetical", text="(whisper)", start_line=4, end_line=4),
            Element(
                kind="dialogue",
                text="Run now.",
                runs=[TextRun(text="Run", bold=True), TextRun(text=" now.")],
                start_line=5,
                end_line=5,
            ),
            Element(kind="transition", text="Smash cut to:", start_line=6, end_line=6),
        ],
    )
    written = write(sp)
    assert written.split("\n\n")[1:] == [
        ".ROOFTOP #7#",
        "BANG",
        "@Mia (O.S.)\n(whisper)\n**Run** now.",
        "> Smash cut to:\n",
    ]
    assert script_key(parse(written)) == script_key(sp)
