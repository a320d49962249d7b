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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import structlog
from PIL import Image, PngImagePlugin
from pydantic import BaseModel, Field

from filmcrew.agents.characters import describe_look
from filmcrew.agents.sketch_frame import (
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
from filmcrew.artefacts import load_model
from filmcrew.domain import Character, CharacterLibrary, Finding, Shot, ShotList
from filmcrew.files import atomic_write_bytes, inside, safe_name, sha256_bytes, sha256_file
from filmcrew.prompts import render
from filmcrew.providers.base import (
    CallRejected,
    ImageRequest,
    InvalidOutput,
    Provider,
    RequestRejected,
    TextRequest,
    Unsupported,
)
from filmcrew.providers.structured import structured
from filmcrew.state import ArtefactRef

log = structlog.get_logger(__name__)

MANIFEST_KEY = "filmcrew"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
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
    try:
        return _compose(new_frame(aspect, shot, "P"), shot, library, aspect)
    except ValueError:  # more than 256 colours (a very large group): draw in RGB instead
        image, drawn = _compose(new_frame(aspect, shot, "RGB"), shot, library, aspect)
        return image.quantize(colors=256, method=Image.Quantize.FASTOCTREE), drawn


def _compose(frame: Frame, shot: Shot, library: CharacterLibrary, aspect: str) -> tuple[Image.Image, list[str]]:
    """Draw the set, the subjects and the marks into a blank frame."""
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


def draw_frame_from_run(run_dir: str, library: ArtefactRef, shot: Shot, aspect: str) -> bytes:
    """Sketch one shot with the library read from the run folder (parsed once per content hash),
    so a worker process receives a path and a hash with each shot, not the whole library."""
    return draw_frame(shot, load_model(run_dir, library, CharacterLibrary), aspect)


def sketch_frames_to(run_dir: str, library: ArtefactRef, aspect: str,
                     jobs: list[tuple[Shot, str, str]]) -> list[tuple[str, bool]]:
    """For each (shot, stored, target): take the frame from the store, or sketch and store it,
    then place it at `target` (if any) unless the same bytes are there; return (sha256,
    reused) each.

    One worker job per batch (a scene's shots), so the drawing process also does the reading,
    hashing and writing, and the graph's threads only name the files.
    """
    return [
        keep_frame(Path(stored), Path(target) if target else None,
                   lambda shot=shot: draw_frame_from_run(run_dir, library, shot, aspect))
        for shot, stored, target in jobs
    ]


def keep_frame(stored: Path, target: Path | None, make: Callable[[], bytes]) -> tuple[str, bool]:
    """Take a frame from the store, or make it and store it; place it at `target` (if any)
    unless the same bytes are there (a re-plan leaves unchanged frames be). Return its sha256
    and whether it came from the store. No fsync: a frame lost to a power cut is made again."""
    reused = stored.is_file()
    png = stored.read_bytes() if reused else make()
    if not reused:
        atomic_write_bytes(stored, png, durable=False)
    digest = sha256_bytes(png)
    if target is not None and not (target.is_file() and sha256_file(target) == digest):
        atomic_write_bytes(target, png, durable=False)
    return digest, reused


def frame_path(folder: Path, shot_id: str) -> Path:
    """Return `storyboard/<safe shot id>.png` inside the run folder, refusing escapes."""
    return inside(folder, f"storyboard/{safe_name(shot_id, 'shot')}.png")


# --- manifest --------------------------------------------------------------------------------


def read_manifest(png: bytes) -> dict[str, Any] | None:
    """Read the manifest a frame carries, or None when it has none (or is not a PNG)."""
    try:
        with Image.open(io.BytesIO(png)) as image:  # the chunk precedes the pixels: no decode
            text = image.info.get(MANIFEST_KEY)
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
    png = as_png(png)
    if png[12:16] != b"IHDR":
        raise InvalidOutput("the image provider returned a PNG without a header chunk")
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


def as_png(data: bytes) -> bytes:
    """Return image bytes as PNG (a provider may answer JPEG or WebP); PNGs pass unchanged."""
    if data[:8] == PNG_SIGNATURE:
        return data
    try:
        with Image.open(io.BytesIO(data)) as image:
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "PNG", compress_level=6)
            return buffer.getvalue()
    except (OSError, ValueError) as exc:
        raise InvalidOutput(f"the image provider returned something that is not an image ({len(data)} bytes)") from exc


def crop_to_aspect(png: bytes, aspect: str) -> bytes:
    """Centre-crop a generated image to the run's aspect ratio (re-encoded only when cut)."""
    w, h = frame_size(aspect)
    png = as_png(png)
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
        lines.append(f"- {character.handle} ({character.name}): {describe_look(character, shot.scene)}{where}")
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


def _budget(refs: dict[str, list[Path]], limit: int) -> dict[str, list[Path]]:
    """Share a model's reference-image limit: one image per character first, in subject order."""
    if limit <= 0 or sum(len(v) for v in refs.values()) <= limit:
        return refs
    kept: dict[str, list[Path]] = {name: [] for name in refs}
    used, depth = 0, 0
    while used < limit and any(len(v) > depth for v in refs.values()):
        for name, paths in refs.items():
            if depth < len(paths) and used < limit:
                kept[name].append(paths[depth])
                used += 1
        depth += 1
    return kept


