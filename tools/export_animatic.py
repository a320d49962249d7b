"""The animatic as an MP4 (PyAV, H.264 inside the wheel: no system ffmpeg) plus an SRT.

Each storyboard still is shown at the frame's own size (letterboxed into the run's aspect when it
does not fit), the shot id and the dialogue are burnt in, and the still is held for the shot's
duration on the same 24 fps cut grid as the OTIO timeline (`export_common.cut_frames`).

Why the picture is the frames' size: the stills are 640x360 sketches; scaling them to 1080p adds
no detail and costs nine times the pixels to compose and encode (a 190-scene plan spent 136 s
there). So the video is as large as the frames, scaled up by a whole number only when they are
smaller than `MIN_SIDE` on their short side, and fitted down to `MAX_SIDE` (1080p); burnt-in type
scales with the picture.

Why one frame per shot: a feature has ~1,250 stills over ~127,000 frames at 24 fps. Each still is
encoded once and held: the MP4 is variable frame rate, each frame carrying its real duration
(`pts` on a 1/fps time base, `packet.duration` set), so cuts stay frame-exact. A shot longer than
`MAX_HOLD_S` is re-sent every `MAX_HOLD_S` (so a frame of picture arrives at least that often),
and every encoded frame is a keyframe, so a seek anywhere decodes one frame. A decoded file has
`encoded_frames` frames (see `hold_chunks`); its duration is `frames / fps` seconds.

Why panels stay in palette mode: storyboard sketches are palette PNGs. Their palette takes two
ramps for the burnt-in type (16 antialiasing steps each), and the picture goes to swscale as
`pal8`, so no RGB copy is made; any other frame (RGB, alpha, another size) takes the RGB path.

Where `espeak-ng` is installed, `voice=True` adds a temp dialogue track (AAC): each shot's
dialogue spoken from its first frame and cut at its last.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
import threading
import wave
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import structlog
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from filmcrew.domain import Shot, ShotList
from filmcrew.files import atomic_write_text
from filmcrew.tools.export_common import (
    ExportUnavailable,
    FrameFiles,
    clean_lines,
    cut_frames,
    frame_size,
    one_line,
)

log = structlog.get_logger(__name__)

MAX_HOLD_S = 10.0  # a long shot's still is re-sent this often: a keyframe at least every 10 s
MIN_SIDE = 360  # frames with a shorter short side are scaled up by a whole number to at least this
MAX_SIDE = 1920  # frames with a longer long side are fitted down to this (1080p)
CARD_LINES = 720  # the picture height when no shot has a frame to take the size from
VOICE_RATE = 22050  # espeak-ng's native rate; mono 16-bit
_FONT_FILES = ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "LiberationSans-Bold.ttf", "NotoSans-Bold.ttf", "Arial.ttf")
_SUB_LINES = 4
_LEVELS = 16  # antialiasing steps of burnt-in type on a palette picture
_WHITE = (255, 255, 255)
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class AnimaticInfo:
    """What was rendered: timeline frames at `fps`, seconds, frames actually encoded, picture size."""

    frames: int
    seconds: float
    encoded_frames: int
    width: int
    height: int
    fps: int
    voice: bool = False


def hold_chunks(frames: int, fps: int) -> list[int]:
    """Split a shot of `frames` frames into encoded-frame durations of at most MAX_HOLD_S each."""
    step = max(1, round(MAX_HOLD_S * fps))
    return [min(step, frames - offset) for offset in range(0, frames, step)]


def encoded_frame_count(shotlist: ShotList, fps: int = 24) -> int:
    """Return how many frames `render_mp4` encodes (and a decoder returns) for a shot list."""
    return sum(len(hold_chunks(n, fps)) for _, n in cut_frames(shotlist.shots, fps))


def write_srt(shotlist: ShotList, path: Path, fps: int = 24) -> None:
    """Write one subtitle per shot (shot id, then its dialogue) timed on the animatic's cuts."""
    blocks = []
    for index, (shot, (start, frames)) in enumerate(zip(shotlist.shots, cut_frames(shotlist.shots, fps), strict=True)):
        text = "\n".join([one_line(f"{shot.shot_id}") or "shot", *clean_lines(shot.dialogue)])
        span = f"{_srt_time(start, fps)} --> {_srt_time(start + frames, fps)}"
        blocks.append(f"{index + 1}\n{span}\n{text}\n")
    atomic_write_text(path, "\n".join(blocks))


