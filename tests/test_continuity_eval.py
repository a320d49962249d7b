"""The continuity evaluation corpus and its grader (evals/continuity, evals/graders/continuity.py)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import structlog
from filmcrew.evals.graders.continuity import (
    ContinuityScores,
    Truth,
    TruthEntry,
    case_dirs,
    continuity_table,
    grade_continuity,
    load_truth,
    match,
    runs_table,
)
from filmcrew.tools.fountain import parse
from rich.console import Console

from filmcrew.domain import Finding
from filmcrew.errors import ReplayMiss
from filmcrew.providers.base import Provider, TextRequest, TextResult, Unsupported

structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

CORPUS = Path(__file__).resolve().parents[1] / "evals" / "continuity"
SCRIPT_KINDS = {"time_of_day", "presence", "prop_state", "wardrobe", "injury", "makeup", "name", "unintroduced",
                "location_name", "look"}
SHOT_KINDS = {"axis_180", "eyeline", "jump_cut", "monotony", "duration", "framing", "screen_direction"}


def test_the_corpus_has_eight_cases_with_truth_decoys_and_every_kind() -> None:
    cases = case_dirs(CORPUS)
    assert len(cases) >= 8
    seeded: set[str] = set()
    for case in cases:
        sp = parse((case / "script.fountain").read_text(encoding="utf-8"), "script.fountain")
        truth = load_truth(case, sp)  # raises when a quote is not on its line
        assert truth.errors and truth.decoys, case.name
        seeded |= {e.kind for e in truth.errors}
    assert seeded >= SCRIPT_KINDS | SHOT_KINDS


@pytest.fixture(scope="module")
def scores() -> ContinuityScores:
    """The offline rules' scores on the corpus (graded once for the module)."""
    return grade_continuity(CORPUS)


def test_offline_rules_meet_the_targets_on_the_corpus(scores: ContinuityScores) -> None:
    assert scores.overall.precision >= 0.9 and scores.overall.recall >= 0.7, scores.overall
    for kind in scores.kinds:
        assert kind.precision >= 0.9 and kind.recall >= 0.7, kind
    assert scores.decoys_flagged <= 1
    assert scores.decoys >= 8


def _finding(kind: str, scene: int, line: int) -> Finding:
    return Finding(id="", kind=kind, severity="error", scene=scene, line=line, message="", fix="")


def test_matching_is_one_to_one_and_nearest_first() -> None:
    truth = Truth(errors=[TruthEntry(kind="presence", scene=1, line=10), TruthEntry(kind="presence", scene=1, line=20)],
                  decoys=[TruthEntry(kind="presence", scene=1, line=30)])
    bounds = {1: (1, 40)}
    matched, decoys = match([_finding("presence", 1, 11)], truth, bounds)
    assert matched == {0: 0} and not decoys
    matched, decoys = match([_finding("presence", 1, 29), _finding("presence", 1, 12), _finding("presence", 1, 13)],
                            truth, bounds)
    assert decoys == {0} and sorted(matched.items()) == [(1, 0), (2, 1)]
    matched, _ = match([_finding("prop_state", 1, 10), _finding("presence", 2, 10)], truth, bounds)
    assert matched == {}


def test_the_table_prints_every_kind_and_the_decoys(scores: ContinuityScores) -> None:
    console = Console(width=120, record=True)
    console.print(continuity_table(scores))
    text = console.export_text()
    assert "overall" in text and "decoys flagged" in text
    assert all(k.kind in text for k in scores.kinds)


class _Reviewer(Provider):
    """A model double: finds the urn the rules miss in `ferry`, and nothing anywhere else."""

    name = "reviewer"
    capabilities = frozenset({"text", "structured"})

    def text(self, req: TextRequest) -> TextResult:
        findings = []
        if "Ingrid sits with the urn in her lap" in req.prompt.split("SCENE:\n", 1)[-1].split("NEXT SCENE:")[0]:
            line = next(int(row.split("|")[0]) for row in req.prompt.splitlines()
                        if "Ingrid sits with the urn in her lap" in row)
            findings.append({"kind": "prop_state", "severity": "error", "line": line,
                             "message": "The urn went over the side.", "fix": "Cut the urn here."})
        return TextResult(text="", parsed={"findings": findings})


def test_model_review_findings_are_merged_into_the_scores(scores: ContinuityScores) -> None:
    rules = scores
    reviewed = grade_continuity(CORPUS, _Reviewer())
    assert reviewed.mode == "rules+model"
    assert reviewed.overall.tp == rules.overall.tp + 1 and reviewed.overall.fp == rules.overall.fp
    assert not any(m.case == "ferry" for m in reviewed.missed)


