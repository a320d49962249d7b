"""The animatic timeline: OTIO, EDL, FCP7 XML and FCPX XML, each read back by OpenTimelineIO."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import opentimelineio as otio
import pytest
from tests.conftest import shared_dir
from tests.test_export_fixtures import shotlist

from filmcrew.domain import Shot, ShotList
from filmcrew.tools import export_timeline
from filmcrew.tools.export_common import ExportUnavailable, cut_frames
from filmcrew.tools.export_timeline import build_timeline, timeline_frames, write_timeline
from filmcrew.tools.export_timeline_writers import animatic_shape

SUFFIX = {"otio": "otio", "edl": "edl", "fcp7xml": "xml", "fcpxml": "fcpxml"}


def _sample_shots() -> ShotList:
    """The three shots of the shared sample animatic (1A 3 s, 1B 2.5 s, 2A 4 s)."""
    return ShotList(
        shots=[
            Shot(
                shot_id="1A",
                scene=1,
                size="WS",
                type="single",
                description="WIDE - kitchen, dawn",
                duration_s=3.0,
            ),
            Shot(
                shot_id="1B",
                scene=1,
                size="CU",
                type="insert",
                description="CU - Maya's hands",
                duration_s=2.5,
            ),
            Shot(
                shot_id="2A",
                scene=2,
                size="MS",
                type="single",
                description="MS - Maya at the door",
                duration_s=4.0,
            ),
        ]
    )


def _read(path: Path, fmt: str) -> otio.schema.Timeline:
    """Read a written timeline back with OpenTimelineIO (EDL needs the rate)."""
    extra = {"rate": 24} if fmt == "edl" else {}
    return otio.adapters.read_from_file(str(path), **extra)


def test_timeline_matches_the_shared_sample() -> None:
    sample = otio.adapters.read_from_file(str(shared_dir("samples", "otio") / "animatic.otio"))
    ours = build_timeline(_sample_shots(), Path("run/storyboard"))
    theirs_clips, our_clips = list(sample.find_clips()), list(ours.find_clips())
    assert [c.name for c in our_clips] == [c.name for c in theirs_clips] == ["1A", "1B", "2A"]
    assert (
        [c.duration().value for c in our_clips]
        == [c.duration().value for c in theirs_clips]
        == [72, 60, 96]
    )
    assert [c.media_reference.target_url for c in our_clips] == [
        c.media_reference.target_url for c in theirs_clips
    ]
    for mine, theirs in zip(our_clips, theirs_clips, strict=True):
        assert mine.media_reference.available_range.duration == mine.duration()
        expected = dict(theirs.metadata["filmcrew"])
        expected.pop("description")
        assert {k: mine.metadata["filmcrew"][k] for k in expected} == expected
        assert [(m.name, m.color) for m in mine.markers] == [
            (m.name, m.color) for m in theirs.markers
        ]
    assert timeline_frames(ours) == timeline_frames(sample) == (3, 228)


@pytest.mark.parametrize("fmt", ["otio", "edl", "fcp7xml", "fcpxml"])
def test_each_format_reads_back_with_same_clips_and_duration(tmp_path: Path, fmt: str) -> None:
    shots = shotlist(durations=[3.0, 2.5, 4.0, 1.75])
    timeline = build_timeline(shots, tmp_path / "storyboard")
    path = tmp_path / f"animatic.{SUFFIX[fmt]}"
    write_timeline(timeline, path, fmt)
    back = _read(path, fmt)
    assert timeline_frames(back) == (4, 72 + 60 + 96 + 42)
    assert [c.name for c in back.find_clips()] == ["1A", "1B", "2A", "2B"]


def test_markers_carry_scene_and_dialogue(tmp_path: Path) -> None:
    timeline = build_timeline(shotlist(), tmp_path / "storyboard")
    path = tmp_path / "animatic.otio"
    write_timeline(timeline, path, "otio")
    clips = list(_read(path, "otio").find_clips())
    assert [m.name for c in clips for m in c.markers] == [
        "SC 1 / 1A",
        "SC 1 / 1B",
        "SC 2 / 2A",
        "SC 2 / 2B",
    ]
    assert clips[1].markers[0].comment == "NORA: Forty years and they change the lock."
    assert clips[1].metadata["filmcrew"]["dialogue"] == clips[1].markers[0].comment


def test_editor_xml_points_at_absolute_media_and_otio_stays_relative(tmp_path: Path) -> None:
    timeline = build_timeline(shotlist(), tmp_path / "storyboard")
    write_timeline(timeline, tmp_path / "animatic.otio", "otio")
    write_timeline(timeline, tmp_path / "animatic.xml", "fcp7xml")
    write_timeline(timeline, tmp_path / "animatic.fcpxml", "fcpxml")
    relative = [
        c.media_reference.target_url for c in _read(tmp_path / "animatic.otio", "otio").find_clips()
    ]
    assert relative[0] == "storyboard/1A.png"
    urls = [e.text for e in ET.parse(tmp_path / "animatic.xml").getroot().iter("pathurl")]
    assert urls[0] == (tmp_path / "storyboard" / "1A.png").resolve().as_uri()
    srcs = [e.get("src") for e in ET.parse(tmp_path / "animatic.fcpxml").getroot().iter("asset")]
    assert srcs[0] == (tmp_path / "storyboard" / "1A.png").resolve().as_uri()


def test_cuts_do_not_drift_and_no_clip_is_empty() -> None:
    shots = [
        Shot(shot_id=f"{i}", scene=1, size="MS", type="single", duration_s=1 / 3)
        for i in range(300)
    ]
    shots.append(Shot(shot_id="tiny", scene=1, size="MS", type="single", duration_s=0.001))
    shots.append(Shot(shot_id="bad", scene=1, size="MS", type="single", duration_s=-4))
    shots.append(Shot(shot_id="typo", scene=1, size="MS", type="single", duration_s=1e12))
    cuts = cut_frames(shots, 24)
    assert abs(cuts[-1][1] - 24 * 24 * 3600) <= 2  # capped at a day (less the frames lent to the tiny shots)
    assert (
        sum(frames for _, frames in cuts[:300]) == 2400
    )  # 100 s exactly, though 1/3 s is 8 frames each
    assert all(frames >= 1 for _, frames in cuts)
    assert all(cuts[i][0] + cuts[i][1] == cuts[i + 1][0] for i in range(len(cuts) - 1))


def test_hostile_shot_ids_stay_inside_and_cannot_break_an_edl(tmp_path: Path) -> None:
    shots = shotlist(ids=["../../x", "a/b/c", "1A\n002  EVIL", ".."])
    timeline = build_timeline(shots, tmp_path / "run" / "storyboard")
    urls = [c.media_reference.target_url for c in timeline.find_clips()]
    assert all(url.startswith("storyboard/") and ".." not in url for url in urls), urls
    edl = tmp_path / "animatic.edl"
    write_timeline(timeline, edl, "edl")
    events = [line for line in edl.read_text().splitlines() if line[:3].isdigit()]
    assert len(events) == 4
    assert timeline_frames(_read(edl, "edl"))[0] == 4


def test_missing_adapter_is_reported_not_crashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(export_timeline.ADAPTERS, "fcpxml", "no_such_adapter")
    with pytest.raises(ExportUnavailable, match="fcpxml export needs the OpenTimelineIO adapter"):
        write_timeline(build_timeline(shotlist(), tmp_path), tmp_path / "a.fcpxml", "fcpxml")
    assert not (tmp_path / "a.fcpxml").exists()


def test_written_files_are_byte_stable(tmp_path: Path) -> None:
    for round_ in ("one", "two"):
        timeline = build_timeline(shotlist(), tmp_path / "storyboard")
        for fmt, suffix in SUFFIX.items():
            write_timeline(timeline, tmp_path / f"{round_}.{suffix}", fmt)
    for suffix in SUFFIX.values():
        assert (tmp_path / f"one.{suffix}").read_bytes() == (
            tmp_path / f"two.{suffix}"
        ).read_bytes(), suffix


# --- the direct writers ---------------------------------------------------------------------------


def _shapes() -> dict[str, ShotList]:
    return {
        "plain": shotlist(),
        "hostile": shotlist(ids=["1A", "a/b & <c>", "2A\n002  EVIL", 'Ünï q"']),
        "same-file": shotlist(ids=["a/b", "a_b", "x", "y"]),  # two ids, one safe file name
        "odd-durations": shotlist(durations=[1 / 3, 0.001, 7201.5, 25.0]),
    }


@pytest.mark.parametrize("case", ["plain", "hostile", "same-file", "odd-durations"])
@pytest.mark.parametrize("fmt", ["edl", "fcp7xml", "fcpxml"])
def test_direct_writers_print_what_the_adapters_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, fmt: str
) -> None:
    fcpx = pytest.importorskip("otio_fcpx_xml_adapter.fcpx_xml")
    monkeypatch.setattr(fcpx, "format_name", lambda rate, path: "")  # the adapter's ffprobe call
    for name in ("T & <x> \"q\"", ""):
        timeline = build_timeline(_shapes()[case], tmp_path / "run dir" / "storyboard", name="x")
        timeline.name = name
        ours = tmp_path / f"ours.{SUFFIX[fmt]}"
        write_timeline(timeline, ours, fmt)
        if fmt != "edl":
            timeline = export_timeline._with_absolute_media(timeline, tmp_path)
        theirs = otio.adapters.write_to_string(timeline, adapter_name=export_timeline.ADAPTERS[fmt])
        assert ours.read_text(encoding="utf-8") == theirs, (case, fmt, name)


def test_other_timelines_go_through_the_adapter(tmp_path: Path) -> None:
    timeline = build_timeline(shotlist(), tmp_path / "storyboard")
    assert animatic_shape(timeline) is not None
    gap = otio.schema.Gap(source_range=otio.opentime.TimeRange(duration=otio.opentime.RationalTime(12, 24)))
    timeline.tracks[0].insert(1, gap)
    assert animatic_shape(timeline) is None
    write_timeline(timeline, tmp_path / "gap.xml", "fcp7xml")
    assert timeline_frames(_read(tmp_path / "gap.xml", "fcp7xml")) == (4, 72 + 60 + 96 + 42 + 12)
    tagged = build_timeline(shotlist(), tmp_path / "storyboard")
    list(tagged.find_clips())[0].metadata["cmx_3600"] = {"reel": "TAPE1"}
    assert animatic_shape(tagged) is None
    write_timeline(tagged, tmp_path / "tagged.edl", "edl")
    assert "TAPE1" in (tmp_path / "tagged.edl").read_text(encoding="utf-8")


def test_an_apostrophe_in_a_shot_id_reads_back_from_fcpxml(tmp_path: Path) -> None:
    # The FCPX adapter's XPath look-ups raise on a name with both quote marks.
    shots = shotlist(ids=["1A", "Nora's \"key\"", "2A", "2B"])
    write_timeline(build_timeline(shots, tmp_path / "storyboard"), tmp_path / "a.fcpxml", "fcpxml")
    clips = list(_read(tmp_path / "a.fcpxml", "fcpxml").find_clips())
    assert [c.name for c in clips][:2] == ["1A", "Nora's \"key\""]
