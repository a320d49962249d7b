"""Grade the continuity checker against the corpus in `evals/continuity/`.

Each case folder holds `script.fountain`, a `truth.json` and optionally `shotlist.json` (shots
seeded with camera errors) and `characters.json` (a character library). `truth.json` lists the
seeded errors and the decoys (things that look wrong but are not), each with `kind`, `scene`,
`line` (and `shot` for shot-list errors) plus the quoted text and a note for people.

Matching: a finding matches a truth entry when the kind and scene are the same, the shot is the
same where the entry names one, and the finding's line lies within the scene. Each finding
matches at most one entry and each entry at most one finding, nearest lines first, so two seeded
errors of one kind in one scene need two findings. A finding nearest to a decoy counts as a false
alarm and as a flagged decoy. Precision = matched findings / findings; recall = matched errors /
errors (1.0 when there is nothing to find or nothing was flagged).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from filmcrew.agents.breakdown import break_down
from filmcrew.agents.continuity import check_script, check_shots, merge_findings, review_scene
from filmcrew.tools.fountain import parse
from pydantic import BaseModel, Field
from rich.table import Table

from filmcrew.domain import CharacterLibrary, Finding, Screenplay, ShotList
from filmcrew.errors import InputError
from filmcrew.providers.base import Provider


class KindScore(BaseModel):
    """Counts and rates for one finding kind (or `overall`)."""

    kind: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    precision: float = 1.0
    recall: float = 1.0


class Miss(BaseModel):
    """One unmatched truth entry or one false alarm, for people reading the report."""

    case: str
    kind: str
    scene: int | None = None
    line: int | None = None
    shot: str | None = None
    text: str = ""


class CaseScore(BaseModel):
    """What one case contributed."""

    case: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    decoys_flagged: int = 0
    decoys: int = 0


class ContinuityScores(BaseModel):
    """Scores of the continuity checker over the corpus."""

    mode: str = "rules"
    kinds: list[KindScore] = Field(default_factory=list)
    overall: KindScore = Field(default_factory=lambda: KindScore(kind="overall"))
    decoys_flagged: int = 0
    decoys: int = 0
    cases: list[CaseScore] = Field(default_factory=list)
    missed: list[Miss] = Field(default_factory=list)
    false_alarms: list[Miss] = Field(default_factory=list)


class TruthEntry(BaseModel):
    """A seeded error or a decoy."""

    kind: str
    scene: int
    line: int | None = None
    shot: str | None = None
    quote: str = ""
    note: str = ""


class Truth(BaseModel):
    """A case's truth file."""

    script: str = "script.fountain"
    shotlist: str | None = None
    library: str | None = None
    errors: list[TruthEntry] = Field(default_factory=list)
    decoys: list[TruthEntry] = Field(default_factory=list)


def case_dirs(corpus_dir: Path) -> list[Path]:
    """List the case folders (those with a truth.json), in name order."""
    return sorted(p.parent for p in corpus_dir.glob("*/truth.json"))


def load_truth(case: Path, sp: Screenplay) -> Truth:
    """Read a truth file and check every quoted entry still sits on its line."""
    where = case / "truth.json"
    truth = Truth.model_validate_json(where.read_text(encoding="utf-8"))
    lines = (case / truth.script).read_text(encoding="utf-8").split("\n")
    for entry in [*truth.errors, *truth.decoys]:
        if entry.quote and entry.line is not None and entry.quote not in lines[entry.line - 1]:
            raise InputError(f"truth quote {entry.quote!r} is not on line {entry.line}", path=str(where))
        if not any(s.number == entry.scene for s in sp.scenes):
            raise InputError(f"truth names scene {entry.scene}, which the script does not have", path=str(where))
    return truth


def case_findings(case: Path, truth: Truth, sp: Screenplay, provider: Provider | None = None) -> list[Finding]:
    """Run the checker on one case: script rules, shot rules, and a model review when given one."""
    breakdown = break_down(sp)
    library = None
    if truth.library:
        library = CharacterLibrary.model_validate_json((case / truth.library).read_text(encoding="utf-8"))
    groups = [check_script(sp, breakdown, library)]
    if truth.shotlist:
        shotlist = ShotList.model_validate_json((case / truth.shotlist).read_text(encoding="utf-8"))
        groups.append(check_shots(shotlist, breakdown))
    if provider is not None:
        groups.append([f for s in sp.scenes for f in review_scene(provider, sp, breakdown, s.number)])
    return merge_findings(*groups)


def _fits(finding: Finding, entry: TruthEntry, bounds: dict[int, tuple[int, int]]) -> bool:
    """Say whether a finding can match a truth entry (kind, scene, shot, line in the scene)."""
    if finding.kind != entry.kind or finding.scene != entry.scene:
        return False
    if entry.shot is not None and finding.shot != entry.shot:
        return False
    start, end = bounds.get(entry.scene, (0, 10**9))
    return finding.line is None or start <= finding.line <= end


