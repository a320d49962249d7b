"""The animatic as an MP4 (PyAV, H.264 inside the wheel: no system ffmpeg) plus an SRT.

Each storyboard still is letterboxed into the run's aspect, the shot id and the dialogue are
burnt in, and the still is held for the shot's duration on the same 24 fps cut grid as the OTIO
timeline (`export_common.cut_frames`).

Why the MP4 is variable frame rate: a feature has ~1,000 stills over ~172,800 frames at 24 fps.
Encoding every repeated frame caps out near 400 frames/s at 720p on two cores (about 17x real
time); instead each still is encoded once and then repeated once per second of screen time, each
frame carrying its real duration (`pts` on a 1/fps time base, `packet.duration` set), which MP4
allows. Cuts stay frame-exact, a player can still seek inside a long shot, and a two-hour plan
encodes ~8,200 frames instead of 172,800. So a decoded file has `encoded_frames` frames (see
`hold_chunks`), and its duration is `frames / fps` seconds.

Where `espeak-ng` is installed, `voice=True` adds a temp dialogue track (AAC): each shot's
dialogue spoken from its first frame and cut at its last.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import structlog
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from filmcrew.domain import Shot, ShotList
from filmcrew.files import atomic_write_text
from filmcrew.tools.export_common import (
    ExportUnavailable,
    clean_lines,
    cut_frames,
    existing_frame,
    frame_size,
    one_line,
)

log = structlog.get_logger(__name__)

MAX_HOLD_S = 1.0  # a still is re-sent at least this often, so players can seek inside a shot
VOICE_RATE = 22050  # espeak-ng's native rate; mono 16-bit
_FONT_FILES = ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "LiberationSans-Bold.ttf", "NotoSans-Bold.ttf", "Arial.ttf")
_SUB_LINES = 4


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


def render_mp4(
    shotlist: ShotList,
    frames_dir: Path,
    path: Path,
    aspect: str,
    fps: int = 24,
    height: int | None = None,
    *,
    voice: bool = False,
    preset: str = "superfast",
) -> AnimaticInfo:
    """Render the animatic MP4: stills held for their durations, shot id and dialogue burnt in.

    Writes to a temporary file beside `path` and renames it, so a crash leaves no half file.
    Raises `ExportUnavailable` when PyAV or its H.264 encoder is missing.
    """
    av = _load_av()
    width, tall = frame_size(aspect, height)
    speak = voice and _espeak() is not None
    if voice and not speak:
        log.warning("voice_track_skipped", reason="espeak-ng is not installed")
    path.parent.mkdir(parents=True, exist_ok=True)
    job = _Job(shotlist, frames_dir, (width, tall), fps, speak, preset)
    with tempfile.TemporaryDirectory(prefix=".animatic.", dir=path.parent) as tmp:
        partial = Path(tmp) / "animatic.mp4"
        encoded = _encode(av, job, partial)
        partial.replace(path)
    total = sum(n for _, n in cut_frames(shotlist.shots, fps))
    log.info("animatic_rendered", path=str(path), frames=total, encoded=encoded, size=f"{width}x{tall}")
    return AnimaticInfo(total, total / fps, encoded, width, tall, fps, speak)


def panel(shot: Shot, frames_dir: Path | None, size: tuple[int, int]) -> Image.Image:
    """Compose one animatic picture: the letterboxed frame (or a card), shot id and subtitle."""
    canvas = Image.new("RGB", size, (0, 0, 0))
    frame = _load_frame(frames_dir, shot.shot_id)
    if frame is None:
        _draw_card(canvas, shot)
    else:
        fitted = ImageOps.contain(frame, size, method=Image.Resampling.BILINEAR)
        canvas.paste(fitted, ((size[0] - fitted.width) // 2, (size[1] - fitted.height) // 2))
    _draw_label(canvas, f"SC {shot.scene} / {shot.shot_id}")
    _draw_subtitle(canvas, shot.dialogue)
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
    frames_dir: Path | None
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
        video.codec_context.time_base = base
        audio = container.add_stream("aac", rate=VOICE_RATE, layout="mono") if job.speak else None
        durations: dict[int, int] = {}
        encoded = 0
        for shot, (start, frames) in zip(job.shotlist.shots, cut_frames(job.shotlist.shots, job.fps), strict=True):
            still = panel(shot, job.frames_dir, job.size)
            # The panel is converted to YUV once; every repeat below re-sends the same picture.
            picture = av.VideoFrame.from_image(still).reformat(format="yuv420p", interpolation="FAST_BILINEAR")
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


def _x264_options(preset: str) -> dict[str, str]:
    """x264 settings for held stills: still-image tuning, a keyframe at least every ~10 s.

    Measured on held 720p stills (2 cores): ultrafast ~430 frames/s but 3-4x the file size,
    superfast ~270 frames/s, veryfast ~140 frames/s at about superfast's size; so superfast.
    """
    return {"preset": preset, "tune": "stillimage", "crf": "23", "g": str(max(1, int(10 / MAX_HOLD_S)))}


def _mux(container: Any, packets: Iterable[Any], durations: dict[int, int] | None) -> None:
    """Mux packets, giving each video packet its frame's real duration (the last one needs it)."""
    for packet in packets:
        if durations is not None and packet.pts is not None:
            packet.duration = durations.pop(packet.pts, packet.duration)
        container.mux(packet)


