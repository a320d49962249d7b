"""The marks a storyboard artist adds on top of a panel: arrows, tags, the angle, the caption.

Camera moves are drawn in red (pan and truck as long arrows, dolly/zoom as corner arrows to or
from an inner frame, handheld as a zig-zag), subject moves as arrows in the subject's colour,
and the panel carries its shot id, size and type, the camera angle as a small side-view camera,
and a line of dialogue (or the description when nobody speaks).
"""

from __future__ import annotations

import math
import re

from PIL import ImageDraw

from filmcrew.agents.sketch_figure import INK, RGB, Canvas, Figure, Place, font, label, mix, plain
from filmcrew.agents.sketch_frame import MOVE, Frame, angle_of
from filmcrew.agents.sketch_frame import screen_direction as direction_sign
from filmcrew.domain import Shot
from filmcrew.tools.sheet_html import quote_line

WHITE: RGB = (255, 255, 255)
ANGLE_WORDS = {"eye": "EYE LEVEL", "high": "HIGH ANGLE", "low": "LOW ANGLE", "overhead": "OVERHEAD",
               "worm": "WORM'S EYE", "dutch": "DUTCH"}


def arrow(canvas: Canvas, pts: list[tuple[float, float]], colour: RGB, width: int) -> None:
    """Draw a polyline ending in an arrowhead, with a white halo so it reads on any tone."""
    (x0, y0), (x1, y1) = pts[-2], pts[-1]
    angle = math.atan2(y1 - y0, x1 - x0)
    head = width * 3.2
    tip = [(x1 + math.cos(angle) * head * 0.4, y1 + math.sin(angle) * head * 0.4),
           (x1 + math.cos(angle + 2.5) * head, y1 + math.sin(angle + 2.5) * head),
           (x1 + math.cos(angle - 2.5) * head, y1 + math.sin(angle - 2.5) * head)]
    canvas.line(pts, WHITE, width + 4)
    canvas.line(pts, colour, width)
    canvas.poly(tip, colour, WHITE, 2)


def _arc(cx: float, cy: float, r: float, start: float, end: float, n: int = 12) -> list[tuple[float, float]]:
    """Points on a circular arc, angles in degrees (0 = right, 90 = down)."""
    return [(cx + r * math.cos(math.radians(start + (end - start) * i / n)),
             cy + r * math.sin(math.radians(start + (end - start) * i / n))) for i in range(n + 1)]


