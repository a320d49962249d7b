"""What an eval run reports: the console table, and Markdown, HTML or JSON files.

Every output says, per case and recording set, who answered (authored or recorded by which
provider/model), each score with its baseline and verdict, and the evidence behind it; the
files add storyboard thumbnails. Files are byte-stable: sorted keys, no timestamps, no wall
times, no machine paths (the console table shows seconds per case; files leave them out).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table
from rich.text import Text

from filmcrew.evals.baseline import Verdict
from filmcrew.evals.runner import CaseResult
from filmcrew.evals.scoring import Score

METRICS = ("dialogue", "speakers", "timing", "schema", "frames", "subjects", "judge", "continuity_precision",
           "continuity_recall", "precision", "recall", "writer", "expect", "recordings", "calls", "tokens", "cost_usd")
HEADERS = {"continuity_precision": "cont P", "continuity_recall": "cont R", "recordings": "replay",
           "cost_usd": "cost $", "precision": "P", "recall": "R"}
MARK = {"worse": "▼", "better": "▲", "same": "", "new": "•", "missing": "?"}


@dataclass
class EvalReport:
    """The results of one `filmcrew eval` and their verdicts against the baseline."""

    results: list[CaseResult]
    verdicts: dict[str, list[Verdict]] = field(default_factory=dict)
    baseline_name: str = "baseline.json"
    corpus_table: Any = None

    def regressions(self) -> list[str]:
        """One line per metric that fell beyond its tolerance (or disappeared)."""
        return [v.line(key) for key, vs in self.verdicts.items() for v in vs if v.status in ("worse", "missing")]

    def improvements(self) -> list[str]:
        """One line per metric that beat its baseline."""
        return [v.line(key) for key, vs in self.verdicts.items() for v in vs if v.status == "better"]

    def errors(self) -> list[CaseResult]:
        """The case runs that did not finish."""
        return [r for r in self.results if r.status != "done"]

    def metrics(self) -> list[str]:
        """The metrics any result has, in display order."""
        have = {s.metric for r in self.results for s in r.scores}
        return [m for m in METRICS if m in have] + sorted(have - set(METRICS))

    def verdict_of(self, result: CaseResult, metric: str) -> Verdict | None:
        """The verdict of one metric of one result."""
        return next((v for v in self.verdicts.get(result.key, []) if v.metric == metric), None)

    def status_of(self, result: CaseResult) -> str:
        """One word for a result: error, worse, better, new or ok."""
        if result.status != "done":
            return "error" if result.status == "error" else result.status
        states = {v.status for v in self.verdicts.get(result.key, [])}
        for word in ("worse", "missing", "better", "new"):
            if word in states:
                return "worse" if word == "missing" else word
        return "ok"


def cell(score: Score) -> str:
    """A score as a narrow table cell."""
    if score.better == "lower":
        if score.metric == "cost_usd":
            return f"{score.value:.4f}".rstrip("0").rstrip(".") if score.value else "0"
        return f"{score.value / 1000:.1f}k" if score.value >= 10_000 else f"{score.value:g}"
    return f"{score.value:.2f}"


def console_table(report: EvalReport) -> Table:
    """The rich table: one row per case run, one column per metric, the verdict last."""
    metrics = report.metrics()
    table = Table(title="filmcrew eval", header_style="bold", show_lines=False)
    table.add_column("case", no_wrap=True)
    table.add_column("answers", no_wrap=True)
    for metric in metrics:
        table.add_column(HEADERS.get(metric, metric), justify="right")
    table.add_column("s", justify="right")
    table.add_column("verdict")
    for result in report.results:
        scores = {s.metric: s for s in result.scores}
        row: list[Text | str] = [result.case, Text(result.source, style="dim")]
        for metric in metrics:
            row.append(_styled(report, result, scores.get(metric)))
        status = report.status_of(result)
        style = {"worse": "bold red", "error": "bold red", "better": "green", "new": "cyan"}.get(status, "")
        row += [f"{result.seconds:.1f}", Text(status, style=style)]
        table.add_row(*row)
    table.caption = f"baseline: {report.baseline_name} · ▼ worse than the baseline beyond its tolerance · ▲ better · • new"
    return table


def _styled(report: EvalReport, result: CaseResult, score: Score | None) -> Text:
    """A cell coloured by its verdict."""
    if score is None:
        return Text("–", style="dim")
    verdict = report.verdict_of(result, score.metric)
    status = verdict.status if verdict else "new"
    style = {"worse": "bold red", "better": "green"}.get(status, "")
    return Text(f"{cell(score)}{MARK.get(status, '') if status in ('worse', 'better') else ''}", style=style)


def comparison(report: EvalReport) -> dict[str, dict[str, float]]:
    """Metric -> variant -> mean over the cases every variant ran (for side-by-side models)."""
    by_case: dict[str, dict[str, CaseResult]] = defaultdict(dict)
    for result in report.results:
        if result.status == "done":
            by_case[result.case][result.variant] = result
    variants = sorted({r.variant for r in report.results})
    shared = [runs for runs in by_case.values() if set(runs) == set(variants)]
    table: dict[str, dict[str, float]] = {}
    for metric in report.metrics():
        for variant in variants:
            values = [s.value for runs in shared for s in runs[variant].scores if s.metric == metric]
            if values:
                table.setdefault(metric, {})[variant] = round(sum(values) / len(values), 4)
    return table


def comparison_table(report: EvalReport) -> Table | None:
    """Variants side by side (None when every case ran with one variant only)."""
    table_data = comparison(report)
    variants = sorted({r.variant for r in report.results})
    if len(variants) < 2 or not table_data:
        return None
    table = Table(title="side by side (mean over shared cases)", header_style="bold")
    table.add_column("metric")
    for variant in variants:
        table.add_column(variant, justify="right")
    for metric, values in table_data.items():
        table.add_row(HEADERS.get(metric, metric), *[f"{values[v]:g}" if v in values else "–" for v in variants])
    return table


def json_report(report: EvalReport) -> dict[str, Any]:
    """The report as plain data (what `--report x.json` writes)."""
    runs = []
    for result in report.results:
        data = result.model_dump(mode="json")
        data["verdicts"] = [v.model_dump(mode="json") for v in report.verdicts.get(result.key, [])]
        data["verdict"] = report.status_of(result)
        runs.append(data)
    return {"baseline": report.baseline_name, "improvements": report.improvements(),
            "regressions": report.regressions(), "runs": runs, "side_by_side": comparison(report)}
