"""`filmcrew providers`: right with no keys, with fake keys, and with a base URL."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from filmcrew.cli.providers_cmd import providers
from tests.fakes.fixtures import FAKE_GEMINI_KEY, FAKE_OPENAI_KEY, clean_env  # noqa: F401

app = typer.Typer()
app.command("providers")(providers)


@app.callback()
def _root() -> None:
    """A stand-in root, as the lead's main app registers the command."""


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["providers", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def _json(*args: str) -> dict:
    code, out = _run("--json", *args)
    assert code == 0
    return json.loads(out)


def test_no_keys_everything_offline(clean_env):
    data = _json()
    rows = {row["provider"]: row for row in data["providers"]}
    assert [r["provider"] for r in data["providers"]] == ["offline", "openai", "gemini", "replay"]
    assert (
        rows["offline"]["configured"],
        rows["openai"]["configured"],
        rows["gemini"]["configured"],
    ) == (True, False, False)
    assert (
        rows["openai"]["why"]
        == "OPENAI_API_KEY not set (or set OPENAI_BASE_URL for a local server)"
    )
    assert (
        rows["gemini"]["why"]
        == "GEMINI_API_KEY / GOOGLE_API_KEY not set (or Vertex project/location)"
    )
    assert rows["replay"]["configured"] is False and "no recordings in" in rows["replay"]["why"]
    assert all(a["provider"] == "offline" and a["capabilities"] == "none" for a in data["agents"])
    assert data["summary"] == "provider offline (no key set: craft rules only)"


def test_fake_keys_configure_both_vendors(clean_env, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    monkeypatch.setenv("GEMINI_API_KEY", FAKE_GEMINI_KEY)
    data = _json()
    rows = {row["provider"]: row for row in data["providers"]}
    assert rows["openai"]["configured"] and rows["openai"]["why"] == "OPENAI_API_KEY set"
    assert (
        rows["gemini"]["configured"] and rows["gemini"]["why"] == "API key set; video needs Vertex"
    )
    assert rows["openai"]["capabilities"] == "text, structured, vision, image (16 refs)"
    agents = {a["agent"]: a for a in data["agents"]}
    assert agents["continuity"]["provider"] == "openai"
    assert agents["continuity"]["models"]["text"] != agents["writer"]["models"]["text"]
    code, table = _run()
    assert code == 0 and "OPENAI_API_KEY set" in table and FAKE_OPENAI_KEY not in table
    assert FAKE_GEMINI_KEY not in json.dumps(data)
    gemini = _json("--provider", "gemini")
    assert {a["provider"] for a in gemini["agents"]} == {"gemini"}


def test_base_url_without_model_says_what_to_set(clean_env, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    rows = {row["provider"]: row for row in _json()["providers"]}
    assert rows["openai"]["why"] == (
        "base URL http://127.0.0.1:11434/v1 (no key needed); "
        "no model set: pass --model or set [openai] text_model"
    )
    data = _json("--model", "llama3.1")
    writer = next(a for a in data["agents"] if a["agent"] == "writer")
    assert writer["models"]["text"] == "llama3.1" and writer["capabilities"] == "text, structured"


def test_help_shows_an_example():
    result = CliRunner().invoke(app, ["providers", "--help"])
    assert result.exit_code == 0 and "Example" in result.stdout and "--json" in result.stdout
