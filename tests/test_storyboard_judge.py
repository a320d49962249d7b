"""The storyboard consistency judge, end to end: generated frames and reference sheets go to a
vision model (the real SDKs against loopback fakes), its scores come back, low ones become
`look` warnings, and a recorded judge replays from its recording and media files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filmcrew.agents.breakdown import break_down
from filmcrew.agents.characters import build_library, write_library
from filmcrew.agents.storyboard import (
    draw_frame,
    frame_path,
    generate_frame,
    judge_frames,
    judge_request,
    reference_paths,
)
from filmcrew.config import load_settings
from filmcrew.domain import CharacterLibrary, Shot, ShotList
from filmcrew.errors import ProviderFailed, ReplayMiss
from filmcrew.files import atomic_write_bytes
from filmcrew.providers import for_agent, run_state
from filmcrew.providers.base import CallRejected, ImageResult, Provider, sha256_bytes
from filmcrew.providers.scripted import ScriptedProvider
from filmcrew.tools.fountain import parse
from tests.conftest import EXAMPLES
from tests.fakes import png_for
from tests.fakes.fixtures import (  # noqa: F401
    clean_env,
    gemini_api,
    openai_api,
    use_gemini,
    use_openai,
    write_config,
)

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

HEADING = "INT. LIGHTHOUSE - LAMP ROOM - NIGHT"
VISION = '[capabilities."openai/fake-light"]\ntext = true\nstructured = true\nvision = true\n'


@pytest.fixture
def run(tmp_path: Path) -> tuple[Path, CharacterLibrary]:
    sp = parse((EXAMPLES / "the-lighthouse-key.fountain").read_text(encoding="utf-8"),
               source="lighthouse.fountain")
    library = build_library(sp, break_down(sp))
    folder = tmp_path / "run"
    write_library(library, folder)
    return folder, library


def _shot(shot_id: str, subjects: list[str], description: str) -> Shot:
    return Shot(shot_id=shot_id, scene=7, size="MWS",
                type="two-shot" if len(subjects) > 1 else "single", subjects=subjects,
                description=description, int_ext="INT", location="LIGHTHOUSE - LAMP ROOM",
                time_of_day="NIGHT")


SHOTS = ShotList(shots=[
    _shot("7C", ["NORA", "ISLA"], "Nora and Isla at the dead lens."),
    _shot("7D", ["ISLA"], "Isla alone at the rail."),
    _shot("7E", ["NORA"], "Nora, sketched only."),
])
ANSWERS = [
    {"characters": [{"name": "NORA", "score": 0.9, "note": ""},
                    {"name": "isla", "score": 0.3, "note": "hair is brown, reference is red"}]},
    {"characters": [{"name": "ISLA", "score": 0.8, "note": ""}]},
]


def _openai(project: Path, api, monkeypatch, row: str = VISION, **kw):
    use_openai(monkeypatch, api)
    write_config(project, '[openai]\napi = "responses"\ntext_model = "fake-text"\n'
                          f'light_model = "fake-light"\nimage_model = "fake-image"\n{row}')
    return load_settings(project, **kw)


def _storyboard(project: Path, api, monkeypatch, **kw) -> Provider:
    return for_agent(_openai(project, api, monkeypatch, **kw), "storyboard")


def _make_frames(provider: Provider, folder: Path, library: CharacterLibrary) -> None:
    """Generate 7C and 7D with the image model; sketch 7E offline (nothing to judge there)."""
    for shot in SHOTS.shots[:2]:
        png = generate_frame(provider, shot, HEADING, library, "16:9", "", folder / "characters")
        atomic_write_bytes(frame_path(folder, shot.shot_id), png)
    atomic_write_bytes(frame_path(folder, "7E"), draw_frame(SHOTS.shots[2], library, "16:9"))


def _redraw_7d(folder: Path, library: CharacterLibrary) -> None:
    """Replace frame 7D with a different generated image."""
    painter = ScriptedProvider([ImageResult(png=png_for("a redrawn 7D"))])
    refs_dir = folder / "characters"
    png = generate_frame(painter, SHOTS.shots[1], HEADING, library, "16:9", "", refs_dir)
    atomic_write_bytes(frame_path(folder, "7D"), png)


def _expected_images(folder: Path, library: CharacterLibrary, shot: Shot) -> list[bytes]:
    """The frame, then each subject's reference images, in subject order."""
    refs_dir = folder / "characters"
    refs = [p for name in shot.subjects for p in reference_paths(library.get(name), refs_dir)]
    return [frame_path(folder, shot.shot_id).read_bytes()] + [p.read_bytes() for p in refs]


