"""The shot list as a printable table, laid out like the sheets an AD hands round.

Landscape Letter, half-inch margins, one table per scene: a dark band naming the scene (label,
heading, page eighths, shot count, screen time), a header row, then one row per shot. The band
and the header repeat when a scene runs onto the next page. When storyboard frames exist, the
first column shows each shot's frame (the PNG's own data, see `export_pdf_images`); without
frames that width goes to the description. Footer: `Page n of m`.

Drawn straight on a reportlab canvas: through platypus (a Table of 14,000 Paragraphs) a
1,256-shot list took 9 s, mostly line breaking and cell measuring. Here each cell is wrapped once
from its words' widths (base-font and TrueType metrics add up, there is no kerning), every page
is laid out first and then drawn (so the footer knows `m`), with the geometry platypus used:
3 pt cell padding, the first baseline one font size below it, 9.5 pt leading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from filmcrew.domain import Breakdown, BreakdownScene, Shot, ShotList
from filmcrew.tools.export_common import FrameFiles
from filmcrew.tools.export_pdf_fonts import Faces, PdfText, faces_for
from filmcrew.tools.export_pdf_images import PdfStills

PAGE = landscape(LETTER)
MARGIN = 36.0
USABLE = PAGE[0] - 2 * MARGIN
INSET = 6.0  # platypus' frame padding, kept so the title and the page breaks stay where they were
TOP = PAGE[1] - MARGIN - INSET
BOTTOM = MARGIN + 10 + INSET
THUMB_WIDTH = 100.0
THUMB_MAX_H = 120.0
PAD = 3.0
CELL = (7.5, 9.5)  # font size, leading
BAND_TYPE = (10.0, 13.0)
TITLE = (14.0, 18.0)
AFTER_TITLE, AFTER_TABLE = 8.0, 10.0
# (header, width in points); the description takes what is left.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("Shot", 36),
    ("Size", 40),
    ("Type", 52),
    ("Angle", 48),
    ("Movement", 52),
    ("Lens", 36),
    ("Description", 0),
    ("Subjects", 70),
    ("Audio", 40),
    ("Dur", 30),
    ("Notes", 66),
)
BAND = colors.HexColor("#1f2a36")
HEADER = colors.HexColor("#d9dee4")
STRIPE = colors.HexColor("#f4f6f8")
GRID = colors.HexColor("#9aa5b1")
FOOTER = colors.HexColor("#555555")


@dataclass
class _Row:
    """One table row, measured: its kind, height, wrapped lines per column and thumbnail."""

    kind: str  # "band", "header" or "shot"
    height: float
    lines: list[list[str]]
    thumb: tuple[Path, float, float] | None = None  # frame file, drawn width and height
    stripe: bool = False


@dataclass
class _Page:
    """What one page shows: the title (page 1), and rows with the y of their top edges."""

    rows: list[tuple[_Row, float]] = field(default_factory=list)
    title: str = ""
    note: str = ""


def shotlist_pdf_bytes(shotlist: ShotList, breakdown: Breakdown, frames_dir: Path | None) -> bytes:
    """Render the shot list PDF into bytes."""
    faces = faces_for(_texts(shotlist, breakdown), "sans")
    files = FrameFiles(frames_dir)
    thumbs = any(files.existing(s.shot_id) for s in shotlist.shots)
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=PAGE, invariant=1, pageCompression=1)
    pdf.setTitle("Shot list")
    pdf.setAuthor("filmcrew")
    pdf.setCreator("filmcrew")
    stills = PdfStills(pdf)
    table = _Table(faces, _widths(thumbs), stills if thumbs else None, files)
    pages = _paginate(shotlist, breakdown, table)
    for number, page in enumerate(pages, start=1):
        _draw_page(pdf, page, table, faces)
        _footer(pdf, faces, number, len(pages))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- layout -------------------------------------------------------------------------------------


class _Table:
    """Measures rows: wraps cell text to column widths and sizes thumbnails."""

    def __init__(self, faces: Faces, widths: list[float], stills: PdfStills | None, files: FrameFiles) -> None:
        self.faces, self.widths, self.stills, self.files = faces, widths, stills, files
        self.thumbs = stills is not None

    def band(self, text: str) -> _Row:
        """The dark scene band spanning the table."""
        lines = wrap(text, self.faces.bold, BAND_TYPE[0], USABLE - 2 * PAD)
        return _Row("band", len(lines) * BAND_TYPE[1] + 2 * PAD, [lines])

    def header(self) -> _Row:
        """The column names."""
        names = (["Frame"] if self.thumbs else []) + [name for name, _ in COLUMNS]
        return self._row("header", names, self.faces.bold)

    def shot(self, shot: Shot, index: int) -> _Row:
        """One shot's row: its frame (or a dash) and its text cells, odd rows striped."""
        texts = _cells(shot)
        thumb = None
        if self.thumbs:
            thumb = self._thumb(shot.shot_id)
            texts = ["—" if thumb is None else "", *texts]
        row = self._row("shot", texts, self.faces.regular, min_height=thumb[2] if thumb else 0.0)
        row.thumb, row.stripe = thumb, index % 2 == 1
        return row

    def _row(self, kind: str, texts: list[str], face: str, min_height: float = 0.0) -> _Row:
        lines = [wrap(text, face, CELL[0], width - 2 * PAD) for text, width in zip(texts, self.widths, strict=True)]
        tallest = max(max((len(cell) for cell in lines if cell != [""]), default=0) * CELL[1], min_height)
        return _Row(kind, tallest + 2 * PAD, lines)

    def _thumb(self, shot_id: str) -> tuple[Path, float, float] | None:
        """The frame file and its drawn size (cell width, at most THUMB_MAX_H tall), if readable."""
        path = self.files.existing(shot_id)
        size = self.stills.size(path) if path is not None and self.stills is not None else None
        if path is None or size is None:
            return None
        width = THUMB_WIDTH - 2 * PAD
        height = min(width * size[1] / size[0], THUMB_MAX_H)
        return path, height * size[0] / size[1], height


