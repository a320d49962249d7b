"""The model path of the shot planner, driven by `ScriptedProvider` (no network, no keys)."""

from __future__ import annotations

from typing import Any

import pytest
from filmcrew.agents.shot_model import PROMPT_ID, ShotPlan, build_request, planned_fields
from filmcrew.agents.shot_planner import plan_scene, plan_scene_rules, resolve_style, validate_shots
from filmcrew.prompts import render

from filmcrew.domain import Shot
from filmcrew.errors import ProviderFailed
from filmcrew.providers import ScriptedProvider
from filmcrew.providers.base import Capabilities, NotAvailable, TextResult, fingerprint
from filmcrew.providers.offline import OfflineProvider
from tests.shot_helpers import two_hander

SETTINGS = resolve_style(None, "16:9")


def answer(shots: list[Shot], **changes: Any) -> dict[str, Any]:
    """Build a model answer from shot rows (the fields a PlannedShot has)."""
    rows = [{**planned_fields(s), "custom": []} for s in shots]
    return {"shots": rows, "notes": "tightened the coverage", **changes}


def refined(draft: list[Shot]) -> dict[str, Any]:
    """Build a sound answer that differs from the draft: a push-in on Nora's single."""
    kept = [s for s in draft if s.type != "two-shot"]
    data = answer(kept)
    for row in data["shots"]:
        if row["type"] == "single" and row["subjects"] == ["NORA"]:
            row["movement"] = "dolly in"
    return data


@pytest.fixture
def scene() -> tuple[Any, Any, list[Shot]]:
    sp, row = two_hander()
    return sp, row, plan_scene_rules(sp, row, None, SETTINGS)


def test_a_valid_answer_replaces_the_draft_with_crew_ids_and_timing(scene: Any) -> None:
    sp, row, draft = scene
    provider = ScriptedProvider([refined(draft)])
    shots, notes = plan_scene(sp, row, None, SETTINGS, provider)
    provider.assert_consumed()
    assert not [n for n in notes if "model" in n]
    assert [s.shot_id for s in shots] == [f"1{c}" for c in "ABCDEFGHIJ"[: len(shots)]]
    nora = next(s for s in shots if s.type == "single" and s.subjects == ["NORA"])
    assert nora.movement == "dolly in"
    assert all(s.duration_s > 0 and s.int_ext == "INT" for s in shots)
    assert validate_shots(sp, row, shots) == []
    request = provider.calls[0]
    assert request.prompt_id == "shot_planner/plan_scene@1" and request.schema_name == "ShotPlan"
    assert request.json_schema == ShotPlan.model_json_schema()
    assert " 8 | " in request.prompt and "Mrs Vance" in request.prompt  # numbered scene text
    assert '"type": "master"' in request.prompt  # the rule draft


def test_an_invalid_answer_is_repaired_once(scene: Any) -> None:
    sp, row, draft = scene
    bad = answer(draft)
    bad["shots"][1]["lines"] = [8, 999]  # a line outside the scene
    bad["shots"][2]["subjects"] = ["GHOST"]  # nobody of that name is here
    provider = ScriptedProvider([bad, refined(draft)])
    shots, notes = plan_scene(sp, row, None, SETTINGS, provider)
    provider.assert_consumed()
    assert "scene 1: model answer repaired once" in notes
    repair = provider.calls[1]
    assert repair.prompt_id.endswith("#repair")
    assert "999" in repair.prompt and "GHOST" in repair.prompt
    assert validate_shots(sp, row, shots) == []


def test_an_answer_invalid_twice_keeps_the_rule_draft_and_says_so(scene: Any) -> None:
    sp, row, draft = scene
    uncovered = answer(
        [s for s in draft if s.type in ("establishing", "insert")]
    )  # no dialogue covered
    provider = ScriptedProvider([uncovered, uncovered])
    shots, notes = plan_scene(sp, row, None, SETTINGS, provider)
    provider.assert_consumed()
    assert shots == draft
    assert any(
        n.startswith("scene 1: model answer invalid twice") and "kept the rule draft" in n
        for n in notes
    )


