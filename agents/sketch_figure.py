"""The storyboard mannequin: one figure per character, the same on its card and in every frame.

A figure is described in body units (top of the head 0, feet 1, centre line x = 0) and drawn
through a `Canvas` that maps body units to pixels, with a keystone for low and high angles and a
roll for dutch angles. What a figure looks like (build, height, hair, coat, colour) comes from
the character library only, so a character reads the same from the first sketch to the last.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageDraw, ImageFont

from filmcrew.domain import Character, Look

RGB = tuple[int, int, int]
Points = list[tuple[float, float]]
Paint = Callable[[Points, "RGB | None"], None]
INK: RGB = (40, 40, 46)
GUEST: RGB = (150, 150, 150)
SKIN: RGB = (238, 226, 212)
HAIR_COLOURS: dict[str, RGB] = {
    "grey": (150, 150, 152), "gray": (150, 150, 152), "silver": (190, 190, 195), "white": (225, 225, 220),
    "blonde": (222, 190, 110), "blond": (222, 190, 110), "red": (170, 70, 40), "ginger": (190, 95, 40),
    "auburn": (130, 50, 35), "brown": (95, 65, 40), "black": (35, 35, 40), "dark": (50, 45, 45),
}
COLOUR_WORDS: dict[str, RGB] = {
    "red": (200, 50, 60), "scarlet": (205, 35, 45), "crimson": (170, 20, 50), "rust": (183, 71, 42),
    "orange": (235, 110, 30), "amber": (230, 160, 20), "yellow": (236, 190, 20), "mustard": (200, 160, 40),
    "gold": (212, 170, 40), "green": (60, 150, 80), "olive": (110, 130, 50), "teal": (0, 121, 140),
    "turquoise": (40, 180, 180), "blue": (46, 100, 180), "navy": (40, 55, 100), "purple": (125, 78, 168),
    "violet": (140, 90, 200), "pink": (220, 90, 140), "brown": (120, 80, 45), "tan": (196, 160, 110),
    "beige": (215, 200, 170), "grey": (130, 130, 135), "gray": (130, 130, 135), "black": (45, 45, 50),
    "white": (240, 240, 235), "cream": (238, 228, 200), "khaki": (180, 170, 120), "denim": (70, 100, 150),
}


def hex_to_rgb(value: str) -> RGB:
    """Turn `#rrggbb` into an RGB tuple (grey for anything else)."""
    if re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
    return GUEST


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Blend two colours: t = 0 gives a, t = 1 gives b."""
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def text_colour(fill: RGB) -> RGB:
    """Pick black or white text for legibility on a fill."""
    luma = 0.299 * fill[0] + 0.587 * fill[1] + 0.114 * fill[2]
    return (20, 20, 20) if luma > 150 else (255, 255, 255)


@lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Return Pillow's bundled font at a size (no system fonts needed); cached for speed."""
    loaded = ImageFont.load_default(size=max(6, size))
    if type(loaded) is ImageFont.FreeTypeFont:
        loaded.__class__ = _KeptMasks  # same font and state; only the rendering is remembered
    return loaded


MASKS_KEPT = 4096  # text masks kept across frames, all sizes together


class _KeptMasks(ImageFont.FreeTypeFont):
    """Pillow's font, keeping each rendered text mask: a storyboard repeats the same labels
    (sizes, names, marks) frame after frame, and rendering text is a quarter of a sketch.

    A grey-level mask is only read when drawn, so one can serve every frame; colour (RGBA)
    masks are changed by the drawing and are rendered each time.
    """

    _masks: dict[tuple[object, ...], tuple[object, tuple[int, int]]] = {}

    def getmask2(self, text: str, mode: str = "", *args: object, **kwargs: object) -> tuple[object, tuple[int, int]]:
        """Render a text's mask once per font, text and rendering options."""
        if mode == "RGBA":
            return super().getmask2(text, mode, *args, **kwargs)  # type: ignore[arg-type]
        key = (id(self), text, mode, args, tuple(sorted(kwargs.items())))
        kept = self._masks.get(key)
        if kept is None:
            kept = super().getmask2(text, mode, *args, **kwargs)  # type: ignore[arg-type]
            if len(self._masks) >= MASKS_KEPT:
                self._masks.clear()
            self._masks[key] = kept
        return kept