def animatic_size(shotlist: ShotList, frames_dir: Path | None, aspect: str, height: int | None = None) -> tuple[int, int]:
    """Return the video's (width, height): `height` lines if given, else the storyboard frames' own.

    The first readable frame sets the height: scaled up by a whole number until its short side
    is at least MIN_SIDE, fitted down when its long side passes MAX_SIDE. The width follows the
    aspect, so an odd frame is letterboxed, not the film.
    """
    if height is not None:
        return frame_size(aspect, height)
    found = _frame_pixels(shotlist, frames_dir)
    if found is None:
        return frame_size(aspect, CARD_LINES)
    width, lines = found
    scale = math.ceil(MIN_SIDE / min(width, lines))
    if max(width, lines) * scale > MAX_SIDE:
        return frame_size(aspect, round(lines * MAX_SIDE / max(width, lines)))
    return frame_size(aspect, lines * scale)


def render_mp4(
    shotlist: ShotList,
    frames_dir: Path,
    path: Path,
    aspect: str,
    fps: int = 24,
    height: int | None = None,
    *,
    voice: bool = False,
    preset: str = "ultrafast",
) -> AnimaticInfo:
    """Render the animatic MP4: stills held for their durations, shot id and dialogue burnt in.

    `height` (lines) overrides the size taken from the frames (see `animatic_size`).
    Writes to a temporary file beside `path` and renames it, so a crash leaves no half file.
    Raises `ExportUnavailable` when PyAV or its H.264 encoder is missing.
    """
    av = _load_av()
    width, tall = animatic_size(shotlist, frames_dir, aspect, height)
    speak = voice and _espeak() is not None
    if voice and not speak:
        log.warning("voice_track_skipped", reason="espeak-ng is not installed")
    path.parent.mkdir(parents=True, exist_ok=True)
    job = _Job(shotlist, FrameFiles(frames_dir), (width, tall), fps, speak, preset)
    with tempfile.TemporaryDirectory(prefix=".animatic.", dir=path.parent) as tmp:
        partial = Path(tmp) / "animatic.mp4"
        encoded = _encode(av, job, partial)
        partial.replace(path)
    total = sum(n for _, n in cut_frames(shotlist.shots, fps))
    log.info("animatic_rendered", path=str(path), frames=total, encoded=encoded, size=f"{width}x{tall}")
    return AnimaticInfo(total, total / fps, encoded, width, tall, fps, speak)


def panel(shot: Shot, frames_dir: Path | None, size: tuple[int, int]) -> Image.Image:
    """Compose one animatic picture as RGB: the letterboxed frame (or a card), shot id and subtitle."""
    return compose(shot, frames_dir, size).convert("RGB")


