"""Composing one schematic storyboard frame: set, figures by shot size, arrows, labels.

The conventions are the ones a storyboard artist uses on paper: the horizon sits at the
subjects' eye line for an eye-level camera, below them for a low angle and above for a high one;
a WS shows whole bodies small, a CU fills the frame with a head; camera moves are red arrows
(corner arrows into a smaller frame for a dolly in), subject moves are arrows in the subject's
colour. Everything is a function of the shot row and the library, so the same shot always draws
the same pixels.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from filmcrew.agents.sketch_figure import (
    INK,
    RGB,
    Canvas,
    Figure,
    Place,
    draw_figure,
    draw_top_down,
    figure_for,
    font,
    label,
    mix,
)
from filmcrew.domain import CharacterLibrary, Shot
from filmcrew.errors import InputError

MOVE: RGB = (214, 40, 57)
LONG_SIDE = 640
# size -> (pixels of whole body per frame height, head-top as a fraction of frame height)
SIZE_SPEC: dict[str, tuple[float, float]] = {
    "EWS": (0.14, 0.64), "WS": (0.42, 0.44), "FS": (0.84, 0.08), "MWS": (1.31, 0.07),
    "MS": (1.86, 0.07), "MCU": (3.0, 0.08), "CU": (5.0, 0.06), "ECU": (11.0, -0.16), "INSERT": (5.0, 0.06),
}
SIZE_ALIASES = {
    "XWS": "EWS", "ELS": "EWS", "XLS": "EWS", "EXTREME WIDE": "EWS", "LS": "WS", "WIDE": "WS", "LONG": "WS",
    "FULL": "FS", "MLS": "MWS", "COWBOY": "MWS", "MEDIUM WIDE": "MWS", "MEDIUM": "MS", "MID": "MS",
    "MEDIUM CLOSE-UP": "MCU", "CLOSE-UP": "CU", "CLOSE UP": "CU", "BCU": "ECU", "XCU": "ECU",
    "EXTREME CLOSE-UP": "ECU", "INS": "INSERT",
}
PAPER = {"night": (64, 70, 84), "dusk": (222, 214, 228), "dawn": (236, 226, 214), "day": (248, 246, 240)}
MAX_FIGURES = 8


@dataclass
class Frame:
    """A frame being drawn: its image, canvas, geometry and what it has drawn so far."""

    image: Image.Image
    draw: ImageDraw.ImageDraw
    canvas: Canvas
    w: int
    h: int
    unit: int
    drawn: list[str] = field(default_factory=list)


def frame_size(aspect: str) -> tuple[int, int]:
    """Return thumbnail pixels for an aspect like `16:9` or `2.39:1` (640 px on the long side)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)\s*", aspect or "")
    if not match or float(match.group(1)) <= 0 or float(match.group(2)) <= 0:
        raise InputError(f"unknown aspect ratio {aspect!r}; use e.g. 16:9, 9:16, 2.39:1 or 4:5")
    ratio = float(match.group(1)) / float(match.group(2))
    if not 0.2 <= ratio <= 5:
        raise InputError(f"aspect ratio {aspect!r} is out of range")
    if ratio >= 1:
        return LONG_SIDE, round(LONG_SIDE / ratio)
    return round(LONG_SIDE * ratio), LONG_SIDE


def shot_size(shot: Shot) -> str:
    """Normalise a shot size to the vocabulary of film-grammar.md §2 (unknown -> MS)."""
    size = " ".join(shot.size.upper().replace(".", "").split())
    size = SIZE_ALIASES.get(size, size)
    if shot.type.casefold() == "insert":
        return "INSERT"
    return size if size in SIZE_SPEC else "MS"


def angle_of(shot: Shot) -> str:
    """Reduce the angle field to eye, high, low, overhead, worm or dutch."""
    text = shot.angle.casefold()
    for key, pattern in (("overhead", r"overhead|bird|top.?down"), ("worm", r"worm"), ("dutch", r"dutch|canted|oblique"),
                         ("high", r"high"), ("low", r"low")):
        if re.search(pattern, text):
            return key
    return "eye"


