"""EDL, FCP7 XML and FCPX XML of the animatic timeline, written directly, byte for byte as the
OpenTimelineIO adapters write them.

Why: the adapters are pure Python built for any timeline, and a feature's 1,256 clips cost them
~4 s of CPU (EDL 0.7 s; FCP7 1.5 s, half of it minidom re-parsing its own output to indent it;
FCPX 1.2 s of linear XPath look-ups per clip, plus one `ffprobe` spawn per clip that fails on a
machine without it). The animatic's timeline has one fixed shape (`export_timeline.build_timeline`:
one video track of clips, each an `ExternalReference` still with its markers), so for that shape
these writers print the same text the adapters print, in a few milliseconds. `animatic_shape`
says whether a timeline has that shape; anything else goes to the adapters.

What the adapters do, kept here (the tests compare our bytes with theirs):
- EDL (`cmx_3600`, avid style): reels from the media file name (extension and symbols dropped,
  8 characters), `* FROM CLIP NAME:`, `* FROM CLIP:`, `* OTIO TRUNCATED REEL NAME FROM:` and one
  `* LOC:` line per marker (name in capitals).
- FCP7 (`fcp_xml`): minidom's indented layout and escaping (`&`, `<`, `>`, `"`); one `file` per
  media URL (later clips refer back by id); marker comments and clip metadata are not written.
- FCPX (`fcpx_xml`): the format's `name` is empty (the adapter fills it only from `ffprobe`, so
  its output depended on the machine); one asset per media URL, one `asset-clip` per clip name.
  Unlike the adapter, a name with an apostrophe does not crash it (its XPath look-ups did).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlparse

import opentimelineio as otio

@dataclass(frozen=True)
class _Clip:
    """What the writers need from one clip: name, media URL, frames, record start, markers."""

    name: str
    url: str
    frames: int
    start: int
    markers: tuple[tuple[str, str, int, int], ...]  # name, colour, start frame, length in frames


@dataclass(frozen=True)
class _Timeline:
    """The timeline's name, integer rate and clips."""

    name: str
    rate: int
    clips: tuple[_Clip, ...]

    @property
    def frames(self) -> int:
        """Total length in frames."""
        return sum(clip.frames for clip in self.clips)

    def with_urls(self, change: Callable[[str], str]) -> _Timeline:
        """The same timeline with every media URL passed through `change`."""
        return replace(self, clips=tuple(replace(clip, url=change(clip.url)) for clip in self.clips))


def animatic_shape(timeline: otio.schema.Timeline) -> _Timeline | None:
    """The timeline read into plain values, or None when it is not the animatic's simple shape."""
    start = timeline.global_start_time
    tracks = list(timeline.tracks)
    if start is None or start.value != 0 or not _whole(start.rate) or len(tracks) != 1 or timeline.tracks.markers:
        return None
    track = tracks[0]
    if track.kind != otio.schema.TrackKind.Video or not track.enabled or track.markers or track.effects:
        return None
    rate, clips, position, seen = int(start.rate), [], 0, set()
    for item in track:
        clip = _clip(item, rate, position)
        if clip is None:
            return None
        # The FCP7 adapter writes a clip equal to an earlier one (same JSON) as a bare back-reference;
        # a timeline where two clips might be equal is left to it rather than copying that.
        same = (clip.name, clip.url, clip.frames, clip.markers)
        if same in seen:
            return None
        seen.add(same)
        clips.append(clip)
        position += clip.frames
    return _Timeline(timeline.name, rate, tuple(clips)) if clips else None


def _clip(item: object, rate: int, position: int) -> _Clip | None:
    """One clip as plain values, if it is a plain still clip on the timeline's rate."""
    if not isinstance(item, otio.schema.Clip) or not item.enabled or item.effects:
        return None
    metadata = item.metadata
    if len(metadata) > 1 or (len(metadata) == 1 and "filmcrew" not in metadata):
        return None  # another namespace (fcp_xml, cmx_3600, cdl, ...) changes what the adapters write
    media, source = item.media_reference, item.source_range
    if not isinstance(media, otio.schema.ExternalReference) or media.name or len(media.metadata) or source is None:
        return None
    if not item.name or not media.target_url or media.available_range != source or not _frames_at(source.start_time, rate, zero=True):
        return None
    frames = source.duration.value
    if not _frames_at(source.duration, rate) or frames < 1:
        return None
    markers = []
    for marker in item.markers:
        span = marker.marked_range
        if len(marker.metadata) or not _frames_at(span.start_time, rate) or not _frames_at(span.duration, rate):
            return None
        markers.append((marker.name, marker.color, int(span.start_time.value), int(span.duration.value)))
    return _Clip(item.name, media.target_url, int(frames), position, tuple(markers))