def compose(shot: Shot, frames_dir: Path | FrameFiles | None, size: tuple[int, int]) -> Image.Image:
    """Compose one animatic picture, in palette mode (`P`) when the frame allows, else RGB."""
    files = frames_dir if isinstance(frames_dir, FrameFiles) else FrameFiles(frames_dir)
    frame = _load_frame(files, shot.shot_id)
    canvas = _fitted(frame, size) if frame is not None else None
    if canvas is None:
        canvas = Image.new("RGB", size, (0, 0, 0))
        if frame is None:
            _draw_card(canvas, shot)
        else:
            fitted = ImageOps.contain(frame.convert("RGB"), size, method=Image.Resampling.BILINEAR)
            canvas.paste(fitted, ((size[0] - fitted.width) // 2, (size[1] - fitted.height) // 2))
    overlays = _overlays(shot, size)
    if canvas.mode == "P" and not _add_ramps(canvas, overlays):
        canvas = canvas.convert("RGB")
    for overlay in overlays:
        overlay.apply(canvas)
    return canvas


# --- encoding ----------------------------------------------------------------------------


def _load_av() -> Any:
    """Import PyAV and check its H.264 encoder, or say why the MP4 cannot be made."""
    try:
        import av
    except ImportError as exc:
        raise ExportUnavailable("mp4 export needs PyAV (pip install av)") from exc
    if "libx264" not in av.codecs_available:
        raise ExportUnavailable("mp4 export needs PyAV built with libx264; this build has none")
    return av


@dataclass(frozen=True)
class _Job:
    """What one render needs besides the output path."""

    shotlist: ShotList
    frames: FrameFiles
    size: tuple[int, int]
    fps: int
    speak: bool
    preset: str


def _encode(av: Any, job: _Job, path: Path) -> int:
    """Encode every shot's still (and voice) into `path`; return the number of video frames."""
    base = Fraction(1, job.fps)
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=job.fps, options=_x264_options(job.preset))
        video.width, video.height, video.pix_fmt = job.size[0], job.size[1], "yuv420p"
        # Frame threads: `encode` hands the frame to x264 and returns, so the next panel is composed
        # while x264 works (PyAV's default, slice threads, waits for every frame).
        video.codec_context.thread_type = "FRAME"
        video.codec_context.time_base = base
        audio = container.add_stream("aac", rate=VOICE_RATE, layout="mono") if job.speak else None
        durations: dict[int, int] = {}
        encoded = 0
        cuts = cut_frames(job.shotlist.shots, job.fps)
        for shot, (start, frames), picture in zip(job.shotlist.shots, cuts, _pictures(av, job), strict=True):
            # One YUV picture per shot; a long shot re-sends the same picture.
            offset = 0
            for hold in hold_chunks(frames, job.fps):
                picture.pts, picture.time_base = start + offset, base
                durations[start + offset] = hold
                _mux(container, video.encode(picture), durations)
                offset, encoded = offset + hold, encoded + 1
            if audio is not None:
                _mux(container, _voice_packets(av, audio, shot.dialogue, start, frames, job.fps), None)
        _mux(container, video.encode(None), durations)
        if audio is not None:
            _mux(container, audio.encode(None), None)
    return encoded


def _pictures(av: Any, job: _Job, ahead: int = 8) -> Iterator[Any]:
    """Yield each shot's yuv420p picture in order, composed by two threads a few shots ahead.

    PNG decoding, palette conversion and swscale run without the GIL, so two threads keep both
    cores busy while x264's own threads encode; `ahead` bounds the pictures held in memory.
    """
    local = threading.local()

    def make(shot: Shot) -> Any:
        if not hasattr(local, "scaler"):  # swscale contexts are not shared between threads
            local.scaler = av.video.reformatter.VideoReformatter()
        return _yuv(av, local.scaler, compose(shot, job.frames, job.size))

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="animatic") as pool:
        pending: deque[Future[Any]] = deque()
        for shot in job.shotlist.shots:
            pending.append(pool.submit(make, shot))
            if len(pending) > ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _x264_options(preset: str) -> dict[str, str]:
    """x264 settings for held stills: every frame a keyframe (g=1), CRF 23, ultrafast by default.

    Measured on the 190-scene run (1,292 frames at 640x360, the 2-core machine, CPU seconds of
    x264 alone): ultrafast 1.6-1.8 s for 28 MB; superfast 3.7 s for ~16 MB, CABAC alone costing
    ~2 s of that. Letting x264 predict between stills (g=250) made the file 20% smaller but the
    encode slower, and a seek would decode several frames; `tune=stillimage` changes nothing under
    ultrafast. (The 1080p file with a frame a second was 63 MB.)
    """
    return {"preset": preset, "crf": "23", "g": "1"}


def _yuv(av: Any, scaler: Any, picture: Image.Image) -> Any:
    """Turn a composed picture into a yuv420p frame (palette pictures go in as `pal8`).

    A reformatter kept for the render (one per composing thread) keeps swscale's context: a fresh
    one per frame cost three times the conversion. One swscale thread beats a pool at this size.
    """
    if picture.mode != "P":
        return scaler.reformat(av.VideoFrame.from_image(picture), format="yuv420p", threads=1)
    frame = av.VideoFrame(picture.width, picture.height, "pal8")
    indices, stride = picture.tobytes(), frame.planes[0].line_size
    if stride != picture.width:  # rows are padded to an alignment
        pad = bytes(stride - picture.width)
        indices = b"".join(indices[row : row + picture.width] + pad for row in range(0, len(indices), picture.width))
    frame.planes[0].update(indices)
    frame.planes[1].update(_argb_palette(picture.getpalette() or []))
    return scaler.reformat(frame, format="yuv420p", threads=1)