_PUNCTUATION = str.maketrans({"\u2014": " - ", "\u2013": "-", "\u2026": "...", "\u2212": "-", "\u00a0": " "})


def plain(text: str) -> str:
    """Swap dashes and ellipses the bundled bitmap-mode font may lack for ASCII ones."""
    return " ".join(text.translate(_PUNCTUATION).split())


@dataclass(frozen=True)
class Figure:
    """How one character is drawn: derived from the library, identical on the card and in frames."""

    name: str
    color: RGB
    garment: RGB
    width: float = 1.0
    height: float = 1.0
    hair: str = "short"
    hair_colour: RGB = (60, 55, 55)
    beard: bool = False
    outer: str = ""
    hat: bool = False
    glasses: bool = False
    headphones: bool = False
    guest: bool = False


def look_for_scene(character: Character, scene: int | None) -> Look | None:
    """Return the look a character wears in a scene (the last look listed for it)."""
    chosen: Look | None = None
    for look in character.looks:
        if scene is not None and scene in look.scenes:
            chosen = look
    return chosen


def figure_for(name: str, character: Character | None, scene: int | None = None) -> Figure:
    """Derive a figure from a character's canonical look and (if any) the scene's look."""
    if character is None:
        return Figure(name=name, color=GUEST, garment=mix(GUEST, (255, 255, 255), 0.3), guest=True)
    look = look_for_scene(character, scene)
    wardrobe = look.wardrobe if look and look.wardrobe else character.signature_wardrobe
    hair = " ".join([look.hair if look and look.hair else "", character.hair]).casefold()
    colour = hex_to_rgb(character.color)
    words = " ".join(wardrobe).casefold()
    return Figure(
        name=character.name,
        color=colour,
        garment=_garment_colour(wardrobe, colour),
        width=_build_width(character.build),
        height=_age_height(character.age),
        hair=_hair_style(hair),
        hair_colour=_hair_colour(hair, colour),
        beard=bool(re.search(r"beard|stubble", hair + " " + character.face.casefold())),
        outer=_outer(words),
        hat=bool(re.search(r"\b(hat|cap|beanie|helmet|beret|fedora)\b", words)),
        glasses=bool(re.search(r"glasses|spectacles|goggles", words + character.face.casefold())),
        headphones="headphones" in words,
    )


def _garment_colour(wardrobe: list[str], fallback: RGB) -> RGB:
    """Colour the key garment by the first colour word its description names."""
    for phrase in wardrobe:
        for word in re.findall(r"[a-z]+", phrase.casefold()):
            if word in COLOUR_WORDS:
                return COLOUR_WORDS[word]
    return fallback


def _hair_colour(hair: str, fallback: RGB) -> RGB:
    """Colour hair by the colour word its description names, else a dark shade of the character's."""
    for word in re.findall(r"[a-z]+", hair):
        if word in HAIR_COLOURS:
            return HAIR_COLOURS[word]
    return mix(fallback, INK, 0.6)


def _build_width(build: str) -> float:
    """Widen or narrow the figure by build words."""
    text = build.casefold()
    if re.search(r"stocky|heavy|broad|burly|stout|plump|big|hulking|hefty", text):
        return 1.22
    if re.search(r"wiry|slim|slender|thin|skinny|lanky|petite|gaunt|frail|willowy|bony", text):
        return 0.86
    return 1.0


def _age_height(age: str) -> float:
    """Shrink children and young teens; adults are full height."""
    text = age.casefold()
    number = re.search(r"\d+", text)
    years = int(number.group(0)) if number else None
    if years is not None and years < 10 or re.search(r"child|kid|toddler|baby", text):
        return 0.62
    if years is not None and years < 14:
        return 0.8
    if years is not None and years < 17 or "teen" in text:
        return 0.94
    return 1.0


