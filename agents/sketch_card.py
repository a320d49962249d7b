"""The offline character card: the figure every sketch reuses, its colour and its key wardrobe.

Without an image model a card stands in for the character sheet: the same mannequin the frames
draw (front, three-quarter and profile), the character's own colour, handle, age and build, and the wardrobe of
each look, so a reader can match a tag in a frame to a person at a glance.
"""

from __future__ import annotations

import io
import json

from PIL import Image, ImageDraw, PngImagePlugin

from filmcrew.agents.sketch_figure import INK, Canvas, Place, draw_figure, figure_for, font, text_colour
from filmcrew.domain import Character

CARD_SIZE = (640, 360)


def _lines(character: Character) -> list[str]:
    """The facts a card lists, most important first."""
    facts = [
        " · ".join(x for x in (character.age, character.build, character.pronouns) if x),
        f"hair: {character.hair}" if character.hair else "",
        f"face: {character.face}" if character.face else "",
        "wears: " + ", ".join(character.signature_wardrobe) if character.signature_wardrobe else "",
    ]
    for look in character.looks:
        day = f"day {look.story_day}" if look.story_day is not None else "look"
        scenes = f" (sc {', '.join(str(n) for n in look.scenes[:6])}{'...' if len(look.scenes) > 6 else ''})" if look.scenes else ""
        extra = f"; {', '.join(look.injuries)}" if look.injuries else ""
        facts.append(f"{day}{scenes}: {', '.join(look.wardrobe) or 'as canonical'}{extra}")
    if character.voice:
        facts.append(f"voice: {character.voice}")
    return [f for f in facts if f]


def draw_card(character: Character) -> bytes:
    """Draw a character card as PNG bytes (deterministic: same character, same bytes)."""
    image = Image.new("RGB", CARD_SIZE, (250, 249, 245))
    draw = ImageDraw.Draw(image)
    fig = figure_for(character.name, character)
    canvas = Canvas(draw, CARD_SIZE)
    for cx, facing, turn, squeeze in ((55, 0, 1.0, 1.0), (140, 1, 0.5, 0.85), (218, 1, 1.5, 0.6)):
        # the same turnaround a generated sheet shows: front, three-quarter, profile
        draw_figure(canvas, fig, Place(cx=cx, top=50, scale=290, facing=facing, turn=turn, squeeze=squeeze), 2)
    draw.rectangle((260, 0, CARD_SIZE[0], 54), fill=fig.color)
    draw.text((274, 10), character.name, fill=text_colour(fig.color), font=font(22))
    draw.text((274, 36), character.handle, fill=text_colour(fig.color), font=font(13))
    y = 66
    for fact in _lines(character):
        for line in _wrap(draw, fact, 350):
            if y > CARD_SIZE[1] - 18:
                break
            draw.text((274, y), line, fill=INK, font=font(13))
            y += 17
        y += 3
    draw.rectangle((0, 0, CARD_SIZE[0] - 1, CARD_SIZE[1] - 1), outline=INK)
    info = PngImagePlugin.PngInfo()
    info.add_text("filmcrew", json.dumps({"card": character.name}, sort_keys=True))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, compress_level=6)
    return buffer.getvalue()


def _wrap(draw: ImageDraw.ImageDraw, text: str, width: int) -> list[str]:
    """Wrap text into lines that fit a pixel width."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font(13)) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines
