"""The Gemini adapter (API-key and Vertex clients) with the real SDK against a loopback fake."""

from __future__ import annotations

import importlib

from pathlib import Path

import pytest
from pydantic import BaseModel

from filmcrew.config import load_settings
from filmcrew.errors import ProviderFailed
from filmcrew.providers import for_agent, structured
from filmcrew.providers.base import (
    ImageRequest,
    InvalidOutput,
    TextRequest,
    Unsupported,
    VideoRequest,
)
from tests.fakes import FakeGemini, mp4_for, png_for
from tests.fakes.fixtures import FAKE_GEMINI_KEY, clean_env, gemini_api, write_config  # noqa: F401

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


class Look(BaseModel):
    """A tiny output model."""

    character: str
    wardrobe: list[str]


def _settings(
    project: Path, api: FakeGemini, monkeypatch: pytest.MonkeyPatch, vertex: bool = False
):
    monkeypatch.setenv("GEMINI_API_KEY", FAKE_GEMINI_KEY)
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", api.base_url)
    write_config(
        project,
        f'[gemini]\nbase_url = "{api.base_url}"\nvertex = {str(vertex).lower()}\n'
        'text_model = "g-text"\nlight_model = "g-light"\nimage_model = "g-image"\n'
        'video_model = "g-veo"\n',
    )
    return load_settings(project)


def _req(agent: str = "characters") -> TextRequest:
    return TextRequest(
        agent=agent,
        prompt="Describe MAYA's look.",
        prompt_id="characters/look@1",
        system="You are a costume designer.",
    )


def test_structured_success_with_response_schema(clean_env, gemini_api, monkeypatch):
    settings = _settings(clean_env, gemini_api, monkeypatch)
    gemini_api.reply_json({"character": "MAYA", "wardrobe": ["red coat"]})
    look, result = structured(for_agent(settings, "characters"), _req(), Look)
    assert look.wardrobe == ["red coat"]
    assert (result.provider, result.model) == ("gemini", "g-text")
    sent = gemini_api.paid()[0]
    assert sent.path.endswith("/models/g-text:generateContent")
    assert sent.headers["x-goog-api-key"] == FAKE_GEMINI_KEY
    config = sent.json["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"]["required"] == ["character", "wardrobe"]
    assert "title" in config["responseJsonSchema"] and "default" not in str(
        config["responseJsonSchema"]
    )
    assert sent.json["systemInstruction"]["parts"][0]["text"] == "You are a costume designer."


def test_429_then_success(clean_env, gemini_api, monkeypatch):
    settings = _settings(clean_env, gemini_api, monkeypatch)
    gemini_api.fail_next(429, headers={"Retry-After": "0"})
    assert for_agent(settings, "continuity").text(_req("continuity")).text == "ok"
    assert [r.path.rsplit("/", 1)[-1] for r in gemini_api.paid()] == ["g-light:generateContent"] * 2


def test_500_twice_then_success(clean_env, gemini_api, monkeypatch):
    settings = _settings(clean_env, gemini_api, monkeypatch)
    gemini_api.fail_next(500, times=2)
    assert for_agent(settings, "writer").text(_req("writer")).text == "ok"
    assert len(gemini_api.paid()) == 3


def test_permission_denied_is_not_retried(clean_env, gemini_api, monkeypatch):
    settings = _settings(clean_env, gemini_api, monkeypatch)
    gemini_api.fail_next(
        403,
        body={
            "error": {"code": 403, "message": "API key not valid", "status": "PERMISSION_DENIED"}
        },
    )
    with pytest.raises(ProviderFailed, match=r"^gemini g-text: 403 Forbidden: API key not valid"):
        for_agent(settings, "writer").text(_req("writer"))
    assert len(gemini_api.paid()) == 1


def test_timeout_is_retried(clean_env, gemini_api, monkeypatch):
    # A timeout well above a loaded machine's answer time, a hang well above the timeout; the
    # SDK is imported first, so its import (a cold second on CI) is not inside the deadline.
    importlib.import_module("google.genai")
    settings = _settings(clean_env, gemini_api, monkeypatch).model_copy(update={"timeout_s": 2.0})
    gemini_api.hang_next(4.0)
    assert for_agent(settings, "writer").text(_req("writer")).text == "ok"
    assert len(gemini_api.paid()) == 2


def test_malformed_then_valid(clean_env, gemini_api, monkeypatch):
    settings = _settings(clean_env, gemini_api, monkeypatch)
    gemini_api.reply("{'character': 'MAYA'}")
    gemini_api.reply_json({"character": "MAYA", "wardrobe": []})
    look, _ = structured(for_agent(settings, "characters"), _req(), Look)
    assert look.character == "MAYA"
    assert "not valid JSON" in gemini_api.paid()[1].json["contents"][0]["parts"][0]["text"]


