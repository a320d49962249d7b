"""The crew with a model, through the real graph and SDK against the loopback fake: calls are
bounded by `--concurrency` across agents, the continuity review runs beside the shot planner,
sketches are drawn while the model plans, fix rounds revise the checked shots, and reuse keys
name the model."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from filmcrew.config import load_settings
from filmcrew.crew import Crew
from filmcrew.state import RunSettings
from tests.conftest import EXAMPLES
from tests.fakes.fixtures import clean_env, use_openai  # noqa: F401
from tests.fakes.openai_fake import FakeOpenAI, schema_name
from tests.fakes.server import peak_overlap

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.feature_script import write_feature  # noqa: E402

SHORT = EXAMPLES / "the-lighthouse-key.fountain"
FIX_NOTE = re.compile(r"^shot (\S+): movement kept (screen \w+) \(continuity screen_direction\)$")


def plan(project: Path, script: Path, model: str = "fake-model", concurrency: int = 2,
         run_id: str | None = None, **settings: object):  # noqa: ANN201
    """Plan a script with the OpenAI provider (pointed at the fake by the environment)."""
    config = load_settings(project, provider="openai", model=model)
    with Crew(project, config, concurrency=concurrency) as crew:
        return crew.start(script, project / "out", RunSettings(formats=["json"], provider="openai", model=model,
                                                                **settings), run_id=run_id)


def test_concurrency_bounds_calls_across_agents_and_the_review_overlaps_the_shots(
        clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    with FakeOpenAI(latency=0.15) as server:
        use_openai(monkeypatch, server)
        outcome = plan(clean_env, SHORT, concurrency=2)
        paid = server.paid()
    assert outcome.status == "done", outcome.info.notes
    by_schema: dict[str, list[float]] = {}
    for seen in paid:
        by_schema.setdefault(schema_name(seen), []).append(seen.at)
    scenes = 12
    assert len(by_schema["SceneReview"]) == len(by_schema["SceneState"]) == scenes
    assert peak_overlap([seen.at for seen in paid], server.latency - 0.02) == 2  # every agent shares the two slots
    first_review = min(by_schema["SceneReview"] + by_schema["SceneState"])
    assert first_review < max(by_schema["ShotPlan"]), "the review waited for the shots"
    reviews = list((clean_env / "out" / "work" / "continuity").glob("review-*.json"))
    assert len(reviews) == 1 and outcome.values["review"].path == reviews[0].relative_to(clean_env / "out").as_posix()


def test_sketches_drawn_while_the_model_plans_are_the_storyboard(clean_env: Path,  # noqa: F811
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI() as server:
        use_openai(monkeypatch, server)
        outcome = plan(clean_env, SHORT)
    frames = outcome.values["frames"]
    shots = json.loads((clean_env / "out" / "shotlist.json").read_text())["shots"]
    assert sorted(frames) == sorted(s["shot_id"] for s in shots)
    assert all(frame.reused for frame in frames.values()), "frames were drawn after the last call, not ahead"
    for frame in frames.values():
        stored = clean_env / "out" / "work" / "frames" / f"{frame.key}.png"
        placed = clean_env / "out" / frame.ref.path
        assert stored.read_bytes() == placed.read_bytes()


def test_fix_rounds_revise_the_shots_the_checker_saw(clean_env: Path,  # noqa: F811
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    script = write_feature(clean_env / "feature.fountain", 16)
    with FakeOpenAI() as server:
        use_openai(monkeypatch, server)
        outcome = plan(clean_env, script, concurrency=4, continuity_rounds=2)
        paid = [schema_name(seen) for seen in server.paid()]
    assert paid.count("ShotPlan") <= 2 * 16, "a fix round asked the model to plan a scene again"
    fixes = [m.groups() for note in outcome.values["notes"] if (m := FIX_NOTE.match(note))]
    per_scene: dict[str, set[str]] = {}
    for shot_id, _ in fixes:
        per_scene.setdefault(re.match(r"\d+", shot_id).group(), set()).add(shot_id)  # type: ignore[union-attr]
    assert any(len(ids) > 1 for ids in per_scene.values()), "no scene was fixed in two rounds"
    final = {s["shot_id"]: s for s in json.loads((clean_env / "out" / "shotlist.json").read_text())["shots"]}
    kept = {shot_id: way for shot_id, way in fixes}  # a later round's fix of the same shot wins
    for shot_id, way in kept.items():
        assert final[shot_id]["direction"] == way, f"the fix of shot {shot_id} was lost in a later round"


def test_replanning_with_another_model_plans_again_and_the_same_model_pays_nothing(
        clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    with FakeOpenAI() as server:
        use_openai(monkeypatch, server)
        first = plan(clean_env, SHORT)
        before = len(server.paid())
        again = plan(clean_env, SHORT, run_id=first.run.run_id)
        assert len(server.paid()) == before, "a re-plan of unchanged inputs paid for calls"
        assert all(entry.reused for entry in again.values["scene_shots"].values())
        other = plan(clean_env, SHORT, model="fake-model-2", run_id=first.run.run_id)
        models = {seen.json.get("model") for seen in server.paid()[before:] if schema_name(seen) == "ShotPlan"}
    assert other.status == "done"
    assert not any(entry.reused for entry in other.values["scene_shots"].values())
    assert models == {"fake-model-2"}