def generate_frame(provider: Provider, shot: Shot, scene_heading: str, library: CharacterLibrary,
                   aspect: str, style: str, refs_dir: Path) -> bytes:
    """Generate one frame with the image provider, sending each subject's reference images.

    Raises `Unsupported` (or `NotAvailable`) when the provider cannot make images: the caller
    then sketches the frame with `draw_frame`.
    """
    limit = provider.capability_info("image").max_reference_images
    refs = _budget({c.name: reference_paths(c, refs_dir) for n in subjects_of(shot) if (c := library.get(n))}, limit)
    paths = [p for group in refs.values() for p in group]
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


# --- consistency judge -----------------------------------------------------------------------


class CharacterScore(BaseModel):
    """How consistent one character in a frame is with their references (0-1)."""

    name: str
    score: float = Field(ge=0.0, le=1.0)
    note: str = ""


class FrameJudgement(BaseModel):
    """The judge's answer for one frame."""

    characters: list[CharacterScore] = Field(default_factory=list)


class Consistency(BaseModel):
    """What the judge found: per-frame scores (for `run.json`) and findings (for continuity)."""

    scores: dict[str, dict[str, float]] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def means(self) -> dict[str, float]:
        """Return each judged frame's mean score, rounded, for `RunInfo.consistency`."""
        return {shot: round(sum(s.values()) / len(s), 3) for shot, s in self.scores.items() if s}


def judge_frames(provider: Provider, shotlist: ShotList, library: CharacterLibrary, folder: Path,
                 threshold: float = 0.6) -> Consistency:
    """Score every generated frame's characters against their reference images with a vision model.

    Runs only when the provider declares `vision`; otherwise (offline, or text-only models) it
    returns a note and no scores, and the offline check (`check_frame_subjects`) still runs.
    A score under `threshold` becomes a `look` warning naming the difference the judge saw.
    The judge only advises: a model that cannot answer (no vision after all, a refusal, output
    still invalid after one repair, a request the vendor rejects) stops it with a note instead
    of failing the run; transient failures after retries still raise `ProviderFailed`.
    """
    report = Consistency()
    if not provider.supports("vision"):
        report.notes.append("storyboard: consistency judge skipped (no vision model configured)")
        return report
    refs_dir = folder / "characters"
    for shot in shotlist.shots:
        path = frame_path(folder, shot.shot_id)
        manifest = read_manifest(path.read_bytes()) if path.is_file() else None
        cast = [c for n in subjects_of(shot) if (c := library.get(n)) and reference_paths(c, refs_dir)]
        if not manifest or manifest.get("source") != "generated" or not cast:
            continue
        try:
            judgement = _judge_one(provider, shot, path, cast, refs_dir)
        except (Unsupported, InvalidOutput, CallRejected, RequestRejected) as exc:
            report.notes.append(f"storyboard: consistency judge stopped at {shot.shot_id} ({exc})")
            break
        _record(report, shot, cast, judgement, threshold)
    return report


def judge_request(shot: Shot, frame: Path, cast: list[Character], refs_dir: Path) -> TextRequest:
    """Build the judge's request: the frame, then each character's references, with a guide.

    The images go by path with their content hashes; the fingerprint (cache key, recording
    name) counts the hashes, so a regenerated frame is judged again and an unchanged one is not.
    """
    images, guide, lines = [frame], ["image 1: the frame"], []
    for character in cast:
        refs = reference_paths(character, refs_dir)
        first = len(images) + 1
        images.extend(refs)
        guide.append(f"images {first}-{len(images)}: {character.name}" if len(refs) > 1 else f"image {first}: {character.name}")
        lines.append(f"- {character.name} ({character.handle}): {describe_look(character, shot.scene)}")
    rendered = render("storyboard/judge", shot_id=shot.shot_id, characters="\n".join(lines), image_guide="; ".join(guide))
    return TextRequest(agent="storyboard_judge", prompt=rendered.text, prompt_id=rendered.key,
                       images=[str(p) for p in images],
                       image_hashes=[sha256_file(p) for p in images])


def _judge_one(provider: Provider, shot: Shot, frame: Path, cast: list[Character], refs_dir: Path) -> FrameJudgement:
    """Ask the judge about one frame (structured output, one repair re-ask)."""
    request = judge_request(shot, frame, cast, refs_dir)
    judgement, result = structured(provider, request, FrameJudgement)
    log.info("frame_judged", shot=shot.shot_id, characters=len(cast), cached=result.cached)
    return judgement


def _record(report: Consistency, shot: Shot, cast: list[Character], judgement: FrameJudgement, threshold: float) -> None:
    """Keep the scores of the characters asked about; turn low ones into findings."""
    asked = {c.name.casefold(): c for c in cast}
    scores: dict[str, float] = {}
    for item in judgement.characters:
        character = asked.get(item.name.casefold()) or next((c for c in cast if library_alias(c, item.name)), None)
        if character is None:
            continue
        scores[character.name] = round(item.score, 3)
        if item.score < threshold:
            report.findings.append(Finding(
                id=f"look-{safe_name(shot.shot_id, 'shot')}-{safe_name(character.name, 'character')}", kind="look",
                severity="warning", scene=shot.scene, shot=shot.shot_id, line=shot.lines[0] if shot.lines else None,
                message=f"frame {shot.shot_id}: {character.name} does not match the reference "
                        f"(consistency {item.score:.2f}{': ' + item.note if item.note else ''})",
                fix=f"regenerate frame {shot.shot_id}, or refine {character.name}'s reference sheet", source="model"))
    for name in asked.values():
        if name.name not in scores:
            report.notes.append(f"storyboard: judge gave no score for {name.name} in {shot.shot_id}")
    report.scores[shot.shot_id] = scores


def library_alias(character: Character, name: str) -> bool:
    """Say whether a name is one of a character's aliases."""
    return name.casefold() in (a.casefold() for a in character.aliases)
