"""Storyboard frames into a PDF without decoding them: the PNG's compressed pixels, passed through.

A PNG's image data (its IDAT chunks) is a zlib stream of scanlines, each with a filter byte:
exactly what a PDF image with `/FlateDecode` and `/DecodeParms << /Predictor 15 >>` holds. So a
non-interlaced PNG of palette, grey or RGB pixels goes into the PDF as it is, with no decode and
no re-compression: the storyboard's palette sketches (640x360, ~4 KB) cost a file read each, stay
lossless, and cost nothing to embed (reportlab's own path decodes, converts to RGB and
deflates again: 7 s of a 1,256-frame storyboard PDF). Transparency in a palette is blended onto
white in the palette (the sheets are white paper). Any other frame (alpha, 16-bit, interlaced,
colour key, a photograph too big to embed whole, another format) becomes a JPEG at the size
it is shown (`PdfStills`).

Both PDF writers share this: `PdfStills(canvas).draw(path, x, y, width, height)`.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import structlog
from PIL import Image, UnidentifiedImageError
from reportlab.pdfbase.pdfdoc import PDFName, PDFObject, PDFStream, PDFText
from reportlab.pdfgen.canvas import Canvas

log = structlog.get_logger(__name__)

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SPACES = {0: ("DeviceGray", 1), 2: ("DeviceRGB", 3), 3: ("Indexed", 1)}


@dataclass(frozen=True)
class PngPixels:
    """What a PDF image needs from a PNG: size, sample layout, palette and the zlib stream."""

    width: int
    height: int
    bits: int
    colour_type: int
    palette: bytes  # RGB triples, transparency already blended onto white; empty unless indexed
    data: bytes  # the IDAT chunks joined: a zlib stream of filtered scanlines


def read_png(path: Path) -> PngPixels | None:
    """Read a PNG's chunks (no decoding); None when it cannot pass straight into a PDF."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(_SIGNATURE):
        return None
    chunks = _chunks(raw)
    if chunks is None or "IHDR" not in chunks or "IDAT" not in chunks:
        return None
    header = chunks["IHDR"][0]
    if len(header) != 13:
        return None
    width, height, bits, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", header)
    if compression or filtering or interlace or colour not in _SPACES or width == 0 or height == 0:
        return None
    if (colour != 3 and bits != 8) or bits not in (1, 2, 4, 8):
        return None
    palette = b""
    if colour == 3:
        if "PLTE" not in chunks:
            return None
        palette = _on_white(chunks["PLTE"][0], chunks.get("tRNS", [b""])[0])
    elif "tRNS" in chunks:
        return None  # a colour key needs a mask; leave it to reportlab
    return PngPixels(width, height, bits, colour, palette, b"".join(chunks["IDAT"]))


def _chunks(raw: bytes) -> dict[str, list[bytes]] | None:
    """Split a PNG into its chunks by type, checking every CRC; None if it is damaged."""
    found: dict[str, list[bytes]] = {}
    offset = len(_SIGNATURE)
    while offset + 12 <= len(raw):
        length, kind = struct.unpack(">I4s", raw[offset : offset + 8])
        end = offset + 8 + length
        if end + 4 > len(raw):
            return None
        body = raw[offset + 8 : end]
        if zlib.crc32(kind + body) != struct.unpack(">I", raw[end : end + 4])[0]:
            return None
        name = kind.decode("latin-1")
        found.setdefault(name, []).append(body)
        offset = end + 4
        if name == "IEND":
            return found
    return None


