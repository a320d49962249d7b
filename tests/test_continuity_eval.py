"""The continuity evaluation corpus and its grader (evals/continuity, evals/graders/continuity.py)."""

from __future__ import annotations

import logging
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
)
from filmcrew.tools.fountain import parse
from rich.console import Console

from filmcrew.domain import Finding
from filmcrew.providers.base import Provider, TextRequest, TextResult

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
