"""The animatic MP4 (decoded back with PyAV) and its SRT."""

from __future__ import annotations

import re
import shutil
from array import array
from pathlib import Path
from tempfile import TemporaryDirectory

import av
import pytest
from PIL import Image
from tests.test_export_fixtures import SHOT_COLOURS, draw_frames, shotlist

from filmcrew.errors import InputError
from filmcrew.tools.export_animatic import (
    MAX_HOLD_S,
    animatic_size,
    compose,
    encoded_frame_count,
    hold_chunks,
    panel,
    render_mp4,
    write_srt,
)
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
    shots = shotlist(durations=[3.0, 12.5, 4.0, 1.75])  # 1B is longer than MAX_HOLD_S: re-sent once
    draw_frames(tmp_path / "storyboard", shots)
    info = render_mp4(shots, tmp_path / "storyboard", tmp_path / "a.mp4", "16:9", height=144)
    assert (info.width, info.height, info.frames) == (256, 144, 72 + 300 + 96 + 42)
    assert info.encoded_frames == encoded_frame_count(shots) == 1 + 2 + 1 + 1
    frames, seconds = _decode(tmp_path / "a.mp4")
    assert len(frames) == info.encoded_frames
    assert seconds == pytest.approx(info.frames / FPS, abs=1e-6)
    assert (frames[0].width, frames[0].height) == (256, 144)
    assert all(frame.key_frame for frame in frames)  # a seek anywhere decodes one frame
    starts = {round(float(f.time) * FPS): f for f in frames}
    assert sorted(starts) == [0, 72, 72 + 240, 372, 468]
    for index, cut in enumerate((0, 72, 372, 468)):  # every cut lands on its exact frame
        assert _close(_centre(starts[cut]), SHOT_COLOURS[index]), (cut, _centre(starts[cut]))
    assert _close(_centre(starts[72 + 240]), SHOT_COLOURS[1])  # the re-send inside 1B shows 1B


def test_seeking_into_a_held_shot_shows_that_shot(tmp_path: Path) -> None:
    shots = shotlist(durations=[3.0, 12.5, 4.0, 1.75])
    draw_frames(tmp_path / "storyboard", shots)
    render_mp4(shots, tmp_path / "storyboard", tmp_path / "a.mp4", "16:9", height=144)
    for seconds, colour in ((1.5, 0), (9.0, 1), (14.2, 1), (15.4, 1), (16.0, 2), (19.9, 3)):
        with av.open(str(tmp_path / "a.mp4")) as container:
            stream = container.streams.video[0]
            container.seek(int(seconds / stream.time_base), stream=stream, backward=True)
            frame = next(container.decode(stream))
            assert float(frame.time) <= seconds + 1e-6
            assert _close(_centre(frame), SHOT_COLOURS[colour]), (seconds, _centre(frame))


def test_video_takes_the_frames_size() -> None:
    shots = shotlist(aspect="9:16", durations=[0.5, 0.5, 0.5, 0.5])
    with TemporaryDirectory() as tmp:
        folder = Path(tmp)
        draw_frames(folder, shots, size=(360, 640))
        assert animatic_size(shots, folder, "9:16") == (360, 640)
        draw_frames(folder, shots, size=(90, 160))  # small frames: scaled by a whole number to a 360 short side
        assert animatic_size(shots, folder, "9:16") == (360, 640)
        draw_frames(folder, shots, size=(120, 214))
        assert animatic_size(shots, folder, "9:16") == (362, 642)  # 3 x 214 lines, the width from 9:16
        assert animatic_size(shots, folder, "9:16", height=720) == (404, 720)  # an explicit height wins
        draw_frames(folder, shots, size=(1440, 2560))  # big frames: fitted to 1080p
        assert animatic_size(shots, folder, "9:16") == (1080, 1920)
    assert animatic_size(shots, None, "16:9") == (1280, 720)  # no frame at all: cards at 720p


def test_vertical_mp4_decodes_at_the_frames_size(tmp_path: Path) -> None:
    shots = shotlist(aspect="9:16", durations=[0.5, 0.5, 0.5, 0.5])
    for path in draw_frames(tmp_path / "storyboard", shots, size=(360, 640)):
        with Image.open(path) as opened:  # palette frames 360 wide: pal8 rows padded to 368 bytes
            opened.convert("RGB").quantize(colors=4).save(path)
    info = render_mp4(shots, tmp_path / "storyboard", tmp_path / "v.mp4", "9:16")
    frames, seconds = _decode(tmp_path / "v.mp4")
    assert (frames[0].width, frames[0].height) == (info.width, info.height) == (360, 640)
    assert len(frames) == 4 and seconds == pytest.approx(2.0)
    assert _close(_centre(frames[2]), SHOT_COLOURS[2])


def test_palette_frames_keep_their_colours_and_transparency_turns_white(tmp_path: Path) -> None:
    shots = shotlist(durations=[1.0, 1.0, 1.0, 1.0])
    paths = draw_frames(tmp_path / "storyboard", shots)
    for index, path in enumerate(paths):
        with Image.open(path) as opened:
            quantized = opened.convert("RGB").quantize(colors=8)
        if index == 3:  # the whole frame transparent: it must read as white paper
            quantized.info["transparency"] = bytes(256)
        quantized.save(path, **({"transparency": bytes(256)} if index == 3 else {}))
    assert compose(shots.shots[0], tmp_path / "storyboard", (640, 360)).mode == "P"
    rgb = panel(shots.shots[1], tmp_path / "storyboard", (640, 360))
    assert _close(rgb.getpixel((320, 180)), SHOT_COLOURS[1], 8)  # type: ignore[arg-type]
    render_mp4(shots, tmp_path / "storyboard", tmp_path / "p.mp4", "16:9")
    frames, _ = _decode(tmp_path / "p.mp4")
    assert [(f.width, f.height) for f in frames[:1]] == [(640, 360)]
    for index in range(3):
        assert _close(_centre(frames[index]), SHOT_COLOURS[index]), index
    assert _close(_centre(frames[3]), (255, 255, 255))


def test_missing_frames_become_cards_and_the_render_is_byte_stable(tmp_path: Path) -> None:
    shots = shotlist(ids=["1A", "../../escape", "2A", "2B"])
    draw_frames(tmp_path / "storyboard", shotlist(ids=["1A", "x", "y", "z"]))
    one = render_mp4(shots, tmp_path / "storyboard", tmp_path / "one.mp4", "16:9", height=144)
    render_mp4(shots, tmp_path / "storyboard", tmp_path / "two.mp4", "16:9", height=144)
    assert (tmp_path / "one.mp4").read_bytes() == (tmp_path / "two.mp4").read_bytes()
    frames, _ = _decode(tmp_path / "one.mp4")
    assert len(frames) == one.encoded_frames == 4
    assert _close(_centre(frames[0]), SHOT_COLOURS[0])
    assert not _close(_centre(frames[1]), SHOT_COLOURS[1])  # frame 1 is the card of the missing frame
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.mp4", "storyboard", "two.mp4"]


def test_hold_chunks_cover_the_shot_exactly() -> None:
    assert MAX_HOLD_S == 10.0
    assert hold_chunks(72, FPS) == [72]
    assert hold_chunks(600, FPS) == [240, 240, 120]
    assert hold_chunks(480, FPS) == [240, 240]
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
