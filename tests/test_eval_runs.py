"""`filmcrew eval` end to end: replay, misses, unused recordings, authoring, recording, baseline, reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from filmcrew.evals.baseline import load_baseline
from filmcrew.evals.cases import load_cases
from filmcrew.evals.runner import EvalOptions, run_evals, variants_for

from tests.fakes.fixtures import FAKE_OPENAI_KEY, clean_env, openai_api, write_config  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
SMALL = "seeded-market-day"
TINY_SCRIPT = """Title: Two Doors

INT. HALLWAY - NIGHT

LENA (30s, green coat) stops at a door with a brass KEY.

LENA
Is anyone home?

MARC (O.S.)
Go away.

EXT. STREET - NIGHT

Lena walks off in the rain. MARC (40s, dressing gown) opens the door and watches her go.

MARC
Lena. Wait.
"""


def evals_copy(tmp_path: Path, *cases: str) -> Path:
    """An evals folder with some built-in cases and their recordings, and no baseline."""
    root = tmp_path / "evals"
    for case in cases:
        shutil.copytree(REPO / "evals" / "cases" / case, root / "cases" / case)
        shutil.copytree(REPO / "evals" / "recordings" / case, root / "recordings" / case)
    return root


def tiny_case(root: Path, agents: str = '["characters", "shot_planner", "continuity"]') -> None:
    """A two-scene case with no recordings yet."""
    folder = root / "cases" / "two-doors"
    folder.mkdir(parents=True)
    (folder / "script.fountain").write_text(TINY_SCRIPT, encoding="utf-8")
    (folder / "case.toml").write_text(f'title = "Two Doors"\nkind = "short"\nscript = "script.fountain"\n'
                                      f'agents = {agents}\n\n[expect]\nscenes = 2\n', encoding="utf-8")
    (folder / "answers.json").write_text(json.dumps({"characters": {"LENA": {"hair": "short red hair"}},
                                                     "shot_planner": {"flaws": {"1": "stranger"}}}))


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `filmcrew ARGS` through the real entry point; return (exit code, stdout, stderr)."""
    from filmcrew.cli.eval_cmd import eval_cmd
    from filmcrew.cli.main import app, run

    if not any(c.name == "eval" for c in app.registered_commands):
        app.command("eval")(eval_cmd)
    with pytest.raises(SystemExit) as stop:
        run(args)
    out, err = capsys.readouterr()
    return int(stop.value.code or 0), out, err


def scores_of(result: object) -> dict[str, float]:
    """Metric -> value of one result."""
    return {s.metric: s.value for s in result.scores}  # type: ignore[attr-defined]


def test_replay_runs_a_case_offline_and_uses_every_recording(tmp_path: Path) -> None:
    root = evals_copy(tmp_path, SMALL)
    results, errors = run_evals(load_cases(root / "cases"), EvalOptions(evals_dir=root))
    assert errors == []
    (result,) = results
    assert (result.status, result.source, result.variant) == ("done", "authored", "authored")
    scores = scores_of(result)
    assert scores["recordings"] == 1.0 and scores["calls"] == len(list((root / "recordings" / SMALL / "authored").glob("*.json")))
    assert scores["continuity_recall"] == 1.0 and scores["schema"] == 1.0
    assert result.thumbs and result.thumbs[0].png.startswith(b"\x89PNG")


def test_a_missing_recording_fails_the_case_with_the_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = evals_copy(tmp_path, SMALL)
    script = root / "cases" / SMALL / "script.fountain"
    script.write_text(script.read_text().replace("One coin short.", "Two coins short."))
    code, out, err = cli(["eval", SMALL, "--evals-dir", str(root)], capsys)
    assert code == 3
    assert f"{SMALL}/authored: replay: no recording for text request of agent" in err
    assert "nearest recording differs" in err and "+  " in err and "Two coins short." in err
    assert "error" in out


def test_an_unused_recording_lowers_the_replay_score(tmp_path: Path) -> None:
    root = evals_copy(tmp_path, SMALL)
    folder = root / "recordings" / SMALL / "authored"
    extra = json.loads(next(iter(sorted(folder.glob("*.json")))).read_text())
    extra["request"]["prompt"] += "\nA scene the script no longer has."
    extra.pop("fingerprint")
    (folder / "stale.json").write_text(json.dumps(extra))
    (result,), errors = run_evals(load_cases(root / "cases"), EvalOptions(evals_dir=root))
    score = next(s for s in result.scores if s.metric == "recordings")
    assert errors == [] and score.value < 1.0
    assert score.evidence == ["never requested: stale.json"]