def light_of(shot: Shot) -> str:
    """Map the time of day onto the paper tone of the frame."""
    text = shot.time_of_day.casefold()
    if re.search(r"night|midnight", text):
        return "night"
    if re.search(r"dusk|evening|sunset|twilight|nightfall|magic", text):
        return "dusk"
    if re.search(r"dawn|sunrise|daybreak|morning", text):
        return "dawn"
    return "day"


def new_frame(aspect: str, shot: Shot, mode: str = "P") -> Frame:
    """Create the blank frame in the paper tone of its time of day, rolled for a dutch angle.

    Frames are drawn straight into a palette image: flat fills need few colours, and an 8-bit
    PNG encodes several times faster than RGB, which keeps a feature's thousand frames quick.
    Text is then drawn without anti-aliasing (blending palette indices would make noise).
    """
    w, h = frame_size(aspect)
    image = Image.new(mode, (w, h), PAPER[light_of(shot)])
    draw = ImageDraw.Draw(image)
    if mode == "P":
        draw.fontmode = "1"
    roll = -10.0 if angle_of(shot) == "dutch" else 0.0
    return Frame(image=image, draw=draw, canvas=Canvas(draw, (w, h), roll), w=w, h=h, unit=min(w, h))


# --- the set ---------------------------------------------------------------------------------


