"""`filmcrew eval` end to end: replay, misses, unused recordings, authoring, recording, baseline, reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from filmcrew.evals.baseline import load_baseline
from filmcrew.evals.cases import load_cases
from filmcrew.evals.runner import EvalOptions, run_evals, variants_for

from tests.cli_helpers import eval_cli as cli
from tests.fakes.fixtures import FAKE_OPENAI_KEY, clean_env, openai_api, write_config  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
CASE = "two-doors"
TINY_SCRIPT = """Title: Two Doors

INT. HALLWAY - NIGHT

LENA (30s, green coat) stops at a door with a brass KEY. She drops the key down a drain.

LENA
Is anyone home?

MARC (O.S.)
Go away.

EXT. STREET - NIGHT

Lena unlocks her car with the brass key and drives off in the rain. MARC (40s, dressing gown) opens the door.

MARC
Lena. Wait.
"""
TRUTH = {"errors": [{"kind": "prop_state", "scene": 2, "line": 15, "quote": "with the brass key",
                     "note": "she dropped it down a drain (line 5)"}],
         "decoys": [{"kind": "presence", "scene": 1, "line": 10, "quote": "MARC (O.S.)", "note": "heard"}]}
ANSWERS = {"characters": {"LENA": {"hair": "short red hair"}},
           "shot_planner": {"flaws": {"1": "stranger"}},
           "continuity": {"2": [{"kind": "prop_state", "severity": "error", "line": 15,
                                 "message": "Lena dropped the key down a drain (line 5).", "fix": "Use a spare."}]}}


def tiny_case(root: Path, agents: str = '["characters", "shot_planner", "continuity"]') -> None:
    """A two-scene seeded case with hand-written answers and no recordings yet."""
    folder = root / "cases" / CASE
    folder.mkdir(parents=True)
    (folder / "script.fountain").write_text(TINY_SCRIPT, encoding="utf-8")
    (folder / "truth.json").write_text(json.dumps(TRUTH), encoding="utf-8")
    (folder / "answers.json").write_text(json.dumps(ANSWERS), encoding="utf-8")
    (folder / "case.toml").write_text(f'title = "Two Doors"\nkind = "continuity"\nscript = "script.fountain"\n'
                                      f'truth = "truth.json"\nagents = {agents}\n\n[expect]\nscenes = 2\n',
                                      encoding="utf-8")


@pytest.fixture(scope="module")
def authored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An evals folder whose tiny case was authored once, by the code under test."""
    root = tmp_path_factory.mktemp("authored") / "evals"
    tiny_case(root)
    results, errors = run_evals(load_cases(root / "cases"), EvalOptions(evals_dir=root, provider="authored",
                                                                        record=True))
    assert errors == [] and results[0].recorded > 0
    return root


def evals_copy(authored: Path, tmp_path: Path) -> Path:
    """A private copy of the authored evals folder, to change freely."""
    root = tmp_path / "evals"
    shutil.copytree(authored, root)
    return root


def scores_of(result: object) -> dict[str, float]:
    """Metric -> value of one result."""
    return {s.metric: s.value for s in result.scores}  # type: ignore[attr-defined]


def test_replay_runs_a_case_offline_and_uses_every_recording(authored: Path, tmp_path: Path) -> None:
    root = evals_copy(authored, tmp_path)
    results, errors = run_evals(load_cases(root / "cases"), EvalOptions(evals_dir=root))
    assert errors == []
    (result,) = results
    assert (result.status, result.source, result.variant) == ("done", "authored", "authored")
    scores = scores_of(result)
    recordings = list((root / "recordings" / CASE / "authored").glob("*.json"))
    assert scores["recordings"] == 1.0 and scores["calls"] == len(recordings)
    assert scores["continuity_recall"] == 1.0 and scores["continuity_precision"] == 1.0
    assert scores["schema"] == 1.0 and scores["expect"] == 1.0
    assert result.thumbs and result.thumbs[0].png.startswith(b"\x89PNG")


def test_authored_recordings_are_marked_and_hold_the_repair(authored: Path) -> None:
    files = sorted((authored / "recordings" / CASE / "authored").glob("*.json"))
    recordings = [json.loads(p.read_text()) for p in files]
    assert {(r["source"], r["provider"]) for r in recordings} == {("authored", "authored")}
    assert {"characters", "shot_planner", "continuity"} <= {r["agent"] for r in recordings}
    assert any(r["request"]["prompt_id"].endswith("#repair") for r in recordings)  # the planted flaw
    assert all(json.dumps(r, sort_keys=True, indent=2, ensure_ascii=False) + "\n" == p.read_text()
               for r, p in zip(recordings, files, strict=True))  # readable, sorted, byte-stable