def _argb_palette(rgb: list[int]) -> bytes:
    """FFmpeg's pal8 palette: 256 native-endian 32-bit ARGB words."""
    words = array("I", [0xFF000000 | rgb[i] << 16 | rgb[i + 1] << 8 | rgb[i + 2] for i in range(0, len(rgb) - 2, 3)])
    words.extend([0] * (256 - len(words)))
    return words.tobytes()


def _mux(container: Any, packets: Iterable[Any], durations: dict[int, int] | None) -> None:
    """Mux packets, giving each video packet its frame's real duration (the last one needs it)."""
    for packet in packets:
        if durations is not None and packet.pts is not None:
            packet.duration = durations.pop(packet.pts, packet.duration)
        container.mux(packet)


# --- pictures ----------------------------------------------------------------------------


def _frame_pixels(shotlist: ShotList, frames_dir: Path | None) -> tuple[int, int] | None:
    """The size of the first storyboard frame that opens (its header only), or None."""
    files = FrameFiles(frames_dir)
    for shot in shotlist.shots:
        path = files.existing(shot.shot_id)
        if path is None:
            continue
        try:
            with Image.open(path) as opened:
                return max(1, opened.width), max(1, opened.height)
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
            continue
    return None


def _load_frame(files: FrameFiles, shot_id: str) -> Image.Image | None:
    """Open the shot's storyboard frame, flattened onto white: palette kept, else RGB; None if unreadable."""
    path = files.existing(shot_id)
    if path is None:
        return None
    try:
        with Image.open(path) as opened:
            opened.load()
            if opened.mode == "P":
                flat = _opaque_palette(opened)
                if flat is not None:
                    return flat
            if opened.mode not in ("RGBA", "LA", "P", "PA"):
                return opened.convert("RGB")
            image = opened.convert("RGBA")
        backdrop = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(backdrop, image).convert("RGB")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        log.warning("frame_unreadable", shot=shot_id, path=str(path), error=str(exc))
        return None


