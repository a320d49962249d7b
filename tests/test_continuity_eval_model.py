"""The continuity corpus graded with a model: recorded once from a live provider, then replayed.

The "live" model is the loopback fake OpenAI server, which answers the crew's two continuity
requests by reading the scene it was sent: the review flags the urn that went over the side in
`ferry` (an error the rules miss) and the gloves in `heist`'s van (a decoy); the state log says
the drill bit snapped in `heist` (so the rules, fed that event, catch the drill used again).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from filmcrew.evals.corpus import CorpusOutcome, run_corpus
from filmcrew.evals.graders.continuity import ContinuityScores, grade_continuity
from filmcrew.evals.runner import EvalOptions
from tests.cli_helpers import eval_cli as cli
from tests.fakes.fixtures import FAKE_OPENAI_KEY, clean_env, write_config  # noqa: F401
from tests.fakes.openai_fake import FakeOpenAI, TextReply, _prompt_of, _schema_of

REPO = Path(__file__).resolve().parents[1]
CASES = ("ferry", "heist")
SET = "openai--t"
URN = "Ingrid sits with the urn in her lap"
GLOVES = "Cass drives, her gloves off"
SNAP = "The drill bit snaps"


def _scene_lines(prompt: str) -> list[str]:
    """The numbered lines of the scene a request is about (not its neighbours)."""
    scene = prompt.split("\nSCENE:\n", 1)[1].split("\nNEXT SCENE:", 1)[0]
    return [row for row in scene.splitlines() if "|" in row]


def _line_of(rows: list[str], text: str) -> int | None:
    """The source line number of the row holding `text`, if the scene has it."""
    return next((int(row.split("|")[0]) for row in rows if text in row), None)


class ScriptSupervisor(FakeOpenAI):
    """A fake OpenAI whose structured answers depend on the scene sent, like a model's would."""

    def _next_text(self, body: dict[str, Any]) -> TextReply:
        schema = _schema_of(body) or {}
        rows = _scene_lines(_prompt_of(body))
        if "events" in schema.get("properties", {}):
            events = []
            if (line := _line_of(rows, SNAP)) is not None:
                events.append({"line": line, "who": "drill", "attribute": "prop", "value": "break", "noun": "drill"})
            return TextReply(text=json.dumps({"events": events}))
        findings = []
        if (line := _line_of(rows, URN)) is not None:
            findings.append({"kind": "prop_state", "severity": "error", "line": line,
                             "message": "The urn went over the side.", "fix": "Cut the urn."})
        if (line := _line_of(rows, GLOVES)) is not None:
            findings.append({"kind": "wardrobe", "severity": "warning", "line": line,
                             "message": "Her gloves were on.", "fix": "Show her taking them off."})
        return TextReply(text=json.dumps({"findings": findings}))


@pytest.fixture
def supervisor() -> Any:
    """A running fake model that reads scenes."""
    with ScriptSupervisor() as api:
        yield api
    assert api.errors == [], f"the fake server failed: {api.errors}"


def small_corpus(root: Path) -> Path:
    """An evals folder holding two cases of the real corpus and nothing else."""
    for name in CASES:
        shutil.copytree(REPO / "evals" / "continuity" / name, root / "continuity" / name)
    return root


