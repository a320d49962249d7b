"""The storyboard sheet as one HTML file: a grid of frames with their shot data, by scene.

It must open from disk with no server and no network: styles are inline, images are relative
paths (`storyboard/1A.png`), and there is no script. Everything written is escaped, and the
output depends only on the shot list and the library, so the file is byte-stable.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import quote

from filmcrew.domain import CharacterLibrary, Shot, ShotList
from filmcrew.errors import InputError
from filmcrew.files import atomic_write_text, inside, safe_name

SHEET_FILE = "storyboard.html"
STYLE = """
:root { --ink: #28282e; --muted: #6b6b73; --line: #d9d6cf; --paper: #fbfaf7; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px 48px; background: var(--paper); color: var(--ink);
       font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 24px;
         border-bottom: 2px solid var(--ink); padding-bottom: 8px; margin-bottom: 16px; }
h1 { font-size: 22px; margin: 0; }
header p { margin: 0; color: var(--muted); }
h2 { font-size: 15px; margin: 28px 0 10px; padding: 4px 8px; background: var(--ink); color: #fff; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(var(--cell), 1fr)); gap: 14px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); break-inside: avoid; }
figure img, .missing { display: block; width: 100%; height: auto; aspect-ratio: var(--ratio);
                       border-bottom: 1px solid var(--line); }
.missing { display: flex; align-items: center; justify-content: center; color: var(--muted); background: #eeece6; }
figcaption { padding: 6px 8px 8px; font-size: 12.5px; }
.id { font-weight: 700; font-size: 14px; margin-right: 6px; }
.spec { color: var(--muted); }
.who { margin: 3px 0 0; }
.who span { display: inline-block; padding: 0 5px; margin: 0 3px 2px 0; border-radius: 2px; color: #fff;
            font-size: 11.5px; font-weight: 600; }
.cast { list-style: none; padding: 0; margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 4px 18px;
        color: var(--muted); font-size: 12.5px; }
.desc { margin: 4px 0 0; }
.line { margin: 4px 0 0; font-style: italic; }
.notes { margin: 4px 0 0; color: var(--muted); font-size: 11.5px; }
@media print { body { background: #fff; padding: 0; } h2 { break-after: avoid; } }
"""


def quote_line(said: str) -> str:
    """Quote a line of dialogue, keeping a leading `NAME:` outside the quotes."""
    match = re.match(r"([^:\u201c\"]{1,60}):\s+(.+)", said)
    if match and match.group(1) == match.group(1).upper():
        return f"{match.group(1)}: \u201c{match.group(2)}\u201d"
    return f"\u201c{said}\u201d"


def _ratio(aspect: str) -> tuple[float, float]:
    """Parse `16:9` (or `2.39:1`) into width and height numbers."""
    try:
        w, h = (float(x) for x in aspect.replace("x", ":").split(":"))
    except ValueError as exc:
        raise InputError(f"unknown aspect ratio {aspect!r}") from exc
    return w, h


def _scene_title(shot: Shot) -> str:
    """Write a scene heading from the shot's location fields."""
    place = " ".join(x for x in (f"{shot.int_ext}." if shot.int_ext else "", shot.location) if x)
    return f"Scene {shot.scene}" + (f" · {place}" if place else "") + (f" - {shot.time_of_day}" if shot.time_of_day else "")


def _who(shot: Shot, library: CharacterLibrary) -> str:
    """Render the subjects as tags in each character's colour."""
    tags = []
    for name in shot.subjects:
        character = library.get(name)
        colour = character.color if character else "#8a8a8a"
        tags.append(_tag(name, colour))
    return f'<p class="who">{"".join(tags)}</p>' if tags else ""


def _figure(shot: Shot, src: str | None, library: CharacterLibrary) -> str:
    """Render one frame with its shot data."""
    e = html.escape
    spec = " · ".join(x for x in (shot.size, shot.type, shot.angle, shot.movement,
                                  f"{shot.lens} mm" if shot.lens else "", f"{shot.duration_s:g} s") if x)
    alt = f"Shot {shot.shot_id}: {shot.size} {shot.type} " + ", ".join(shot.subjects)
    picture = (f'<img src="{e(src)}" alt="{e(alt.strip())}" loading="lazy">' if src
               else f'<div class="missing">no frame for {e(shot.shot_id)}</div>')
    parts = [f'<figure id="shot-{e(safe_name(shot.shot_id, "shot"))}">', picture, "<figcaption>",
             f'<span class="id">{e(shot.shot_id)}</span><span class="spec">{e(spec)}</span>', _who(shot, library)]
    if shot.description:
        parts.append(f'<p class="desc">{e(" ".join(shot.description.split()))}</p>')
    if shot.dialogue:
        parts.append(f'<p class="line">{e(quote_line(" ".join(shot.dialogue.split())))}</p>')
    if shot.notes:
        parts.append(f'<p class="notes">{e(shot.notes)}</p>')
    parts.append("</figcaption></figure>")
    return "".join(parts)


def ink_on(colour: str) -> str:
    """Pick black or white text for a `#rrggbb` background (a yellow tag needs dark text)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return "#ffffff"
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#141414" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _tag(name: str, colour: str) -> str:
    """A name tag in a character's colour."""
    return f'<span style="background:{html.escape(colour)};color:{ink_on(colour)}">{html.escape(name)}</span>'


def _cast(library: CharacterLibrary) -> str:
    """Render the cast as a legend: each name in its colour, its handle and signature wardrobe."""
    items = []
    for character in library.characters:
        wears = ", ".join(character.signature_wardrobe)
        items.append(f'<li>{_tag(character.name, character.color)} '
                     f'{html.escape(character.handle)}{" · " + html.escape(wears) if wears else ""}</li>')
    return f'<ul class="cast who">{"".join(items)}</ul>' if items else ""


def _library(folder: Path) -> CharacterLibrary:
    """Read the run's library for tag colours; a missing or broken one just means grey tags."""
    path = folder / "characters.json"
    if not path.is_file():
        return CharacterLibrary()
    try:
        return CharacterLibrary.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        return CharacterLibrary()


def render_storyboard_html(shotlist: ShotList, title: str, frame_src: dict[str, str | None],
                           library: CharacterLibrary) -> str:
    """Return the sheet's HTML text for a shot list, given each shot's relative image path."""
    w, h = _ratio(shotlist.aspect)
    cell = 300 if w >= h else 190
    total = sum(s.duration_s for s in shotlist.shots)
    head = (f'<header><h1>{html.escape(title or "Storyboard")}</h1><p>{len(shotlist.shots)} shots · '
            f'{int(total // 60)} min {round(total % 60)} s · {html.escape(shotlist.aspect)}'
            f'{" · " + html.escape(shotlist.style) if shotlist.style else ""}</p></header>')
    body, scene = [head, _cast(library)], None
    for shot in shotlist.shots:
        if shot.scene != scene:
            if scene is not None:
                body.append("</div></section>")
            body.append(f'<section><h2>{html.escape(_scene_title(shot))}</h2><div class="grid">')
            scene = shot.scene
        body.append(_figure(shot, frame_src.get(shot.shot_id), library))
    if scene is not None:
        body.append("</div></section>")
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title or 'Storyboard')} · storyboard</title>\n"
            f"<style>{STYLE}:root {{ --ratio: {w:g} / {h:g}; --cell: {cell}px; }}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def write_storyboard_html(folder: Path, shotlist: ShotList, title: str, *, frames_dir: Path | None = None,
                          library: CharacterLibrary | None = None) -> Path:
    """Write `storyboard.html` in the run folder, linking frames by relative path.

    `frames_dir` (default `folder/storyboard`) lets an export put the sheet somewhere else and
    still point at the run's frames.
    """
    frames = frames_dir or folder / "storyboard"
    target = inside(folder, SHEET_FILE)
    src: dict[str, str | None] = {}
    for shot in shotlist.shots:
        path = frames / f"{safe_name(shot.shot_id, 'shot')}.png"
        rel = os.path.relpath(path, target.parent).replace(os.sep, "/")
        src[shot.shot_id] = quote(rel) if path.is_file() else None
    text = render_storyboard_html(shotlist, title, src, library or _library(folder))
    atomic_write_text(target, text)
    return target
