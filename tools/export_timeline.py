"""The animatic as an OpenTimelineIO timeline, and its EDL, FCP7 XML and FCPX XML renditions.

One video track, one clip per shot named by its shot id, each clip a storyboard still held for
the shot's duration on a fixed 24 fps grid (formats.md §3). A still has no length of its own, so
its `available_range` is as long as the clip. Shot facts ride along in `clip.metadata["filmcrew"]`
and a red marker `SC <scene> / <shot>` per shot carries the shot's dialogue as its comment, so an
editor sees scene starts and lines on the timeline.

Media URLs in the `.otio` and `.edl` stay relative to the folder the timeline is written to
(portable, byte-stable); Final Cut and Premiere want absolute `file://` URLs to link media, so the
two XML flavours get URLs resolved against the written file's folder.

The `.otio` is written by OpenTimelineIO's JSON serialiser. The EDL, FCP7 and FCPX files of an
animatic-shaped timeline are printed by `export_timeline_writers`, which writes what the adapters
write, byte for byte, without their cost (4 s for a feature); the adapter must still be installed,
and any other timeline goes through it.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import opentimelineio as otio
import structlog

from filmcrew.domain import Shot, ShotList
from filmcrew.errors import InputError
from filmcrew.files import atomic_write_text
from filmcrew.tools.export_common import ExportUnavailable, FrameFiles, cut_frames, one_line
from filmcrew.tools.export_timeline_writers import WRITERS, animatic_shape

log = structlog.get_logger(__name__)

__all__ = ["ADAPTERS", "ExportUnavailable", "build_timeline", "timeline_frames", "write_timeline"]

ADAPTERS: dict[str, str] = {
    "otio": "otio_json",
    "edl": "cmx_3600",
    "fcp7xml": "fcp_xml",
    "fcpxml": "fcpx_xml",
}
_ABSOLUTE_MEDIA = frozenset({"fcp7xml", "fcpxml"})


def build_timeline(
    shotlist: ShotList,
    frames_dir: Path,
    fps: int = 24,
    name: str = "animatic",
    *,
    media_root: Path | None = None,
) -> otio.schema.Timeline:
    """Build the animatic timeline: one clip per shot, its storyboard frame as media.

    Media URLs are written relative to `media_root` (default: the folder holding `frames_dir`,
    i.e. the run folder), which is where the timeline file is expected to live.
    """
    root = media_root if media_root is not None else frames_dir.parent
    timeline = otio.schema.Timeline(name=one_line(name) or "animatic")
    timeline.global_start_time = otio.opentime.RationalTime(0, fps)
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)
    frames, base = FrameFiles(frames_dir), root.resolve()
    for shot, (_, length) in zip(shotlist.shots, cut_frames(shotlist.shots, fps), strict=True):
        url = _media_url(frames.path(shot.shot_id), base)  # type: ignore[arg-type]
        track.append(_clip(shot, length, fps, url))
    return timeline


def timeline_frames(timeline: otio.schema.Timeline) -> tuple[int, int]:
    """Return (clip count, total frames at the timeline's rate) of the first video track."""
    track = timeline.video_tracks()[0]
    clips = list(track.find_clips())
    rate = timeline.global_start_time.rate if timeline.global_start_time else 24
    return len(clips), round(track.duration().rescaled_to(rate).value)


def write_timeline(timeline: otio.schema.Timeline, path: Path, fmt: str) -> None:
    """Write the timeline as `otio`, `edl`, `fcp7xml` or `fcpxml`, atomically.

    Raises `ExportUnavailable` when the adapter plugin for that format is not installed, so the
    caller can skip this one format and say why.
    """
    adapter = ADAPTERS.get(fmt)
    if adapter is None:
        raise InputError(f"unknown timeline format {fmt!r}; use one of {', '.join(ADAPTERS)}")
    try:
        otio.adapters.from_name(adapter)  # the adapter must be installed either way
        shape = animatic_shape(timeline) if fmt in WRITERS else None
        if shape is not None:  # the adapter's own text, written without it (see the module)
            if fmt in _ABSOLUTE_MEDIA:
                shape = shape.with_urls(_absolute_urls(path.parent))
            text = WRITERS[fmt](shape)
        else:
            if fmt in _ABSOLUTE_MEDIA:
                timeline = _with_absolute_media(timeline, path.parent)
            text = otio.adapters.write_to_string(timeline, adapter_name=adapter)
    except (otio.exceptions.NotSupportedError, otio.exceptions.AdapterDoesntSupportFunctionError) as exc:
        raise ExportUnavailable(
            f"{fmt} export needs the OpenTimelineIO adapter {adapter!r} "
            f"(pip install opentimelineio-plugins otio-fcpx-xml-adapter): {exc}"
        ) from exc
    atomic_write_text(path, text if text.endswith("\n") else text + "\n")
    log.info("timeline_written", path=str(path), fmt=fmt)


def _clip(shot: Shot, frames: int, fps: int, url: str) -> otio.schema.Clip:
    """Make one shot's clip: a still held `frames` frames, its facts and its marker."""
    length = otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, fps), otio.opentime.RationalTime(frames, fps)
    )
    media = otio.schema.ExternalReference(target_url=url, available_range=length)
    clip = otio.schema.Clip(name=one_line(shot.shot_id) or "shot", media_reference=media, source_range=length)
    clip.metadata["filmcrew"] = _shot_metadata(shot)
    clip.markers.append(_marker(shot, fps))
    return clip


def _shot_metadata(shot: Shot) -> dict[str, object]:
    """The shot facts an editor (or a later import) may want beside the clip."""
    return {
        "shot_id": shot.shot_id,
        "scene": str(shot.scene),
        "description": shot.description,
        "duration_s": shot.duration_s,
        "dialogue": shot.dialogue,
        "size": shot.size,
        "type": shot.type,
        "lines": list(shot.lines),
    }


def _marker(shot: Shot, fps: int) -> otio.schema.Marker:
    """Mark the shot's first frame with its scene and id; the dialogue goes in the comment."""
    marker = otio.schema.Marker(
        name=one_line(f"SC {shot.scene} / {shot.shot_id}"),
        marked_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(0, fps), otio.opentime.RationalTime(1, fps)
        ),
        color=otio.schema.MarkerColor.RED,
    )
    marker.comment = one_line(shot.dialogue)
    return marker


def _media_url(frame: Path, root: Path) -> str:
    """Return the frame's URL relative to `root` (both resolved; POSIX separators), or absolute if it cannot be."""
    try:
        relative = os.path.relpath(frame, root)
    except ValueError:  # another drive on Windows
        return frame.as_uri()
    return Path(relative).as_posix()


def _with_absolute_media(timeline: otio.schema.Timeline, base: Path) -> otio.schema.Timeline:
    """Copy the timeline with every relative media URL made an absolute `file://` URL.

    Each folder is resolved once (the frames share one): resolving every file cost a feature
    6,000 `lstat` calls per XML file.
    """
    copied = copy.deepcopy(timeline)
    absolute = _absolute_urls(base)
    for clip in copied.find_clips():
        media = clip.media_reference
        if isinstance(media, otio.schema.ExternalReference):
            media.target_url = absolute(media.target_url)
    return copied


def _absolute_urls(base: Path) -> Callable[[str], str]:
    """A function making a relative media URL an absolute `file://` URL against `base` (others pass)."""
    folders: dict[str, Path] = {}

    def absolute(url: str) -> str:
        if urlparse(url).scheme:
            return url
        folder, _, name = url.rpartition("/")
        if folder not in folders:
            folders[folder] = (base / folder).resolve()
        return (folders[folder] / name).as_uri()

    return absolute
