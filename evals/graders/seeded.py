"""Continuity precision and recall on seeded scripts, through the whole crew.

A seeded case carries a truth file in the continuity corpus format (`evals/continuity/`):
errors planted in the script and decoys that look wrong but are not. The crew plans the script
end to end; its `continuity.json` is matched against the truth with the corpus grader's own
matching (`filmcrew.evals.graders.continuity.match`). Only script findings count here: the
crew plans its own shots, so camera findings (180-degree line, jump cuts, framing) are about
those shots, not the seeds, and shot-level truth entries cannot apply.
"""

from __future__ import annotations

from filmcrew.agents.continuity_review import SCRIPT_KINDS
from filmcrew.domain import Finding
from filmcrew.errors import InputError
from filmcrew.evals.graders.continuity import Truth, TruthEntry, match
from filmcrew.evals.scoring import CaseRun, Score, clip

KINDS = SCRIPT_KINDS - {"look"}


def load_seeds(run: CaseRun) -> Truth | None:
    """Read the case's truth, script-level entries only, checking quotes sit on their lines."""
    path = run.case.truth_path()
    if path is None:
        return None
    truth = Truth.model_validate_json(path.read_text(encoding="utf-8"))
    script = run.case.script_path()
    lines = script.read_text(encoding="utf-8").split("\n") if script else []
    for entry in [*truth.errors, *truth.decoys]:
        if entry.quote and entry.line and (entry.line > len(lines) or entry.quote not in lines[entry.line - 1]):
            raise InputError(f"truth quote {entry.quote!r} is not on line {entry.line}", path=str(path))
    return truth.model_copy(update={"errors": [e for e in truth.errors if e.shot is None],
                                    "decoys": [d for d in truth.decoys if d.shot is None]})


def _where(entry: TruthEntry | Finding) -> str:
    """`kind scene 3 line 57` for evidence."""
    return f"{entry.kind} scene {entry.scene} line {entry.line}"


def grade(run: CaseRun) -> list[Score]:
    """Score script findings against the seeds: precision and recall."""
    truth = load_seeds(run)
    if truth is None or run.status != "done" or run.continuity is None or run.screenplay is None:
        return []
    findings = [f for f in run.continuity.findings if f.kind in KINDS and f.shot is None]
    bounds = {s.number: (s.start_line, s.end_line) for s in run.screenplay.scenes}
    matched, decoy_hits = match(findings, truth, bounds)
    hit = set(matched.values())
    missed = [f"missed {_where(e)}: {e.note or e.quote}" for i, e in enumerate(truth.errors) if i not in hit]
    alarms = [f"{'decoy' if i in decoy_hits else 'false alarm'} {_where(f)}: {f.message}"
              for i, f in enumerate(findings) if i not in matched]
    precision = round(len(matched) / len(findings), 4) if findings else 1.0
    recall = round(len(hit) / len(truth.errors), 4) if truth.errors else 1.0
    return [
        Score(metric="continuity_precision", value=precision, shown=f"{len(matched)}/{len(findings)}",
              evidence=clip(alarms)),
        Score(metric="continuity_recall", value=recall, shown=f"{len(hit)}/{len(truth.errors)}",
              evidence=clip(missed)),
    ]