def test_authored_recordings_round_trip_through_replay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "evals"
    tiny_case(root)
    code, out, err = cli(["eval", "two-doors", "--provider", "authored", "--record", "--evals-dir", str(root)], capsys)
    assert code == 0, err
    files = sorted((root / "recordings" / "two-doors" / "authored").glob("*.json"))
    recordings = [json.loads(p.read_text()) for p in files]
    assert recordings and {r["source"] for r in recordings} == {"authored"}
    assert {r["agent"] for r in recordings} == {"characters", "shot_planner", "continuity"}
    assert any(r["request"]["prompt_id"].endswith("#repair") for r in recordings)  # the planted flaw
    code, out, err = cli(["eval", "two-doors", "--evals-dir", str(root), "--json"], capsys)
    assert code == 0, err
    (run,) = json.loads(out)["runs"]
    scores = {s["metric"]: s for s in run["scores"]}
    assert scores["recordings"]["shown"] == f"{len(files)}/{len(files)}"
    assert scores["expect"]["value"] == 1.0 and run["source"] == "authored"


def test_record_from_a_live_provider_then_replay(clean_env: Path, openai_api, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", openai_api.base_url)
    write_config(clean_env, '[openai]\napi = "responses"\ntext_model = "t"\nlight_model = "t"\n')
    root = clean_env / "evals"
    tiny_case(root, '["characters", "continuity"]')
    code, out, err = cli(["eval", "two-doors", "--provider", "openai", "--record", "--evals-dir", str(root)], capsys)
    assert code == 0, err
    folder = root / "recordings" / "two-doors" / "openai--t"
    text = "".join(p.read_text() for p in sorted(folder.glob("*.json")))
    recordings = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    assert len(recordings) == 3  # characters once, continuity per scene
    assert {(r["source"], r["provider"], r["model"]) for r in recordings} == {("recorded", "openai", "t")}
    assert FAKE_OPENAI_KEY not in text and "FAKEKEY" not in text
    assert len(openai_api.paid()) == 3
    code, out, err = cli(["eval", "two-doors", "--evals-dir", str(root), "--json"], capsys)
    assert code == 0, err
    (run,) = json.loads(out)["runs"]
    assert run["variant"] == "openai--t" and run["source"] == "recorded openai/t"
    assert len(openai_api.paid()) == 3  # replay called nobody


def test_baseline_gates_the_exit_code_and_updates_on_request(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = evals_copy(tmp_path, SMALL)
    code, out, err = cli(["eval", SMALL, "--evals-dir", str(root), "--update-baseline", "--reason", "first"], capsys)
    assert code == 0 and "baseline updated: 1 case run(s)" in err
    stored = load_baseline(root / "baseline.json")
    assert stored.reason == "first" and stored.cases[f"{SMALL}/authored"]["continuity_recall"] == 1.0
    reports = [tmp_path / "out" / name for name in ("eval.md", "eval.html", "eval.json")]
    args = ["eval", SMALL, "--evals-dir", str(root)] + [a for p in reports for a in ("--report", str(p))]
    code, out, err = cli(args, capsys)
    assert code == 0, err
    at_par = json.loads(reports[2].read_text())
    raised = json.loads((root / "baseline.json").read_text())
    raised["cases"][f"{SMALL}/authored"]["dialogue"] = 2.0  # a baseline the run cannot reach
    (root / "baseline.json").write_text(json.dumps(raised))
    code, out, err = cli(args, capsys)
    assert code == 1
    assert f"{SMALL}/authored dialogue: 1 below baseline 2" in out and "below the baseline" in err
    html = reports[1].read_text()
    assert "data:image/png;base64," in html and "▼ below baseline" in html and "authored" in html
    assert "## seeded-market-day · authored" in reports[0].read_text()
    assert list((tmp_path / "out" / "eval_files" / f"{SMALL}--authored").glob("*.png"))
    report = json.loads(reports[2].read_text())
    assert report["regressions"] == [f"{SMALL}/authored dialogue: 1 below baseline 2, limit 2"]
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


def test_several_recording_sets_run_side_by_side(tmp_path: Path) -> None:
    root = evals_copy(tmp_path, SMALL)
    authored = root / "recordings" / SMALL / "authored"
    other = authored.with_name("openai--m1")
    other.mkdir()
    for path in authored.glob("*.json"):
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
