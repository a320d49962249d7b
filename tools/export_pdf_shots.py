"""The shot list as a printable table, laid out like the sheets an AD hands round.

Landscape Letter, half-inch margins, one table per scene: a dark band naming the scene (label,
heading, page eighths, shot count, screen time), a header row, then one row per shot. The band
and the header repeat when a scene runs onto the next page. When storyboard frames exist, the
first column shows each shot's frame (downscaled to a JPEG thumbnail, so a feature's PDF stays
small); without frames that width goes to the description. Footer: `Page n of m`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import structlog
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from filmcrew.domain import Breakdown, BreakdownScene, Shot, ShotList
from filmcrew.tools.export_common import existing_frame
from filmcrew.tools.export_pdf_fonts import Faces, faces_for

log = structlog.get_logger(__name__)

PAGE = landscape(LETTER)
MARGIN = 36.0
USABLE = PAGE[0] - 2 * MARGIN
THUMB_WIDTH = 100.0
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


def shotlist_pdf_bytes(shotlist: ShotList, breakdown: Breakdown, frames_dir: Path | None) -> bytes:
    """Render the shot list PDF into bytes."""
    faces = faces_for(_texts(shotlist, breakdown), "sans")
    thumbs = frames_dir is not None and any(existing_frame(frames_dir, s.shot_id) for s in shotlist.shots)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 10,
        title="Shot list", author="filmcrew", creator="filmcrew", invariant=1,
    )
    story: list[Any] = [Paragraph(_summary(shotlist), _style(faces.bold, 14, 18)), Spacer(1, 8)]
    for scene_number, shots in _by_scene(shotlist.shots):
        scene = _scene(breakdown, scene_number)
        story.append(_scene_table(scene_number, scene, shots, faces, frames_dir if thumbs else None))
        story.append(Spacer(1, 10))
    if not shotlist.shots:
        story.append(Paragraph("No shots planned yet.", _style(faces.regular, 10, 13)))
    with _binary_streams():
        doc.build(story, canvasmaker=_counting_canvas(faces))
    return buffer.getvalue()


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Store streams as binary instead of ASCII85 while building.

    reportlab ASCII85-encodes images in pure Python by default, which was a third of the time
    of a 1,000-shot sheet and makes each thumbnail a quarter bigger; binary PDF streams are
    standard. The setting is global in reportlab, so it is restored afterwards.
    """
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


def _summary(shotlist: ShotList) -> str:
    """The line at the top: shots, scenes, screen time, aspect."""
    seconds = sum(max(0.0, s.duration_s) for s in shotlist.shots)
    scenes = len({s.scene for s in shotlist.shots})
    return escape(f"Shot list — {len(shotlist.shots)} shots · {scenes} scenes · {_clock(seconds)} · {shotlist.aspect}")


def _by_scene(shots: list[Shot]) -> list[tuple[int, list[Shot]]]:
    """Group shots by scene number, scenes in order of first appearance."""
    groups: dict[int, list[Shot]] = {}
    for shot in shots:
        groups.setdefault(shot.scene, []).append(shot)
    return list(groups.items())


def _scene(breakdown: Breakdown, number: int) -> BreakdownScene | None:
    """The breakdown row for a scene number, if the breakdown has it."""
    return next((scene for scene in breakdown.scenes if scene.number == number), None)


def _scene_table(number: int, scene: BreakdownScene | None, shots: list[Shot], faces: Faces, frames_dir: Path | None) -> Table:
    """One scene: band row, header row (both repeat on page turns), one row per shot."""
    widths = _widths(frames_dir is not None)
    cell = _style(faces.regular, 7.5, 9.5)
    head = _style(faces.bold, 7.5, 9.5)
    header = ([Paragraph("Frame", head)] if frames_dir else []) + [Paragraph(name, head) for name, _ in COLUMNS]
    band = [Paragraph(_band_text(number, scene, shots), _style(faces.bold, 10, 13, colors.white))] + [""] * (len(widths) - 1)
    rows: list[list[Any]] = [band, header]
    for shot in shots:
        thumb = [_thumbnail(frames_dir, shot.shot_id)] if frames_dir else []
        rows.append(thumb + [Paragraph(escape(text), cell) for text in _cells(shot)])
    table = Table(rows, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(_table_style(len(rows))))
    return table


def _band_text(number: int, scene: BreakdownScene | None, shots: list[Shot]) -> str:
    """`SC 12A · INT. KITCHEN - NIGHT · 3/8 pg · 5 shots · 0:42`."""
    seconds = sum(max(0.0, s.duration_s) for s in shots)
    parts = [f"SC {scene.label if scene else number}"]
    if scene is not None:
        parts += [scene.heading, f"{scene.eighths_str} pg"]
    parts += [f"{len(shots)} shot{'s' if len(shots) != 1 else ''}", _clock(seconds)]
    return escape(" · ".join(part for part in parts if part))


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


def _table_style(count: int) -> list[tuple[Any, ...]]:
    """Grid, band and header colours, zebra stripes, top alignment."""
    style: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), BAND),
        ("BACKGROUND", (0, 1), (-1, 1), HEADER),
        ("GRID", (0, 1), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("BACKGROUND", (0, row), (-1, row), STRIPE) for row in range(3, count, 2)]
    return style


def _thumbnail(frames_dir: Path | None, shot_id: str) -> Any:
    """The shot's frame as a small JPEG flowable, or a dash when it is missing or unreadable."""
    path = existing_frame(frames_dir, shot_id)
    if path is None:
        return "—"
    try:
        with PILImage.open(path) as image:
            image.load()
            small = image.convert("RGB")
    except (OSError, UnidentifiedImageError, PILImage.DecompressionBombError) as exc:
        log.warning("thumbnail_unreadable", shot=shot_id, error=str(exc))
        return "—"
    small.thumbnail((240, 240))  # ~1.3" wide cell: about 180 dpi
    data = BytesIO()
    small.save(data, format="JPEG", quality=80)
    data.seek(0)
    width = THUMB_WIDTH - 6
    height = min(width * small.height / small.width, 120.0)
    return Image(data, width=height * small.width / small.height, height=height)


def _style(face: str, size: float, leading: float, color: Any = colors.black) -> ParagraphStyle:
    """A paragraph style in one face."""
    return ParagraphStyle(name=f"{face}-{size}", fontName=face, fontSize=size, leading=leading, textColor=color)


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


def _counting_canvas(faces: Faces) -> type[canvas.Canvas]:
    """A canvas class that holds pages back until the end so each footer can say `of m`."""

    class CountingCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's method name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                self.setFont(faces.regular, 8)
                self.setFillColor(colors.HexColor("#555555"))
                self.drawRightString(PAGE[0] - MARGIN, MARGIN - 4, f"Page {number} of {len(self._held)}")
                self.drawString(MARGIN, MARGIN - 4, "filmcrew shot list")
                super().showPage()
            super().save()

    return CountingCanvas
