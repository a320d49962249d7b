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
from filmcrew.agents.continuity import ask_model, check_script, check_shots, merge_findings
from filmcrew.tools.fountain import parse
from pydantic import BaseModel, Field
from rich.table import Table

from filmcrew.domain import CharacterLibrary, Finding, Screenplay, ShotList
from filmcrew.errors import InputError, ProviderFailed, ReplayMiss
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
    label: str = ""
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


def case_findings(case: Path, truth: Truth, sp: Screenplay, provider: Provider | None = None,
                  concurrency: int = 1) -> list[Finding]:
    """Run the checker on one case as the crew's continuity node does: script rules (fed the
    model's state log when there is a model), shot rules, and the model's per-scene review."""
    breakdown = break_down(sp)
    library = None
    if truth.library:
        library = CharacterLibrary.model_validate_json((case / truth.library).read_text(encoding="utf-8"))
    reviewed, events = ask_model(provider, sp, breakdown, concurrency) if provider is not None else ([], None)
    groups = [check_script(sp, breakdown, library, extra_events=events)]
    if truth.shotlist:
        shotlist = ShotList.model_validate_json((case / truth.shotlist).read_text(encoding="utf-8"))
        groups.append(check_shots(shotlist, breakdown))
    groups.append(reviewed)
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


def grade_continuity(corpus_dir: Path, provider: Provider | None = None, concurrency: int = 1) -> ContinuityScores:
    """Run the checker over every case of the corpus and score it per kind and overall.

    With a provider, each case also gets the model's review and state log (`concurrency` scenes
    at once); a provider failure or replay miss is raised naming the corpus case.
    """
    scores = ContinuityScores(mode="rules" if provider is None else "rules+model")
    tally: dict[str, KindScore] = {}
    for case in case_dirs(corpus_dir):
        _grade_case(case, provider, scores, tally, concurrency)
    scores.kinds = [_rates(tally[k]) for k in sorted(tally)]
    total = KindScore(kind="overall", tp=sum(k.tp for k in tally.values()), fp=sum(k.fp for k in tally.values()),
                      fn=sum(k.fn for k in tally.values()))
    scores.overall = _rates(total)
    return scores


def _grade_case(case: Path, provider: Provider | None, scores: ContinuityScores, tally: dict[str, KindScore],
                concurrency: int = 1) -> None:
    """Score one case into the running tallies."""
    text = (case / "script.fountain").read_text(encoding="utf-8")
    sp = parse(text, f"{case.name}/script.fountain")
    truth = load_truth(case, sp)
    try:
        findings = case_findings(case, truth, sp, provider, concurrency)
    except ProviderFailed as exc:  # say which case asked; the exit code stays (3)
        kind = ReplayMiss if isinstance(exc, ReplayMiss) else ProviderFailed
        raise kind(f"continuity corpus case {case.name}: {exc}") from exc
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


def continuity_table(*runs: ContinuityScores) -> Table:
    """Render per-kind scores: one row per kind, then overall; decoys in the caption.

    One run keeps the plain layout (tp, fp, fn, precision, recall); several runs sit side by
    side, one group of columns per run, in the order given (rules first).
    """
    if len(runs) == 1:
        return _one_run_table(runs[0])
    names = [_name(scores) for scores in runs]
    table = Table(title="continuity per kind: " + " | ".join(names), show_header=True, header_style="bold")
    table.add_column("kind")
    for index in range(len(runs)):
        for name in ("tp/fp/fn", "P", "R"):
            table.add_column(f"{name} ({index + 1})", justify="right")
    kinds = sorted({k.kind for scores in runs for k in scores.kinds})
    for kind in [*kinds, "overall"]:
        row = [kind]
        for scores in runs:
            score = scores.overall if kind == "overall" else next((k for k in scores.kinds if k.kind == kind), None)
            row += _cells(score)
        table.add_row(*row, style="bold" if kind == "overall" else "")
    table.caption = " · ".join(f"({i + 1}) {name}: decoys flagged {s.decoys_flagged} of {s.decoys}"
                               for i, (name, s) in enumerate(zip(names, runs, strict=True)))
    return table


def runs_table(runs: list[ContinuityScores]) -> Table:
    """One row per run of the corpus (the rules, then each model run): overall counts, rates and
    decoys flagged, so a model's row reads next to the rules' row."""
    table = Table(title="continuity corpus", show_header=True, header_style="bold")
    for name in ("run", "tp", "fp", "fn", "precision", "recall", "decoys flagged"):
        table.add_column(name, justify="left" if name == "run" else "right")
    for scores in runs:
        total = scores.overall
        table.add_row(_name(scores), str(total.tp), str(total.fp), str(total.fn), f"{total.precision:.2f}",
                      f"{total.recall:.2f}", f"{scores.decoys_flagged} of {scores.decoys}")
    return table


def _one_run_table(scores: ContinuityScores) -> Table:
    """The per-kind table of a single run."""
    table = Table(title=f"continuity ({scores.mode})", show_header=True, header_style="bold")
    for name in ("kind", "tp", "fp", "fn", "precision", "recall"):
        table.add_column(name, justify="left" if name == "kind" else "right")
    for score in [*scores.kinds, scores.overall]:
        style = "bold" if score.kind == "overall" else ""
        table.add_row(score.kind, str(score.tp), str(score.fp), str(score.fn), f"{score.precision:.2f}",
                      f"{score.recall:.2f}", style=style)
    table.caption = f"decoys flagged: {scores.decoys_flagged} of {scores.decoys}"
    return table


def _name(scores: ContinuityScores) -> str:
    """What a run is called in tables: its label, else its mode."""
    return scores.label or scores.mode


def _cells(score: KindScore | None) -> list[str]:
    """A kind's counts and rates as table cells (a dash where the run found and missed none)."""
    if score is None:
        return ["–", "–", "–"]
    return [f"{score.tp}/{score.fp}/{score.fn}", f"{score.precision:.2f}", f"{score.recall:.2f}"]


def scores_json(scores: ContinuityScores) -> dict[str, Any]:
    """Return the scores as plain JSON data (for reports and baselines)."""
    data: dict[str, Any] = json.loads(scores.model_dump_json())
    return data
