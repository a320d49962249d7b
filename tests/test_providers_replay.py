"""Recording and replay: readable files per fingerprint, strict matching, authored recordings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from filmcrew.config import load_settings
from filmcrew.errors import InputError, ReplayMiss
from filmcrew.providers import for_agent, run_state, structured, structured_request
from filmcrew.providers.base import ImageRequest, TextRequest, fingerprint
from filmcrew.providers.recording import author_recording
from filmcrew.providers.replay import Replay, UnusedRecordings
from tests.fakes import png_for
from tests.fakes.fixtures import FAKE_OPENAI_KEY, clean_env, openai_api, write_config  # noqa: F401

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


class Scene(BaseModel):
    """A tiny output model."""

    heading: str
    day: int


def _req(
    prompt: str, agent: str = "breakdown", prompt_id: str = "breakdown/scene@1"
) -> TextRequest:
    return TextRequest(agent=agent, prompt=prompt, prompt_id=prompt_id)


def _record(project: Path, api, monkeypatch, tmp_path: Path) -> Path:
    """Run two text calls and one image call against the fake with --record."""
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", api.base_url)
    write_config(
        project,
        '[openai]\napi = "responses"\ntext_model = "t"\nlight_model = "t"\nimage_model = "i"\n',
    )
    settings = load_settings(project, record=True)
    api.reply_json({"heading": "INT. KITCHEN - NIGHT", "day": 1})
    api.reply_json({"heading": "EXT. PIER - DAY", "day": 2})
    structured(for_agent(settings, "breakdown"), _req("Scene 1: the kitchen."), Scene)
    structured(for_agent(settings, "breakdown"), _req("Scene 2: the pier."), Scene)
    ref = tmp_path / "maya.png"
    ref.write_bytes(png_for("maya"))
    for_agent(settings, "storyboard").image(
        ImageRequest(agent="storyboard", prompt="MAYA", references=[str(ref)])
    )
    return settings.recordings_dir


def test_recordings_are_readable_files_per_fingerprint(
    clean_env, openai_api, monkeypatch, tmp_path
):
    folder = _record(clean_env, openai_api, monkeypatch, tmp_path)
    files = sorted(folder.glob("*.json"))
    assert len(files) == 3
    for path in files:
        text = path.read_text()
        data = json.loads(text)
        assert path.stem == data["fingerprint"] and data["source"] == "recorded"
        assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        assert set(data) == {
            "agent",
            "fingerprint",
            "kind",
            "model",
            "provider",
            "request",
            "response",
            "source",
        }
    image = next(
        json.loads(p.read_text()) for p in files if json.loads(p.read_text())["kind"] == "image"
    )
    media = folder / image["response"]["png"]
    assert media.suffix == ".png" and media.read_bytes().startswith(b"\x89PNG")
    assert "references" not in image["request"] and len(image["request"]["reference_hashes"]) == 1
    assert "base64" not in json.dumps(image) and "b64" not in json.dumps(image)


def test_replay_answers_by_fingerprint_in_any_order(clean_env, openai_api, monkeypatch, tmp_path):
    folder = _record(clean_env, openai_api, monkeypatch, tmp_path)
    paid_before = len(openai_api.paid())
    settings = load_settings(clean_env, replay_dir=folder)
    provider = for_agent(settings, "breakdown")
    second, _ = structured(provider, _req("Scene 2: the pier."), Scene)
    first, result = structured(provider, _req("Scene 1: the kitchen."), Scene)
    assert (first.day, second.day) == (1, 2)
    assert (result.provider, result.model) == ("openai", "t")
    image = for_agent(settings, "storyboard").image(
        ImageRequest(agent="storyboard", prompt="MAYA", references=[str(tmp_path / "maya.png")])
    )
    assert image.png.startswith(b"\x89PNG")
    run_state(settings).assert_replay_consumed()
    assert len(openai_api.paid()) == paid_before


def test_unused_recording_fails(clean_env, openai_api, monkeypatch, tmp_path):
    folder = _record(clean_env, openai_api, monkeypatch, tmp_path)
    replay = Replay(folder)
    structured(replay, _req("Scene 1: the kitchen."), Scene)
    assert len(replay.unused()) == 2
    with pytest.raises(UnusedRecordings, match="2 recording\\(s\\) .* were never requested"):
        replay.assert_consumed()


def test_miss_names_the_request_and_diffs_the_nearest(clean_env, openai_api, monkeypatch, tmp_path):
    folder = _record(clean_env, openai_api, monkeypatch, tmp_path)
    replay = Replay(folder)
    with pytest.raises(ReplayMiss) as caught:
        structured(replay, _req("Scene 2: the long pier."), Scene)
    message = str(caught.value)
    first_line = message.splitlines()[0]
    assert "agent 'breakdown'" in first_line and "prompt_id 'breakdown/scene@1'" in first_line
    wanted = fingerprint("text", structured_request(_req("Scene 2: the long pier."), Scene))
    assert wanted[:16] in first_line
    assert (
        '-prompt: "Scene 2: the pier."' in message
        and '+prompt: "Scene 2: the long pier."' in message
    )
    assert caught.value.exit_code == 3


def test_authored_recording_without_fingerprint_is_accepted(tmp_path):
    folder = tmp_path / "rec"
    req = structured_request(_req("Scene 9: the roof."), Scene)
    path = author_recording(folder, req, {"parsed": {"heading": "EXT. ROOF - NIGHT", "day": 3}})
    data = json.loads(path.read_text())
    assert data["source"] == "authored"
    del data["fingerprint"]  # people writing files by hand leave it out or get it wrong
    path.write_text(json.dumps(data))
    replay = Replay(folder)
    scene, result = structured(replay, _req("Scene 9: the roof."), Scene)
    assert scene.day == 3 and json.loads(result.text) == {"day": 3, "heading": "EXT. ROOF - NIGHT"}
    replay.assert_consumed()


def test_two_files_for_one_request_are_refused(tmp_path):
    folder = tmp_path / "rec"
    req = _req("same")
    path = author_recording(folder, req, {"text": "a"})
    (folder / "copy.json").write_text(path.read_text())
    with pytest.raises(InputError, match="two recordings answer the same request"):
        Replay(folder)


def test_broken_recording_names_file_and_line(tmp_path):
    folder = tmp_path / "rec"
    folder.mkdir()
    (folder / "bad.json").write_text('{\n  "kind": "text",\n  "request": {,\n}')
    with pytest.raises(InputError, match=r"bad\.json:3: recording is not valid JSON"):
        Replay(folder)