def test_judge_scores_generated_frames_through_the_openai_fake(
    clean_env, openai_api, monkeypatch, run
):
    folder, library = run
    provider = _storyboard(clean_env, openai_api, monkeypatch)
    _make_frames(provider, folder, library)
    frames_paid = len(openai_api.paid())
    for answer in ANSWERS:
        openai_api.reply_json(answer)
    report = judge_frames(provider, SHOTS, library, folder)
    asked = openai_api.paid()[frames_paid:]
    assert [r.path for r in asked] == ["/v1/responses"] * 2  # the sketched 7E is not judged
    for seen, shot in zip(asked, SHOTS.shots[:2], strict=True):
        assert seen.json["model"] == "fake-light"
        sent = [data for _, data in openai_api.input_images(seen)]
        assert sent == _expected_images(folder, library, shot)
        assert seen.json["text"]["format"]["name"] == "FrameJudgement"
        assert f"frame {shot.shot_id}" in seen.json["input"][0]["content"][0]["text"]
    assert report.scores == {"7C": {"NORA": 0.9, "ISLA": 0.3}, "7D": {"ISLA": 0.8}}
    assert report.means() == {"7C": 0.6, "7D": 0.8} and report.notes == []
    (finding,) = report.findings
    assert (finding.kind, finding.severity, finding.shot) == ("look", "warning", "7C")
    assert finding.source == "model" and "regenerate frame 7C" in finding.fix
    assert "ISLA does not match the reference" in finding.message
    assert "hair is brown" in finding.message


def test_judge_through_the_gemini_fake(clean_env, gemini_api, monkeypatch, run):
    folder, library = run
    use_gemini(monkeypatch)
    write_config(clean_env, f'[gemini]\nbase_url = "{gemini_api.base_url}"\n'
                            'text_model = "g-text"\nimage_model = "g-image"\n')
    provider = for_agent(load_settings(clean_env), "storyboard")
    _make_frames(provider, folder, library)
    frames_paid = len(gemini_api.paid())
    for answer in ANSWERS:
        gemini_api.reply_json(answer)
    report = judge_frames(provider, SHOTS, library, folder)
    asked = gemini_api.paid()[frames_paid:]
    assert [r.path.rsplit("/", 1)[-1] for r in asked] == ["g-text:generateContent"] * 2
    for seen, shot in zip(asked, SHOTS.shots[:2], strict=True):
        assert gemini_api.inline_images(seen) == _expected_images(folder, library, shot)
    assert report.scores == {"7C": {"NORA": 0.9, "ISLA": 0.3}, "7D": {"ISLA": 0.8}}
    assert [f.id for f in report.findings] == ["look-7C-ISLA"]