def movement_marks(frame: Frame, shot: Shot) -> None:
    """Draw the camera move in red: the standard storyboard notation for each kind of move."""
    move = shot.movement.casefold()
    c, w, h = Canvas(frame.draw, (frame.w, frame.h)), frame.w, frame.h  # marks sit on the panel, unrolled
    width = max(3, frame.unit // 70)
    sign = direction_sign(shot.movement) or direction_sign(shot.direction) or 1
    up = -1 if re.search(r"\bdown\b", move) else 1
    if re.search(r"dolly in|push|track in|zoom in|creep in|dolly forward", move) or move == "zoom":
        _corner_arrows(frame, inward=True, width=width)
    elif re.search(r"dolly out|pull|track out|zoom out|dolly back", move):
        _corner_arrows(frame, inward=False, width=width)
    elif "whip" in move:
        y = h * 0.24
        for dy in (-0.04, 0.0, 0.04):
            c.line([(w * (0.5 - 0.3 * sign), y + dy * h), (w * (0.5 + 0.1 * sign), y + dy * h)], MOVE, max(1, width // 2))
        arrow(c, [(w * (0.5 - 0.3 * sign), y), (w * (0.5 + 0.32 * sign), y)], MOVE, width)
    elif "pan" in move:
        arrow(c, [(w * (0.5 - 0.3 * sign), h * 0.24), (w * (0.5 + 0.3 * sign), h * 0.24)], MOVE, width)
    elif "tilt" in move:
        arrow(c, [(w * 0.9, h * (0.5 + 0.22 * up)), (w * 0.9, h * (0.5 - 0.22 * up))], MOVE, width)
    elif re.search(r"truck|crab|track(?!ing shot)|dolly(?! in| out)", move):
        arrow(c, [(w * (0.5 - 0.32 * sign), h * 0.8), (w * (0.5 + 0.32 * sign), h * 0.8)], MOVE, width)
    elif re.search(r"pedestal|boom", move):
        arrow(c, [(w * 0.1, h * (0.5 + 0.22 * up)), (w * 0.1, h * (0.5 - 0.22 * up))], MOVE, width)
    elif re.search(r"crane|jib|drone|aerial", move):
        rise = _arc(w * 0.72, h * 0.82, frame.unit * 0.5, 180, 265)
        arrow(c, rise if up > 0 else rise[::-1], MOVE, width)
    elif re.search(r"hand.?held|shaky", move):
        pts = [(w * (0.2 + 0.6 * i / 12), h * (0.18 + (0.025 if i % 2 else -0.025))) for i in range(13)]
        c.line(pts, MOVE, max(2, width - 1))
    elif re.search(r"steadicam|gimbal|follow|walk", move):
        arrow(c, _arc(w * 0.5, h * 0.3, w * 0.36, 150 if sign > 0 else 30, 60 if sign > 0 else 120), MOVE, width)


def _corner_arrows(frame: Frame, inward: bool, width: int) -> None:
    """Dolly/zoom notation: an inner frame (the end framing) with arrows at the four corners."""
    c, w, h = Canvas(frame.draw, (frame.w, frame.h)), frame.w, frame.h
    ix0, iy0, ix1, iy1 = w * 0.22, h * 0.22, w * 0.78, h * 0.78
    c.poly([(ix0, iy0), (ix1, iy0), (ix1, iy1), (ix0, iy1)], None, MOVE, max(2, width - 1))
    for (ox, oy), (tx, ty) in (((w * 0.04, h * 0.06), (ix0, iy0)), ((w * 0.96, h * 0.06), (ix1, iy0)),
                               ((w * 0.04, h * 0.94), (ix0, iy1)), ((w * 0.96, h * 0.94), (ix1, iy1))):
        start, end = ((ox, oy), (tx, ty)) if inward else ((tx, ty), (ox, oy))
        mid = (start[0] + (end[0] - start[0]) * 0.15, start[1] + (end[1] - start[1]) * 0.15)
        arrow(c, [mid, (start[0] + (end[0] - start[0]) * 0.8, start[1] + (end[1] - start[1]) * 0.8)], MOVE, width)


def subject_marks(frame: Frame, shot: Shot, placed: list[tuple[Figure, Place]]) -> None:
    """Draw the subjects' screen direction: an arrow in each mover's colour beside the figure."""
    sign = direction_sign(shot.direction)
    text = shot.direction.casefold()
    if shot.screen_side.casefold() in ("left", "right"):
        return  # a subject held on one side of frame: `direction` is where they look, not a move
    if not placed or not (sign or re.search(r"toward|towards|to camera|away|into depth", text)):
        return
    width = max(3, frame.unit // 80)
    for fig, place in placed:
        if place.facing == 2:
            continue
        y = min(frame.h * 0.72, place.top + place.scale * 0.55)
        x = place.cx
        if sign:
            arrow(frame.canvas, [(x - sign * frame.w * 0.08, y), (x + sign * frame.w * 0.16, y)], fig.color, width)
        elif "away" in text or "depth" in text:
            arrow(frame.canvas, [(x + frame.w * 0.1, y + frame.h * 0.08), (x + frame.w * 0.1, y - frame.h * 0.1)], fig.color, width)
        else:
            arrow(frame.canvas, [(x + frame.w * 0.1, y - frame.h * 0.1), (x + frame.w * 0.1, y + frame.h * 0.1)], fig.color, width)


def name_tags(frame: Frame, placed: list[tuple[Figure, Place]], header: int, footer: int) -> None:
    """Label each figure in its colour: over the head when there is room, else at the shoulder."""
    size = max(9, frame.unit // 28)
    tag_h = size + size // 2 + 4
    for fig, place in placed:
        head_top = place.top + (1.0 - fig.height) * place.scale
        y = head_top - tag_h - 3
        if y < header + 2:
            y = min(head_top + place.scale * 0.2, frame.h - footer - tag_h - 2)
        x, y = frame.canvas.pt(min(max(place.cx, frame.w * 0.08), frame.w * 0.92), y)
        label(frame.draw, fig.name, x, y, fig.color, size, (frame.w, frame.h - footer))


def header(frame: Frame, shot: Shot, size: str) -> int:
    """Draw the shot id and `SIZE · type · lens` across the top; return the band height."""
    d, unit = frame.draw, frame.unit
    big, small = font(max(11, unit // 20)), font(max(9, unit // 30))
    pad = max(3, unit // 90)
    sid = plain(shot.shot_id) or "?"
    box = d.textbbox((0, 0), sid, font=big)
    bw, bh = box[2] - box[0] + 2 * pad, box[3] - box[1] + 2 * pad
    d.rectangle((0, 0, bw + 2 * pad, bh + 2 * pad), fill=INK)
    d.text((2 * pad - box[0], 2 * pad - box[1] - 1), sid, fill=WHITE, font=big)
    info = plain(" · ".join(x for x in (size, shot.type, f"{shot.lens}mm" if shot.lens.isdigit() else shot.lens) if x))
    move = shot.movement.upper() if shot.movement and shot.movement.casefold() != "static" else ""
    _chip(d, info, bw + 3 * pad, pad, small, (255, 255, 255), INK)
    if move:
        tb = d.textbbox((0, 0), move, font=small)
        _chip(d, move, frame.w - (tb[2] - tb[0]) - 3 * pad, pad, small, MOVE, WHITE)
    return bh + 2 * pad


def _chip(d: ImageDraw.ImageDraw, text: str, x: float, y: float, f: object, fill: RGB, ink: RGB) -> None:
    """Draw a small text chip."""
    box = d.textbbox((0, 0), text, font=f)  # type: ignore[arg-type]
    pad = 3
    d.rectangle((x, y, x + box[2] - box[0] + 2 * pad, y + box[3] - box[1] + 2 * pad), fill=fill, outline=INK)
    d.text((x + pad - box[0], y + pad - box[1]), text, fill=ink, font=f)  # type: ignore[arg-type]


def caption(frame: Frame, shot: Shot) -> int:
    """Draw a band with a line of dialogue (or the description) at the bottom; return its height."""
    d = frame.draw
    f = font(max(9, frame.unit // 28))
    said = plain(shot.dialogue)
    text = quote_line(said) if said else plain(shot.description)
    box = d.textbbox((0, 0), "Ag", font=f)
    band = box[3] - box[1] + max(8, frame.unit // 40)
    top = frame.h - band
    d.rectangle((0, top, frame.w, frame.h), fill=WHITE)
    d.line((0, top, frame.w, top), fill=INK, width=1)
    room = frame.w - 2 * max(6, frame.unit // 60) - _glyph_width(frame)
    d.text((max(6, frame.unit // 60), top + (band - (box[3] - box[1])) / 2 - box[1]), fit_text(d, text, f, room),
           fill=INK if said else (90, 90, 96), font=f)
    return band


def fit_text(d: ImageDraw.ImageDraw, text: str, f: object, room: float) -> str:
    """Cut text to fit a width, ending in an ellipsis when cut."""
    if d.textlength(text, font=f) <= room:  # type: ignore[arg-type]
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if d.textlength(text[:mid] + "...", font=f) <= room:  # type: ignore[arg-type]
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "..."


def _glyph_width(frame: Frame) -> int:
    """Width kept free at the right of the caption for the angle glyph."""
    return max(70, frame.unit // 3)


def angle_glyph(frame: Frame, shot: Shot, footer: int) -> None:
    """Draw the camera angle as a little side-view camera with its line of sight, and its name."""
    key = angle_of(shot)
    d, unit = frame.draw, frame.unit
    tilt = {"eye": 0, "high": 35, "low": -35, "overhead": 90, "worm": -70, "dutch": 0}[key]
    s = max(7, unit // 36)
    cx, cy = frame.w - _glyph_width(frame) + s * 1.6, frame.h - footer / 2
    rot = math.radians(tilt)
    roll = math.radians(-15 if key == "dutch" else 0)

    def p(x: float, y: float) -> tuple[float, float]:
        a = rot + roll
        return (cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))

    d.polygon([p(-s, -s * 0.55), p(s * 0.4, -s * 0.55), p(s * 0.4, s * 0.55), p(-s, s * 0.55)], fill=INK)
    d.polygon([p(s * 0.4, 0), p(s, -s * 0.45), p(s, s * 0.45)], fill=INK)
    d.line([p(s, 0), p(s * 2.4, 0)], fill=MOVE, width=2)
    f = font(max(8, unit // 36))
    d.text((cx + s * 2.6, cy), ANGLE_WORDS[key], fill=INK, font=f, anchor="lm")


def pov_marks(frame: Frame) -> None:
    """Mark a POV: a dashed iris around the frame edge."""
    c, w, h = frame.canvas, frame.w, frame.h
    pts = [(w / 2 + w * 0.47 * math.cos(a), h / 2 + h * 0.44 * math.sin(a)) for a in [i * math.pi / 24 for i in range(48)]]
    for i in range(0, 48, 2):
        c.line([pts[i], pts[(i + 1) % 48]], mix(INK, WHITE, 0.2), max(2, frame.unit // 120))


def guest_or_blank_note(frame: Frame, text: str, footer: int) -> None:
    """Write a short note in the middle of an empty frame (an establishing shot's location)."""
    if text:
        label(frame.draw, text, frame.w / 2, frame.h - footer - frame.unit * 0.14, (255, 255, 255),
              max(9, frame.unit // 30), (frame.w, frame.h - footer))
