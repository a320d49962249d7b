"""The animatic MP4 (decoded back with PyAV) and its SRT."""

from __future__ import annotations

import re
import shutil
from array import array
from pathlib import Path

import av
import pytest
from tests.test_export_fixtures import SHOT_COLOURS, draw_frames, shotlist

from filmcrew.errors import InputError
from filmcrew.tools.export_animatic import encoded_frame_count, hold_chunks, render_mp4, write_srt
from filmcrew.tools.export_common import frame_size

FPS = 24


def _decode(path: Path) -> tuple[list[av.VideoFrame], float]:
    """Decode every video frame; return them and the stream duration in seconds."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(video=0))
        return frames, float(stream.duration * stream.time_base)


def _centre(frame: av.VideoFrame) -> tuple[int, int, int]:
    """The RGB colour at the middle of a decoded frame."""
    image = frame.to_image()
    return image.getpixel((image.width // 2, image.height // 2))  # type: ignore[return-value]


def _close(a: tuple[int, int, int], b: tuple[int, int, int], tolerance: int = 24) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def test_mp4_holds_each_still_for_its_duration(tmp_path: Path) -> None:
    shots = shotlist(durations=[3.0, 2.5, 4.0, 1.75])
    draw_frames(tmp_path / "storyboard", shots)
    info = render_mp4(shots, tmp_path / "storyboard", tmp_path / "a.mp4", "16:9", height=144)
    assert (info.width, info.height, info.frames) == (256, 144, 270)
    assert info.encoded_frames == encoded_frame_count(shots) == 3 + 3 + 4 + 2
    frames, seconds = _decode(tmp_path / "a.mp4")
    assert len(frames) == info.encoded_frames
    assert seconds == pytest.approx(270 / FPS, abs=1e-6)
    assert (frames[0].width, frames[0].height) == (256, 144)
    starts = {round(float(f.time) * FPS): f for f in frames}
    for index, cut in enumerate((0, 72, 132, 228)):  # every cut lands on its exact frame
        assert _close(_centre(starts[cut]), SHOT_COLOURS[index]), (cut, _centre(starts[cut]))
    assert _close(_centre(starts[72 + 48]), SHOT_COLOURS[1])  # a repeat inside shot 1B shows 1B


def test_vertical_aspect_is_1080_by_1920() -> None:
    assert frame_size("9:16") == (1080, 1920)
    assert frame_size("16:9") == (1920, 1080)
    assert frame_size("16:9", 720) == (1280, 720)
    assert frame_size("2.39:1", 720) == (1720, 720)  # 1720.8 to the nearest even width
    with pytest.raises(InputError, match="unknown aspect"):
        frame_size("wide")


def test_vertical_mp4_decodes_at_full_size(tmp_path: Path) -> None:
    shots = shotlist(aspect="9:16", durations=[0.5, 0.5, 0.5, 0.5])
    draw_frames(tmp_path / "storyboard", shots, size=(360, 640))
    info = render_mp4(shots, tmp_path / "storyboard", tmp_path / "v.mp4", "9:16")
    frames, seconds = _decode(tmp_path / "v.mp4")
    assert (frames[0].width, frames[0].height) == (info.width, info.height) == (1080, 1920)
    assert len(frames) == 4 and seconds == pytest.approx(2.0)


def test_missing_frames_become_cards_and_the_render_is_byte_stable(tmp_path: Path) -> None:
    shots = shotlist(ids=["1A", "../../escape", "2A", "2B"])
    draw_frames(tmp_path / "storyboard", shotlist(ids=["1A", "x", "y", "z"]))
    one = render_mp4(shots, tmp_path / "storyboard", tmp_path / "one.mp4", "16:9", height=144)
    render_mp4(shots, tmp_path / "storyboard", tmp_path / "two.mp4", "16:9", height=144)
    assert (tmp_path / "one.mp4").read_bytes() == (tmp_path / "two.mp4").read_bytes()
    frames, _ = _decode(tmp_path / "one.mp4")
    assert len(frames) == one.encoded_frames
    assert _close(_centre(frames[0]), SHOT_COLOURS[0])
    assert not _close(
        _centre(frames[3]), SHOT_COLOURS[1]
    )  # 1 s repeats: frames 0-2 are 1A, 3 is the card
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.mp4", "storyboard", "two.mp4"]


def test_hold_chunks_cover_the_shot_exactly() -> None:
    assert hold_chunks(72, FPS) == [24, 24, 24]
    assert hold_chunks(60, FPS) == [24, 24, 12]
    assert hold_chunks(1, FPS) == [1]


def test_srt_times_match_the_cuts(tmp_path: Path) -> None:
    shots = shotlist(durations=[3.0, 2.5, 4.0, 1.75])
    write_srt(shots, tmp_path / "a.srt")
    text = (tmp_path / "a.srt").read_text(encoding="utf-8")
    spans = re.findall(r"(\d\d:\d\d:\d\d,\d\d\d) --> (\d\d:\d\d:\d\d,\d\d\d)", text)
    assert spans == [
        ("00:00:00,000", "00:00:03,000"),
        ("00:00:03,000", "00:00:05,500"),
        ("00:00:05,500", "00:00:09,500"),
        ("00:00:09,500", "00:00:11,250"),
    ]
    blocks = text.strip().split("\n\n")
    assert blocks[1].splitlines()[2:] == ["1B", "NORA: Forty years and they change the lock."]


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed (apt-get install espeak-ng)"
)
def test_voice_track_is_added_where_espeak_is_installed(tmp_path: Path) -> None:
    shots = shotlist(durations=[1.0, 2.0, 2.0, 1.0])
    info = render_mp4(shots, tmp_path, tmp_path / "voice.mp4", "16:9", height=144, voice=True)
    assert info.voice
    loudness: list[tuple[float, float]] = []
    with av.open(str(tmp_path / "voice.mp4")) as container:
        audio = container.streams.audio[0]
        seconds = float(audio.duration * audio.time_base)
        for frame in container.decode(audio=0):
            assert frame.format.name == "fltp"
            peak = max(
                (abs(x) for x in array("f", bytes(frame.planes[0]))[: frame.samples]), default=0.0
            )
            loudness.append((float(frame.time), peak))
    assert seconds == pytest.approx(6.0, abs=0.1)
    silent = [peak for time, peak in loudness if 0.1 < time < 0.8]  # shot 1A has no dialogue
    spoken = [peak for time, peak in loudness if 1.1 < time < 2.8]  # shot 1B has a line
    assert max(silent) < 0.01 < max(spoken)
