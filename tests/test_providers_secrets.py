"""Keys never leak: a whole run's logs, recordings, cache and outputs hold no fake key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import structlog
from pydantic import BaseModel

from filmcrew import logs
from filmcrew.config import load_settings
from filmcrew.errors import ProviderFailed
from filmcrew.providers import for_agent, ledger, run_state, structured
from filmcrew.providers.base import ImageRequest, TextRequest
from tests.fakes import png_for
from tests.fakes.fixtures import (  # noqa: F401
    FAKE_GEMINI_KEY,
    FAKE_OPENAI_KEY,
    clean_env,
    gemini_api,
    openai_api,
    use_gemini,
    use_openai,
    write_config,
)

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


class Note(BaseModel):
    """A tiny output model."""

    text: str


@pytest.fixture
def json_logs(tmp_path):
    """JSON logs to a file at DEBUG, undone afterwards."""
    path = tmp_path / "logs" / "run.jsonl"
    logs.configure(json=True, level="DEBUG", file=path)
    yield path
    logs.reset()


def _all_bytes(*folders: Path) -> list[tuple[Path, bytes]]:
    return [
        (p, p.read_bytes()) for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()
    ]


def _run_everything(project: Path, openai_api, gemini_api, monkeypatch, tmp_path: Path):
    """Text with a retry, a cache hit, an image, a 401, a hostile log line; write outputs."""
    use_openai(monkeypatch, openai_api)
    use_gemini(monkeypatch)
    write_config(
        project,
        f'provider = "openai"\n[openai]\napi = "responses"\ntext_model = "t"\n'
        f'light_model = "t"\nimage_model = "i"\n[gemini]\nbase_url = "{gemini_api.base_url}"\n'
        '[agents.storyboard]\nprovider = "gemini"\nimage_model = "g-image"\n',
    )
    settings = load_settings(project, record=True)
    ref = tmp_path / "maya.png"
    ref.write_bytes(png_for("maya"))
    openai_api.fail_next(429, headers={"Retry-After": "0"})
    note, _ = structured(
        for_agent(settings, "writer"), TextRequest(agent="writer", prompt="Write."), Note
    )
    for_agent(settings, "writer").text(TextRequest(agent="writer", prompt="Write."))  # a cache hit
    image = for_agent(settings, "storyboard").image(
        ImageRequest(agent="storyboard", prompt="MAYA", references=[str(ref)])
    )
    openai_api.fail_next(
        401, body={"error": {"message": "Incorrect API key provided: sk-test-FAKE****cdef"}}
    )
    with pytest.raises(ProviderFailed):
        for_agent(settings, "continuity").text(TextRequest(agent="continuity", prompt="Check."))
    structlog.get_logger("test").info(
        "leak_attempt",
        api_key=FAKE_OPENAI_KEY,
        header=f"Bearer {FAKE_OPENAI_KEY}",
        note=f"key={FAKE_GEMINI_KEY}",
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "run.json").write_text(
        json.dumps(
            {"provider_per_agent": settings.provider_per_agent(), **ledger(settings).as_run_json()},
            sort_keys=True,
        )
    )
    (out / "note.json").write_text(note.model_dump_json())
    (out / "frame.png").write_bytes(image.png)
    run_state(settings).close()
    return settings, out


def test_a_run_leaves_no_key_anywhere(
    clean_env, openai_api, gemini_api, monkeypatch, tmp_path, json_logs, capsys
):
    settings, out = _run_everything(clean_env, openai_api, gemini_api, monkeypatch, tmp_path)
    captured = capsys.readouterr()

    log_lines = json_logs.read_text().splitlines()
    events = [json.loads(line)["event"] for line in log_lines]
    assert (
        "provider_call" in events
        and "provider_retry" in events
        and "provider_call_failed" in events
    )
    assert "leak_attempt" in events
    assert any(p.suffix == ".json" for p in settings.recordings_dir.iterdir())
    assert (settings.data_dir / "cache.db").is_file()
    haystack = _all_bytes(json_logs.parent, settings.data_dir, out) + [
        (Path("<stdout>"), captured.out.encode()),
        (Path("<stderr>"), captured.err.encode()),
    ]
    for key in (FAKE_OPENAI_KEY, FAKE_GEMINI_KEY):
        leaks = [str(path) for path, data in haystack if key.encode() in data]
        assert leaks == [], f"{key[:8]}... found in {leaks}"
    # the vendors did receive the keys: the test is not passing by never sending them
    assert openai_api.paid()[0].headers["authorization"] == f"Bearer {FAKE_OPENAI_KEY}"
    assert gemini_api.paid()[0].headers["x-goog-api-key"] == FAKE_GEMINI_KEY
