"""The storyboard sheet as a PDF: frames in a grid, each captioned with its shot data.

Landscape A4 pages, the grid chosen per aspect ratio to put the most picture on a page with at
least six panels (3 x 2 for 16:9, 7 x 2 for 9:16, 4 x 3 for 2.39:1). Each panel carries the shot id, size, type,
angle, movement, lens and duration, the scene, the subjects in their colours, the description
and a line of dialogue. Frames go in as their own PNG data (`export_pdf_images`), not re-encoded.
Written with reportlab's invariant mode, so equal inputs give equal bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from filmcrew.domain import CharacterLibrary, Shot, ShotList
from filmcrew.errors import InputError
from filmcrew.files import atomic_write_bytes, inside, safe_name
from filmcrew.tools.export_pdf_fonts import Faces, PdfText, faces_for
from filmcrew.tools.export_pdf_images import PdfStills
from filmcrew.tools.sheet_html import quote_line

SHEET_FILE = "storyboard.pdf"
PAGE = landscape(A4)
MARGIN = 28.0
HEADER = 34.0
GAP = 12.0
CAPTION_LINES = 6
LEADING = 8.6
INK = HexColor("#28282e")
MUTED = HexColor("#6b6b73")
MIN_PER_PAGE = 6


@dataclass(frozen=True)
class Grid:
    """Panel layout of one page."""

    cols: int
    rows: int
    frame_w: float
    frame_h: float

    @property
    def per_page(self) -> int:
        """Panels on one page."""
        return self.cols * self.rows

    @property
    def cell_h(self) -> float:
        """Height of a panel with its caption."""
        return self.frame_h + CAPTION_LINES * LEADING + 6


def aspect_ratio(aspect: str) -> float:
    """Parse `16:9` or `2.39:1` into width / height."""
    try:
        w, h = (float(x) for x in aspect.replace("x", ":").split(":"))
        return w / h
    except (ValueError, ZeroDivisionError) as exc:
        raise InputError(f"unknown aspect ratio {aspect!r}") from exc


def grid_for(aspect: str) -> Grid:
    """Pick the grid that puts the most picture on a page (at least six panels, then the largest)."""
    ratio = aspect_ratio(aspect)
    avail_w, avail_h = PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN - HEADER
    best: Grid | None = None
    for cols in range(2, 9):
        frame_w = (avail_w - (cols - 1) * GAP) / cols
        frame_h = frame_w / ratio
        caption = CAPTION_LINES * LEADING + 6
        if frame_h + caption > avail_h:
            frame_h = avail_h - caption
            frame_w = frame_h * ratio
        rows = max(1, math.floor((avail_h + GAP) / (frame_h + caption + GAP)))
        grid = Grid(cols, rows, frame_w, frame_h)
        if grid.per_page >= MIN_PER_PAGE and (best is None or _score(grid) > _score(best)):
            best = grid
    return best or Grid(8, 1, (avail_w - 7 * GAP) / 8, (avail_w - 7 * GAP) / 8 / ratio)


def _readable(colour: str) -> HexColor:
    """A character's colour as text on white: light colours (yellow) are darkened to read."""
    try:
        base = HexColor(colour)
    except ValueError:
        return MUTED
    luma = 0.299 * base.red + 0.587 * base.green + 0.114 * base.blue
    if luma <= 0.6:
        return base
    k = 0.6 / luma
    return HexColor("#%02x%02x%02x" % tuple(round(255 * v * k) for v in (base.red, base.green, base.blue)))


def _score(grid: Grid) -> tuple[float, float]:
    """Rank layouts by picture area on the page, then by the size of one panel."""
    area = grid.frame_w * grid.frame_h
    return (round(grid.per_page * area, -3), area)


