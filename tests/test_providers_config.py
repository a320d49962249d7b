"""Configuration: filmcrew.toml, environment and flags, per agent; and no model IDs in logic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from filmcrew.config import DEFAULT_MODELS, load_settings
from filmcrew.errors import InputError
from filmcrew.providers import for_agent
from tests.fakes.fixtures import FAKE_GEMINI_KEY, FAKE_OPENAI_KEY, clean_env  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def test_precedence_flag_over_env_over_file(clean_env, monkeypatch):
    (clean_env / "filmcrew.toml").write_text('provider = "gemini"\nmodel = "file-model"\n')
    monkeypatch.setenv("GEMINI_API_KEY", FAKE_GEMINI_KEY)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    assert load_settings(clean_env).provider_for("writer") == "gemini"
    monkeypatch.setenv("FILMCREW_PROVIDER", "openai")
    settings = load_settings(clean_env)
    assert (settings.provider_for("writer"), settings.provider_reason) == (
        "openai",
        "FILMCREW_PROVIDER",
    )
    settings = load_settings(clean_env, provider="offline", model="flag-model")
    assert settings.provider_for("writer") == "offline" and settings.model == "flag-model"


def test_per_agent_provider_and_models(clean_env, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", FAKE_GEMINI_KEY)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    (clean_env / "filmcrew.toml").write_text(
        'provider = "openai"\n[openai]\ntext_model = "strong"\nlight_model = "cheap"\n'
        '[agents.storyboard]\nprovider = "gemini"\nimage_model = "g-img"\n'
        '[agents.writer]\nmodel = "writer-special"\n'
    )
    settings = load_settings(clean_env)
    assert settings.provider_per_agent() == {
        "writer": "openai/writer-special",
        "breakdown": "openai/cheap",
        "characters": "openai/strong",
        "shot_planner": "openai/strong",
        "continuity": "openai/cheap",
        "storyboard": "gemini/g-img",
        "video": "openai",
    }
    assert load_settings(clean_env, model="flagged").model_for("writer", "text") == "flagged"
    assert load_settings(clean_env, provider="openai").provider_for("storyboard") == "openai"


def test_keys_and_base_url_pick_the_default(clean_env, monkeypatch):
    assert load_settings(clean_env).provider == "offline"
    monkeypatch.setenv("GOOGLE_API_KEY", FAKE_GEMINI_KEY)
    assert load_settings(clean_env).provider == "gemini"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    settings = load_settings(clean_env)
    assert settings.provider == "openai" and settings.openai.uses_chat()
    assert settings.model_for("writer", "text") == ""  # a local server's models are not guessed


def test_data_dir_defaults_to_project_unless_filmcrew_home(clean_env, monkeypatch):
    assert load_settings(clean_env).data_dir.name == "home"
    monkeypatch.delenv("FILMCREW_HOME")
    assert load_settings(clean_env).data_dir == clean_env / ".filmcrew"


def test_unknown_key_names_file_line_and_suggestion(clean_env):
    (clean_env / "filmcrew.toml").write_text("cache = true\n\n[retry]\natempts = 3\n")
    with pytest.raises(InputError) as caught:
        load_settings(clean_env)
    assert str(caught.value) == (
        f"{clean_env / 'filmcrew.toml'}:4: unknown setting 'retry.atempts' "
        "(did you mean 'attempts'?)"
    )
    assert caught.value.exit_code == 2


def test_bad_toml_names_the_line(clean_env):
    (clean_env / "filmcrew.toml").write_text("cache = true\nprovider = \n")
    with pytest.raises(InputError, match=r"filmcrew\.toml:2: not valid TOML"):
        load_settings(clean_env)


def test_unknown_agent_and_provider_suggest_names(clean_env):
    (clean_env / "filmcrew.toml").write_text('[agents.shotplanner]\nprovider = "openai"\n')
    with pytest.raises(
        InputError, match="unknown agent 'shotplanner'.*did you mean 'shot_planner'"
    ):
        load_settings(clean_env)
    (clean_env / "filmcrew.toml").unlink()
    with pytest.raises(InputError, match="unknown provider 'gemni'.*did you mean 'gemini'"):
        load_settings(clean_env, provider="gemni")
    with pytest.raises(InputError, match="unknown agent 'writr'.*did you mean 'writer'"):
        for_agent(load_settings(clean_env), "writr")


def test_keys_in_the_project_file_are_refused(clean_env):
    (clean_env / "filmcrew.toml").write_text(f'[openai]\napi_key = "{FAKE_OPENAI_KEY}"\n')
    with pytest.raises(
        InputError, match=r"filmcrew\.toml:2: \[openai\] api_key does not belong"
    ) as caught:
        load_settings(clean_env)
    assert FAKE_OPENAI_KEY not in str(caught.value)


def test_chosen_vendor_without_key_says_what_to_set(clean_env):
    settings = load_settings(clean_env, provider="openai")
    with pytest.raises(
        InputError, match="provider openai is not configured: OPENAI_API_KEY not set"
    ):
        for_agent(settings, "writer")


def test_example_file_is_valid_and_documents_every_agent(clean_env):
    example = ROOT / "filmcrew.toml.example"
    (clean_env / "filmcrew.toml").write_text(example.read_text())
    settings = load_settings(clean_env)
    assert settings.config_file is not None
    text = example.read_text()
    for word in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "GOOGLE_CLOUD_PROJECT",
        "--provider",
        "--model",
        "writer",
        "breakdown",
        "characters",
        "shot_planner",
        "continuity",
        "storyboard",
        "video",
    ):
        assert word in text


def test_no_model_id_is_baked_into_logic():
    ids = {m for models in DEFAULT_MODELS.values() for m in models.values() if m}
    pattern = re.compile("|".join(re.escape(i) for i in ids))
    offenders = []
    for path in sorted((ROOT / "filmcrew").rglob("*.py")):
        if path.name == "config.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_vendor_sdks_are_imported_only_in_providers():
    pattern = re.compile(r"^\s*(from|import)\s+(openai|google\.genai|google import genai)\b")
    offenders = []
    for folder in ("filmcrew", "agents", "tools", "prompts", "evals"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "providers" in path.relative_to(ROOT).parts:
                continue
            if any(pattern.match(line) for line in path.read_text().splitlines()):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
