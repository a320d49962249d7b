"""Pytest fixtures for provider tests: a clean environment and running fake vendors.

Import them into a test module (`from tests.fakes.fixtures import clean_env, openai_api`);
`use_openai` / `use_gemini` point a client at a fake (key, and URL when given).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .gemini_fake import FakeGemini
from .openai_fake import FakeOpenAI

FAKE_OPENAI_KEY = "sk-test-FAKEKEY-0123456789abcdef"
FAKE_GEMINI_KEY = "AIzaFAKE-gemini-key-0123456789abcdefgh"
VENDOR_ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_CLOUD_LOCATION",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_GEMINI_BASE_URL",
    "GOOGLE_VERTEX_BASE_URL",
    "FILMCREW_PROVIDER",
    "FILMCREW_MODEL",
    "FILMCREW_LOG_LEVEL",
)
FAST = """
timeout_s = 5
video_timeout_s = 10
poll_interval_s = 0.01
[retry]
attempts = 3
base_delay_s = 0.001
max_delay_s = 0.01
max_retry_after_s = 0.01
"""


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No vendor keys, `FILMCREW_HOME` in tmp, and a project folder as the working directory.

    Provider clients and caches opened during the test are closed afterwards.
    """
    from filmcrew.providers.runtime import close_all

    for name in VENDOR_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FILMCREW_HOME", str(tmp_path / "home"))
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    yield project
    close_all()


def use_openai(monkeypatch: pytest.MonkeyPatch, api: FakeOpenAI | None = None) -> None:
    """Give the OpenAI client the fake key and, with a running fake, the fake's URL."""
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    if api is not None:
        monkeypatch.setenv("OPENAI_BASE_URL", api.base_url)


def use_gemini(monkeypatch: pytest.MonkeyPatch, api: FakeGemini | None = None) -> None:
    """Give the Gemini client the fake key and, with a running fake, the fake's URL (tests
    that name the URL in `filmcrew.toml` instead pass no fake)."""
    monkeypatch.setenv("GEMINI_API_KEY", FAKE_GEMINI_KEY)
    if api is not None:
        monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", api.base_url)


def write_config(project: Path, text: str = "", fast: bool = True) -> Path:
    """Write `filmcrew.toml` (with fast retries and timeouts unless `fast=False`)."""
    path = project / "filmcrew.toml"
    body = text if not fast else _merge_fast(text)
    path.write_text(body, encoding="utf-8")
    return path


def _merge_fast(text: str) -> str:
    """Put the fast settings first (top-level keys must come before any table)."""
    lines = text.strip().splitlines()
    top = [l for l in _until_table(lines)]
    rest = lines[len(top) :]
    fast = FAST.strip().splitlines()
    retry_at = fast.index("[retry]")
    return "\n".join(top + fast[:retry_at] + rest + [""] + fast[retry_at:]) + "\n"


def _until_table(lines: list[str]) -> list[str]:
    """The top-level lines before the first table header."""
    out = []
    for line in lines:
        if line.strip().startswith("["):
            break
        out.append(line)
    return out


@pytest.fixture
def openai_api() -> Iterator[FakeOpenAI]:
    """A running fake OpenAI server."""
    with FakeOpenAI() as api:
        yield api
    assert api.errors == [], f"the fake server failed: {api.errors}"


@pytest.fixture
def gemini_api() -> Iterator[FakeGemini]:
    """A running fake Gemini/Vertex server."""
    with FakeGemini() as api:
        yield api
    assert api.errors == [], f"the fake server failed: {api.errors}"
