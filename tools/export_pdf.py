"""The screenplay and the shot list as PDFs a production office would print.

The screenplay follows the standard layout: Courier 12 on US Letter (A4 if the page settings
say so), 1.5" left and 1" right and top margins, dialogue at 2.5", parentheticals at 3.1", cues
at 3.7", a title page, page numbers `2.` top right from page 2 on, and scene numbers beside the
headings when the script carries its own (or when asked). The page holds `PageSettings.lpp`
lines (55 on Letter, as the page-eighths count assumes), which leaves a bottom margin of 0.83".
Layout and pagination live in `export_pdf_layout`; this module only draws.

The shot list is in `export_pdf_shots` (landscape table, grouped by scene, thumbnails).
Both PDFs are byte-stable: reportlab's invariant mode fixes the dates and document id.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import structlog
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen import canvas

from filmcrew.domain import Breakdown, Screenplay, ShotList
from filmcrew.files import atomic_write_bytes
from filmcrew.tools.export_pdf_fonts import Faces, faces_for
from filmcrew.tools.export_pdf_layout import Page, Placed, layout_pages, wrap_spans
from filmcrew.tools.export_pdf_shots import shotlist_pdf_bytes
from filmcrew.tools.pages import DEFAULT_SETTINGS, PageSettings

log = structlog.get_logger(__name__)

INCH = 72.0
FONT_SIZE = 12.0
LINE = 12.0  # 6 lines an inch
CHAR = 7.2  # Courier 12 is 10 characters an inch
LEFT = 1.5 * INCH
TOP = 1.0 * INCH
RIGHT = 1.0 * INCH
TITLE_ROW = 18  # the title sits about a third of the way down the title page
_CENTRED_KEYS = (("title",), ("credit",), ("author", "authors"), ("source",))
_LOWER_LEFT_KEYS = (("contact",), ("draft date",))
_EMPHASIS = re.compile(r"(?<!\\)(\*{1,3}|_)")


def write_screenplay_pdf(
    sp: Screenplay,
    path: Path,
    *,
    settings: PageSettings | None = None,
    scene_numbers: bool | None = None,
) -> None:
    """Write the screenplay as a standard-layout PDF with a title page.

    `scene_numbers=None` prints them only when the script numbers its own scenes (`#12A#`).
    """
    settings = settings or DEFAULT_SETTINGS
    if scene_numbers is None:
        scene_numbers = any(e.scene_number for e in sp.elements if e.kind == "scene_heading")
    pages = layout_pages(sp, settings, scene_numbers)
    atomic_write_bytes(path, screenplay_pdf_bytes(sp, pages, settings))
    log.info("screenplay_pdf_written", path=str(path), pages=len(pages))


def write_shotlist_pdf(shotlist: ShotList, breakdown: Breakdown, path: Path, frames_dir: Path | None) -> None:
    """Write the shot list as a landscape table grouped by scene, with thumbnails where frames exist."""
    atomic_write_bytes(path, shotlist_pdf_bytes(shotlist, breakdown, frames_dir))
    log.info("shotlist_pdf_written", path=str(path), shots=len(shotlist.shots))


def screenplay_pdf_bytes(sp: Screenplay, pages: list[Page], settings: PageSettings) -> bytes:
    """Draw the title page and the laid-out pages into PDF bytes."""
    size = A4 if settings.paper == "a4" else LETTER
    faces = faces_for(_all_text(sp, pages), "mono")
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)
    title = plain(sp.title()) or _fallback_title(sp)
    pdf.setTitle(title)
    pdf.setAuthor(plain(_title_value(sp, ("author", "authors"))))
    pdf.setCreator("filmcrew")
    _draw_title_page(pdf, sp, faces, size, settings.lpp)
    for number, page in enumerate(pages, start=1):
        _draw_page(pdf, page, number, faces, size)
    pdf.save()
    return buffer.getvalue()


# --- title page -----------------------------------------------------------------------------


def plain(value: str) -> str:
    """Strip Fountain emphasis markers from a title-page value and unescape `\\*`, `\\_`."""
    lines = (_EMPHASIS.sub("", line).replace("\\*", "*").replace("\\_", "_").strip() for line in value.split("\n"))
    return "\n".join(line for line in lines if line)


def _title_value(sp: Screenplay, keys: tuple[str, ...]) -> str:
    """The value of the first title-page entry whose key is one of `keys` (case-insensitive)."""
    for entry in sp.title_page:
        if entry.key.strip().casefold() in keys:
            return entry.value
    return ""


def _fallback_title(sp: Screenplay) -> str:
    """A title for a script without one: its file name, else `UNTITLED`."""
    if sp.source:
        return Path(sp.source).stem.replace("_", " ").replace("-", " ").upper()
    return "UNTITLED"


def _draw_title_page(pdf: canvas.Canvas, sp: Screenplay, faces: Faces, size: tuple[float, float], lpp: int) -> None:
    """Draw the title page: title, credit, author, source centred; contact and draft date lower left."""
    row = TITLE_ROW
    for keys in _CENTRED_KEYS:
        value = plain(_title_value(sp, keys)) or (_fallback_title(sp) if keys == ("title",) else "")
        for line in _wrapped(value, 60):
            _draw_text(pdf, faces.pick(keys == ("title",), False), LEFT + (60 - len(line)) * CHAR / 2, _baseline(size, row), line)
            row += 1
        row += 1 if value else 0
    corner = [line for keys in _LOWER_LEFT_KEYS for line in _wrapped(plain(_title_value(sp, keys)), 30)]
    for offset, line in enumerate(corner):
        _draw_text(pdf, faces.regular, LEFT, _baseline(size, lpp - len(corner) + offset), line)
    pdf.showPage()


def _wrapped(value: str, width: int) -> list[str]:
    """Wrap each line of a title-page value at `width` characters."""
    return [line[a:b] for line in value.split("\n") if line for a, b in wrap_spans(line, width)]


# --- script pages -----------------------------------------------------------------------------


def _draw_page(pdf: canvas.Canvas, page: Page, number: int, faces: Faces, size: tuple[float, float]) -> None:
    """Draw one script page: its rows, scene numbers beside headings, and `N.` from page 2."""
    if number > 1:
        pdf.setFont(faces.regular, FONT_SIZE)
        pdf.drawRightString(size[0] - RIGHT, size[1] - 0.5 * INCH - 9, f"{number}.")
    for row_index, row in enumerate(page.rows):
        y = _baseline(size, row_index)
        for placed in row:
            _draw_placed(pdf, placed, y, faces)
        label = page.scene_numbers.get(row_index)
        if label:
            _draw_text(pdf, faces.regular, LEFT - (len(label) + 2) * CHAR, y, label)
            _draw_text(pdf, faces.regular, size[0] - RIGHT + 2 * CHAR, y, label)
    pdf.showPage()


def _draw_placed(pdf: canvas.Canvas, placed: Placed, y: float, faces: Faces) -> None:
    """Draw styled spans on the character grid, underlining where asked."""
    x = LEFT + placed.column * CHAR
    for span in placed.spans:
        _draw_text(pdf, faces.pick(span.bold, span.italic), x, y, span.text)
        if span.underline and span.text.strip():
            pdf.setLineWidth(0.6)
            pdf.line(x, y - 1.8, x + len(span.text) * CHAR, y - 1.8)
        x += len(span.text) * CHAR


def _draw_text(pdf: canvas.Canvas, face: str, x: float, y: float, text: str) -> None:
    """Draw a string in one face at 12 pt."""
    pdf.setFont(face, FONT_SIZE)
    pdf.drawString(x, y, text)


def _baseline(size: tuple[float, float], row: int) -> float:
    """Baseline of a grid line counted from the top margin (the text sits 9.5 pt below the line top)."""
    return size[1] - TOP - row * LINE - 9.5


def _all_text(sp: Screenplay, pages: list[Page]) -> list[str]:
    """Every string that will be printed, to choose a font that can show it."""
    texts = [entry.value for entry in sp.title_page]
    texts.extend(placed.text for page in pages for row in page.rows for placed in row)
    texts.extend(label for page in pages for label in page.scene_numbers.values())
    return texts
