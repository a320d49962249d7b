"""The continuity corpus (`evals/continuity/`) as one more eval run, so it shares the baseline.

The corpus grader (`filmcrew.evals.graders.continuity`, the continuity checker's own eval) runs
the checker's rules over hand-seeded scripts and shot lists; here its overall precision and
recall become scores of the run `continuity/rules`, with the misses and false alarms as evidence.
"""

from __future__ import annotations

import time
from pathlib import Path

from filmcrew.evals.graders.continuity import ContinuityScores, grade_continuity
from filmcrew.evals.runner import CaseResult
from filmcrew.evals.scoring import Score, clip

CORPUS = "continuity"


def corpus_result(scores: ContinuityScores) -> CaseResult:
    """Turn the corpus scores into a case result."""
    overall = scores.overall
    alarms = [f"{m.case}: {m.kind} scene {m.scene} line {m.line}{' shot ' + m.shot if m.shot else ''}: {m.text}"
              for m in scores.false_alarms]
    missed = [f"{m.case}: {m.kind} scene {m.scene} line {m.line}{' shot ' + m.shot if m.shot else ''}: {m.text}"
              for m in scores.missed]
    decoys = [f"decoys flagged: {scores.decoys_flagged} of {scores.decoys}"]
    return CaseResult(
        case=CORPUS, title="Continuity corpus (seeded scripts and shot lists)", kind="continuity",
        description="The continuity checker's own corpus in evals/continuity/: planted script and camera errors "
                    "and decoys, checked by the craft rules alone.",
        variant=scores.mode, source="craft rules (corpus)", status="done", replayed=True,
        scores=[Score(metric="precision", value=overall.precision, shown=f"{overall.tp}/{overall.tp + overall.fp}",
                      evidence=clip(decoys + alarms)),
                Score(metric="recall", value=overall.recall, shown=f"{overall.tp}/{overall.tp + overall.fn}",
                      evidence=clip(missed))])


def run_corpus(evals_dir: Path) -> tuple[CaseResult, ContinuityScores] | None:
    """Grade the corpus when the evals folder has one."""
    folder = evals_dir / CORPUS
    if not folder.is_dir():
        return None
    started = time.perf_counter()
    scores = grade_continuity(folder)
    result = corpus_result(scores)
    result.seconds = round(time.perf_counter() - started, 2)
    return result, scores
