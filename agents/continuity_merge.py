"""Findings out: merge rule and model findings, number them, write `continuity.json`, report.

Rules and a model often see the same problem; a model finding of the same kind in the same
scene (and shot) within a few lines of a rule finding is the same finding, and the rule's
wording wins (it is reproducible). Ids are `C001`, `C002`, ... in a fixed order (scene, line,
shot, kind, message), so the same script and shot list always give the same ids.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text

from filmcrew.domain import ContinuityReport, Finding
from filmcrew.files import write_json

SHOT_FIXABLE = frozenset({"axis_180", "jump_cut", "eyeline", "duration", "framing", "screen_direction"})
SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}
NEAR_LINES = 3


def _order(finding: Finding) -> tuple[int, int, str, str, str]:
    """Sort key: scene, line, shot, kind, message (None sorts first)."""
    return (finding.scene or 0, finding.line or 0, finding.shot or "", finding.kind, finding.message)


def _same(a: Finding, b: Finding) -> bool:
    """Say whether two findings describe one problem.

    From one source: same kind, scene, shot and line. Rule against model: same kind, scene and
    shot, lines at most `NEAR_LINES` apart (a model may cite the next line of the same beat).
    """
    if a.kind != b.kind or a.scene != b.scene or (a.shot or None) != (b.shot or None):
        return False
    if a.line is None or b.line is None or a.source == b.source:
        return a.line == b.line
    return abs(a.line - b.line) <= NEAR_LINES


def merge_findings(*groups: list[Finding]) -> list[Finding]:
    """Merge finding lists: drop duplicates (rules win over the model), sort, number C001..."""
    kept: list[Finding] = []
    ranked = sorted((f for group in groups for f in group), key=lambda f: (f.source != "rules", _order(f)))
    for candidate in ranked:
        if not any(_same(candidate, k) for k in kept):
            kept.append(candidate)
    kept.sort(key=_order)
    return [f.model_copy(update={"id": f"C{index:03d}"}) for index, f in enumerate(kept, start=1)]


def fixable_by_shots(findings: list[Finding]) -> list[Finding]:
    """Return the findings the shot planner can fix by re-planning a scene's shots."""
    return [f for f in findings if f.kind in SHOT_FIXABLE and f.scene is not None]


def write_continuity(findings: list[Finding], folder: Path) -> None:
    """Write `continuity.json` (sorted keys, byte-stable) into a run folder."""
    write_json(folder / "continuity.json", ContinuityReport(findings=list(findings)))


def counts(findings: list[Finding]) -> Counter[str]:
    """Count findings by severity."""
    return Counter(f.severity for f in findings)


def summary_line(findings: list[Finding]) -> str:
    """One line for the run summary: `2 errors · 3 warnings · 1 note`."""
    tally = counts(findings)
    parts = [f"{tally[s]} {s}{'' if tally[s] == 1 else 's'}" for s in ("error", "warning", "note")]
    return " · ".join(parts)


def continuity_report(findings: list[Finding]) -> Group:
    """Render findings as a readable report: a summary line and a table, errors first."""
    header = Text(f"continuity  {summary_line(findings)}" if findings else "continuity  no findings")
    if not findings:
        return Group(header)
    table = Table(show_header=True, header_style="bold", expand=False)
    for name, justify in (("id", "left"), ("severity", "left"), ("where", "left"), ("kind", "left"),
                          ("what is wrong", "left"), ("fix", "left")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for f in sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), _order(f))):
        table.add_row(f.id, Text(f.severity, style=SEVERITY_STYLE.get(f.severity, "")), _where(f), f.kind,
                      f.message, f.fix)
    return Group(header, table)


def _where(finding: Finding) -> str:
    """Render a finding's place: `sc 7 · line 212 · shot 7C`."""
    parts = []
    if finding.scene is not None:
        parts.append(f"sc {finding.scene}")
    if finding.line is not None:
        parts.append(f"line {finding.line}")
    if finding.shot:
        parts.append(f"shot {finding.shot}")
    return " · ".join(parts)