def test_a_missing_recording_fails_the_case_with_the_diff(authored: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = evals_copy(authored, tmp_path)
    script = root / "cases" / CASE / "script.fountain"
    script.write_text(script.read_text().replace("drives off in the rain", "drives off in the snow"))
    code, out, err = cli(["eval", CASE, "--evals-dir", str(root)], capsys)
    assert code == 3
    assert f"{CASE}/authored: replay: no recording for text request of agent" in err
    assert "nearest recording differs" in err and "drives off in the snow" in err
    assert "error" in out


def test_an_unused_recording_lowers_the_replay_score(authored: Path, tmp_path: Path) -> None:
    root = evals_copy(authored, tmp_path)
    folder = root / "recordings" / CASE / "authored"
    extra = json.loads(next(iter(sorted(folder.glob("*.json")))).read_text())
    extra["request"]["prompt"] += "\nA scene the script no longer has."
    extra.pop("fingerprint")
    (folder / "stale.json").write_text(json.dumps(extra))
    (result,), errors = run_evals(load_cases(root / "cases"), EvalOptions(evals_dir=root))
    score = next(s for s in result.scores if s.metric == "recordings")
    assert errors == [] and score.value < 1.0
    assert score.evidence == ["never requested: stale.json"]


def test_record_from_a_live_provider_then_replay(clean_env: Path, openai_api, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", openai_api.base_url)
    write_config(clean_env, '[openai]\napi = "responses"\ntext_model = "t"\nlight_model = "t"\n')
    root = clean_env / "evals"
    tiny_case(root, '["characters"]')
    code, out, err = cli(["eval", CASE, "--provider", "openai", "--record", "--evals-dir", str(root)], capsys)
    assert code == 0, err
    folder = root / "recordings" / CASE / "openai--t"
    files = sorted(folder.glob("*.json"))
    text = "".join(p.read_text() for p in files)
    recordings = [json.loads(p.read_text()) for p in files]
    paid = len(openai_api.paid())
    assert recordings and len(recordings) == paid
    assert {(r["source"], r["provider"], r["model"]) for r in recordings} == {("recorded", "openai", "t")}
    assert FAKE_OPENAI_KEY not in text and "FAKEKEY" not in text
    code, out, err = cli(["eval", CASE, "--evals-dir", str(root), "--json"], capsys)
    assert code == 0, err
    (run,) = json.loads(out)["runs"]
    assert run["variant"] == "openai--t" and run["source"] == "recorded openai/t"
    assert {s["metric"]: s["value"] for s in run["scores"]}["recordings"] == 1.0
    assert len(openai_api.paid()) == paid  # replay called nobody


def test_baseline_gates_the_exit_code_and_updates_on_request(authored: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = evals_copy(authored, tmp_path)
    code, out, err = cli(["eval", CASE, "--evals-dir", str(root), "--update-baseline", "--reason", "first"], capsys)
    assert code == 0 and "baseline updated: 1 case run(s)" in err
    stored = load_baseline(root / "baseline.json")
    assert stored.reason == "first" and stored.cases[f"{CASE}/authored"]["continuity_recall"] == 1.0
    reports = [tmp_path / "out" / name for name in ("eval.md", "eval.html", "eval.json")]
    args = ["eval", CASE, "--evals-dir", str(root)] + [a for p in reports for a in ("--report", str(p))]
    code, out, err = cli(args, capsys)
    assert code == 0, err
    at_par = json.loads(reports[2].read_text())
    raised = json.loads((root / "baseline.json").read_text())
    raised["cases"][f"{CASE}/authored"]["dialogue"] = 2.0  # a baseline the run cannot reach
    (root / "baseline.json").write_text(json.dumps(raised))
    code, out, err = cli(args, capsys)
    assert code == 1
    assert f"{CASE}/authored dialogue: 1 below baseline 2" in out and "worse than the baseline" in err
    html = reports[1].read_text()
    assert "data:image/png;base64," in html and "▼ worse" in html and "authored" in html
    assert f"## {CASE} · authored" in reports[0].read_text()
    assert list((tmp_path / "out" / "eval_files" / f"{CASE}--authored").glob("*.png"))
    report = json.loads(reports[2].read_text())
    assert report["regressions"] == [f"{CASE}/authored dialogue: 1 below baseline 2, limit 2"]
    # the same recordings give the same scores and evidence, to the byte (no timestamps, no wall times)
    assert [r["scores"] for r in report["runs"]] == [r["scores"] for r in at_par["runs"]]


def test_eval_continuity_prints_the_corpus_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "evals"
    shutil.copytree(REPO / "evals" / "continuity", root / "continuity")
    code, out, err = cli(["eval", "continuity", "--evals-dir", str(root)], capsys)
    assert code == 0, err
    assert "continuity (rules)" in out and "overall" in out and "decoys flagged" in out


def test_eval_help_shows_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["eval", "--help"], capsys)
    assert code == 0 and "Example: filmcrew eval" in out and "--update-baseline" in out


def test_several_recording_sets_run_side_by_side(authored: Path, tmp_path: Path) -> None:
    root = evals_copy(authored, tmp_path)
    mine = root / "recordings" / CASE / "authored"
    other = mine.with_name("openai--m1")
    other.mkdir()
    for path in mine.glob("*.json"):
        data = json.loads(path.read_text())
        data.update(provider="openai", model="m1", source="recorded")
        (other / path.name).write_text(json.dumps(data))
    results, errors = run_evals(load_cases(root / "cases"), EvalOptions(evals_dir=root))
    assert errors == [] and [(r.variant, r.source) for r in results] == [
        ("authored", "authored"), ("openai--m1", "recorded openai/m1")]
    from filmcrew.evals.report import EvalReport, comparison, comparison_table

    side = comparison(EvalReport(results=results))
    assert side["dialogue"] == {"authored": 1.0, "openai--m1": 1.0}
    assert comparison_table(EvalReport(results=results)) is not None
    (case,) = load_cases(root / "cases")
    assert [v.name for v in variants_for(case, EvalOptions(evals_dir=root, models=["m1"]))] == ["openai--m1"]
    missing, errors = run_evals([case], EvalOptions(evals_dir=root, models=["m2"]))
    assert missing[0].status == "error" and "no recordings of model m2" in missing[0].error