def test_a_recorded_judge_replays_from_its_recording_and_media(
    clean_env, openai_api, monkeypatch, run
):
    folder, library = run
    _make_frames(_storyboard(clean_env, openai_api, monkeypatch), folder, library)
    for answer in ANSWERS:
        openai_api.reply_json(answer)
    recording = _openai(clean_env, openai_api, monkeypatch, record=True)
    recorded = judge_frames(for_agent(recording, "storyboard"), SHOTS, library, folder)
    rec_dir = recording.recordings_dir
    files = sorted(rec_dir.glob("*.json"))
    assert len(files) == 2
    for path in files:
        text = path.read_text()
        data = json.loads(text)
        assert data["agent"] == "storyboard_judge" and "images" not in data["request"]
        assert "base64" not in text and str(folder) not in text
        for digest in data["request"]["image_hashes"]:  # what the judge saw, named by hash
            assert sha256_bytes((rec_dir / f"{digest}.png").read_bytes()) == digest
    cast = [library.get("NORA"), library.get("ISLA")]
    first = judge_request(SHOTS.shots[0], frame_path(folder, "7C"), cast, folder / "characters")
    stored = {p.stem for p in rec_dir.glob("*.png")}
    assert {sha256_bytes(Path(p).read_bytes()) for p in first.images} <= stored
    paid = len(openai_api.paid())
    replay = load_settings(clean_env, replay_dir=rec_dir)
    replayed = judge_frames(for_agent(replay, "storyboard"), SHOTS, library, folder)
    assert replayed == recorded and len(openai_api.paid()) == paid
    run_state(replay).assert_replay_consumed()
    before = sha256_bytes(frame_path(folder, "7D").read_bytes())
    _redraw_7d(folder, library)
    after = sha256_bytes(frame_path(folder, "7D").read_bytes())
    strict = for_agent(load_settings(clean_env, replay_dir=rec_dir), "storyboard")
    with pytest.raises(ReplayMiss) as caught:  # a redrawn frame is a new question
        judge_frames(strict, SHOTS, library, folder)
    message = str(caught.value)
    assert "storyboard_judge" in message
    assert f'-   "{before}"' in message and f'+   "{after}"' in message


def test_unchanged_frames_are_not_judged_twice(clean_env, openai_api, monkeypatch, run):
    folder, library = run
    provider = _storyboard(clean_env, openai_api, monkeypatch)
    _make_frames(provider, folder, library)
    for answer in ANSWERS:
        openai_api.reply_json(answer)
    first = judge_frames(provider, SHOTS, library, folder)
    paid = len(openai_api.paid())
    assert judge_frames(provider, SHOTS, library, folder) == first
    assert len(openai_api.paid()) == paid
    _redraw_7d(folder, library)
    openai_api.reply_json({"characters": [{"name": "ISLA", "score": 0.4, "note": "older"}]})
    again = judge_frames(provider, SHOTS, library, folder)
    assert len(openai_api.paid()) == paid + 1  # only the redrawn frame is asked about
    assert again.scores["7D"] == {"ISLA": 0.4}
    assert [f.shot for f in again.findings] == ["7C", "7D"]


def test_no_vision_model_means_no_judge_calls(clean_env, openai_api, monkeypatch, run):
    folder, library = run
    provider = _storyboard(clean_env, openai_api, monkeypatch, row="")
    _make_frames(provider, folder, library)  # the image model still works
    paid = len(openai_api.paid())
    report = judge_frames(provider, SHOTS, library, folder)
    assert report.scores == {} and report.findings == [] and len(openai_api.paid()) == paid
    assert report.notes == ["storyboard: consistency judge skipped (no vision model configured)"]


def test_a_judge_that_cannot_answer_stops_with_a_note(clean_env, openai_api, monkeypatch, run):
    folder, library = run
    provider = _storyboard(clean_env, openai_api, monkeypatch)
    _make_frames(provider, folder, library)
    openai_api.fail_next(400, path="/v1/responses")  # e.g. the model rejects images after all
    rejected = judge_frames(provider, SHOTS, library, folder)
    assert rejected.scores == {} and len(rejected.notes) == 1
    assert rejected.notes[0].startswith("storyboard: consistency judge stopped at 7C (")
    assert "400 Bad Request" in rejected.notes[0]
    openai_api.reply("not json")
    openai_api.reply('{"characters": "none"}')
    invalid = judge_frames(provider, SHOTS, library, folder)
    assert invalid.scores == {} and "still invalid after one repair" in invalid.notes[0]


def test_an_outage_still_fails_the_run_resumably(clean_env, openai_api, monkeypatch, run):
    folder, library = run
    provider = _storyboard(clean_env, openai_api, monkeypatch)
    _make_frames(provider, folder, library)
    openai_api.fail_next(503, times=3, path="/v1/responses")
    with pytest.raises(ProviderFailed, match="503 Service Unavailable after 3 attempts") as caught:
        judge_frames(provider, SHOTS, library, folder)
    assert not isinstance(caught.value, CallRejected)
