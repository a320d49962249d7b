"""The storyboard artist: one frame per shot, sketched offline or generated with references.

Offline, `draw_frame` composes a schematic panel from the shot row and the character library
(figures sized by shot size, the set, arrows, tags, caption). With an image provider,
`generate_frame` writes a prompt from the shot, the scene heading and each subject's canonical
look, and sends the subjects' reference images with it so a face stays one face across frames.
Every frame carries a small manifest in a PNG text chunk (who it shows, how it was made), which
`check_frame_subjects` reads to verify that each frame shows exactly the subjects of its shot.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import structlog
from PIL import Image, PngImagePlugin

from filmcrew.agents.sketch_figure import font  # noqa: F401  (re-exported for benchmarks)
from filmcrew.agents.sketch_frame import (
    SIZE_SPEC,
    Frame,
    angle_of,
    draw_figures,
    draw_insert,
    draw_overhead,
    draw_set,
    figure_scale,
    frame_size,
    new_frame,
    shot_size,
)
from filmcrew.agents.sketch_marks import (
    angle_glyph,
    caption,
    guest_or_blank_note,
    header,
    movement_marks,
    name_tags,
    pov_marks,
    subject_marks,
)
from filmcrew.domain import Character, CharacterLibrary, Finding, Shot, ShotList
from filmcrew.errors import InputError
from filmcrew.files import inside, safe_name, sha256_file
from filmcrew.prompts import render
from filmcrew.providers.base import ImageRequest, Provider, Unsupported

log = structlog.get_logger(__name__)

MANIFEST_KEY = "filmcrew"
MANIFEST_VERSION = 1
DEFAULT_STYLE = "clean pencil storyboard sketch, grey wash shading, light colour accents, no text"
KEYSTONE = {"eye": 0.0, "dutch": 0.0, "high": -0.35, "low": 0.35, "worm": 0.7, "overhead": 0.0}
EYE_LINE = {"eye": 0.062, "dutch": 0.062, "high": -0.35, "low": 0.78, "worm": 1.0}
EMPTY_HORIZON = {"eye": 0.58, "dutch": 0.58, "high": 0.22, "low": 0.82, "worm": 0.92}


# --- offline sketch --------------------------------------------------------------------------


def subjects_of(shot: Shot) -> list[str]:
    """Return the shot's subjects, trimmed and without repeats, in their order."""
    seen: list[str] = []
    for name in shot.subjects:
        clean = " ".join(name.split())
        if clean and clean.casefold() not in (s.casefold() for s in seen):
            seen.append(clean)
    return seen


def sketch(shot: Shot, library: CharacterLibrary, aspect: str) -> tuple[Image.Image, list[str]]:
    """Compose a schematic frame and return it with the subjects it actually drew."""
    frame = new_frame(aspect, shot)
    size, angle, names = shot_size(shot), angle_of(shot), subjects_of(shot)
    if angle == "overhead":
        draw_set(frame, shot, None)
        placed = draw_overhead(frame, shot, library, names, size)
    elif size == "INSERT":
        draw_set(frame, shot, frame.h * EMPTY_HORIZON["eye"])
        placed = draw_insert(frame, shot, library, names)
    else:
        draw_set(frame, shot, _horizon(frame, size, angle, names, shot))
        placed = draw_figures(frame, shot, library, names, size, KEYSTONE[angle])
    if "pov" in shot.type.casefold():
        pov_marks(frame)
    subject_marks(frame, shot, placed)
    movement_marks(frame, shot)
    top = header(frame, shot, size)
    bottom = caption(frame, shot)
    name_tags(frame, [p for p in placed if size != "INSERT"], top, bottom)
    angle_glyph(frame, shot, bottom)
    if not names:
        guest_or_blank_note(frame, " ".join(x for x in (shot.int_ext, shot.location) if x).strip(), bottom)
    return frame.image, frame.drawn


def _horizon(frame: Frame, size: str, angle: str, names: list[str], shot: Shot) -> float:
    """Put the horizon at the subjects' eye line (eye level), below them (low), above (high)."""
    if not names:
        return frame.h * EMPTY_HORIZON[angle]
    front = [n for n in names] if "ots" not in shot.type.casefold() else names[:1]
    scale, top = figure_scale(frame, size, len(front))
    y = top + EYE_LINE[angle] * scale
    return min(max(y, frame.h * 0.06), frame.h * 0.94)


def encode_png(image: Image.Image, manifest: dict[str, Any]) -> bytes:
    """Encode a frame as PNG with its manifest in a text chunk; no timestamps, so bytes are stable."""
    info = PngImagePlugin.PngInfo()
    info.add_text(MANIFEST_KEY, json.dumps(manifest, sort_keys=True, ensure_ascii=True))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, compress_level=1)
    return buffer.getvalue()