def _fit(text: str, face: str, size: float, width: float) -> str:
    """Cut text to a width, ending in an ellipsis when cut."""
    if stringWidth(text, face, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "...", face, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "..."


def _wrap(text: str, face: str, size: float, width: float, lines: int) -> list[str]:
    """Wrap text into at most `lines` lines, the last one cut with an ellipsis."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and stringWidth(f"{line} {words[0]}", face, size) <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words and out:
        out[-1] = _fit(out[-1] + " " + " ".join(words), face, size, width)
    return [_fit(line, face, size, width) for line in out]


def _scene_label(shot: Shot) -> str:
    """Write `Sc 3 · INT. LIGHTHOUSE - NIGHT` from a shot's fields."""
    place = " ".join(x for x in (f"{shot.int_ext}." if shot.int_ext else "", shot.location) if x)
    return f"Sc {shot.scene}" + (f" · {place}" if place else "") + (f" - {shot.time_of_day}" if shot.time_of_day else "")


def _panel(c: Canvas, stills: PdfStills, shot: Shot, frame: Path | None, x: float, top: float, grid: Grid,
           faces: Faces, library: CharacterLibrary) -> None:
    """Draw one frame (or a placeholder) and its caption with its top-left corner at (x, top)."""
    w, h = grid.frame_w, grid.frame_h
    if frame is None or not stills.draw(frame, x, top - h, w, h):
        c.setFillColor(HexColor("#eeece6"))
        c.rect(x, top - h, w, h, stroke=0, fill=1)
        c.setFillColor(MUTED)
        c.setFont(faces.regular, 8)
        c.drawCentredString(x + w / 2, top - h / 2, f"no frame for {shot.shot_id}")
    c.setStrokeColor(INK)
    c.setLineWidth(0.8)
    c.rect(x, top - h, w, h, stroke=1, fill=0)
    _caption(c, shot, x, top - h - LEADING - 1, w, faces, library)


def _caption(c: Canvas, shot: Shot, x: float, y: float, w: float, faces: Faces, library: CharacterLibrary) -> None:
    """Write the caption lines under a panel, starting at baseline y."""
    text = PdfText(c)
    text.put(x, y, shot.shot_id, faces.bold, 9, INK)
    lead = stringWidth(shot.shot_id, faces.bold, 9) + 5
    spec = " · ".join(v for v in (shot.size, shot.type, shot.angle, shot.movement,
                                  f"{shot.lens}mm" if shot.lens else "", f"{shot.duration_s:g}s") if v)
    text.put(x + lead, y, _fit(spec, faces.regular, 7.2, w - lead), faces.regular, 7.2, INK)
    lines = 1
    text.put(x, y - LEADING * lines, _fit(_scene_label(shot), faces.regular, 7.2, w), faces.regular, 7.2, MUTED)
    lines += 1
    cursor = x
    for name in shot.subjects:
        character = library.get(name)
        fitted = _fit(name, faces.bold, 7.2, max(10.0, x + w - cursor))
        text.put(cursor, y - LEADING * lines, fitted, faces.bold, 7.2, _readable(character.color) if character else MUTED)
        cursor += stringWidth(fitted + "  ", faces.bold, 7.2)
        if cursor > x + w:
            break
    lines += 1 if shot.subjects else 0
    room = CAPTION_LINES - lines - (1 if shot.dialogue else 0)
    for line in _wrap(" ".join(shot.description.split()), faces.regular, 7.2, w, max(0, room)):
        text.put(x, y - LEADING * lines, line, faces.regular, 7.2, INK)
        lines += 1
    if shot.dialogue:
        said = _fit(quote_line(" ".join(shot.dialogue.split())), faces.italic, 7.2, w)
        text.put(x, y - LEADING * lines, said, faces.italic, 7.2, INK)
    text.draw()


def _header(c: Canvas, title: str, shotlist: ShotList, page: int, pages: int, faces: Faces, total: float) -> None:
    """Write the title, the run summary and the page number at the top of a page."""
    top = PAGE[1] - MARGIN
    c.setFillColor(INK)
    c.setFont(faces.bold, 14)
    c.drawString(MARGIN, top - 12, _fit(title or "Storyboard", faces.bold, 14, PAGE[0] * 0.6))
    c.setFont(faces.regular, 8)
    c.setFillColor(MUTED)
    summary = f"Storyboard · {len(shotlist.shots)} shots · {int(total // 60)} min {round(total % 60)} s · {shotlist.aspect}"
    c.drawRightString(PAGE[0] - MARGIN, top - 4, summary)
    c.drawRightString(PAGE[0] - MARGIN, top - 14, f"page {page} of {pages}")
    c.setStrokeColor(INK)
    c.setLineWidth(1.2)
    c.line(MARGIN, top - 20, PAGE[0] - MARGIN, top - 20)


def _library(folder: Path) -> CharacterLibrary:
    """Read the run's library for subject colours; without one, subjects are grey."""
    path = folder / "characters.json"
    try:
        return CharacterLibrary.model_validate_json(path.read_text(encoding="utf-8")) if path.is_file() else CharacterLibrary()
    except ValueError:
        return CharacterLibrary()


def render_storyboard_pdf(shotlist: ShotList, title: str, frames: dict[str, Path | None],
                          library: CharacterLibrary) -> bytes:
    """Return the PDF bytes of a storyboard sheet."""
    import io

    grid = grid_for(shotlist.aspect)
    texts = [title, *(f"{s.description} {s.dialogue} {' '.join(s.subjects)} {s.location}" for s in shotlist.shots)]
    faces = faces_for(texts, "sans")
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=PAGE, invariant=1, pageCompression=1)
    c.setTitle(f"{title} storyboard" if title else "Storyboard")
    c.setCreator("filmcrew")
    stills = PdfStills(c)
    pages = max(1, math.ceil(len(shotlist.shots) / grid.per_page))
    total = sum(s.duration_s for s in shotlist.shots)
    avail_w = PAGE[0] - 2 * MARGIN
    col_gap = (avail_w - grid.cols * grid.frame_w) / max(1, grid.cols - 1) if grid.cols > 1 else 0
    for page in range(pages):
        _header(c, title, shotlist, page + 1, pages, faces, total)
        for i, shot in enumerate(shotlist.shots[page * grid.per_page : (page + 1) * grid.per_page]):
            col, row = i % grid.cols, i // grid.cols
            x = MARGIN + col * (grid.frame_w + col_gap)
            top = PAGE[1] - MARGIN - HEADER - row * (grid.cell_h + GAP)
            _panel(c, stills, shot, frames.get(shot.shot_id), x, top, grid, faces, library)
        c.showPage()
    c.save()
    return buffer.getvalue()


def write_storyboard_pdf(folder: Path, shotlist: ShotList, title: str, *, frames_dir: Path | None = None,
                         library: CharacterLibrary | None = None) -> Path:
    """Write `storyboard.pdf` in the run folder from the frames in `storyboard/`."""
    frames_root = frames_dir or folder / "storyboard"
    frames: dict[str, Path | None] = {}
    for shot in shotlist.shots:
        path = frames_root / f"{safe_name(shot.shot_id, 'shot')}.png"
        frames[shot.shot_id] = path if path.is_file() else None
    target = inside(folder, SHEET_FILE)
    atomic_write_bytes(target, render_storyboard_pdf(shotlist, title, frames, library or _library(folder)))
    return target
