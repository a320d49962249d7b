"""The OpenAI adapter and the wrapper stack, run with the real SDK against a loopback fake."""

from __future__ import annotations

import importlib

from pathlib import Path

import pytest
from pydantic import BaseModel

from filmcrew.config import load_settings
from filmcrew.errors import ProviderFailed
from filmcrew.providers import for_agent, ledger, structured
from filmcrew.providers.base import (
    Capabilities,
    ImageRequest,
    InvalidOutput,
    TextRequest,
    Unsupported,
    VideoRequest,
)
from filmcrew.providers.openai_provider import OpenAIProvider
from filmcrew.providers.retrying import Retrying
from tests.fakes import FakeOpenAI, png_for
from tests.fakes.fixtures import FAKE_OPENAI_KEY, clean_env, openai_api, write_config  # noqa: F401

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


class Beat(BaseModel):
    """A tiny output model."""

    title: str
    shots: int
    notes: list[str] = []


def _settings(
    project: Path, api: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, extra: str = "", **kw
):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", api.base_url)
    write_config(
        project,
        f'[openai]\napi = "responses"\ntext_model = "fake-text"\n'
        f'light_model = "fake-light"\nimage_model = "fake-image"\n{extra}',
    )
    return load_settings(project, **kw)


def _req(prompt: str = "Plan the beat.", agent: str = "shot_planner") -> TextRequest:
    return TextRequest(agent=agent, prompt=prompt, prompt_id="shot_planner/beat@1")