def test_an_answer_outside_the_schema_twice_keeps_the_rule_draft(scene: Any) -> None:
    sp, row, draft = scene
    wrong = answer(draft)
    wrong["shots"][0]["size"] = "HUGE"
    provider = ScriptedProvider([wrong, {"shots": []}])
    shots, notes = plan_scene(sp, row, None, SETTINGS, provider)
    assert shots == draft and any("invalid twice" in n for n in notes)
    assert "ShotPlan schema" in provider.calls[1].prompt


def test_custom_values_must_be_declared(scene: Any) -> None:
    sp, row, draft = scene
    undeclared = answer(draft)
    undeclared["shots"][1]["movement"] = "slow push-in"
    declared = answer(draft)
    declared["shots"][1]["movement"] = "slow push-in"
    declared["shots"][1]["custom"] = ["movement"]
    provider = ScriptedProvider([undeclared, declared])
    shots, notes = plan_scene(sp, row, None, SETTINGS, provider)
    assert "custom" in provider.calls[1].prompt
    assert shots[1].movement == "slow push-in" and "scene 1: model answer repaired once" in notes


def test_a_refusal_keeps_the_rule_draft_with_a_note(scene: Any) -> None:
    sp, row, draft = scene
    provider = ScriptedProvider([TextResult(text="", refusal="I can't help with that")])
    shots, notes = plan_scene(sp, row, None, SETTINGS, provider)
    assert shots == draft and any("kept the rule draft" in n for n in notes)


def test_without_a_structured_model_the_rules_plan_alone(scene: Any) -> None:
    sp, row, draft = scene
    text_only = ScriptedProvider([], capabilities=Capabilities(text=True))
    assert plan_scene(sp, row, None, SETTINGS, text_only)[0] == draft
    assert text_only.calls == []
    assert plan_scene(sp, row, None, SETTINGS, OfflineProvider())[0] == draft
    unavailable = ScriptedProvider([NotAvailable("scripted", "text", "no model")])
    shots, notes = plan_scene(sp, row, None, SETTINGS, unavailable)
    assert shots == draft and not [n for n in notes if "model" in n]


def test_a_provider_failure_propagates_so_the_run_stays_resumable(scene: Any) -> None:
    sp, row, _ = scene
    provider = ScriptedProvider([ProviderFailed("gave up after 3 retries")])
    with pytest.raises(ProviderFailed):
        plan_scene(sp, row, None, SETTINGS, provider)


def test_the_request_is_byte_stable_so_recordings_replay(scene: Any) -> None:
    sp, row, draft = scene
    first = build_request(sp, row, None, SETTINGS, draft)
    again = build_request(sp, row, None, SETTINGS, plan_scene_rules(sp, row, None, SETTINGS))
    assert fingerprint("text", first) == fingerprint("text", again)
    other = build_request(sp, row, None, resolve_style("handheld documentary", "16:9"), draft)
    assert fingerprint("text", other) != fingerprint("text", first)


def test_the_prompt_declares_and_uses_every_input() -> None:
    rendered = render(
        PROMPT_ID,
        heading="h",
        scene_text="t",
        cast="c",
        style="s",
        aspect="9:16",
        vocabulary="v",
        rule_draft="[]",
    )
    assert rendered.key == "shot_planner/plan_scene@1"
    for heading in ("# Role", "# Rules", "# Output format", "# Input"):
        assert heading in rendered.text


def test_the_model_path_replays_from_recordings(scene: Any, tmp_path: Any) -> None:
    from filmcrew.providers.recording import Recording
    from filmcrew.providers.replay import Replay

    sp, row, draft = scene
    recorded, _ = plan_scene(
        sp, row, None, SETTINGS, Recording(ScriptedProvider([refined(draft)]), tmp_path)
    )
    replay = Replay(tmp_path)
    replayed, _ = plan_scene(sp, row, None, SETTINGS, replay)
    replay.assert_consumed()
    assert replayed == recorded and recorded != draft
