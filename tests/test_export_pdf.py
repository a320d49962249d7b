"""Screenplay and shot-list PDFs: layout rules, then real pages rendered and read by poppler."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from tests.test_export_fixtures import SHOT_COLOURS, breakdown, draw_frames, screenplay, shotlist

from filmcrew.domain import Element, TextRun
from filmcrew.tools.export_pdf import write_screenplay_pdf, write_shotlist_pdf
from filmcrew.tools.export_pdf_fonts import _unicode_family
from filmcrew.tools.export_pdf_images import read_png
from filmcrew.tools.export_pdf_layout import (
    Block,
    Placed,
    Span,
    layout_pages,
    paginate,
    wrap_element,
    wrap_spans,
)
from filmcrew.tools.pages import DEFAULT_SETTINGS

LPP = DEFAULT_SETTINGS.lpp


def _poppler(tool: str) -> str:
    """Return a poppler-utils tool, or skip the test saying how to get it."""
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not installed (Debian: apt-get install poppler-utils); CI installs it")
    return path


def _text(pdf: Path, page: int) -> str:
    """The text of one PDF page, laid out as printed."""
    return subprocess.run(
        [_poppler("pdftotext"), "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _render(pdf: Path, out: Path, first: int, last: int, dpi: int = 40) -> list[Image.Image]:
    """Render pages to PNG with pdftoppm and open them."""
    subprocess.run(
        [
            _poppler("pdftoppm"),
            "-r",
            str(dpi),
            "-png",
            "-f",
            str(first),
            "-l",
            str(last),
            str(pdf),
            str(out / "page"),
        ],
        check=True,
        capture_output=True,
    )
    return [Image.open(path).convert("L") for path in sorted(out.glob("page-*.png"))]


def _ink(image: Image.Image) -> float:
    """Share of pixels that are clearly not paper."""
    histogram = image.histogram()
    return sum(histogram[:160]) / (image.width * image.height)


def _rows(n: int, text: str = "line") -> list[tuple[Placed, ...]]:
    return [(Placed(0, (Span(f"{text} {i}"),)),) for i in range(n)]


# --- layout rules -------------------------------------------------------------------------------


def test_wrap_breaks_at_words_keeps_indent_and_breaks_long_words() -> None:
    assert wrap_spans("short", 10) == [(0, 5)]
    line = "the quick brown fox jumps"
    assert [line[a:b] for a, b in wrap_spans(line, 10)] == ["the quick", "brown fox", "jumps"]
    assert [("x" * 25)[a:b] for a, b in wrap_spans("x" * 25, 10)] == ["x" * 10, "x" * 10, "x" * 5]
    indented = "    indented words here"
    first, _ = wrap_spans(indented, 12)
    assert indented[first[0] : first[1]] == "    indented"
    assert wrap_spans("", 10) == [(0, 0)]


def test_emphasis_survives_wrapping() -> None:
    element = Element(
        kind="action",
        text="plain BOLD plain",
        start_line=1,
        end_line=1,
        runs=[
            TextRun(text="plain "),
            TextRun(text="BOLD", bold=True, underline=True),
            TextRun(text=" plain"),
        ],
    )
    rows = wrap_element(element, 0, 8)
    assert [row[0].text for row in rows] == ["plain", "BOLD", "plain"]
    assert rows[1][0].spans == (Span("BOLD", bold=True, underline=True),)


def test_pages_hold_at_most_lpp_lines_and_never_start_blank() -> None:
    pages = layout_pages(screenplay(long_speech=70, filler_scenes=30))
    assert len(pages) > 5
    for page in pages:
        assert 0 < len(page.rows) <= LPP
        assert page.rows[0], "a page starts with a blank line"


def test_heading_moves_down_with_the_text_it_introduces() -> None:
    blocks = [
        Block("action", 1, _rows(LPP - 3)),
        Block("scene_heading", 2, _rows(1, "INT. X"), scene_number="7"),
        Block("action", 1, _rows(3, "after")),
    ]
    pages = paginate(blocks, LPP)
    assert pages[0].rows[-1][0].text.startswith("line")
    assert pages[1].rows[0][0].text == "INT. X 0"
    assert pages[1].scene_numbers == {0: "7"}


def test_action_keeps_two_lines_each_side_of_a_page_break() -> None:
    pages = paginate(
        [Block("action", 1, _rows(LPP - 2)), Block("action", 1, _rows(4, "next"))], LPP
    )
    assert [len(p.rows) for p in pages] == [LPP - 2, 4]  # one free line: the paragraph moves whole
    pages = paginate(
        [Block("action", 1, _rows(LPP - 5)), Block("action", 1, _rows(5, "next"))], LPP
    )
    assert [len(p.rows) for p in pages] == [
        LPP - 1,
        2,
    ]  # 4 would fit, but that leaves a widow: 3 here, 2 over
    pages = paginate(
        [Block("action", 1, _rows(LPP - 3)), Block("action", 1, _rows(3, "next"))], LPP
    )
    assert [len(p.rows) for p in pages] == [
        LPP - 3,
        3,
    ]  # 2 + 1 would split a 3-line paragraph badly
    pages = paginate(
        [Block("action", 1, _rows(LPP - 6)), Block("action", 1, _rows(8, "next"))], LPP
    )
    assert [len(p.rows) for p in pages] == [LPP, 3]  # blank + 5 here, 3 over


def test_long_speech_splits_with_more_and_contd() -> None:
    pages = layout_pages(screenplay(long_speech=70))
    first, second = pages[0], pages[1]
    assert first.rows[-1][0].text == "(MORE)"
    assert second.rows[0][0].text == "NORA (CONT'D)"
    assert all(len(row[0].text) <= 35 for row in second.rows[1:] if row)
    words = " ".join(
        row[0].text for page in pages for row in page.rows if row and row[0].text.startswith("word")
    )
    assert words.split() == [
        f"word{i}" for i in range(420)
    ]  # nothing lost or doubled across the split


def test_cues_dual_dialogue_and_transitions_sit_at_their_columns() -> None:
    rows = [row for row in layout_pages(screenplay())[0].rows if row]
    by_text = {placed.text: placed.column for row in rows for placed in row}
    assert by_text["DEV (O.S.)"] == 22 and by_text["(to herself)"] == 16
    assert by_text["Mrs Vance. You got my letter."] == 10
    assert by_text["CUT TO:"] == 60 - len("CUT TO:")
    dual = next(row for row in rows if len(row) == 2 and row[0].text == "NORA")
    assert dual[1].text == "DEV" and dual[1].column > dual[0].column + 20


def test_scene_numbers_print_only_when_the_script_has_them() -> None:
    sp = screenplay(filler_scenes=1)
    numbered = [
        n for page in layout_pages(sp, scene_numbers=True) for n in page.scene_numbers.values()
    ]
    assert numbered == ["1", "2", "3"]
    assert all(not page.scene_numbers for page in layout_pages(sp, scene_numbers=False))


# --- real pages ---------------------------------------------------------------------------------


def test_screenplay_pdf_renders_with_title_page_and_page_numbers(tmp_path: Path) -> None:
    pdf = tmp_path / "screenplay.pdf"
    write_screenplay_pdf(screenplay(long_speech=70, filler_scenes=20), pdf)
    images = _render(pdf, tmp_path, 1, 3)
    assert len(images) == 3 and all(_ink(image) > 0.002 for image in images)
    assert images[0].size == (340, 440)  # US Letter portrait at 40 dpi
    title = _text(pdf, 1)
    assert "The Lighthouse Key" in title and "Written by" in title and "**" not in title
    page_one, page_two = _text(pdf, 2), _text(pdf, 3)
    assert "EXT. HARBOUR ROAD - DAWN" in page_one and "1." not in page_one.split("\n")[0]
    assert page_two.strip().splitlines()[0].strip() == "2."
    assert "NORA (CONT'D)" in page_two and "(MORE)" in page_one
    fonts = subprocess.run(
        [_poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "Courier" in fonts


def test_screenplay_pdf_is_byte_stable(tmp_path: Path) -> None:
    write_screenplay_pdf(screenplay(), tmp_path / "a.pdf")
    write_screenplay_pdf(screenplay(), tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_text_outside_windows_1252_gets_a_unicode_font(tmp_path: Path) -> None:
    if _unicode_family("mono") is None:
        pytest.skip("no Unicode monospace TrueType font installed (Debian: fonts-dejavu-core)")
    pdf = tmp_path / "greek.pdf"
    write_screenplay_pdf(screenplay(title="Το κλειδί"), pdf)
    fonts = subprocess.run(
        [_poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "Courier" not in fonts and "emb" in fonts.splitlines()[0]
    assert "Το κλειδί" in _text(pdf, 1)


def test_shotlist_pdf_is_landscape_grouped_by_scene_with_thumbnails(tmp_path: Path) -> None:
    shots = shotlist()
    draw_frames(tmp_path / "storyboard", shots)
    pdf = tmp_path / "shotlist.pdf"
    write_shotlist_pdf(shots, breakdown(), pdf, tmp_path / "storyboard")
    page = _render(pdf, tmp_path, 1, 1)[0]
    assert page.size == (440, 340) and _ink(page) > 0.01
    text = _text(pdf, 1)
    assert "SC 1 · EXT. HARBOUR ROAD - DAWN · 3/8 pg · 2 shots" in text
    assert "SC 2 · INT. HARBOUR OFFICE - DAY · 1 1/8 pg · 2 shots" in text
    assert "<her> & the sea" in text and "Page 1 of 1" in text
    images = subprocess.run(
        [_poppler("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.strip().splitlines()) - 2 == len(shots.shots)


def test_shotlist_pdf_without_frames_has_no_frame_column(tmp_path: Path) -> None:
    pdf = tmp_path / "shotlist.pdf"
    write_shotlist_pdf(shotlist(), breakdown(), pdf, tmp_path / "no-such-folder")
    assert "Frame" not in _text(pdf, 1) and "Description" in _text(pdf, 1)


def test_png_frames_pass_into_the_pdf_untouched_and_decode_to_the_same_pixels(tmp_path: Path) -> None:
    shots = shotlist()
    paths = draw_frames(tmp_path / "storyboard", shots)
    for index, path in enumerate(paths):
        with Image.open(path) as opened:
            rgb = opened.convert("RGB")
        ImageDraw.Draw(rgb).line((0, 0, 639, 359), fill=(0, 0, 0), width=3)  # a third colour
        if index == 3:  # alpha: not passed through; flattened onto white, embedded as a JPEG
            rgba = rgb.convert("RGBA")
            rgba.putalpha(128)
            rgba.save(path)
        else:  # palette frames at 2, 4 and 8 bits a pixel, as a storyboard artist may write them
            palette = rgb.quantize(colors=3)
            entries = (3, 12, 200)[index]  # the palette's length sets the bits Pillow writes
            palette.putpalette((palette.getpalette() or [])[:9] + [7, 7, 7] * (entries - 3))
            palette.save(path)
            assert read_png(path).bits == (2, 4, 8)[index]  # type: ignore[union-attr]
    pdf = tmp_path / "shotlist.pdf"
    write_shotlist_pdf(shots, breakdown(), pdf, tmp_path / "storyboard")
    data = pdf.read_bytes()
    for path in paths[:3]:
        png = read_png(path)
        assert png is not None and png.data in data  # the PNG's own zlib stream, not re-encoded
    listing = subprocess.run([_poppler("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.strip().splitlines()[2:]]
    assert [(row[5], row[8]) for row in rows] == [("index", "image")] * 3 + [("rgb", "jpeg")]
    subprocess.run([_poppler("pdfimages"), "-png", str(pdf), str(tmp_path / "out")], check=True)
    for index, path in enumerate(paths[:3]):  # poppler undoes the PNG predictors exactly
        with Image.open(tmp_path / f"out-{index:03d}.png") as got, Image.open(path) as want:
            assert got.convert("RGB").tobytes() == want.convert("RGB").tobytes(), index
    with Image.open(tmp_path / "out-003.png") as thumb:
        centre = thumb.convert("RGB").getpixel((thumb.width * 3 // 4, thumb.height // 7))  # off the drawn lines
    expected = tuple(round(c * 128 / 255 + 255 * 127 / 255) for c in SHOT_COLOURS[3])
    assert all(abs(a - b) <= 12 for a, b in zip(centre, expected, strict=True)), (centre, expected)  # type: ignore[arg-type]