def draw_set(frame: Frame, shot: Shot, horizon: float | None) -> None:
    """Draw the location: sky, horizon and ground lines outside; walls and floor inside."""
    night = light_of(shot) == "night"
    line = (120, 128, 146) if night else (170, 165, 155)
    w, h = frame.w, frame.h
    if horizon is None:  # overhead: a floor grid seen from above
        step = max(24, frame.unit // 6)
        for x in range(-step, w + step, step):
            frame.canvas.line([(x, -h), (x, 2 * h)], line, 1)
        for y in range(-step, h + step, step):
            frame.canvas.line([(-w, y), (2 * w, y)], line, 1)
        return
    exterior = shot.int_ext.upper().startswith("EXT") or (shot.int_ext.upper() == "" and "EXT" in shot.location.upper())
    if exterior:
        _exterior(frame, shot, horizon, line, night)
    else:
        _interior(frame, horizon, line)


def _exterior(frame: Frame, shot: Shot, horizon: float, line: RGB, night: bool) -> None:
    """Outdoor set: ground tone under the horizon, a skyline block, perspective lines."""
    w, h, c = frame.w, frame.h, frame.canvas
    ground = mix(PAPER["night" if night else "day"], line, 0.25)
    c.poly([(-w, horizon), (2 * w, horizon), (2 * w, 2 * h), (-w, 2 * h)], ground, None, 1)
    seed = zlib.crc32(shot.location.encode("utf-8"))
    x = w * (0.1 + (seed % 7) / 20)
    for i in range(3):  # a deterministic skyline per location, so one place reads as one place
        bw, bh = w * (0.08 + ((seed >> (3 * i)) % 5) / 40), h * (0.06 + ((seed >> (2 * i + 5)) % 6) / 30)
        c.poly([(x, horizon), (x, horizon - bh), (x + bw, horizon - bh), (x + bw, horizon)], mix(ground, line, 0.5), line, 1)
        x += bw + w * (0.05 + ((seed >> (i + 9)) % 4) / 10)
    for i in range(-3, 4):
        c.line([(w / 2 + i * w * 0.04, horizon), (w / 2 + i * w * 0.6, h * 2)], line, 1)
    c.line([(-w, horizon), (2 * w, horizon)], mix(line, INK, 0.3), 2)
    if night:
        r = frame.unit * 0.05
        c.poly([(w * 0.86 + r * dx, h * 0.2 + r * dy) for dx, dy in _circle()], (230, 232, 210), None, 1)


def _interior(frame: Frame, horizon: float, line: RGB) -> None:
    """Indoor set: a one-point room (back wall, floor and ceiling lines) with a window."""
    w, h, c = frame.w, frame.h, frame.canvas
    bx0, bx1 = w * 0.2, w * 0.8
    by0, by1 = horizon - h * 0.32, horizon + h * 0.2
    c.poly([(bx0, by0), (bx1, by0), (bx1, by1), (bx0, by1)], None, line, 1)
    for (x, y), (tx, ty) in (((bx0, by0), (-w, by0 - h)), ((bx1, by0), (2 * w, by0 - h)),
                             ((bx0, by1), (-w, by1 + h)), ((bx1, by1), (2 * w, by1 + h))):
        c.line([(x, y), (tx, ty)], line, 1)
    wx, wy = w * 0.58, by0 + h * 0.08
    c.poly([(wx, wy), (wx + w * 0.12, wy), (wx + w * 0.12, wy + h * 0.16), (wx, wy + h * 0.16)], None, line, 1)


def _circle(n: int = 16) -> list[tuple[float, float]]:
    """Unit circle points."""
    import math

    return [(math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i in range(n)]


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """Where one subject goes: body centre (fraction of width), facing, and a size factor."""

    name: str
    x: float
    facing: int
    factor: float = 1.0
    dy: float = 0.0


def layout(shot: Shot, names: list[str]) -> list[Slot]:
    """Block the subjects: singles on a third with looking room, pairs facing, groups spread."""
    kind = shot.type.casefold()
    side = shot.screen_side.casefold()
    if not names:
        return []
    moving = screen_direction(shot.direction)
    if len(names) == 1:
        if side.startswith("l"):
            return [Slot(names[0], 0.36, 1)]
        if side.startswith("r"):
            return [Slot(names[0], 0.64, -1)]
        return [Slot(names[0], 0.5 - 0.1 * moving, moving)]
    if "ots" in kind or "over" in kind:
        front, back = _ots_roles(shot, names)
        flip = side.startswith("l")
        slots = [Slot(front, 0.36 if flip else 0.64, 1 if flip else -1)]
        slots += [Slot(n, 0.88 if flip else 0.12, 2, 1.25, 0.3) for n in back]
        return slots
    if len(names) == 2:
        if moving:  # walking together: both face the way they go
            return [Slot(names[0], 0.34, moving), Slot(names[1], 0.6, moving)]
        return [Slot(names[0], 0.32, 1), Slot(names[1], 0.68, -1)]
    n = min(len(names), MAX_FIGURES)
    xs = [0.14 + 0.72 * i / (n - 1) for i in range(n)]
    return [Slot(names[i], xs[i], 1 if xs[i] < 0.45 else (-1 if xs[i] > 0.55 else 0), 1.0 - 0.06 * (i % 2), -0.03 * (i % 2))
            for i in range(n)]


def screen_direction(text: str) -> int:
    """Read a screen direction: +1 towards screen right, -1 towards screen left, 0 none."""
    t = text.casefold().replace(" ", "")
    if re.search(r"l>r|l->r|lefttoright|toright|screenright|right$", t):
        return 1
    if re.search(r"r>l|r->l|righttoleft|toleft|screenleft|left$", t):
        return -1
    return 0


def _ots_roles(shot: Shot, names: list[str]) -> tuple[str, list[str]]:
    """Split an OTS into the subject facing camera and the shoulder(s) in the foreground."""
    over = re.search(r"over\s+(?:the\s+)?(.+?)(?:'s|’s|s')?\s+shoulder", shot.description, re.I)
    if over:
        said = over.group(1).casefold()
        back = [n for n in names if n.casefold() in said or said in n.casefold()]
        if back and len(back) < len(names):
            return next(n for n in names if n not in back), back
    return names[0], names[1:]


def figure_scale(frame: Frame, size: str, count: int) -> tuple[float, float]:
    """Return (pixels per body unit, head-top y) for a shot size, shrunk so a pair or group fits."""
    per_h, top = SIZE_SPEC[size]
    scale = per_h * frame.h
    if count > 1:
        fit = 0.95 * frame.w / (count * 0.34)
        if scale > fit:
            top_px = top * frame.h
            return fit, top_px + (scale - fit) * 0.06  # keep the eyes near where they were
    return scale, top * frame.h


def draw_figures(frame: Frame, shot: Shot, library: CharacterLibrary, names: list[str], size: str,
                 keystone: float) -> list[tuple[Figure, Place]]:
    """Draw each blocked subject as its library figure; record who was drawn."""
    slots = layout(shot, names)
    front = [s for s in slots if s.facing != 2]
    scale, top = figure_scale(frame, size, max(1, len(front)))
    placed: list[tuple[Figure, Place]] = []
    for slot in sorted(slots, key=lambda s: (s.facing == 2, s.dy)):
        fig = figure_for(slot.name, library.get(slot.name), shot.scene)
        s = scale * slot.factor
        place = Place(cx=slot.x * frame.w, top=top + slot.dy * frame.h - (s - scale) * 0.04, scale=s,
                      facing=slot.facing, keystone=keystone)
        draw_figure(frame.canvas, fig, place, max(1, frame.unit // 180))
        frame.drawn.append(slot.name)
        placed.append((fig, place))
    return placed


def draw_overhead(frame: Frame, shot: Shot, library: CharacterLibrary, names: list[str], size: str) -> list[tuple[Figure, Place]]:
    """Draw subjects from straight above, spread across the floor."""
    placed: list[tuple[Figure, Place]] = []
    per_h, _ = SIZE_SPEC[size]
    scale = min(per_h, 1.6) * frame.h * 0.8
    for slot in layout(shot, names):
        fig = figure_for(slot.name, library.get(slot.name), shot.scene)
        cx, cy = slot.x * frame.w, frame.h * (0.5 + slot.dy)
        draw_top_down(frame.canvas, fig, cx, cy, scale, slot.facing)
        frame.drawn.append(slot.name)
        placed.append((fig, Place(cx=cx, top=cy - 0.1 * scale, scale=scale, facing=slot.facing)))
    return placed


def draw_insert(frame: Frame, shot: Shot, library: CharacterLibrary, names: list[str]) -> list[tuple[Figure, Place]]:
    """Draw an insert: the prop large in the middle, a hand for each character handling it."""
    w, h, c = frame.w, frame.h, frame.canvas
    props = [n for n in names if library.get(n) is None] or [_prop_word(shot, library)]
    people = [n for n in names if library.get(n) is not None]
    for i, prop in enumerate(props[:3]):
        cx = w * (i + 1) / (min(len(props), 3) + 1)
        bw, bh = w * 0.5 / min(len(props), 3), h * 0.34
        c.poly([(cx - bw / 2, h * 0.36), (cx + bw / 2, h * 0.36), (cx + bw / 2, h * 0.36 + bh), (cx - bw / 2, h * 0.36 + bh)],
               (236, 230, 214), INK, max(2, frame.unit // 120))
        label(frame.draw, prop.upper(), cx, h * 0.36 + bh / 2 - frame.unit * 0.04, (255, 255, 255), frame.unit // 14, (w, h))
        if prop in names:
            frame.drawn.append(prop)
    placed = []
    for i, name in enumerate(people[:4]):  # a hand (and forearm) per person, from the frame edge
        fig = figure_for(name, library.get(name), shot.scene)
        sign = -1 if i % 2 == 0 else 1
        x0, reach = w * (0.5 + sign * (0.42 - 0.16 * (i // 2))), 0.16 - 0.06 * (i // 2)
        c.poly([(x0 - w * 0.06, h * 1.05), (x0 + w * 0.06, h * 1.05), (w * (0.5 + sign * reach), h * 0.62),
                (w * (0.5 + sign * (reach + 0.06)), h * 0.56)], mix(fig.color, (255, 255, 255), 0.45), INK, 2)
        frame.drawn.append(name)
        placed.append((fig, Place(cx=x0, top=h * 0.62, scale=h, facing=-sign)))
    return placed


def _prop_word(shot: Shot, library: CharacterLibrary) -> str:
    """Name the object of an insert: the first word in caps in its description that is no character."""
    text = re.sub(r"^(?:\s*[A-Z][A-Z ]{1,20}:)+", "", shot.description)  # "INSERT KEY:" / "HOOK:" labels
    label = re.match(r"\s*INSERT\s+([A-Z][A-Z'’\- ]+):", shot.description)
    if label:
        return label.group(1).strip()
    for word in re.findall(r"\b[A-Z][A-Z'’\-]{2,}\b", text):
        if library.get(word) is None and word not in {"INSERT", "CU", "ECU", "POV", "OTS", "HOOK"}:
            return word
    return "INSERT"