def test_truncated_answer_is_reasked(clean_env, gemini_api, monkeypatch):
    settings = _settings(clean_env, gemini_api, monkeypatch)
    gemini_api.reply('{"character": "MA', finish="MAX_TOKENS")
    gemini_api.reply_json({"character": "MAYA", "wardrobe": ["scrubs"]})
    look, _ = structured(for_agent(settings, "characters"), _req(), Look)
    assert look.wardrobe == ["scrubs"]
    assert "cut off" in gemini_api.paid()[1].json["contents"][0]["parts"][0]["text"]


def test_blocked_prompt_is_a_refusal(clean_env, gemini_api, monkeypatch):
    settings = _settings(clean_env, gemini_api, monkeypatch)
    gemini_api.reply(block="SAFETY")
    with pytest.raises(InvalidOutput, match="prompt blocked") as caught:
        structured(for_agent(settings, "characters"), _req(), Look)
    assert caught.value.refusal and len(gemini_api.paid()) == 1


def test_image_with_reference_parts(clean_env, gemini_api, monkeypatch, tmp_path):
    settings = _settings(clean_env, gemini_api, monkeypatch)
    refs = []
    for name in ("maya", "coat"):
        (tmp_path / f"{name}.png").write_bytes(png_for(name))
        refs.append(str(tmp_path / f"{name}.png"))
    provider = for_agent(settings, "storyboard")
    assert provider.capability_info("image").max_reference_images == 3
    result = provider.image(
        ImageRequest(agent="storyboard", prompt="MAYA at the door", aspect="9:16", references=refs)
    )
    assert result.png.startswith(b"\x89PNG") and result.model == "g-image"
    sent = gemini_api.paid()[0]
    assert sent.path.endswith("/models/g-image:generateContent")
    assert gemini_api.inline_images(sent) == [png_for("maya"), png_for("coat")]
    assert sent.json["generationConfig"]["responseModalities"] == ["TEXT", "IMAGE"]
    assert sent.json["generationConfig"]["imageConfig"]["aspectRatio"] == "9:16"


def test_image_answer_without_image_is_invalid_output(clean_env, gemini_api, monkeypatch):
    settings = _settings(clean_env, gemini_api, monkeypatch)
    gemini_api.reply("I would rather describe it.", image=False)
    with pytest.raises(InvalidOutput, match="no image returned"):
        for_agent(settings, "storyboard").image(ImageRequest(agent="storyboard", prompt="x"))


def test_video_needs_vertex(clean_env, gemini_api, monkeypatch):
    provider = for_agent(_settings(clean_env, gemini_api, monkeypatch), "video")
    assert not provider.supports("video")
    with pytest.raises(Unsupported, match="Veo needs the Vertex client"):
        provider.video(VideoRequest(agent="video", prompt="push in"))
    assert gemini_api.paid() == []


def test_video_operation_is_polled_until_done(clean_env, gemini_api, monkeypatch, tmp_path):
    gemini_api.polls_until_done = 3
    settings = _settings(clean_env, gemini_api, monkeypatch, vertex=True)
    still = tmp_path / "12A.png"
    still.write_bytes(png_for("12A"))
    provider = for_agent(settings, "video")
    assert provider.supports("video")
    result = provider.video(
        VideoRequest(agent="video", prompt="slow push in", image=str(still), duration_s=6)
    )
    assert result.mp4.startswith(b"\x00\x00\x00\x18ftyp") and result.usage.video_seconds == 6
    start, *polls = gemini_api.requests
    assert start.path.endswith("/models/g-veo:predictLongRunning")
    instance = start.json["instances"][0]
    assert instance["prompt"] == "slow push in"
    assert start.json["parameters"]["durationSeconds"] == 6
    assert len(polls) == 3 and all(p.path.endswith(":fetchPredictOperation") for p in polls)
    name = polls[0].json["operationName"]
    assert result.mp4 == mp4_for(name)


def test_failed_video_operation_is_reported(clean_env, gemini_api, monkeypatch, tmp_path):
    gemini_api.video_error = {"code": 3, "message": "image too small"}
    settings = _settings(clean_env, gemini_api, monkeypatch, vertex=True)
    with pytest.raises(ProviderFailed, match="video operation failed: image too small"):
        for_agent(settings, "video").video(VideoRequest(agent="video", prompt="x"))


def test_gemini_retry_after_is_read_from_the_error(gemini_api):
    from filmcrew.providers.base import Capabilities
    from filmcrew.providers.gemini_provider import GeminiProvider
    from filmcrew.providers.retrying import Retrying

    waits: list[float] = []
    gemini_api.fail_next(429, headers={"Retry-After": "5"},
                         body={"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}})
    vendor = GeminiProvider(api_key=FAKE_GEMINI_KEY, models={"text": "g"}, base_url=gemini_api.base_url,
                            caps={"text": Capabilities(text=True)})
    assert Retrying(vendor, sleep=waits.append).text(_req()).text == "ok"
    vendor.close()
    assert len(waits) == 1 and 5.0 <= waits[0] < 5.1
