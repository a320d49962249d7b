"""What every exporter shares: the skip error, storyboard frame names, the cut grid, one-line text.

The timeline, the SRT and the MP4 must cut on the same frames, so the cut grid lives here once:
shot i starts at `round(sum(earlier durations) * fps)` (formats.md §3), which keeps rounding from
drifting over a feature's thousand shots, and every shot keeps at least one frame so no clip is
empty.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from filmcrew.domain import Shot
from filmcrew.errors import FilmcrewError, InputError
from filmcrew.files import inside, safe_name

MAX_SHOT_S = 24 * 3600.0  # longer than any real take; keeps a typo like 1e12 from hanging a render
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_ASPECT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)\s*$")


class ExportUnavailable(FilmcrewError):
    """An export cannot be written on this machine (a plugin or encoder is missing).

    Callers skip that one format and tell the user why; the other formats still get written.
    """

    exit_code = 1


def frame_file(frames_dir: Path, shot_id: str) -> Path:
    """Return where the storyboard frame of a shot lives: `<frames_dir>/<safe shot id>.png`.

    Same rule as the storyboard artist (`safe_name` from `filmcrew.files`), so a shot id with
    slashes or dots maps to one file inside the folder and never outside it.
    """
    return inside(frames_dir, safe_name(shot_id, fallback="shot") + ".png")


def existing_frame(frames_dir: Path | None, shot_id: str) -> Path | None:
    """Return the shot's frame if the storyboard folder has it, else None."""
    if frames_dir is None:
        return None
    path = frame_file(frames_dir, shot_id)
    return path if path.is_file() else None


class FrameFiles:
    """Frame paths of one storyboard folder, for exporters that ask once per shot.

    The folder is resolved once; each frame is `<folder>/<safe_name(shot id)>.png`, one path
    component that `safe_name` keeps free of separators and dots, so it stays inside the folder
    without resolving every file (1,256 `resolve` calls were 0.2 s per exporter on a feature).
    """

    def __init__(self, frames_dir: Path | None) -> None:
        self.root = frames_dir.resolve() if frames_dir is not None else None

    def path(self, shot_id: str) -> Path | None:
        """Where the shot's frame lives (None without a folder)."""
        if self.root is None:
            return None
        return self.root / (safe_name(shot_id, fallback="shot") + ".png")

    def existing(self, shot_id: str) -> Path | None:
        """The shot's frame if it exists as a file, else None."""
        path = self.path(shot_id)
        return path if path is not None and path.is_file() else None


def cut_frames(shots: list[Shot], fps: int) -> list[tuple[int, int]]:
    """Return (start frame, frame count) per shot on a fixed `fps` grid, without drift.

    Starts come from the rounded cumulative time; a shot that would round to nothing (or
    has a zero, negative or non-finite duration) still gets one frame, and none runs past
    MAX_SHOT_S.
    """
    if fps <= 0:
        raise InputError(f"frame rate must be positive, got {fps}")
    cuts: list[tuple[int, int]] = []
    elapsed, start = 0.0, 0
    for shot in shots:
        duration = shot.duration_s if math.isfinite(shot.duration_s) else 0.0
        elapsed += min(max(0.0, duration), MAX_SHOT_S)
        end = max(start + 1, math.floor(elapsed * fps + 0.5))
        cuts.append((start, end - start))
        start = end
    return cuts


def one_line(text: str, limit: int | None = None) -> str:
    """Collapse line breaks and control characters so a label cannot break a line-based format."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    if limit is not None and len(flat) > limit:
        return flat[: max(0, limit - 1)].rstrip() + "…"
    return flat


def clean_lines(text: str) -> list[str]:
    """Split text into lines with control characters removed and blank lines dropped."""
    lines = (" ".join(_CONTROL.sub(" ", line).split()) for line in text.splitlines())
    return [line for line in lines if line]


def aspect_ratio(aspect: str) -> tuple[float, float]:
    """Parse an aspect like `16:9`, `9:16`, `2.39:1` or `1x1` into (width, height) units."""
    match = _ASPECT.match(aspect or "")
    if match is None:
        raise InputError(f"unknown aspect {aspect!r}; write it as W:H, e.g. 16:9 or 9:16")
    width, height = float(match.group(1)), float(match.group(2))
    if width <= 0 or height <= 0:
        raise InputError(f"aspect {aspect!r} needs two positive numbers")
    return width, height


def frame_size(aspect: str, height: int | None = None) -> tuple[int, int]:
    """Return an even (width, height) in pixels for an aspect.

    Without `height`, the long side is 1920 (1920x1080 for 16:9, 1080x1920 for 9:16); with it,
    the picture is that many lines tall and as wide as the aspect asks.
    """
    units_w, units_h = aspect_ratio(aspect)
    if height is None:
        long_side = 1920.0
        if units_w >= units_h:
            width, tall = long_side, long_side * units_h / units_w
        else:
            width, tall = long_side * units_w / units_h, long_side
    else:
        if height < 16:
            raise InputError(f"video height {height} is too small; use at least 16 lines")
        width, tall = height * units_w / units_h, float(height)
    return _even(width), _even(tall)


def _even(value: float) -> int:
    """Round to the nearest even number (H.264 with 4:2:0 chroma needs even sizes)."""
    return max(2, 2 * round(value / 2))