def _whole(value: float) -> bool:
    return float(value).is_integer() and value > 0


def _frames_at(time: otio.opentime.RationalTime, rate: int, zero: bool = False) -> bool:
    """A whole number of frames at `rate` (exactly zero when `zero`)."""
    return time.rate == rate and float(time.value).is_integer() and time.value >= 0 and (time.value == 0 or not zero)


# --- EDL ------------------------------------------------------------------------------------------


def edl(timeline: _Timeline) -> str:
    """CMX 3600 as `cmx_3600` writes it (avid style, 8-character reels)."""
    rate = timeline.rate
    content = f"TITLE: {timeline.name}\n\n" if timeline.name else ""
    for number, clip in enumerate(timeline.clips, start=1):
        url = clip.url.replace("\\", "/")
        times = " ".join(_timecode(value, rate) for value in (0, clip.frames, clip.start, clip.start + clip.frames))
        lines = [f"{number:03d}  {_reel(url):8} {'V':5} C        {times}",
                 f"* FROM CLIP NAME:  {clip.name}",
                 f"* FROM CLIP: {url}",
                 f"* OTIO TRUNCATED REEL NAME FROM: {os.path.basename(url)}"]
        lines += [f"* LOC: {_timecode(start, rate)} {colour:7} {(name or '').upper()}" for name, colour, start, _ in clip.markers]
        content += "\n".join(lines) + "\n"
    return content


def _reel(url: str) -> str:
    """The 8-character reel: the file name without its extension or anything but letters, digits, spaces."""
    reel = re.sub(r"[^ a-zA-Z0-9]+", "", re.sub(r"([.][a-zA-Z]+)$", "", os.path.basename(url)))
    return reel[:8].ljust(8)


def _timecode(frames: int, rate: int) -> str:
    return otio.opentime.to_timecode(otio.opentime.RationalTime(frames, rate), rate)


# --- FCP7 XML -------------------------------------------------------------------------------------


def fcp7_xml(timeline: _Timeline) -> str:
    """Final Cut Pro 7 / Premiere XML as `fcp_xml` writes it."""
    out = _Indented()
    rate = _rate_xml(timeline.rate)
    out.open("xmeml", 'version="4"')
    out.open("project")
    out.leaf("name", timeline.name)
    out.open("children")
    out.open("sequence", 'id="sequence-1"')
    out.leaf("name", timeline.name or "tracks")
    out.leaf("duration", str(timeline.frames))
    rate(out)
    out.open("media")
    out.open("video")
    out.empty("format")
    out.open("track")
    files: dict[str, int] = {}
    for number, clip in enumerate(timeline.clips, start=1):
        _clip_item(out, clip, number, files, rate)
    out.close("track")
    out.close("video")
    out.empty("audio")
    out.close("media")
    _timecode_xml(out, rate)
    out.close("sequence")
    out.close("children")
    out.close("project")
    out.close("xmeml")
    return '<?xml version="1.0" ?>\n' + out.text()


def _clip_item(out: _Indented, clip: _Clip, number: int, files: dict[str, int], rate: Callable[[_Indented], None]) -> None:
    out.open("clipitem", f'frameBlend="FALSE" id="clipitem-{number}"')
    if clip.url in files:
        out.empty("file", f'id="file-{files[clip.url]}"')
    else:
        files[clip.url] = len(files) + 1
        out.open("file", f'id="file-{files[clip.url]}"')
        out.leaf("pathurl", clip.url)
        out.leaf("name", os.path.basename(urlparse(clip.url).path))
        rate(out)
        out.leaf("duration", str(clip.frames))
        _timecode_xml(out, rate)
        out.open("media")
        out.empty("video")
        out.empty("audio")
        out.close("media")
        out.close("file")
    out.leaf("name", clip.name)
    rate(out)
    for name, _, start, length in clip.markers:
        out.open("marker")
        out.leaf("name", name)
        out.leaf("in", str(start))
        out.leaf("out", str(start + length))
        out.close("marker")
    rate(out)
    out.leaf("duration", str(clip.frames))
    out.leaf("start", str(clip.start))
    out.leaf("end", str(clip.start + clip.frames))
    out.leaf("in", "0")
    out.leaf("out", str(clip.frames))
    out.close("clipitem")