def draw_frame(shot: Shot, library: CharacterLibrary, aspect: str) -> bytes:
    """Sketch one shot as a PNG in the run's aspect ratio (offline, deterministic)."""
    image, drawn = sketch(shot, library, aspect)
    manifest = {"v": MANIFEST_VERSION, "shot_id": shot.shot_id, "source": "sketch", "subjects": drawn,
                "size": shot_size(shot), "angle": angle_of(shot), "aspect": aspect}
    return encode_png(image, manifest)


def frame_path(folder: Path, shot_id: str) -> Path:
    """Return `storyboard/<safe shot id>.png` inside the run folder, refusing escapes."""
    return inside(folder, f"storyboard/{safe_name(shot_id, 'shot')}.png")


# --- manifest --------------------------------------------------------------------------------


def read_manifest(png: bytes) -> dict[str, Any] | None:
    """Read the manifest a frame carries, or None when it has none (or is not a PNG)."""
    try:
        with Image.open(io.BytesIO(png)) as image:
            text = getattr(image, "text", {}).get(MANIFEST_KEY)
    except (OSError, ValueError):
        return None
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def with_manifest(png: bytes, manifest: dict[str, Any]) -> bytes:
    """Insert a manifest text chunk right after IHDR without re-encoding the image."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise InputError("image provider returned something that is not a PNG")
    body = MANIFEST_KEY.encode("latin-1") + b"\x00" + json.dumps(manifest, sort_keys=True, ensure_ascii=True).encode("latin-1")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    end_ihdr = 8 + 4 + 4 + 13 + 4
    return png[:end_ihdr] + chunk + png[end_ihdr:]


# --- generated frames ------------------------------------------------------------------------


def image_size(aspect: str) -> str:
    """Pick the provider canvas closest to the aspect (landscape, portrait or square)."""
    w, h = frame_size(aspect)
    if abs(w - h) / max(w, h) < 0.1:
        return "1024x1024"
    return "1536x1024" if w > h else "1024x1536"


def crop_to_aspect(png: bytes, aspect: str) -> bytes:
    """Centre-crop a generated image to the run's aspect ratio (re-encoded only when cut)."""
    w, h = frame_size(aspect)
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        iw, ih = image.size
        target = w / h
        if abs(iw / ih - target) < 0.01:
            return png
        if iw / ih > target:
            cw = round(ih * target)
            box = ((iw - cw) // 2, 0, (iw - cw) // 2 + cw, ih)
        else:
            ch = round(iw / target)
            box = (0, (ih - ch) // 2, iw, (ih - ch) // 2 + ch)
        buffer = io.BytesIO()
        image.crop(box).save(buffer, "PNG", compress_level=6)
        return buffer.getvalue()


def reference_paths(character: Character, refs_dir: Path) -> list[Path]:
    """Resolve a character's reference images (stored relative to the run or `characters/`)."""
    found: list[Path] = []
    for ref in character.reference_images:
        for candidate in (refs_dir / ref, refs_dir.parent / ref, refs_dir / Path(ref).name):
            if candidate.is_file():
                found.append(candidate)
                break
    return found


def describe_character(character: Character, scene: int | None) -> str:
    """Describe a character's canonical look for one scene, for an image prompt."""
    from filmcrew.agents.sketch_figure import look_for_scene

    look = look_for_scene(character, scene)
    wardrobe = look.wardrobe if look and look.wardrobe else character.signature_wardrobe
    parts = [character.pronouns and {"she/her": "woman", "he/him": "man"}.get(character.pronouns, "person"),
             character.age and f"age {character.age}", character.build, character.face,
             (look.hair if look and look.hair else character.hair),
             wardrobe and "wearing " + ", ".join(wardrobe),
             look and look.injuries and "injuries: " + ", ".join(look.injuries),
             look and look.makeup]
    return f"{character.handle} ({character.name}): " + "; ".join(str(p) for p in parts if p)


def frame_prompt(shot: Shot, scene_heading: str, library: CharacterLibrary, aspect: str, style: str,
                 refs: dict[str, list[Path]]) -> tuple[str, str]:
    """Render the frame prompt; return (text, prompt key)."""
    lines, index = [], 1
    for name in subjects_of(shot):
        character = library.get(name)
        if character is None:
            lines.append(f"- {name}")
            continue
        paths = refs.get(character.name, [])
        where = f" (reference image {index}{'-' + str(index + len(paths) - 1) if len(paths) > 1 else ''})" if paths else ""
        index += len(paths)
        lines.append(f"- {describe_character(character, shot.scene)}{where}")
    rendered = render(
        "storyboard/frame",
        style=style or DEFAULT_STYLE,
        aspect=aspect,
        heading=scene_heading or "(no scene heading)",
        size=shot_size(shot),
        shot_type=shot.type or "single",
        angle=shot.angle or "eye level",
        movement=shot.movement or "static",
        lens=shot.lens or "50",
        description=" ".join(shot.description.split()) or "(none)",
        dialogue=" ".join(shot.dialogue.split()) or "(none)",
        characters="\n".join(lines) or "- nobody: the place itself",
    )
    return rendered.text, rendered.key


def generate_frame(provider: Provider, shot: Shot, scene_heading: str, library: CharacterLibrary,
                   aspect: str, style: str, refs_dir: Path) -> bytes:
    """Generate one frame with the image provider, sending each subject's reference images.

    Raises `Unsupported` (or `NotAvailable`) when the provider cannot make images: the caller
    then sketches the frame with `draw_frame`.
    """
    if not provider.supports("image"):
        raise Unsupported(getattr(provider, "name", "provider"), "image")
    refs = {c.name: reference_paths(c, refs_dir) for n in subjects_of(shot) if (c := library.get(n))}
    limit = provider.capability_info("image").max_reference_images
    paths = [p for group in refs.values() for p in group][: limit if limit > 0 else None]
    prompt, key = frame_prompt(shot, scene_heading, library, aspect, style, refs)
    request = ImageRequest(agent="storyboard", prompt=prompt, prompt_id=key, size=image_size(aspect), aspect=aspect,
                           references=[str(p) for p in paths], reference_hashes=[sha256_file(p) for p in paths])
    result = provider.image(request)
    png = crop_to_aspect(result.png, aspect)
    log.info("frame_generated", shot=shot.shot_id, references=len(paths), cached=result.cached)
    manifest = {"v": MANIFEST_VERSION, "shot_id": shot.shot_id, "source": "generated",
                "subjects": subjects_of(shot), "references": [p.name for p in paths], "aspect": aspect}
    return with_manifest(png, manifest)


# --- checks ----------------------------------------------------------------------------------


def check_frame_subjects(folder: Path, shotlist: ShotList, library: CharacterLibrary | None = None) -> list[Finding]:
    """Check that every frame exists and shows exactly the subjects its shot names.

    Reads each frame's manifest (what the sketcher drew, or what a generated frame was asked
    to show). Names are compared through the library, so an alias counts as its character.
    """
    findings: list[Finding] = []
    for shot in shotlist.shots:
        path = frame_path(folder, shot.shot_id)
        if not path.is_file():
            findings.append(_framing(shot, f"shot {shot.shot_id} has no storyboard frame",
                                     "re-run the storyboard stage (filmcrew resume RUN)"))
            continue
        manifest = read_manifest(path.read_bytes())
        if manifest is None:
            findings.append(_framing(shot, f"frame {path.name} carries no record of whom it shows",
                                     "redraw the frame so it can be checked"))
            continue
        want, got = _keys(subjects_of(shot), library), _keys(list(manifest.get("subjects", [])), library)
        if want != got:
            findings.append(_framing(shot, _mismatch(shot, want, got), "redraw the frame, or fix the shot's subjects"))
    return findings


def _keys(names: list[str], library: CharacterLibrary | None) -> list[str]:
    """Canonical, sorted subject keys (aliases folded onto the character's name)."""
    out = []
    for name in names:
        character = library.get(name) if library else None
        out.append((character.name if character else name).casefold())
    return sorted(out)


def _mismatch(shot: Shot, want: list[str], got: list[str]) -> str:
    """Say which subjects a frame lacks and which it shows without the shot naming them."""
    missing = [n.upper() for n in want if n not in got]
    extra = [n.upper() for n in got if n not in want]
    parts = []
    if missing:
        parts.append(f"does not show {', '.join(missing)}")
    if extra:
        parts.append(f"shows {', '.join(extra)} whom the shot does not name")
    return f"frame {shot.shot_id} " + " and ".join(parts or ["differs from its shot's subjects"])


def _framing(shot: Shot, message: str, fix: str) -> Finding:
    """Build a framing finding for one shot."""
    return Finding(id=f"framing-{safe_name(shot.shot_id, 'shot')}", kind="framing", severity="warning",
                   scene=shot.scene, shot=shot.shot_id, line=shot.lines[0] if shot.lines else None,
                   message=message, fix=fix)


def frame_sizes(aspect: str) -> tuple[int, int]:
    """Return the sketch size for an aspect (for exporters that lay frames out)."""
    return frame_size(aspect)


__all__ = ["SIZE_SPEC", "check_frame_subjects", "draw_frame", "frame_path", "generate_frame", "read_manifest"]