def _opaque_palette(image: Image.Image) -> Image.Image | None:
    """A palette image with its transparency blended onto white in the palette itself.

    Each pixel's colour depends only on its index, so compositing the palette entries is exact.
    Returns None for palettes that are not plain RGB.
    """
    if image.palette is None or image.palette.mode != "RGB":
        return None
    alpha = image.info.get("transparency")
    if alpha is None:
        return image
    rgb = image.getpalette() or []
    count = len(rgb) // 3
    if isinstance(alpha, int):
        alphas = [0 if index == alpha else 255 for index in range(count)]
    else:
        alphas = [alpha[index] if index < len(alpha) else 255 for index in range(count)]
    flat = image.copy()
    flat.info.pop("transparency", None)
    flat.putpalette([round(v * alphas[i // 3] / 255 + 255 * (1 - alphas[i // 3] / 255)) for i, v in enumerate(rgb[: count * 3])])
    return flat


def _fitted(frame: Image.Image, size: tuple[int, int]) -> Image.Image | None:
    """The frame as the canvas itself, when it fills `size` exactly or by a whole-number scale.

    A palette frame stays a palette image (nearest-neighbour scaling keeps a sketch's lines
    crisp); None means the frame must be letterboxed onto a canvas.
    """
    if frame.size == size:
        return frame if frame.mode in ("P", "RGB") else frame.convert("RGB")
    scale_w, rest_w = divmod(size[0], frame.width)
    scale_h, rest_h = divmod(size[1], frame.height)
    if rest_w or rest_h or scale_w != scale_h or scale_w < 1:
        return None
    return frame.resize(size, Image.Resampling.NEAREST)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A sans font with accents and curly quotes if the system has one, else Pillow's own."""
    for name in _FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


_FONTS: dict[int, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}


def _font_cached(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Load each font size once per process (a feature has a thousand panels)."""
    if size not in _FONTS:
        _FONTS[size] = _font(size)
    return _FONTS[size]


def _unit(size: tuple[int, int]) -> int:
    """Type size unit: a share of the short side, so 9:16 and 16:9 read alike."""
    return max(8, min(size) // 24)


@dataclass
class _Overlay:
    """A box of burnt-in type: `fill` behind, `ink` through `mask` (an L image of the box's size)."""

    box: tuple[int, int, int, int]
    mask: Image.Image
    ink: RGB
    fill: RGB
    base: int = -1  # first palette index of this overlay's ramp, on a palette canvas

    def apply(self, canvas: Image.Image) -> None:
        """Burn the box into the canvas: palette indices of the ramp, or colour through the mask."""
        box, mask = self._clipped(canvas.size)
        if box is None:
            return
        if canvas.mode == "P":
            canvas.paste(mask.point(_ramp_lut(self.base)), box)
        else:
            canvas.paste(self.fill, box)
            canvas.paste(self.ink, box, mask)

    def _clipped(self, size: tuple[int, int]) -> tuple[tuple[int, int, int, int] | None, Image.Image]:
        """The box cut to the canvas, and the matching part of the mask."""
        left, top, right, bottom = self.box
        cut = (max(0, left), max(0, top), min(size[0], right), min(size[1], bottom))
        if cut[0] >= cut[2] or cut[1] >= cut[3]:
            return None, self.mask
        if cut == self.box:
            return cut, self.mask
        return cut, self.mask.crop((cut[0] - left, cut[1] - top, cut[2] - left, cut[3] - top))


@lru_cache(maxsize=64)
def _ramp_lut(base: int) -> tuple[int, ...]:
    """Map mask coverage 0-255 onto the _LEVELS palette entries of a ramp starting at `base`."""
    steps = _LEVELS - 1
    return tuple(base + (v * steps + 127) // 255 for v in range(256))


@lru_cache(maxsize=16)
def _ramp(fill: RGB, ink: RGB) -> tuple[int, ...]:
    """_LEVELS palette colours (flat RGB values) from the box colour to the type colour."""
    return tuple(round(f + (i - f) * step / (_LEVELS - 1)) for step in range(_LEVELS) for f, i in zip(fill, ink, strict=True))


def _add_ramps(canvas: Image.Image, overlays: list[_Overlay]) -> bool:
    """Append each overlay's fill-to-ink ramp to the canvas palette; False when it has no room."""
    palette = canvas.getpalette() or []
    ramps: dict[tuple[RGB, RGB], int] = {}
    for overlay in overlays:
        key = (overlay.fill, overlay.ink)
        if key not in ramps:
            ramps[key] = len(palette) // 3
            palette += _ramp(*key)
        overlay.base = ramps[key]
    if len(palette) > 256 * 3:
        return False
    canvas.putpalette(palette)
    return True


def _overlays(shot: Shot, size: tuple[int, int]) -> list[_Overlay]:
    """The burnt-in boxes of one panel: the scene/shot label and, with dialogue, the subtitle."""
    subtitle = _subtitle(shot.dialogue, size)
    return [_label(f"SC {shot.scene} / {shot.shot_id}", size), *([subtitle] if subtitle else [])]


def _label(text: str, size: tuple[int, int]) -> _Overlay:
    """The scene and shot id, top right on a black box.

    Top right, because storyboard sketches carry their own caption strip top left and bottom.
    """
    unit = _unit(size)
    font = _font_cached(max(8, unit * 3 // 4))
    pad = unit // 3
    label = one_line(text, 60)
    origin = (size[0] - 2 * pad - font.getlength(label), pad * 2)
    left, top, right, bottom = font.getbbox(label)
    box = (math.floor(origin[0] + left) - pad, origin[1] + top - pad, math.ceil(origin[0] + right) + pad + 1, origin[1] + bottom + pad + 1)
    mask = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
    ImageDraw.Draw(mask).text((origin[0] - box[0], origin[1] - box[1]), label, font=font, fill=255)
    return _Overlay(box, mask, (255, 230, 80), (0, 0, 0))


def _subtitle(dialogue: str, size: tuple[int, int]) -> _Overlay | None:
    """The dialogue as a subtitle on a dark band, above the bottom tenth of the picture."""
    unit = _unit(size)
    font = _font_cached(unit)
    lines = _wrap(" ".join(clean_lines(dialogue)), font, size[0] * 0.86)
    if not lines:
        return None
    step, pad = int(unit * 1.3), unit // 3
    bottom = size[1] - max(unit, size[1] // 10)
    widths = [font.getlength(line) for line in lines]
    top = bottom - step * len(lines)
    box = (int((size[0] - max(widths)) / 2) - pad, top - pad, int((size[0] + max(widths)) / 2) + pad + 1, bottom + pad + 1)
    mask = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
    draw = ImageDraw.Draw(mask)
    for row, (line, width) in enumerate(zip(lines, widths, strict=True)):
        draw.text(((size[0] - width) / 2 - box[0], top + row * step - box[1]), line, font=font, fill=255)
    return _Overlay(box, mask, _WHITE, (16, 16, 16))


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: float) -> list[str]:
    """Wrap text to a pixel width; past four lines the last one ends in an ellipsis."""
    if not text or font.getlength(text) <= width:  # most lines of dialogue fit on one line
        return [text] if text else []
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > _SUB_LINES:
        lines = lines[:_SUB_LINES]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines


def _draw_card(canvas: Image.Image, shot: Shot) -> None:
    """Stand in for a missing frame: a grey card with the shot's size, type and description."""
    draw = ImageDraw.Draw(canvas)
    inset = _unit(canvas.size)
    draw.rectangle((inset, inset, canvas.width - inset, canvas.height - inset), fill=(58, 58, 64))
    font = _font_cached(_unit(canvas.size))
    text = one_line(f"(no storyboard frame) {shot.size} {shot.type} — {shot.description}", 400)
    y = canvas.height // 3
    for line in _wrap(text, font, canvas.width - 4 * inset):
        draw.text((2 * inset, y), line, font=font, fill=(220, 220, 220))
        y += int(_unit(canvas.size) * 1.3)


# --- voice -------------------------------------------------------------------------------


def _espeak() -> str | None:
    """Return the espeak-ng executable, if installed."""
    return shutil.which("espeak-ng")


def _voice_packets(av: Any, stream: Any, dialogue: str, start: int, frames: int, fps: int) -> Iterator[Any]:
    """Encode one shot's audio: its spoken dialogue padded or cut to the shot's length."""
    first = start * VOICE_RATE // fps
    count = (start + frames) * VOICE_RATE // fps - first
    pcm = _speak(dialogue)[: count * 2]
    pcm += bytes(count * 2 - len(pcm))
    step = VOICE_RATE  # one second per frame keeps memory flat on long shots
    for offset in range(0, count, step):
        chunk = pcm[offset * 2 : (offset + step) * 2]
        frame = av.AudioFrame(format="s16", layout="mono", samples=len(chunk) // 2)
        frame.planes[0].update(chunk)
        frame.sample_rate, frame.pts, frame.time_base = VOICE_RATE, first + offset, Fraction(1, VOICE_RATE)
        yield from stream.encode(frame)


def _speak(text: str) -> bytes:
    """Speak text with espeak-ng into 16-bit mono PCM at VOICE_RATE; empty on failure."""
    words = " ".join(clean_lines(text))
    exe = _espeak()
    if not words or exe is None:
        return b""
    with tempfile.TemporaryDirectory(prefix="filmcrew-voice.") as tmp:
        source, target = Path(tmp) / "line.txt", Path(tmp) / "line.wav"
        source.write_text(words, encoding="utf-8")
        # The text goes in a file (-f), never on the command line, so a line starting with "-"
        # cannot become an option.
        try:
            result = subprocess.run([exe, "-w", str(target), "-f", str(source)], capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.warning("voice_failed", error=str(exc))
            return b""
        if result.returncode != 0 or not target.is_file():
            log.warning("voice_failed", error=result.stderr.decode("utf-8", "replace")[:200])
            return b""
        return _pcm(target)


def _pcm(path: Path) -> bytes:
    """Read a WAV that espeak-ng wrote; anything but 16-bit mono at VOICE_RATE is dropped."""
    with wave.open(str(path), "rb") as handle:
        if (handle.getnchannels(), handle.getsampwidth(), handle.getframerate()) != (1, 2, VOICE_RATE):
            log.warning("voice_format_unexpected", channels=handle.getnchannels(), rate=handle.getframerate())
            return b""
        return handle.readframes(handle.getnframes())


def _srt_time(frame: int, fps: int) -> str:
    """Format a frame position as an SRT timestamp `HH:MM:SS,mmm`."""
    millis = frame * 1000 // fps
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"