def test_structured_success_through_responses_api(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    openai_api.reply_json({"title": "Door", "shots": 3, "notes": ["handheld"]})
    beat, result = structured(for_agent(settings, "shot_planner"), _req(), Beat)
    assert beat == Beat(title="Door", shots=3, notes=["handheld"])
    assert (result.provider, result.model, result.cached) == ("openai", "fake-text", False)
    assert result.usage.input_tokens > 0 and len(result.fingerprint) == 64
    sent = openai_api.paid()[0]
    assert sent.path == "/v1/responses"
    assert sent.headers["authorization"] == f"Bearer {FAKE_OPENAI_KEY}"
    fmt = sent.json["text"]["format"]
    assert fmt["type"] == "json_schema" and fmt["name"] == "Beat" and fmt["strict"] is True
    assert fmt["schema"]["required"] == ["title", "shots", "notes"]


def test_light_model_serves_continuity(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    for_agent(settings, "continuity").text(_req(agent="continuity"))
    assert openai_api.paid()[0].json["model"] == "fake-light"


def test_base_url_server_uses_chat_completions_with_json_schema(clean_env, openai_api, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", openai_api.base_url)
    write_config(clean_env, "")
    settings = load_settings(clean_env, model="llama3.1")
    openai_api.reply('{"title": "Alley", "shots": 2}')
    beat, _ = structured(for_agent(settings, "writer"), _req(agent="writer"), Beat)
    assert beat.title == "Alley"
    sent = openai_api.paid()[0]
    assert sent.path == "/v1/chat/completions" and sent.json["model"] == "llama3.1"
    assert sent.json["response_format"]["type"] == "json_schema"
    assert "authorization" in sent.headers  # a placeholder; local servers ignore it


def test_retry_after_is_honoured_on_429():
    waits: list[float] = []
    with FakeOpenAI() as api:
        api.fail_next(429, headers={"Retry-After": "7"})
        vendor = OpenAIProvider(
            api_key=FAKE_OPENAI_KEY,
            base_url=api.base_url,
            models={"text": "m"},
            caps={"text": Capabilities(text=True)},
        )
        provider = Retrying(vendor, attempts=3, base_delay_s=0.001, sleep=waits.append)
        result = provider.text(_req())
        vendor.close()
        assert result.text == "ok" and len(api.paid()) == 2
    assert waits and 7.0 <= waits[0] < 7.1


def test_500_then_success(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    openai_api.fail_next(500)
    result = for_agent(settings, "writer").text(_req(agent="writer"))
    assert result.text == "ok" and len(openai_api.paid()) == 2


def test_gives_up_after_retries_with_one_line_exit_3(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    openai_api.fail_next(503, times=5)
    with pytest.raises(ProviderFailed) as caught:
        for_agent(settings, "writer").text(_req(agent="writer"))
    assert str(caught.value) == "openai fake-text: 503 Service Unavailable after 3 attempts"
    assert caught.value.exit_code == 3 and "\n" not in str(caught.value)
    assert len(openai_api.paid()) == 3


@pytest.mark.parametrize("status", [400, 401, 403])
def test_client_errors_are_not_retried(clean_env, openai_api, monkeypatch, status):
    settings = _settings(clean_env, openai_api, monkeypatch)
    openai_api.fail_next(status)
    with pytest.raises(ProviderFailed) as caught:
        for_agent(settings, "writer").text(_req(agent="writer"))
    assert len(openai_api.paid()) == 1
    assert str(caught.value).startswith(f"openai fake-text: {status} ")


def test_timeout_is_retried(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    # A timeout well above a loaded machine's answer time, a hang well above the timeout; the
    # SDK is imported first, so its import (a cold second on CI) is not inside the deadline.
    importlib.import_module("openai")
    settings = settings.model_copy(update={"timeout_s": 2.0})
    openai_api.hang_next(4.0)
    result = for_agent(settings, "writer").text(_req(agent="writer"))
    assert result.text == "ok" and len(openai_api.paid()) == 2


def test_dropped_connection_is_retried(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    openai_api.drop_next()
    assert for_agent(settings, "writer").text(_req(agent="writer")).text == "ok"
    assert len(openai_api.paid()) == 2


def test_malformed_json_is_repaired_once_with_the_error(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    openai_api.reply('{"title": "Door", "shots": ')
    openai_api.reply('{"title": "Door", "shots": 4}')
    beat, result = structured(for_agent(settings, "shot_planner"), _req(), Beat)
    assert beat.shots == 4
    first, second = openai_api.paid()
    reask = second.json["input"][0]["content"]
    assert "could not be used: not valid JSON" in reask and '{"title": "Door", "shots": ' in reask
    assert (
        result.usage.output_tokens
        == len('{"title": "Door", "shots": ') // 4 + len('{"title": "Door", "shots": 4}') // 4
    )
    assert ledger(settings).totals()["calls"] == 1


def test_schema_violation_is_repaired_then_fails_clearly(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    openai_api.reply('{"title": "Door"}')
    openai_api.reply('{"title": "Door", "shots": "many"}')
    with pytest.raises(InvalidOutput) as caught:
        structured(for_agent(settings, "shot_planner"), _req(), Beat)
    assert "still invalid after one repair" in str(caught.value)
    assert "$.shots: expected integer, got string" in str(caught.value)
    assert "missing required field 'shots'" in openai_api.paid()[1].json["input"][0]["content"]
    assert len(openai_api.paid()) == 2


def test_truncated_json_is_reasked_as_cut_off(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    openai_api.reply('{"title": "Do', truncated=True)
    openai_api.reply('{"title": "Door", "shots": 1}')
    beat, _ = structured(for_agent(settings, "shot_planner"), _req(), Beat)
    assert beat.shots == 1
    assert "cut off" in openai_api.paid()[1].json["input"][0]["content"]


def test_refusal_fails_without_a_reask(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    openai_api.reply(refusal="I can't help with that.")
    with pytest.raises(InvalidOutput) as caught:
        structured(for_agent(settings, "shot_planner"), _req(), Beat)
    assert caught.value.refusal == "I can't help with that."
    assert len(openai_api.paid()) == 1


def test_image_edit_sends_every_reference(clean_env, openai_api, monkeypatch, tmp_path):
    settings = _settings(clean_env, openai_api, monkeypatch)
    refs = []
    for name in ("maya", "alley", "coat"):
        path = tmp_path / f"{name}.png"
        path.write_bytes(png_for(name))
        refs.append(str(path))
    provider = for_agent(settings, "storyboard")
    assert provider.capability_info("image").max_reference_images == 16
    result = provider.image(
        ImageRequest(agent="storyboard", prompt="Maya in the alley", references=refs)
    )
    assert result.png.startswith(b"\x89PNG") and result.usage.images == 1
    sent = openai_api.paid()[0]
    assert sent.path == "/v1/images/edits" and sent.fields()["model"] == "fake-image"
    files = sent.files()
    assert [f.filename for f in files] == ["maya.png", "alley.png", "coat.png"]
    assert [f.data for f in files] == [Path(r).read_bytes() for r in refs]


def test_image_generate_without_references(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    result = for_agent(settings, "storyboard").image(
        ImageRequest(agent="storyboard", prompt="A pier at dawn")
    )
    assert result.png.startswith(b"\x89PNG")
    assert openai_api.paid()[0].path == "/v1/images/generations"


def test_too_many_references_are_refused_before_calling(
    clean_env, openai_api, monkeypatch, tmp_path
):
    write_config(
        clean_env,
        '[openai]\nimage_model = "small-image"\n'
        '[capabilities."openai/small-image"]\nimage = true\nmax_reference_images = 1\n',
    )
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", openai_api.base_url)
    settings = load_settings(clean_env, model="m")
    refs = [str(tmp_path / "a.png"), str(tmp_path / "b.png")]
    for ref in refs:
        Path(ref).write_bytes(png_for(ref))
    with pytest.raises(Unsupported, match="2 reference images; small-image takes at most 1"):
        for_agent(settings, "storyboard").image(
            ImageRequest(agent="storyboard", prompt="x", references=refs)
        )
    assert openai_api.paid() == []


def test_openai_video_is_unsupported(clean_env, openai_api, monkeypatch):
    settings = _settings(clean_env, openai_api, monkeypatch)
    provider = for_agent(settings, "video")
    assert not provider.supports("video")
    with pytest.raises(Unsupported, match="Sora video API is shut down"):
        provider.video(VideoRequest(agent="video", prompt="push in"))
    assert openai_api.paid() == []


def test_parallel_first_calls_share_one_client():
    """The crew's fan-out makes its first calls together: one client, no leaked sockets."""
    import threading

    with FakeOpenAI() as api:
        vendor = OpenAIProvider(api_key=FAKE_OPENAI_KEY, base_url=api.base_url, models={"text": "m"},
                                caps={"text": Capabilities(text=True)})
        start = threading.Barrier(6)
        clients: list[object] = []

        def first_call() -> None:
            start.wait()
            clients.append(vendor._sdk())
            vendor.text(_req())

        threads = [threading.Thread(target=first_call) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        vendor.close()
        assert len({id(c) for c in clients}) == 1 and len(api.paid()) == 6