def record(project: Path, api: FakeOpenAI, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> Path:
    """Record the small corpus from the fake model the way a developer records a live one."""
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", api.base_url)
    write_config(project, '[openai]\napi = "responses"\ntext_model = "t"\nlight_model = "t"\n')
    root = small_corpus(project / "evals")
    # one call at a time: OpenAIProvider creates its client lazily without a lock, so parallel
    # first calls each make one and leak all but the last (reported to the lead)
    code, out, err = cli(["eval", "continuity", "--provider", "openai", "--record", "--concurrency", "1",
                          "--evals-dir", str(root)], capsys)
    assert code == 0, err
    assert "rules + model (live openai--t, recording)" in out
    monkeypatch.delenv("OPENAI_API_KEY")  # replay needs no key and no server
    monkeypatch.delenv("OPENAI_BASE_URL")
    return root


def model_run(outcome: CorpusOutcome | None) -> ContinuityScores:
    """The scores of the one model run of an outcome."""
    assert outcome is not None and outcome.errors == []
    (rules, model) = outcome.runs
    assert rules.result.variant == "rules" and model.result.variant == SET and model.scores is not None
    return model.scores


def test_record_then_replay_grades_the_corpus_with_the_model(clean_env: Path,  # noqa: F811
                                                             supervisor: ScriptSupervisor,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = record(clean_env, supervisor, monkeypatch, capsys)
    files = sorted((root / "recordings" / "continuity" / SET).glob("*.json"))
    recordings = [json.loads(p.read_text()) for p in files]
    scenes = 4 + 4  # ferry and heist; one review and one state log per scene
    assert len(recordings) == len(supervisor.paid()) == 2 * scenes
    assert {(r["source"], r["provider"], r["model"], r["agent"]) for r in recordings} == {
        ("recorded", "openai", "t", "continuity")}
    assert sorted(r["request"]["prompt_id"].split("@")[0] for r in recordings) == sorted(
        ["continuity/review_scene"] * scenes + ["continuity/extract_state"] * scenes)
    assert "FAKEKEY" not in "".join(p.read_text() for p in files)

    paid = len(supervisor.paid())
    code, out, err = cli(["eval", "continuity", "--evals-dir", str(root)], capsys)
    assert code == 0, err
    assert len(supervisor.paid()) == paid  # replay called nobody
    assert "continuity corpus" in out and "rules + model (replay openai--t)" in out
    assert "continuity per kind" in out and "decoys flagged 1 of 2" in out
    assert "no recorded model answers" not in err

    rules = grade_continuity(root / "continuity")
    outcome = run_corpus(root, EvalOptions(evals_dir=root))
    assert outcome is not None and outcome.runs[0].scores == rules.model_copy(update={"label": "rules"})
    model = model_run(outcome)
    assert (model.overall.tp, model.overall.fp, model.overall.fn) == (
        rules.overall.tp + 2, rules.overall.fp + 1, rules.overall.fn - 2)  # urn (review), drill (state log), gloves
    assert model.missed == [] and (model.decoys_flagged, rules.decoys_flagged) == (1, 0)
    assert [(m.case, m.kind, m.line) for m in model.false_alarms] == [("heist", "wardrobe", 48)]
    scores = {s.metric: s for s in outcome.runs[1].result.scores}
    assert scores["recordings"].value == 1.0 and scores["recordings"].shown == f"{2 * scenes}/{2 * scenes}"
    assert scores["calls"].value == 2 * scenes
    assert outcome.runs[1].result.source == "recorded openai/t"


def test_a_request_with_no_recording_fails_naming_it(clean_env: Path, supervisor: ScriptSupervisor,  # noqa: F811
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = record(clean_env, supervisor, monkeypatch, capsys)
    script = root / "continuity" / "heist" / "script.fountain"
    script.write_text(script.read_text().replace("Sirens, far behind.", "Sirens, far away."))
    code, out, err = cli(["eval", "continuity", "--evals-dir", str(root)], capsys)
    assert code == 3
    assert ("continuity/openai--t: continuity corpus case heist: replay: no recording for text request of agent "
            "'continuity' prompt_id 'continuity/") in err
    assert "nearest recording differs" in err and "Sirens, far away." in err
    assert "continuity (rules)" in out  # the rules still graded and shown


def test_an_unused_recording_fails_against_the_baseline(clean_env: Path, supervisor: ScriptSupervisor,  # noqa: F811
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = record(clean_env, supervisor, monkeypatch, capsys)
    code, _, err = cli(["eval", "continuity", "--evals-dir", str(root), "--update-baseline", "--reason", "r"], capsys)
    assert code == 0, err
    stored = json.loads((root / "baseline.json").read_text())["cases"]
    assert stored[f"continuity/{SET}"]["recordings"] == 1.0 and "continuity/rules" in stored
    folder = root / "recordings" / "continuity" / SET
    stale = json.loads(next(iter(sorted(folder.glob("*.json")))).read_text())
    stale["request"]["prompt"] += "\nA scene the corpus no longer has."
    stale.pop("fingerprint")
    (folder / "stale.json").write_text(json.dumps(stale))
    outcome = run_corpus(root, EvalOptions(evals_dir=root))
    model_run(outcome)
    assert outcome is not None
    recordings = next(s for s in outcome.runs[1].result.scores if s.metric == "recordings")
    assert recordings.value < 1.0 and recordings.evidence == ["never requested: stale.json"]
    code, out, err = cli(["eval", "continuity", "--evals-dir", str(root)], capsys)
    assert code == 1 and f"continuity/{SET} recordings" in out and "worse than the baseline" in err


def test_without_a_recording_set_the_corpus_says_how_to_record(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = small_corpus(tmp_path / "evals")
    code, out, err = cli(["eval", "continuity", "--evals-dir", str(root)], capsys)
    assert code == 0, err
    assert "continuity (rules)" in out and "rules + model" not in out
    (note,) = [line for line in err.splitlines() if "continuity corpus" in line]
    assert "no recorded model answers" in note and "--provider openai --model MODEL --record" in note
    code, out, err = cli(["eval", "continuity", "--evals-dir", str(root), "--model", "m2"], capsys)
    assert code == 0 and "no recordings of model m2" in err and "--model m2 --record" in err
    code, out, err = cli(["eval", "continuity", "--evals-dir", str(root), "--provider", "offline"], capsys)
    assert code == 0 and "continuity corpus" not in err