def _hair_style(text: str) -> str:
    """Reduce a hair description to a drawable style."""
    for style, pattern in (("bald", r"bald|shaved head"), ("bun", r"\bbun\b|topknot"),
                           ("ponytail", r"ponytail|pony tail"), ("long", r"long|braid|plait|dreadlock|flowing"),
                           ("curly", r"curl|afro")):
        if re.search(pattern, text):
            return style
    return "short"


def _outer(words: str) -> str:
    """Pick the garment that most changes a silhouette."""
    for kind, pattern in (("coat", r"\b(coat|overcoat|raincoat|trenchcoat|parka|oilskin|cloak|mac)\b"),
                          ("dress", r"\b(dress|gown|skirt|robe|kimono|sari)\b"),
                          ("hoodie", r"\bhoodie|hood\b"), ("jacket", r"\b(jacket|blazer|anorak|cardigan|fleece)\b")):
        if re.search(pattern, words):
            return kind
    return ""


class Canvas:
    """Draw polygons in pixel space with an optional dutch roll about the frame centre."""

    def __init__(self, draw: ImageDraw.ImageDraw, size: tuple[int, int], roll_deg: float = 0.0) -> None:
        self.draw = draw
        self.w, self.h = size
        self.cos = math.cos(math.radians(roll_deg))
        self.sin = math.sin(math.radians(roll_deg))
        self.rolled = roll_deg != 0.0

    def pt(self, x: float, y: float) -> tuple[float, float]:
        """Apply the roll to one pixel point."""
        if not self.rolled:
            return (x, y)
        dx, dy = x - self.w / 2, y - self.h / 2
        return (self.w / 2 + dx * self.cos - dy * self.sin, self.h / 2 + dx * self.sin + dy * self.cos)

    def poly(self, pts: list[tuple[float, float]], fill: RGB | None, outline: RGB | None = INK, width: int = 2) -> None:
        """Fill and outline a polygon given in unrolled pixel space."""
        self.draw.polygon([self.pt(x, y) for x, y in pts], fill=fill, outline=outline, width=width)

    def line(self, pts: list[tuple[float, float]], fill: RGB, width: int = 2) -> None:
        """Draw a polyline given in unrolled pixel space."""
        self.draw.line([self.pt(x, y) for x, y in pts], fill=fill, width=width, joint="curve")


@dataclass(frozen=True)
class Place:
    """Where a figure stands: body centre x, head top y, pixels per body unit, facing, keystone.

    facing: -1 looks screen left, 1 screen right, 0 at camera, 2 away from camera (an OTS shoulder).
    """

    cx: float
    top: float
    scale: float
    facing: int = 0
    keystone: float = 0.0
    turn: float = 1.0  # how far the face is turned towards `facing` (0.5 three-quarter, 1.5 profile)
    squeeze: float = 1.0  # body width seen from this side (a profile is narrower)


def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 18) -> list[tuple[float, float]]:
    """Approximate an ellipse in body units as a polygon."""
    return [(cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n)) for i in range(n)]