class _Logger(Provider):
    """A model double for the state log, as the continuity node asks for it: the drill bit
    snaps in `heist` (the lexicon misses it); every review finds nothing. It counts its calls."""

    name = "logger"
    capabilities = frozenset({"text", "structured"})

    def __init__(self, broken_reviews: bool = False) -> None:
        self.prompt_ids: list[str] = []
        self.broken_reviews = broken_reviews

    def text(self, req: TextRequest) -> TextResult:
        self.prompt_ids.append(req.prompt_id)
        if req.prompt_id.startswith("continuity/review_scene"):
            return TextResult(text="not json" if self.broken_reviews else '{"findings": []}')
        rows = [r for r in req.prompt.split("SCENE:\n", 1)[1].splitlines() if "The drill bit snaps" in r]
        events = [{"line": int(r.split("|")[0]), "who": "drill", "attribute": "prop", "value": "break"} for r in rows]
        return TextResult(text="", parsed={"events": events})


def _two_cases(tmp_path: Path) -> Path:
    """A corpus of `ferry` and `heist` only."""
    for name in ("ferry", "heist"):
        shutil.copytree(CORPUS / name, tmp_path / name)
    return tmp_path


def test_the_models_state_log_feeds_the_rules_as_in_the_crew(tmp_path: Path) -> None:
    corpus = _two_cases(tmp_path)
    rules = grade_continuity(corpus)
    model = _Logger()
    logged = grade_continuity(corpus, model, concurrency=3)
    scenes = 8
    asked = sorted(p.split("@")[0] for p in model.prompt_ids)
    assert asked == ["continuity/extract_state"] * scenes + ["continuity/review_scene"] * scenes
    assert logged.overall.tp == rules.overall.tp + 1 and logged.overall.fp == rules.overall.fp
    assert not any(m.case == "heist" and m.kind == "prop_state" for m in logged.missed)
    assert any(m.case == "heist" and m.kind == "prop_state" for m in rules.missed)


def test_an_unusable_answer_adds_nothing_and_no_model_adds_nothing(tmp_path: Path) -> None:
    corpus = _two_cases(tmp_path)
    rules = grade_continuity(corpus)
    broken = _Logger(broken_reviews=True)  # reviews stay invalid after the repair re-ask: dropped per scene
    graded = grade_continuity(corpus, broken)
    assert graded.overall.tp == rules.overall.tp + 1
    assert sum(p.startswith("continuity/review_scene") and p.endswith("#repair") for p in broken.prompt_ids) == 8

    class Blind(_Logger):
        def text(self, req: TextRequest) -> TextResult:
            raise Unsupported(self.name, "structured")

    blind = grade_continuity(corpus, Blind())
    assert (blind.overall.tp, blind.overall.fp, blind.overall.fn) == (rules.overall.tp, rules.overall.fp,
                                                                      rules.overall.fn)


def test_a_replay_miss_names_the_corpus_case(tmp_path: Path) -> None:
    corpus = _two_cases(tmp_path)

    class Missing(_Logger):
        def text(self, req: TextRequest) -> TextResult:
            raise ReplayMiss(f"replay: no recording for text request prompt_id {req.prompt_id!r}")

    with pytest.raises(ReplayMiss, match=r"continuity corpus case ferry: replay: no recording .*continuity/"):
        grade_continuity(corpus, Missing())


def test_the_runs_sit_side_by_side(scores: ContinuityScores, tmp_path: Path) -> None:
    corpus = _two_cases(tmp_path)
    rules = grade_continuity(corpus).model_copy(update={"label": "rules"})
    model = grade_continuity(corpus, _Logger()).model_copy(update={"label": "rules + model (replay openai--m)"})
    console = Console(width=200, record=True)
    console.print(runs_table([rules, model]))
    console.print(continuity_table(rules, model))
    text = console.export_text()
    assert "rules + model (replay openai--m)" in text and "continuity per kind" in text
    row = next(line for line in text.splitlines() if "rules + model (replay openai--m)" in line and "│" in line)
    overall = model.overall
    assert [str(overall.tp), str(overall.fp), str(overall.fn), f"{overall.precision:.2f}", f"{overall.recall:.2f}",
            f"{model.decoys_flagged} of {model.decoys}"] == [c.strip() for c in row.split("│")[2:-1]]
    assert "decoys flagged 0 of 2" in text