def _paginate(shotlist: ShotList, breakdown: Breakdown, table: _Table) -> list[_Page]:
    """Place the title and each scene's table on pages; band and header repeat after a break."""
    pages = [_Page(title=_summary(shotlist))]
    y = TOP - TITLE[1] - AFTER_TITLE
    header = table.header()
    for number, shots in _by_scene(shotlist.shots):
        band = table.band(_band_text(number, _scene(breakdown, number), shots))
        rows = [table.shot(shot, index) for index, shot in enumerate(shots)]
        if y - (band.height + header.height + rows[0].height) < BOTTOM and pages[-1].rows:
            pages.append(_Page())
            y = TOP
        y = _place(pages[-1], [band, header], y)
        for row in rows:
            if y - row.height < BOTTOM:
                pages.append(_Page())
                y = _place(pages[-1], [band, header], TOP)
            y = _place(pages[-1], [row], y)
        y -= AFTER_TABLE
    if not shotlist.shots:
        pages[0].note = "No shots planned yet."
    return pages


def _place(page: _Page, rows: list[_Row], y: float) -> float:
    """Put rows on a page from `y` down; return the y below them."""
    for row in rows:
        page.rows.append((row, y))
        y -= row.height
    return y


def wrap(text: str, face: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than `width` at spaces; a word too long is cut by letters."""
    words = text.split()
    if not words:
        return [""]
    if _width(" ".join(words), face, size) <= width:
        return [" ".join(words)]
    space = _width(" ", face, size)
    lines: list[str] = []
    line, used = "", 0.0
    for word in words:
        wide = _width(word, face, size)
        if line and used + space + wide <= width:
            line, used = f"{line} {word}", used + space + wide
            continue
        if line:
            lines.append(line)
        while wide > width and len(word) > 1:
            cut = _fitting(word, face, size, width)
            lines.append(word[:cut])
            word = word[cut:]
            wide = stringWidth(word, face, size)
        line, used = word, wide
    lines.append(line)
    return lines


@lru_cache(maxsize=1 << 16)
def _width(text: str, face: str, size: float) -> float:
    """`stringWidth`, remembered: a shot list repeats its words ("static", "eye level", "sync")."""
    return stringWidth(text, face, size)


def _fitting(word: str, face: str, size: float, width: float) -> int:
    """How many leading letters of a word fit in `width` (at least one)."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(word[:mid], face, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


# --- drawing ------------------------------------------------------------------------------------


def _draw_page(pdf: canvas.Canvas, page: _Page, table: _Table, faces: Faces) -> None:
    """Draw a page: row backgrounds, thumbnails, all text in one text object, then the grid."""
    for row, top in page.rows:
        fill = {"band": BAND, "header": HEADER}.get(row.kind, STRIPE if row.stripe else None)
        if fill is not None:
            pdf.setFillColor(fill)
            pdf.rect(MARGIN, top - row.height, USABLE, row.height, stroke=0, fill=1)
        if row.thumb is not None and table.stills is not None:
            path, width, height = row.thumb
            table.stills.draw(path, MARGIN + PAD, top - PAD - height, width, height)
    text = PdfText(pdf)
    if page.title:
        text.lines([page.title], faces.bold, TITLE, MARGIN + INSET, TOP)
    if page.note:
        text.lines([page.note], faces.regular, (10, 13), MARGIN + INSET, TOP - TITLE[1] - AFTER_TITLE)
    for row, top in page.rows:
        if row.kind == "band":
            text.lines(row.lines[0], faces.bold, BAND_TYPE, MARGIN + PAD, top - PAD, colors.white)
            continue
        face, x = faces.bold if row.kind == "header" else faces.regular, MARGIN
        for lines, width in zip(row.lines, table.widths, strict=True):
            text.lines(lines, face, CELL, x + PAD, top - PAD)
            x += width
    text.draw()
    _grid(pdf, page.rows, table.widths)


def _grid(pdf: canvas.Canvas, rows: list[tuple[_Row, float]], widths: list[float]) -> None:
    """Rule every header and shot cell: a line under each row, the column edges down each run."""
    pdf.setStrokeColor(GRID)
    pdf.setLineWidth(0.4)
    pdf.setLineCap(1)
    pdf.setLineJoin(1)
    edges = [MARGIN]
    for width in widths:
        edges.append(edges[-1] + width)
    run: list[tuple[_Row, float]] = []
    for row, top in [*rows, (_Row("band", 0, []), 0.0)]:
        if row.kind != "band":
            run.append((row, top))
            continue
        if run:
            first, last = run[0][1], run[-1][1] - run[-1][0].height
            lines = [(MARGIN, y, MARGIN + USABLE, y) for y in [first, *(top - r.height for r, top in run)]]
            lines += [(x, last, x, first) for x in edges]
            pdf.lines(lines)
            run = []


def _footer(pdf: canvas.Canvas, faces: Faces, number: int, pages: int) -> None:
    """`filmcrew shot list` bottom left, `Page n of m` bottom right."""
    pdf.setFont(faces.regular, 8)
    pdf.setFillColor(FOOTER)
    pdf.drawRightString(PAGE[0] - MARGIN, MARGIN - 4, f"Page {number} of {pages}")
    pdf.drawString(MARGIN, MARGIN - 4, "filmcrew shot list")


# --- content ------------------------------------------------------------------------------------


def _summary(shotlist: ShotList) -> str:
    """The line at the top: shots, scenes, screen time, aspect."""
    seconds = sum(max(0.0, s.duration_s) for s in shotlist.shots)
    scenes = len({s.scene for s in shotlist.shots})
    return f"Shot list — {len(shotlist.shots)} shots · {scenes} scenes · {_clock(seconds)} · {shotlist.aspect}"


def _by_scene(shots: list[Shot]) -> list[tuple[int, list[Shot]]]:
    """Group shots by scene number, scenes in order of first appearance."""
    groups: dict[int, list[Shot]] = {}
    for shot in shots:
        groups.setdefault(shot.scene, []).append(shot)
    return list(groups.items())


def _scene(breakdown: Breakdown, number: int) -> BreakdownScene | None:
    """The breakdown row for a scene number, if the breakdown has it."""
    return next((scene for scene in breakdown.scenes if scene.number == number), None)


def _band_text(number: int, scene: BreakdownScene | None, shots: list[Shot]) -> str:
    """`SC 12A · INT. KITCHEN - NIGHT · 3/8 pg · 5 shots · 0:42`."""
    seconds = sum(max(0.0, s.duration_s) for s in shots)
    parts = [f"SC {scene.label if scene else number}"]
    if scene is not None:
        parts += [scene.heading, f"{scene.eighths_str} pg"]
    parts += [f"{len(shots)} shot{'s' if len(shots) != 1 else ''}", _clock(seconds)]
    return " · ".join(part for part in parts if part)


def _cells(shot: Shot) -> list[str]:
    """One shot's text cells, in COLUMNS order."""
    notes = "; ".join(part for part in (shot.setup and f"setup {shot.setup}", shot.notes) if part)
    return [
        shot.shot_id, shot.size, shot.type, shot.angle, shot.movement, f"{shot.lens}mm" if shot.lens.isdigit() else shot.lens,
        shot.description, ", ".join(shot.subjects), shot.audio, f"{shot.duration_s:g}s", notes,
    ]


def _widths(thumbs: bool) -> list[float]:
    """Column widths: fixed columns, the description stretched to fill the page."""
    fixed = sum(width for _, width in COLUMNS) + (THUMB_WIDTH if thumbs else 0)
    widths = [width or USABLE - fixed for _, width in COLUMNS]
    return ([THUMB_WIDTH] if thumbs else []) + widths


def _clock(seconds: float) -> str:
    """Screen time as `m:ss` (or `h:mm:ss`)."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _texts(shotlist: ShotList, breakdown: Breakdown) -> Iterable[str]:
    """Every string the table prints, to choose a font that can show it."""
    for shot in shotlist.shots:
        yield from _cells(shot)
    for scene in breakdown.scenes:
        yield scene.heading
        yield scene.label