def _rate_xml(fps: int) -> Callable[[_Indented], None]:
    def write(out: _Indented) -> None:
        out.open("rate")
        out.leaf("timebase", str(fps))
        out.leaf("ntsc", "FALSE")
        out.close("rate")
    return write


def _timecode_xml(out: _Indented, rate: Callable[[_Indented], None]) -> None:
    """A `timecode` element at frame 0 (media and sequence starts are always 0 in this shape)."""
    out.open("timecode")
    rate(out)
    out.leaf("string", "00:00:00:00")
    out.leaf("frame", "0")
    out.leaf("displayformat", "NDF")
    out.close("timecode")


class _Indented:
    """minidom's `toprettyxml(indent="    ")` layout, written straight out."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.depth = 0

    def open(self, tag: str, attrs: str = "") -> None:
        self.parts.append(f"{'    ' * self.depth}<{tag}{' ' + attrs if attrs else ''}>\n")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.parts.append(f"{'    ' * self.depth}</{tag}>\n")

    def empty(self, tag: str, attrs: str = "") -> None:
        self.parts.append(f"{'    ' * self.depth}<{tag}{' ' + attrs if attrs else ''}/>\n")

    def leaf(self, tag: str, text: str) -> None:
        if text:
            self.parts.append(f"{'    ' * self.depth}<{tag}>{escape(text)}</{tag}>\n")
        else:
            self.empty(tag)

    def text(self) -> str:
        return "".join(self.parts)


def escape(text: str) -> str:
    """minidom's escaping, for text and attribute values alike."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").replace(">", "&gt;")


# --- FCPX XML -------------------------------------------------------------------------------------


def fcpx_xml(timeline: _Timeline) -> str:
    """Final Cut Pro X XML (1.8) as `fcpx_xml` writes it."""
    rate = timeline.rate
    frame = {24: "25/600s", 25: "1/25s", 30: "100/3000s", 50: "1/50s", 60: "1/60s"}.get(rate, "")
    resources = [f'        <format id="r1" frameDuration="{frame}" name=""/>\n']
    clips, spine, assets, named = [], [], {}, set()
    for clip in timeline.clips:
        length = _seconds(clip.frames, rate, ratio=True)
        if clip.url not in assets:
            assets[clip.url] = f"r{len(assets) + 2}"
            resources.append(f'        <asset name="{escape(clip.name)}" src="{escape(clip.url)}" format="r1" '
                             f'id="{assets[clip.url]}" duration="{length}" start="0s" hasAudio="0" hasVideo="1"/>\n')
        if clip.name not in named:
            named.add(clip.name)
            clips.append(f'    <asset-clip name="{escape(clip.name)}" format="r1" ref="{assets[clip.url]}" duration="{length}"/>\n')
        spine.append(f'                <clip name="{escape(clip.name)}" offset="{_seconds(clip.start, rate)}" duration="{length}">\n'
                     f'                    <video offset="0s" ref="{assets[clip.url]}" duration="{length}"/>\n')
        for name, colour, start, span in clip.markers:
            done = {"RED": ' completed="0"', "GREEN": ' completed="1"'}.get(colour, "")
            spine.append(f'                    <marker start="{_seconds(start, rate)}" duration="{_seconds(span, rate)}" '
                         f'value="{escape(name)}"{done}/>\n')
        spine.append("                </clip>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n\n<fcpxml version="1.8">\n    <resources>\n'
            + "".join(resources) + "    </resources>\n" + "".join(clips)
            + f'    <project name="{escape(timeline.name)}" uid="">\n'
            + f'        <sequence duration="{_seconds(timeline.frames, rate, ratio=True)}" format="r1">\n'
            + "            <spine>\n" + "".join(spine) + "            </spine>\n        </sequence>\n    </project>\n</fcpxml>\n")


def _seconds(frames: int, rate: int, ratio: bool = False) -> str:
    """A time as FCPX writes it: `0s`, else `n/ds` (`ratio`) or `ns` when whole."""
    if frames == 0:
        return "0s"
    common = math.gcd(frames, rate)
    numerator, denominator = frames // common, rate // common
    return f"{numerator}s" if denominator == 1 and not ratio else f"{numerator}/{denominator}s"


WRITERS: dict[str, Callable[[_Timeline], str]] = {"edl": edl, "fcp7xml": fcp7_xml, "fcpxml": fcpx_xml}
