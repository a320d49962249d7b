"""Page counting and eighths (formats.md §4): spacing, wrapping, page breaks, dual dialogue.

The reference numbers come from `samples/fdx/TestFDX-FD.fdx`, which Final Draft saved with
`SceneProperties Length="3/8"` and `"2/8"` for its two scenes.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pydantic import ValidationError

from filmcrew.domain import Element, Screenplay
from filmcrew.tools import fountain
from filmcrew.tools.headings import group_scenes
from filmcrew.tools.pages import (
    PageSettings,
    element_lines,
    format_eighths,
    lines_to_eighths,
    page_count,
    scene_eighths,
    scene_line_counts,
    scene_start_pages,
    wrapped_lines,
)


def shared_dir() -> Path:
    """The shared reference folder: `$FILMCREW_SHARED`, else `<repo>/../shared`."""
    env = os.environ.get("FILMCREW_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def sample(name: str) -> Path:
    """Path of an FDX sample, or skip the test when the shared samples are not there."""
    path = shared_dir() / "samples" / "fdx" / name
    if not path.is_file():
        pytest.skip(f"shared sample {path} not found (set FILMCREW_SHARED to the shared folder)")
    return path


def el(kind: str, text: str = "", **fields: object) -> Element:
    """A hand-built element; line numbers do not matter for page counting."""
    return Element(kind=kind, text=text, start_line=1, end_line=1, **fields)  # type: ignore[arg-type]


def screenplay(*elements: Element) -> Screenplay:
    """A screenplay over hand-built elements, scenes grouped the project's way."""
    items = list(elements)
    return Screenplay(elements=items, scenes=group_scenes(items, 1))


# --- formatting and wrapping -----------------------------------------------------------


@pytest.mark.parametrize(
    ("eighths", "text"),
    [
        (1, "1/8"),
        (3, "3/8"),
        (4, "4/8"),
        (6, "6/8"),
        (8, "1"),
        (9, "1 1/8"),
        (12, "1 4/8"),
        (16, "2"),
        (0, "0"),
    ],
)
def test_format_eighths_never_reduces(eighths: int, text: str) -> None:
    assert format_eighths(eighths) == text


def test_format_eighths_rejects_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_eighths(-1)


@pytest.mark.parametrize(
    ("lines", "lpp", "eighths"),
    [
        (0, 55, 1),
        (1, 55, 1),
        (6, 55, 1),
        (7, 55, 2),
        (55, 55, 8),
        (56, 55, 9),
        (20, 55, 3),
        (22, 55, 4),
        (11, 57, 2),
    ],
)
def test_lines_to_eighths_rounds_up_in_integers(lines: int, lpp: int, eighths: int) -> None:
    assert lines_to_eighths(lines, lpp) == eighths


@pytest.mark.parametrize(
    ("line", "width", "count"),
    [
        ("", 35, 1),
        ("x" * 35, 35, 1),
        ("x" * 36, 35, 2),
        ("Hey everyone, this is some music that sounds kinda terrible.", 35, 2),
        ("aaaa bbbb cccc", 9, 2),
        ("aaaa bbbb cccc", 4, 3),
        ("a" * 25, 10, 3),
        ("ab " + "c" * 20, 10, 3),
        ("      indented word", 12, 2),
    ],
)
def test_wrapped_lines_breaks_at_words(line: str, width: int, count: int) -> None:
    assert wrapped_lines(line, width) == count


def test_page_settings_paper_and_override() -> None:
    assert PageSettings().lpp == 55
    assert PageSettings(paper="a4").lpp == 57
    assert PageSettings(paper="a4", lines_per_page=60).lpp == 60
    with pytest.raises(ValidationError):
        PageSettings(paper="legal")  # type: ignore[arg-type]


# --- element spacing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("scene_heading", "INT. HOUSE - DAY", (2, 1)),
        ("action", "One line.\n\nAnother after an empty line.", (1, 3)),
        ("centered", "THE END", (1, 1)),
        ("character", "A VERY LONG CUE NAME THAT WOULD WRAP IF IT WERE DIALOGUE", (1, 1)),
        ("transition", "CUT TO:", (1, 1)),
        ("parenthetical", "(quietly, to nobody in particular)", (0, 2)),
        ("dialogue", "Short.", (0, 1)),
        ("lyric", "La la la la la la la la la la la la la la", (0, 2)),
        ("section", "ACT ONE", (0, 0)),
        ("synopsis", "They meet.", (0, 0)),
        ("note", "fix later", (0, 0)),
    ],
)
def test_element_lines_follow_the_table(kind: str, text: str, expected: tuple[int, int]) -> None:
    assert element_lines(el(kind, text)) == expected


def test_first_element_of_a_page_gets_no_blank_lines() -> None:
    sp = screenplay(
        el("scene_heading", "INT. A - DAY"),
        el("action", "x"),
        el("scene_heading", "INT. B - DAY"),
        el("action", "y"),
    )
    assert scene_line_counts(sp) == [1 + 2, 3 + 2]


def test_unprinted_elements_before_the_first_heading_add_nothing() -> None:
    sp = screenplay(
        el("section", "ACT ONE"),
        el("note", "n"),
        el("scene_heading", "INT. A - DAY"),
        el("action", "x"),
    )
    assert scene_line_counts(sp) == [3]