def _on_white(palette: bytes, alpha: bytes) -> bytes:
    """Blend a palette's transparent entries onto white (an entry past `alpha` is opaque)."""
    if not alpha:
        return palette[: len(palette) // 3 * 3]
    out = bytearray()
    for index in range(len(palette) // 3):
        a = alpha[index] if index < len(alpha) else 255
        out += bytes(round((c * a + 255 * (255 - a)) / 255) for c in palette[3 * index : 3 * index + 3])
    return bytes(out)


class _PngImage(PDFObject):
    """An image XObject whose stream is the PNG's own zlib data, undone by PNG predictors."""

    def __init__(self, png: PngPixels) -> None:
        self.png = png

    def format(self, document: object) -> bytes:
        """The PDF stream object (reportlab calls this when it writes the file).

        Written out directly: reportlab's generic dictionary formatting of 2,500 images was a
        second of a feature's export. A single filter is a name, not an array, because poppler
        reads a dictionary DecodeParms only then.
        """
        png = self.png
        space, colours = _SPACES[png.colour_type]
        if png.colour_type == 3:
            lookup = PDFText(png.palette).format(document).decode("latin-1")  # hex, encrypted if the PDF is
            space = f"[ /Indexed /DeviceRGB {len(png.palette) // 3 - 1} {lookup} ]"
        else:
            space = f"/{space}"
        data = document.encrypt.encode(png.data)  # type: ignore[attr-defined]
        head = (
            f"<<\n/BitsPerComponent {png.bits} /ColorSpace {space} /DecodeParms <<\n"
            f"/BitsPerComponent {png.bits} /Colors {colours} /Columns {png.width} /Predictor 15\n>> "
            f"/Filter /FlateDecode /Height {png.height} /Length {len(data)} /Subtype /Image /Type /XObject "
            f"/Width {png.width}\n>>\nstream\n"
        )
        return head.encode("latin-1") + data + b"endstream\n"


class _JpegImage(PDFObject):
    """An image XObject holding JPEG data as it is (`/DCTDecode`)."""

    def __init__(self, data: bytes, width: int, height: int) -> None:
        self.data, self.width, self.height = data, width, height

    def format(self, document: object) -> bytes:
        """The PDF stream object."""
        stream = PDFStream(content=self.data)
        entries = stream.dictionary
        entries["Type"] = PDFName("XObject")
        entries["Subtype"] = PDFName("Image")
        entries["Width"] = self.width
        entries["Height"] = self.height
        entries["BitsPerComponent"] = 8
        entries["ColorSpace"] = PDFName("DeviceRGB")
        entries["Filter"] = PDFName("DCTDecode")
        return stream.format(document)


class PdfStills:
    """Draws storyboard frames on one reportlab canvas, each embedded once.

    A small PNG (a sketch: at most PASS_BYTES of image data) goes in as it is; anything else
    (a photographic frame, alpha, another format) is decoded once, flattened onto white and
    embedded as a JPEG at DPI for the box it is first drawn in, so big frames do not make
    a feature's sheet gigabytes.
    """

    PASS_BYTES = 64 * 1024
    DPI = 180.0

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self._png: dict[Path, PngPixels | None] = {}
        self._names: dict[Path, str | None] = {}

    def size(self, path: Path) -> tuple[int, int] | None:
        """The frame's pixel size, or None when it cannot be read."""
        png = self._plain_png(path)
        if png is not None:
            return png.width, png.height
        try:
            with Image.open(path) as opened:
                return opened.size
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
            return None

    def draw(self, path: Path, x: float, y: float, width: float, height: float) -> bool:
        """Draw the image file stretched into the box; False (nothing drawn) when it is unreadable."""
        name = self._register(path, max(width, height))
        if name is None:
            return False
        self.canvas.saveState()
        self.canvas.translate(x, y)
        self.canvas.scale(width, height)
        self.canvas.doForm(name)  # `Do` on a named XObject: an image fills the unit square
        self.canvas.restoreState()
        return True

    def _plain_png(self, path: Path) -> PngPixels | None:
        if path not in self._png:
            png = read_png(path)
            self._png[path] = png if png is not None and len(png.data) <= self.PASS_BYTES else None
        return self._png[path]

    def _register(self, path: Path, longest: float) -> str | None:
        """Add the frame to the document once; None when it cannot be read."""
        if path not in self._names:
            png = self._plain_png(path)
            image = _PngImage(png) if png is not None else _jpeg(path, round(longest * self.DPI / 72))
            name = None
            if image is not None:
                name = f"still{len(self._names)}"
                self.canvas._doc.addForm(name, image)  # reportlab's registry of named XObjects
            self._names[path] = name
        return self._names[path]


def _jpeg(path: Path, longest: int) -> _JpegImage | None:
    """Decode any image, flatten it onto white, shrink it to `longest` pixels and JPEG it."""
    try:
        with Image.open(path) as opened:
            opened.load()
            image = opened.convert("RGBA")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        log.warning("pdf_still_unreadable", path=str(path), error=str(exc))
        return None
    flat = Image.alpha_composite(Image.new("RGBA", image.size, (255, 255, 255, 255)), image).convert("RGB")
    flat.thumbnail((max(1, longest), max(1, longest)), Image.Resampling.LANCZOS)
    data = BytesIO()
    flat.save(data, format="JPEG", quality=85)
    return _JpegImage(data.getvalue(), flat.width, flat.height)
