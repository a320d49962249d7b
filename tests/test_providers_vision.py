"""Images in text requests (vision): what reaches each vendor, fingerprints, cache, recordings."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from pydantic import BaseModel, ValidationError

from filmcrew.config import load_settings
from filmcrew.errors import InputError
from filmcrew.providers import for_agent, run_state, structured
from filmcrew.providers.base import (
    Capabilities,
    ImageRequest,
    TextRequest,
    Unsupported,
    canonical_request,
    fingerprint,
    sha256_bytes,
)
from filmcrew.providers.offline import OfflineProvider
from filmcrew.providers.recording import author_recording
from filmcrew.providers.replay import Replay
from filmcrew.providers.scripted import ScriptedProvider
from filmcrew.providers.status import describe_caps
from tests.fakes import FakeGemini, FakeOpenAI, png_for
from tests.fakes.fixtures import (  # noqa: F401
    clean_env,
    gemini_api,
    openai_api,
    use_gemini,
    use_openai,
    write_config,
)

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

VISION_ROW = '[capabilities."openai/fake-text"]\ntext = true\nstructured = true\nvision = true\n'


class Verdict(BaseModel):
    """A tiny output model."""

    same: bool
    note: str = ""


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 9), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def pictures(tmp_path: Path) -> list[Path]:
    """A PNG frame and a JPEG reference, the two formats a vision request takes."""
    frame, ref = tmp_path / "pics" / "frame.png", tmp_path / "pics" / "nora.jpg"
    frame.parent.mkdir()
    frame.write_bytes(png_for("frame 7C"))
    ref.write_bytes(_jpeg((200, 40, 40)))
    return [frame, ref]


def _req(images: list[Path], prompt: str = "Is the woman in image 1 the one in image 2?"
         ) -> TextRequest:
    return TextRequest(agent="writer", prompt=prompt, prompt_id="judge/test@1",
                       images=[str(p) for p in images])


def _openai(project: Path, api: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, *, chat: bool = False,
            row: str = VISION_ROW, **kw):
    use_openai(monkeypatch, api)
    api_kind = "chat" if chat else "responses"
    write_config(project, f'[openai]\napi = "{api_kind}"\ntext_model = "fake-text"\n'
                          f'image_model = "fake-image"\n{row}')
    return load_settings(project, **kw)


def _gemini(project: Path, api: FakeGemini, monkeypatch: pytest.MonkeyPatch):
    use_gemini(monkeypatch)
    write_config(project, f'[gemini]\nbase_url = "{api.base_url}"\ntext_model = "g-text"\n'
                          'image_model = "g-image"\n')
    return load_settings(project)


# --- the images reach the vendor -------------------------------------------------------------


def test_responses_api_sends_input_image_parts(clean_env, openai_api, monkeypatch, pictures):
    settings = _openai(clean_env, openai_api, monkeypatch)
    openai_api.reply_json({"same": True, "note": ""})
    verdict, result = structured(for_agent(settings, "writer"), _req(pictures), Verdict)
    assert verdict.same and result.model == "fake-text"
    sent = openai_api.paid()[0]
    assert sent.path == "/v1/responses"
    content = sent.json["input"][0]["content"]
    assert [p["type"] for p in content] == ["input_text", "input_image", "input_image"]
    assert content[0]["text"].startswith("Is the woman")
    assert openai_api.input_images(sent) == [("image/png", pictures[0].read_bytes()),
                                             ("image/jpeg", pictures[1].read_bytes())]
    assert sent.json["text"]["format"]["name"] == "Verdict"  # structured output still asked for


def test_chat_completions_send_image_url_parts(clean_env, openai_api, monkeypatch, pictures):
    settings = _openai(clean_env, openai_api, monkeypatch, chat=True)
    openai_api.reply_json({"same": False, "note": "hair"})
    verdict, _ = structured(for_agent(settings, "writer"), _req(pictures), Verdict)
    assert verdict == Verdict(same=False, note="hair")
    sent = openai_api.paid()[0]
    assert sent.path == "/v1/chat/completions"
    content = sent.json["messages"][-1]["content"]
    assert [p["type"] for p in content] == ["text", "image_url", "image_url"]
    assert openai_api.input_images(sent) == [("image/png", pictures[0].read_bytes()),
                                             ("image/jpeg", pictures[1].read_bytes())]


def test_the_fake_rejects_the_wrong_image_shape(openai_api):
    """The fake is strict, so the tests above would catch a wrongly shaped part."""
    import httpx

    url = "data:image/png;base64,iVBORw0KGgo="
    wrong = {"model": "m", "input": [{"role": "user", "content": [
        {"type": "input_image", "image_url": {"url": url}, "detail": "auto"}]}]}
    answer = httpx.post(f"{openai_api.base_url}/responses", json=wrong)
    assert answer.status_code == 400 and "expected an image URL" in answer.text
    chat_in_responses = {"model": "m", "input": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": url}}]}]}
    assert httpx.post(f"{openai_api.base_url}/responses", json=chat_in_responses).status_code == 400


def test_plain_text_requests_keep_a_string_content(clean_env, openai_api, monkeypatch):
    settings = _openai(clean_env, openai_api, monkeypatch)
    for_agent(settings, "writer").text(TextRequest(agent="writer", prompt="Hello"))
    assert openai_api.paid()[0].json["input"][0]["content"] == "Hello"


def test_gemini_sends_inline_parts_after_the_prompt(clean_env, gemini_api, monkeypatch, pictures):
    settings = _gemini(clean_env, gemini_api, monkeypatch)
    provider = for_agent(settings, "writer")
    assert provider.supports("vision")
    gemini_api.reply_json({"same": True, "note": ""})
    verdict, result = structured(provider, _req(pictures), Verdict)
    assert verdict.same and result.model == "g-text"
    sent = gemini_api.paid()[0]
    parts = gemini_api.parts_of(sent)
    assert parts[0]["text"].startswith("Is the woman") and len(parts) == 3
    assert gemini_api.inline_media(sent) == [("image/png", pictures[0].read_bytes()),
                                             ("image/jpeg", pictures[1].read_bytes())]
    assert "responseJsonSchema" in sent.json["generationConfig"]


# --- who can see -----------------------------------------------------------------------------


def test_capability_table_says_which_models_see(clean_env, monkeypatch):
    use_openai(monkeypatch)
    openai = load_settings(clean_env)
    assert for_agent(openai, "storyboard").supports("vision")  # OpenAI's own text slots read images
    assert openai.capability_for("openai", "gpt-image-2", "image").vision is False
    monkeypatch.delenv("OPENAI_API_KEY")
    use_gemini(monkeypatch)
    assert for_agent(load_settings(clean_env), "continuity").supports("vision")
    monkeypatch.delenv("GEMINI_API_KEY")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    local = load_settings(clean_env, model="llama3.1")  # a local server: unknowable, so no
    text_only = Capabilities(text=True, structured=True)
    assert local.capability_for("openai", "llama3.1", "text") == text_only
    assert not for_agent(local, "writer").supports("vision")
    write_config(clean_env, '[capabilities."openai/llava"]\ntext = true\nvision = true\n')
    assert for_agent(load_settings(clean_env, model="llava"), "writer").supports("vision")
    assert not OfflineProvider().supports("vision")
    seeing = Capabilities(text=True, structured=True, vision=True)
    assert describe_caps(seeing) == "text, structured, vision"  # `filmcrew providers` says who sees


def test_images_for_a_model_that_cannot_see_are_refused_unsent(
    clean_env, openai_api, gemini_api, monkeypatch, pictures
):
    settings = _openai(clean_env, openai_api, monkeypatch, row="")  # the fake is a base-URL server
    provider = for_agent(settings, "writer")
    assert not provider.supports("vision")
    hint = 'vision = true under \\[capabilities."openai/fake-text"\\]'
    with pytest.raises(Unsupported, match=hint):
        provider.text(_req(pictures))
    assert openai_api.paid() == []
    write_config(clean_env, f'[gemini]\nbase_url = "{gemini_api.base_url}"\ntext_model = "g-text"\n'
                            '[capabilities."gemini/g-text"]\ntext = true\n')
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.delenv("OPENAI_BASE_URL")
    use_gemini(monkeypatch)
    with pytest.raises(Unsupported, match="vision"):
        for_agent(load_settings(clean_env), "writer").text(_req(pictures))
    assert gemini_api.paid() == []


# --- fingerprints, cache, recordings, replay -------------------------------------------------


def test_fingerprint_counts_image_bytes_not_paths(tmp_path, pictures):
    moved = tmp_path / "elsewhere" / "renamed.png"
    moved.parent.mkdir()
    moved.write_bytes(pictures[0].read_bytes())
    here, there = _req(pictures), _req([moved, pictures[1]])
    assert fingerprint("text", here) == fingerprint("text", there)
    canonical = canonical_request(here)
    assert "images" not in canonical
    assert canonical["image_hashes"] == [sha256_bytes(p.read_bytes()) for p in pictures]
    assert fingerprint("text", _req(list(reversed(pictures)))) != fingerprint("text", here)
    moved.write_bytes(png_for("another frame"))
    assert fingerprint("text", there) != fingerprint("text", here)
    plain = TextRequest(agent="writer", prompt="p")
    assert set(canonical_request(plain)) == {"agent", "prompt"}  # old fingerprints unchanged
    with pytest.raises(ValidationError, match="2 images but 1 image hashes"):
        TextRequest(agent="writer", prompt="p", images=["a", "b"], image_hashes=["x"])


def test_unreadable_changed_or_non_image_files_are_input_errors(clean_env, openai_api, monkeypatch,
                                                                 pictures, tmp_path):
    provider = for_agent(_openai(clean_env, openai_api, monkeypatch), "writer")
    with pytest.raises(InputError, match="missing.png: cannot read image"):
        provider.text(_req([tmp_path / "missing.png"]))
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    with pytest.raises(InputError, match="notes.png: not a PNG or JPEG image"):
        provider.text(_req([text]))
    stale = _req(pictures).model_copy(update={"image_hashes": ["0" * 64, "1" * 64]})
    with pytest.raises(InputError, match="frame.png: image changed after the request was built"):
        provider.text(stale)
    assert openai_api.paid() == []


def test_cache_answers_the_same_images_once(clean_env, openai_api, monkeypatch, pictures):
    settings = _openai(clean_env, openai_api, monkeypatch)
    provider = for_agent(settings, "writer")
    first, _ = structured(provider, _req(pictures), Verdict)
    again, result = structured(provider, _req(pictures), Verdict)
    assert result.cached and again == first and len(openai_api.paid()) == 1
    pictures[1].write_bytes(_jpeg((10, 200, 10)))  # a new reference: a new question
    _, fresh = structured(provider, _req(pictures), Verdict)
    assert not fresh.cached and len(openai_api.paid()) == 2
    assert openai_api.input_images(openai_api.paid()[1])[1][1] == pictures[1].read_bytes()


def test_recording_keeps_images_as_files_and_replay_answers(
    clean_env, openai_api, monkeypatch, pictures
):
    settings = _openai(clean_env, openai_api, monkeypatch, record=True)
    openai_api.reply_json({"same": True, "note": "same scarf"})
    structured(for_agent(settings, "writer"), _req(pictures), Verdict)
    folder = settings.recordings_dir
    (path,) = folder.glob("*.json")
    text = path.read_text()
    data = json.loads(text)
    hashes = [sha256_bytes(p.read_bytes()) for p in pictures]
    assert data["request"]["image_hashes"] == hashes and "images" not in data["request"]
    assert str(pictures[0].parent) not in text and "base64" not in text and len(text) < 4000
    assert (folder / f"{hashes[0]}.png").read_bytes() == pictures[0].read_bytes()
    assert (folder / f"{hashes[1]}.jpg").read_bytes() == pictures[1].read_bytes()
    paid = len(openai_api.paid())
    replayed = load_settings(clean_env, replay_dir=folder)
    provider = for_agent(replayed, "writer")
    assert provider.supports("vision")
    verdict, result = structured(provider, _req(pictures), Verdict)
    assert verdict == Verdict(same=True, note="same scarf") and result.model == "fake-text"
    run_state(replayed).assert_replay_consumed()
    assert len(openai_api.paid()) == paid


def test_authored_recording_with_images(tmp_path, pictures):
    from filmcrew.providers.structured import structured_request

    folder = tmp_path / "rec"
    author_recording(folder, structured_request(_req(pictures), Verdict),
                     {"parsed": {"same": False, "note": "older"}})
    assert sorted(p.suffix for p in folder.iterdir()) == [".jpg", ".json", ".png"]
    replay = Replay(folder)
    assert replay.capability_info().vision and not replay.capability_info().image
    verdict, _ = structured(replay, _req(pictures), Verdict)
    assert verdict.note == "older"
    replay.assert_consumed()


def test_scripted_provider_sees_and_image_requests_keep_their_shape(tmp_path):
    assert ScriptedProvider().supports("vision")
    assert not ScriptedProvider(capabilities=Capabilities(text=True)).supports("vision")
    ref = tmp_path / "r.png"
    ref.write_bytes(png_for("r"))
    request = ImageRequest(agent="storyboard", prompt="x", references=[str(ref)])
    canonical = canonical_request(request)
    assert set(canonical) == {"agent", "prompt", "reference_hashes"}
