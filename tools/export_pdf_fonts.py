"""Fonts for the PDFs: the PDF base fonts when the text allows, a Unicode TrueType font when not.

Courier and Helvetica are built into every PDF reader, so nothing needs embedding, but they
only cover the Windows-1252 characters. A script with Greek, Cyrillic or other letters outside
that set switches (for the whole document, so the grid stays even) to a TrueType family found
on the system (DejaVu, Liberation, Noto), embedded as a subset. With none installed, the base
font stays and the reader shows those characters as boxes; that is logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import structlog
from reportlab.lib.colors import Color, black
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFError
from reportlab.pdfgen.canvas import Canvas

log = structlog.get_logger(__name__)

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts", Path("/Library/Fonts"), Path("C:/Windows/Fonts"))


@dataclass(frozen=True)
class Faces:
    """The four faces of one family, by registered name."""

    regular: str
    bold: str
    italic: str
    bold_italic: str

    def pick(self, bold: bool, italic: bool) -> str:
        """Return the face for a style."""
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        return self.italic if italic else self.regular


COURIER = Faces("Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique")
HELVETICA = Faces("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique")

_FAMILIES = {
    "mono": (
        ("DejaVuSansMono", ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSansMono-Oblique.ttf", "DejaVuSansMono-BoldOblique.ttf")),
        ("LiberationMono", ("LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf", "LiberationMono-Italic.ttf", "LiberationMono-BoldItalic.ttf")),
    ),
    "sans": (
        ("DejaVuSans", ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf")),
        ("LiberationSans", ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf")),
    ),
}


def needs_unicode(texts: Iterable[str]) -> bool:
    """Say whether any text has a character the PDF base fonts cannot show."""
    for text in texts:
        try:
            text.encode("cp1252")
        except UnicodeEncodeError:
            return True
    return False


def faces_for(texts: Iterable[str], kind: str) -> Faces:
    """Pick the base family (`mono`: Courier, `sans`: Helvetica) or a Unicode one if the text needs it."""
    base = COURIER if kind == "mono" else HELVETICA
    if not needs_unicode(texts):
        return base
    found = _unicode_family(kind)
    if found is None:
        log.warning("pdf_font_missing", kind=kind, reason="text outside Windows-1252 and no Unicode TrueType font found")
        return base
    return found


@lru_cache(maxsize=4)
def _unicode_family(kind: str) -> Faces | None:
    """Register the first complete TrueType family found on this system, once per process."""
    for family, files in _FAMILIES[kind]:
        paths = [_find(name) for name in files]
        if any(path is None for path in paths):
            continue
        names = [f"filmcrew-{family}-{index}" for index in range(4)]
        try:
            for name, path in zip(names, paths, strict=True):
                pdfmetrics.registerFont(TTFont(name, str(path)))
        except TTFError as exc:
            log.warning("pdf_font_unusable", family=family, error=str(exc))
            continue
        for (bold, italic), name in zip(((0, 0), (1, 0), (0, 1), (1, 1)), names, strict=True):
            addMapping(names[0], bold, italic, name)
        return Faces(*names)
    return None


def _find(filename: str) -> Path | None:
    """Find a font file by name under the usual font folders."""
    for folder in FONT_DIRS:
        if folder.is_dir():
            for match in sorted(folder.rglob(filename)):
                return match
    return None


class PdfText:
    """One reportlab text object for many strings; font and colour are set only when they change.

    `drawString` makes a text object per string, and with its state changes that was most of the
    drawing time of a feature's sheets (19,000 strings in the shot list alone).
    """

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.text = canvas.beginText()
        self._font: tuple[str, float, float] | None = None
        self._colour: Color | None = None

    def put(self, x: float, baseline: float, text: str, face: str, size: float, colour: Color = black) -> None:
        """One string with its baseline starting at (x, baseline)."""
        self.lines([text], face, (size, size * 1.2), x, baseline + size, colour)

    def lines(self, lines: list[str], face: str, type_: tuple[float, float], x: float, top: float,
              colour: Color = black) -> None:
        """Lines from a box's top: the first baseline one font size down, then by the leading."""
        if not any(lines):
            return
        size, leading = type_
        if self._font != (face, size, leading):
            self.text.setFont(face, size, leading)
            self._font = (face, size, leading)
        if self._colour is not colour:  # colours are shared constants; identity is enough
            self.text.setFillColor(colour)
            self._colour = colour
        self.text.setTextOrigin(x, top - size)
        for line in lines:
            self.text.textLine(line)

    def draw(self) -> None:
        """Put the text on the page."""
        self.canvas.drawText(self.text)