# --- pictures ----------------------------------------------------------------------------


def _load_frame(frames_dir: Path | None, shot_id: str) -> Image.Image | None:
    """Open the shot's storyboard frame as RGB, or None when it is missing or unreadable."""
    path = existing_frame(frames_dir, shot_id)
    if path is None:
        return None
    try:
        with Image.open(path) as opened:
            opened.load()
            if opened.mode not in ("RGBA", "LA", "P"):
                return opened.convert("RGB")
            image = opened.convert("RGBA")
        backdrop = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(backdrop, image).convert("RGB")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        log.warning("frame_unreadable", shot=shot_id, path=str(path), error=str(exc))
        return None


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


def _unit(canvas: Image.Image) -> int:
    """Type size unit: a share of the short side, so 9:16 and 16:9 read alike."""
    return max(8, min(canvas.size) // 24)


def _draw_label(canvas: Image.Image, text: str) -> None:
    """Burn the scene and shot id into the top-right corner on a dark box.

    Top right, because storyboard sketches carry their own caption strip top left and bottom.
    """
    font = _font_cached(max(8, _unit(canvas) * 3 // 4))
    draw = ImageDraw.Draw(canvas)
    pad = _unit(canvas) // 3
    label = one_line(text, 60)
    width = draw.textlength(label, font=font)
    origin = (canvas.width - 2 * pad - width, pad * 2)
    left, top, right, bottom = draw.textbbox(origin, label, font=font)
    draw.rectangle((left - pad, top - pad, right + pad, bottom + pad), fill=(0, 0, 0))
    draw.text(origin, label, font=font, fill=(255, 230, 80))


def _draw_subtitle(canvas: Image.Image, dialogue: str) -> None:
    """Burn the dialogue in as a subtitle on a dark band, above the bottom tenth of the picture."""
    font = _font_cached(_unit(canvas))
    lines = _wrap(" ".join(clean_lines(dialogue)), font, canvas.width * 0.86)
    if not lines:
        return
    draw = ImageDraw.Draw(canvas)
    step = int(_unit(canvas) * 1.3)
    pad = _unit(canvas) // 3
    bottom = canvas.height - max(_unit(canvas), canvas.height // 10)
    widths = [draw.textlength(line, font=font) for line in lines]
    top = bottom - step * len(lines)
    band = (int((canvas.width - max(widths)) / 2) - pad, top - pad, int((canvas.width + max(widths)) / 2) + pad, bottom + pad)
    draw.rectangle(band, fill=(16, 16, 16))
    for line, width in zip(lines, widths, strict=True):
        draw.text(((canvas.width - width) / 2, top), line, font=font, fill=(255, 255, 255))
        top += step


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: float) -> list[str]:
    """Wrap text to a pixel width; past four lines the last one ends in an ellipsis."""
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
    inset = _unit(canvas)
    draw.rectangle((inset, inset, canvas.width - inset, canvas.height - inset), fill=(58, 58, 64))
    font = _font_cached(_unit(canvas))
    text = one_line(f"(no storyboard frame) {shot.size} {shot.type} — {shot.description}", 400)
    y = canvas.height // 3
    for line in _wrap(text, font, canvas.width - 4 * inset):
        draw.text((2 * inset, y), line, font=font, fill=(220, 220, 220))
        y += int(_unit(canvas) * 1.3)


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
