"""Wrappers (cache, ledger, logging, repair, retry, deadline), ScriptedProvider and offline."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pydantic import BaseModel
from structlog.testing import capture_logs

from filmcrew.config import load_settings
from filmcrew.errors import ProviderFailed
from filmcrew.providers import ScriptedProvider, UnexpectedCall, for_agent, ledger, structured
from filmcrew.providers.base import (
    ImageRequest,
    InvalidOutput,
    NotAvailable,
    ProviderTimeout,
    RateLimited,
    RequestRejected,
    ServerError,
    TextRequest,
    TextResult,
    Usage,
    fingerprint,
)
from filmcrew.providers.cache import Cached, ResultCache
from filmcrew.providers.deadline import Deadline
from filmcrew.providers.ledger import Ledger
from filmcrew.providers.logged import Logged, Metered
from filmcrew.providers.retrying import Retrying
from filmcrew.providers.schema_check import first_error
from filmcrew.providers.scripted import ScriptNotConsumed
from tests.fakes import png_for
from tests.fakes.fixtures import FAKE_OPENAI_KEY, clean_env, openai_api, write_config  # noqa: F401

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


class Shot(BaseModel):
    """A tiny output model."""

    shot_id: str
    size: str


def _req(prompt: str = "Plan scene 1.", agent: str = "shot_planner") -> TextRequest:
    return TextRequest(agent=agent, prompt=prompt, prompt_id="shot_planner/plan@1")


def _openai_settings(project: Path, api, monkeypatch, model: str = "t"):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", api.base_url)
    write_config(
        project,
        f'[openai]\ntext_model = "{model}"\nlight_model = "{model}"\n'
        f'[prices."openai/{model}"]\ninput_per_mtok = 2.0\noutput_per_mtok = 8.0\n',
    )
    return load_settings(project)


# --- fingerprint --------------------------------------------------------------------------


def test_fingerprint_ignores_line_endings_paths_and_new_defaults(tmp_path):
    a = TextRequest(agent="writer", prompt="INT. HOUSE\r\nMaya enters.\n")
    b = TextRequest(agent="writer", prompt="INT. HOUSE\nMaya enters.", temperature=None)
    assert fingerprint("text", a) == fingerprint("text", b)
    assert fingerprint("text", a) != fingerprint("text", b.model_copy(update={"prompt_id": "w@2"}))
    one, two = tmp_path / "one.png", tmp_path / "two.png"
    one.write_bytes(png_for("maya"))
    two.write_bytes(png_for("maya"))
    same = [ImageRequest(agent="storyboard", prompt="x", references=[str(p)]) for p in (one, two)]
    assert fingerprint("image", same[0]) == fingerprint("image", same[1])
    two.write_bytes(png_for("other"))
    assert fingerprint("image", same[0]) != fingerprint("image", same[1])


# --- cache and ledger ---------------------------------------------------------------------


def test_rerun_and_resume_never_pay_twice(clean_env, openai_api, monkeypatch):
    settings = _openai_settings(clean_env, openai_api, monkeypatch)
    first = for_agent(settings, "writer").text(_req(agent="writer"))
    again = for_agent(settings, "writer").text(_req(agent="writer"))
    resumed = _openai_settings(clean_env, openai_api, monkeypatch)  # a new process, same project
    third = for_agent(resumed, "writer").text(_req(agent="writer"))
    assert len(openai_api.paid()) == 1
    assert (first.cached, again.cached, third.cached) == (False, True, True)
    assert first.fingerprint == again.fingerprint == third.fingerprint
    assert first.cost_usd > 0 and again.cost_usd == 0.0
    assert (settings.data_dir / "cache.db").is_file()
    totals = ledger(settings).totals()
    assert (totals["calls"], totals["cache_hits"]) == (2, 1)
    assert totals["cost_usd"] == round(first.cost_usd, 6)


def test_cache_keeps_models_apart(clean_env, openai_api, monkeypatch):
    for_agent(_openai_settings(clean_env, openai_api, monkeypatch, "model-a"), "writer").text(
        _req(agent="writer")
    )
    for_agent(_openai_settings(clean_env, openai_api, monkeypatch, "model-b"), "writer").text(
        _req(agent="writer")
    )
    assert [r.json["model"] for r in openai_api.paid()] == ["model-a", "model-b"]


def test_parallel_identical_requests_pay_once(tmp_path):
    gate = threading.Event()

    def slow(req: TextRequest) -> TextResult:
        gate.wait(2)
        return TextResult(text="done")

    scripted = ScriptedProvider([slow, slow])
    provider = Cached(scripted, ResultCache(tmp_path / "cache.db"))
    results: list[TextResult] = []
    workers = [
        threading.Thread(target=lambda: results.append(provider.text(_req()))) for _ in range(2)
    ]
    for w in workers:
        w.start()
    time.sleep(0.05)
    gate.set()
    for w in workers:
        w.join()
    assert len(scripted.calls) == 1 and sorted(r.cached for r in results) == [False, True]
    provider.cache.close()


def test_ledger_totals_per_agent_and_model():
    book = Ledger()
    book.add("writer", "openai", "m", Usage(input_tokens=10, output_tokens=5), 0.5, cached=False)
    book.add("writer", "openai", "m", Usage(input_tokens=10, output_tokens=5), 0.0, cached=True)
    book.add(
        "continuity",
        "gemini",
        "g",
        Usage(input_tokens=1, output_tokens=1),
        0.0,
        cached=False,
        priced=False,
    )
    run = book.as_run_json()
    assert (run["calls"], run["tokens"], run["cost_usd"], run["cache_hits"]) == (3, 17, 0.5, 1)
    assert (
        run["per_agent"]["writer"]["calls"] == 2
        and run["per_model"]["gemini/g"]["unpriced_calls"] == 1
    )


# --- logging ------------------------------------------------------------------------------


def test_every_call_logs_one_event_with_its_facts(tmp_path):
    book = Ledger()
    provider = Logged(
        Metered(
            ScriptedProvider([TextResult(text="x", usage=Usage(input_tokens=3))]),
            book,
            lambda p, m: _Price(),
        )
    )
    with capture_logs() as logs:
        provider.text(_req())
    (event,) = [e for e in logs if e["event"] == "provider_call"]
    assert {
        k: event[k] for k in ("provider", "model", "agent", "kind", "input_tokens", "cache_hit")
    } == {
        "provider": "scripted",
        "model": "scripted",
        "agent": "shot_planner",
        "kind": "text",
        "input_tokens": 3,
        "cache_hit": False,
    }
    assert (
        len(event["fingerprint"]) == 64
        and event["latency_ms"] >= 0
        and event["cost_usd"] == 0.000003
    )


class _Price:
    input_per_mtok = 1.0
    output_per_mtok = 0.0
    per_image = 0.0
    per_video_second = 0.0

    def known(self) -> bool:
        return True


# --- retry and deadline -------------------------------------------------------------------


def test_backoff_grows_with_jitter_and_stops_at_the_cap():
    provider = Retrying(ScriptedProvider(), base_delay_s=1.0, max_delay_s=4.0, rng=lambda: 0.5)
    error = ServerError("500")
    assert [provider.delay(n, error) for n in (1, 2, 3, 4)] == [0.75, 1.5, 3.0, 3.0]
    assert (
        Retrying(ScriptedProvider(), rng=lambda: 0.0).delay(1, RateLimited("429", retry_after=9))
        == 9.0
    )


def test_retry_then_success_and_final_one_liner():
    waits: list[float] = []
    steps = [ServerError("503 Service Unavailable", provider="openai", model="m"), "ok"]
    assert Retrying(ScriptedProvider(steps), sleep=waits.append).text(_req()).text == "ok"
    failing = ScriptedProvider([ProviderTimeout("timed out", provider="x", model="m")] * 2)
    with pytest.raises(ProviderFailed, match=r"^x m: timed out after 2 attempts$"):
        Retrying(failing, attempts=2, sleep=waits.append).text(_req())
    rejected = ScriptedProvider(
        [RequestRejected("401 Unauthorized", provider="x", model="m", status=401)]
    )
    with pytest.raises(ProviderFailed, match=r"^x m: 401 Unauthorized \(check the API key\)$"):
        Retrying(rejected, sleep=waits.append).text(_req())
    assert len(waits) == 2


def test_deadline_gives_up_on_a_stuck_call():
    release = threading.Event()
    stuck = ScriptedProvider([lambda req: (release.wait(5), TextResult(text="late"))[1]])
    with pytest.raises(ProviderTimeout, match="no answer within 0.05 s"):
        Deadline(stuck, 0.05).text(_req())
    release.set()


# --- structured output and the scripted double ---------------------------------------------


def test_structured_repairs_once_from_the_validation_error():
    scripted = ScriptedProvider([{"shot_id": "1A"}, {"shot_id": "1A", "size": "MCU"}])
    shot, result = structured(scripted, _req(), Shot)
    assert shot == Shot(shot_id="1A", size="MCU")
    reask = scripted.calls[1]
    assert (
        reask.prompt_id == "shot_planner/plan@1#repair" and "size: Field required" in reask.prompt
    )
    assert scripted.calls[0].json_schema == Shot.model_json_schema()
    scripted.assert_consumed()


def test_structured_fails_clearly_after_one_repair():
    scripted = ScriptedProvider(["not json", "still not json"])
    with pytest.raises(InvalidOutput, match="still invalid after one repair: not valid JSON"):
        structured(scripted, _req(), Shot)
    assert len(scripted.calls) == 2


def test_scripted_provider_is_strict_both_ways():
    scripted = ScriptedProvider(["one"])
    scripted.text(_req())
    with pytest.raises(
        UnexpectedCall, match="unexpected text call #2 from agent 'shot_planner'"
    ) as caught:
        scripted.text(_req("again"))
    assert caught.value.request.prompt == "again"
    with pytest.raises(ScriptNotConsumed):
        ScriptedProvider(["a", "b"]).assert_consumed()


def test_schema_check_reports_path_of_first_problem():
    schema = Shot.model_json_schema()
    assert first_error({"shot_id": "1A", "size": "WS"}, schema) is None
    assert (
        first_error({"shot_id": 1, "size": "WS"}, schema)
        == "$.shot_id: expected string, got integer"
    )
    nested = {
        "type": "object",
        "properties": {"shots": {"type": "array", "items": {"$ref": "#/$defs/S"}}},
        "$defs": {"S": schema},
    }
    assert (
        first_error({"shots": [{"shot_id": "1", "size": "WS"}, {"shot_id": "2"}]}, nested)
        == "$.shots[1]: missing required field 'size'"
    )


# --- offline ------------------------------------------------------------------------------


def test_offline_is_the_default_and_says_so(clean_env):
    settings = load_settings(clean_env)
    provider = for_agent(settings, "shot_planner")
    assert not provider.supports("text") and provider.capability_info().names() == []
    with pytest.raises(NotAvailable, match="no model configured"):
        structured(provider, _req(), Shot)
    assert settings.summary() == "provider offline (no key set: craft rules only)"
    assert set(settings.provider_per_agent().values()) == {"offline"}
    assert ledger(settings).totals()["calls"] == 0