def match(findings: list[Finding], truth: Truth, bounds: dict[int, tuple[int, int]]) -> tuple[dict[int, int], set[int]]:
    """Pair findings with errors and decoys one to one, nearest lines first.

    Returns (finding index -> error index, finding indexes that landed on a decoy).
    """
    entries = [(e, False) for e in truth.errors] + [(d, True) for d in truth.decoys]
    pairs = []
    for fi, finding in enumerate(findings):
        for ei, (entry, _) in enumerate(entries):
            if _fits(finding, entry, bounds):
                gap = abs((finding.line or 0) - (entry.line or finding.line or 0))
                pairs.append((gap, fi, ei))
    used_f: set[int] = set()
    used_e: set[int] = set()
    matched: dict[int, int] = {}
    decoy_hits: set[int] = set()
    for _, fi, ei in sorted(pairs):
        if fi in used_f or (ei in used_e and not entries[ei][1]):
            continue
        used_f.add(fi)
        used_e.add(ei)
        if entries[ei][1]:
            decoy_hits.add(fi)
        else:
            matched[fi] = ei
    return matched, decoy_hits


def grade_continuity(corpus_dir: Path, provider: Provider | None = None) -> ContinuityScores:
    """Run the checker over every case of the corpus and score it per kind and overall."""
    scores = ContinuityScores(mode="rules" if provider is None else "rules+model")
    tally: dict[str, KindScore] = {}
    for case in case_dirs(corpus_dir):
        _grade_case(case, provider, scores, tally)
    scores.kinds = [_rates(tally[k]) for k in sorted(tally)]
    total = KindScore(kind="overall", tp=sum(k.tp for k in tally.values()), fp=sum(k.fp for k in tally.values()),
                      fn=sum(k.fn for k in tally.values()))
    scores.overall = _rates(total)
    return scores


def _grade_case(case: Path, provider: Provider | None, scores: ContinuityScores, tally: dict[str, KindScore]) -> None:
    """Score one case into the running tallies."""
    text = (case / "script.fountain").read_text(encoding="utf-8")
    sp = parse(text, f"{case.name}/script.fountain")
    truth = load_truth(case, sp)
    findings = case_findings(case, truth, sp, provider)
    bounds = {s.number: (s.start_line, s.end_line) for s in sp.scenes}
    matched, decoy_hits = match(findings, truth, bounds)
    row = CaseScore(case=case.name, decoys=len(truth.decoys), decoys_flagged=len(decoy_hits))
    for fi, finding in enumerate(findings):
        score = tally.setdefault(finding.kind, KindScore(kind=finding.kind))
        if fi in matched:
            score.tp += 1
            row.tp += 1
        else:
            score.fp += 1
            row.fp += 1
            scores.false_alarms.append(Miss(case=case.name, kind=finding.kind, scene=finding.scene,
                                            line=finding.line, shot=finding.shot, text=finding.message))
    hit = set(matched.values())
    for ei, entry in enumerate(truth.errors):
        if ei not in hit:
            tally.setdefault(entry.kind, KindScore(kind=entry.kind)).fn += 1
            row.fn += 1
            scores.missed.append(Miss(case=case.name, kind=entry.kind, scene=entry.scene, line=entry.line,
                                      shot=entry.shot, text=entry.note or entry.quote))
    scores.cases.append(row)
    scores.decoys += row.decoys
    scores.decoys_flagged += row.decoys_flagged


def _rates(score: KindScore) -> KindScore:
    """Fill precision and recall from the counts."""
    flagged = score.tp + score.fp
    wanted = score.tp + score.fn
    return score.model_copy(update={
        "precision": round(score.tp / flagged, 3) if flagged else 1.0,
        "recall": round(score.tp / wanted, 3) if wanted else 1.0,
    })


def continuity_table(scores: ContinuityScores) -> Table:
    """Render the scores as a table: one row per kind, then overall; decoys in the caption."""
    table = Table(title=f"continuity ({scores.mode})", show_header=True, header_style="bold")
    for name in ("kind", "tp", "fp", "fn", "precision", "recall"):
        table.add_column(name, justify="left" if name == "kind" else "right")
    for score in [*scores.kinds, scores.overall]:
        style = "bold" if score.kind == "overall" else ""
        table.add_row(score.kind, str(score.tp), str(score.fp), str(score.fn), f"{score.precision:.2f}",
                      f"{score.recall:.2f}", style=style)
    table.caption = f"decoys flagged: {scores.decoys_flagged} of {scores.decoys}"
    return table


def scores_json(scores: ContinuityScores) -> dict[str, Any]:
    """Return the scores as plain JSON data (for reports and baselines)."""
    data: dict[str, Any] = json.loads(scores.model_dump_json())
    return data