def _map(place: Place, pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Map body-unit points to pixels, widening the lower body for a low angle (keystone > 0)."""
    out = []
    for x, y in pts:
        k = (1.0 + place.keystone * (y - 0.45)) * place.squeeze
        out.append((place.cx + x * place.scale * k, place.top + y * place.scale))
    return out


def draw_figure(canvas: Canvas, fig: Figure, place: Place, line_width: int = 2) -> tuple[float, float, float, float]:
    """Draw a standing figure and return its pixel bounding box (left, top, right, bottom)."""
    skin, body = SKIN, mix(fig.color, (255, 255, 255), 0.45)
    if place.facing == 2:
        body = mix(fig.color, INK, 0.4)
    w, h = fig.width, fig.height
    lw = line_width
    top = 1.0 - h  # shorter figures stand on the same ground line

    def part(pts: Points, fill: RGB | None) -> None:
        canvas.poly(_map(place, [(x * h, top + y * h) for x, y in pts]), fill, INK, lw)

    toe = 0.035 * (place.facing if place.facing in (-1, 1) else 0)
    for side in (-1, 1):  # legs with shoes, then arms with hands, behind the torso
        part([(side * 0.015 * w, 0.52), (side * 0.075 * w, 0.52), (side * 0.07 * w, 0.97), (side * 0.025 * w, 0.97)], body)
        part([(side * 0.022 * w + min(toe, 0), 0.965), (side * 0.073 * w + max(toe, 0), 0.965),
              (side * 0.075 * w + max(toe, 0), 1.0), (side * 0.02 * w + min(toe, 0), 1.0)], INK)
    for side in (-1, 1):
        part([(side * 0.1 * w, 0.17), (side * 0.14 * w, 0.18), (side * 0.17 * w, 0.5), (side * 0.13 * w, 0.51)], body)
        part(_ellipse(side * 0.152 * w, 0.53, 0.024, 0.03, 10), skin)
    part([(-0.125 * w, 0.17), (0.125 * w, 0.17), (0.1 * w, 0.53), (-0.1 * w, 0.53)], body)
    _draw_outer(part, fig, w)
    part([(-0.025, 0.12), (0.025, 0.12), (0.025, 0.175), (-0.025, 0.175)], skin)
    _draw_head(canvas, part, fig, place, skin, lw)
    return _bbox(_map(place, [(-0.18 * w * h, top), (0.18 * w * h, 1.0)]))


def _draw_outer(paint: Paint, fig: Figure, w: float) -> None:
    """Draw the silhouette-changing garment (coat, dress, jacket, hoodie) in its colour."""
    colour = fig.garment
    if fig.outer == "coat":
        paint([(-0.135 * w, 0.165), (0.135 * w, 0.165), (0.16 * w, 0.76), (-0.16 * w, 0.76)], colour)
    elif fig.outer == "dress":
        paint([(-0.1 * w, 0.45), (0.1 * w, 0.45), (0.17 * w, 0.78), (-0.17 * w, 0.78)], colour)
    elif fig.outer in ("jacket", "hoodie"):
        paint([(-0.135 * w, 0.165), (0.135 * w, 0.165), (0.115 * w, 0.56), (-0.115 * w, 0.56)], colour)
    else:
        paint([(-0.125 * w, 0.17), (0.125 * w, 0.17), (0.105 * w, 0.4), (-0.105 * w, 0.4)], colour)


def _draw_head(canvas: Canvas, paint: Paint, fig: Figure, place: Place, skin: RGB, lw: int) -> None:
    """Draw hair behind, the head, the face (towards `facing`) and headwear."""
    hair = fig.hair_colour
    face_x = max(-0.03, min(0.03, {-1: -0.02, 1: 0.02}.get(place.facing, 0.0) * place.turn))
    if fig.hair == "long" or (fig.outer == "hoodie"):
        shade = mix(fig.garment, INK, 0.2) if fig.outer == "hoodie" else hair
        paint([(-0.06, 0.03), (0.06, 0.03), (0.07, 0.19), (-0.07, 0.19)], shade)
    paint(_ellipse(0.0, 0.065, 0.048, 0.065), skin)
    if place.facing == 2:
        paint(_ellipse(0.0, 0.06, 0.049, 0.062), hair)
    elif fig.hair != "bald":
        paint(_ellipse(-face_x * 0.6, 0.024, 0.05, 0.03, 14), hair)
    if fig.hair == "bun":
        paint(_ellipse(0.0, -0.008, 0.024, 0.02, 12), hair)
    elif fig.hair == "ponytail":
        side = -1 if place.facing == 1 else 1
        paint([(side * 0.04, 0.04), (side * 0.075, 0.05), (side * 0.07, 0.12), (side * 0.05, 0.11)], hair)
    elif fig.hair == "curly":
        for dx in (-0.04, 0.0, 0.04):
            paint(_ellipse(dx, 0.012, 0.022, 0.02, 10), hair)
    if place.facing != 2 and place.scale * 0.13 >= 18:
        _draw_face(canvas, fig, place, face_x, lw)
    if fig.hat:
        paint([(-0.058, 0.005), (0.058, 0.005), (0.07, 0.03), (-0.07, 0.03)], fig.garment)
    if fig.headphones:
        for side in (-1, 1):
            paint(_ellipse(side * 0.05, 0.07, 0.012, 0.02, 10), INK)


def _draw_face(canvas: Canvas, fig: Figure, place: Place, face_x: float, lw: int) -> None:
    """Eyes, nose and mouth, turned towards where the figure looks (an eyeline cue)."""
    top = 1.0 - fig.height

    def at(x: float, y: float) -> tuple[float, float]:
        return _map(place, [(x * fig.height, top + y * fig.height)])[0]

    eye = max(1.5, place.scale * fig.height * 0.004)
    for dx in (-0.017, 0.017):
        x, y = at(face_x + dx, 0.062)
        canvas.poly([(x + eye * 1.3 * cx, y + eye * cy) for cx, cy in _ellipse(0, 0, 1, 1, 10)], INK, None, 1)
        if fig.glasses:
            r = eye * 3
            canvas.poly([(x - r, y - r * 0.8), (x + r, y - r * 0.8), (x + r, y + r * 0.8), (x - r, y + r * 0.8)], None, INK, lw)
    canvas.line([at(face_x * 1.2, 0.072), at(face_x * 1.9 + (0.006 if face_x >= 0 else -0.006), 0.088),
                 at(face_x * 1.2, 0.09)], INK, lw)
    canvas.line([at(face_x - 0.014, 0.106), at(face_x + 0.014, 0.106)], INK, lw)
    if fig.beard:
        chin = [at(face_x - 0.035, 0.1), at(face_x + 0.035, 0.1), at(face_x + 0.02, 0.128), at(face_x - 0.02, 0.128)]
        canvas.poly(chin, mix(fig.color, INK, 0.6), None, 1)


def draw_top_down(canvas: Canvas, fig: Figure, cx: float, cy: float, scale: float, facing: int) -> tuple[float, float, float, float]:
    """Draw a figure seen from straight above (overhead shots): shoulders, head and nose."""
    body = mix(fig.color, (255, 255, 255), 0.45)
    r_sh, r_head = 0.14 * fig.width * scale, 0.05 * scale
    canvas.poly([(cx + x * r_sh, cy + y * r_sh * 0.45) for x, y in _ellipse(0, 0, 1, 1)], fig.garment)
    canvas.poly([(cx + x * r_head, cy + y * r_head) for x, y in _ellipse(0, 0, 1, 1, 14)], mix(fig.color, INK, 0.6))
    nose = 1 if facing >= 0 else -1
    canvas.poly([(cx + nose * r_head * 1.4, cy), (cx + nose * r_head * 0.8, cy - r_head * 0.35),
                 (cx + nose * r_head * 0.8, cy + r_head * 0.35)], body)
    return (cx - r_sh, cy - r_sh * 0.45, cx + r_sh, cy + r_sh * 0.45)


def _bbox(pts: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """Return the bounding box of two corner points."""
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def label(draw: ImageDraw.ImageDraw, text: str, x: float, y: float, fill: RGB, size: int,
          bounds: tuple[int, int]) -> None:
    """Draw a name tag centred on x at y, in the character's colour, kept inside the frame."""
    f = font(size)
    text = plain(text)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=f)
    tw, th = right - left, bottom - top
    pad = max(2, size // 4)
    bx = min(max(2.0, x - tw / 2 - pad), bounds[0] - tw - 2 * pad - 2)
    by = min(max(2.0, y), bounds[1] - th - 2 * pad - 2)
    draw.rectangle((bx, by, bx + tw + 2 * pad, by + th + 2 * pad), fill=fill, outline=INK)
    draw.text((bx + pad - left, by + pad - top), text, fill=text_colour(fill), font=f)