def test_forced_page_break_ends_the_page() -> None:
    sp = screenplay(
        el("scene_heading", "INT. A - DAY"),
        el("action", "x"),
        el("page_break"),
        el("scene_heading", "INT. B - DAY"),
        el("action", "y"),
    )
    assert scene_line_counts(sp) == [3, 3]
    assert scene_start_pages(sp) == [1, 2]


def test_a_full_page_starts_the_next_without_blank_lines() -> None:
    settings = PageSettings(lines_per_page=10)
    action = el("action", "\n".join(["line"] * 8))
    sp = screenplay(
        el("scene_heading", "INT. A - DAY"),
        action,
        el("scene_heading", "INT. B - DAY"),
        el("action", "z"),
    )
    # Heading 1 + blank + 8 lines fill page 1 exactly; scene B opens page 2 without its 2 blanks.
    assert scene_line_counts(sp, settings) == [10, 3]
    assert scene_start_pages(sp, settings) == [1, 2]


def test_blank_lines_that_would_fall_off_a_page_are_not_counted() -> None:
    settings = PageSettings(lines_per_page=10)
    action = el("action", "\n".join(["line"] * 7))
    sp = screenplay(
        el("scene_heading", "INT. A - DAY"),
        action,
        el("scene_heading", "INT. B - DAY"),
        el("action", "z"),
    )
    # Page 1 holds 9 lines; B's two blank lines would not fit, so B starts page 2 at its top.
    assert scene_line_counts(sp, settings) == [9, 3]
    assert scene_start_pages(sp, settings) == [1, 2]


def test_an_element_running_over_a_page_continues_on_the_next() -> None:
    settings = PageSettings(lines_per_page=10)
    sp = screenplay(
        el("scene_heading", "INT. A - DAY"),
        el("action", "\n".join(["line"] * 12)),
        el("scene_heading", "INT. B - DAY"),
    )
    # 1 + 1 + 12 = 14 lines: page 2 holds 4 of them, so B gets its 2 blank lines there.
    assert scene_line_counts(sp, settings) == [14, 3]
    assert scene_start_pages(sp, settings) == [1, 2]


def test_dual_dialogue_counts_the_longer_column() -> None:
    left_long = "word " * 30
    sp = screenplay(
        el("scene_heading", "INT. A - DAY"),
        el("character", "BRICK", dual="left"),
        el("dialogue", left_long, dual="left"),
        el("character", "STEEL", dual="right"),
        el("dialogue", "Short.", dual="right"),
    )
    left_lines = wrapped_lines(left_long, 35)
    assert left_lines > 1
    assert scene_line_counts(sp) == [1 + 1 + 1 + left_lines]


def test_dual_dialogue_marked_only_on_the_right_cue() -> None:
    both = [
        el("scene_heading", "INT. A - DAY"),
        el("character", "A"),
        el("dialogue", "x"),
        el("character", "B", dual="right"),
    ]
    sp = screenplay(*both, el("parenthetical", "(aside)"), el("dialogue", "y\nz"))
    assert scene_line_counts(sp) == [1 + 1 + 1 + 3]


def test_page_count_is_lines_over_lines_per_page() -> None:
    sp = screenplay(el("scene_heading", "INT. A - DAY"), el("action", "\n".join(["l"] * 53)))
    assert page_count(sp) == pytest.approx(55 / 55)
    assert page_count(sp, PageSettings(paper="a4")) == pytest.approx(55 / 57)


def test_scene_eighths_has_one_entry_per_scene_and_at_least_one_eighth() -> None:
    sp = screenplay(el("scene_heading", "INT. A - DAY"), el("scene_heading", "INT. B - DAY"))
    assert scene_eighths(sp) == [1, 1]


# --- against Final Draft ---------------------------------------------------------------


def stored_lengths(path: Path) -> list[str]:
    """The `SceneProperties Length` values Final Draft stored, in script order."""
    root = ET.parse(path).getroot()
    return [props.get("Length", "") for props in root.iter("SceneProperties")]


def test_eighths_match_final_draft_sample() -> None:
    from filmcrew.tools.fdx import read_fdx, read_page_settings

    path = sample("TestFDX-FD.fdx")
    data = path.read_bytes()
    settings = read_page_settings(data, path.name)
    assert settings.paper == "a4"
    sp = read_fdx(data, path.name)
    assert scene_line_counts(sp, settings) == [20, 11]
    eighths = scene_eighths(sp, settings)
    assert [format_eighths(n) for n in eighths] == stored_lengths(path) == ["3/8", "2/8"]
    # Two blank lines before the first heading would make it 22 lines: 4/8, not what FD stored.
    assert lines_to_eighths(22, settings.lpp) == 4
    # The stored lengths pin the page height to 54..79 lines: both Letter (55) and A4 (57) fit.
    fits = [lpp for lpp in range(30, 100) if [lines_to_eighths(n, lpp) for n in (20, 11)] == eighths]
    assert fits == list(range(54, 80))


def test_eighths_match_from_the_fountain_source() -> None:
    path = sample("TestFDX-FD.fountain")
    sp = fountain.parse(path.read_text(encoding="utf-8"), path.name)
    settings = PageSettings(paper="a4")
    assert [format_eighths(n) for n in scene_eighths(sp, settings)] == stored_lengths(
        sample("TestFDX-FD.fdx")
    )
    assert scene_start_pages(sp, settings) == [1, 1]
