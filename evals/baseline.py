"""The stored baseline: the scores the team accepted, and how far each may fall before it fails.

`evals/baseline.json` (sorted keys, no timestamps) maps `case/recording-set` to its scores and
metric names to tolerances::

    {"cases": {"lighthouse-key/authored": {"dialogue": 1.0, "calls": 29, ...}},
     "reason": "why it last changed", "tolerances": {"dialogue": 0.0, "calls": "10%"}, "version": 1}

A tolerance is absolute (a number: `timing` may drop 0.02) or relative (a string like `"10%"`:
`calls` may grow by a tenth). Where `higher` is better, a value below the baseline minus the
tolerance is a regression; where `lower` is better, one above the baseline plus it. It changes
only through `filmcrew eval --update-baseline`, after someone reviewed the new scores.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from filmcrew.errors import InputError
from filmcrew.evals.scoring import Score
from filmcrew.files import write_json

EPSILON = 1e-9
DEFAULT_TOLERANCES: dict[str, float | str] = {
    "schema": 0.0, "dialogue": 0.0, "speakers": 0.0, "timing": 0.02, "frames": 0.0, "subjects": 0.0,
    "judge": 0.05, "continuity_precision": 0.0, "continuity_recall": 0.0, "writer": 0.0, "expect": 0.0,
    "recordings": 0.0, "calls": "10%", "tokens": "10%", "cost_usd": "10%", "precision": 0.0, "recall": 0.0,
}
Status = Literal["same", "better", "worse", "new", "missing"]


class Baseline(BaseModel):
    """The contents of baseline.json."""

    version: int = 1
    reason: str = ""
    tolerances: dict[str, float | str] = Field(default_factory=lambda: dict(DEFAULT_TOLERANCES))
    cases: dict[str, dict[str, int | float]] = Field(default_factory=dict)


class Verdict(BaseModel):
    """One metric of one case run against the baseline."""

    metric: str
    value: float | None
    baseline: float | None = None
    limit: float | None = None
    status: Status = "new"
    better: Literal["higher", "lower"] = "higher"

    def line(self, key: str) -> str:
        """Say what happened in one line (for the console and the report)."""
        if self.status == "missing":
            return f"{key} {self.metric}: no score this time (baseline {self.baseline:g})"
        up, down = ("above", "below") if self.better == "higher" else ("below", "above")
        word = {"worse": down, "better": up, "same": "at", "new": "new,"}[self.status]
        base = f"baseline {self.baseline:g}" if self.baseline is not None else "no baseline"
        limit = f", limit {self.limit:g}" if self.status == "worse" and self.limit is not None else ""
        return f"{key} {self.metric}: {self.value:g} {word} {base}{limit}"


def load_baseline(path: Path) -> Baseline:
    """Read baseline.json; a missing file is an empty baseline (every score is new)."""
    if not path.is_file():
        return Baseline()
    try:
        return Baseline.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, json.JSONDecodeError) as exc:
        raise InputError(f"baseline is not valid: {str(exc).splitlines()[0]}", path=str(path)) from exc


def tolerance_of(baseline: Baseline, metric: str) -> tuple[float, bool]:
    """Return (amount, relative) for a metric; unknown metrics have no tolerance."""
    raw = baseline.tolerances.get(metric, DEFAULT_TOLERANCES.get(metric, 0.0))
    if isinstance(raw, str):
        text = raw.strip().rstrip("%")
        try:
            return float(text) / 100, True
        except ValueError:
            raise InputError(f"tolerance {raw!r} of {metric} is neither a number nor a percentage") from None
    return float(raw), False


def judge(score: Score, base: float | None, baseline: Baseline) -> Verdict:
    """Compare one score with its baseline value."""
    if base is None:
        return Verdict(metric=score.metric, value=score.value, better=score.better)
    amount, relative = tolerance_of(baseline, score.metric)
    slack = abs(base) * amount if relative else amount
    if score.better == "higher":
        limit = base - slack
        status: Status = "worse" if score.value < limit - EPSILON else ("better" if score.value > base + EPSILON else "same")
    else:
        limit = base + slack
        status = "worse" if score.value > limit + EPSILON else ("better" if score.value < base - EPSILON else "same")
    return Verdict(metric=score.metric, value=score.value, baseline=base, limit=round(limit, 6), status=status,
                   better=score.better)


def compare(key: str, scores: list[Score], baseline: Baseline, *, strict: bool = True) -> list[Verdict]:
    """Judge every score of a case run.

    With `strict` (a replayed run, which must measure what it measured before), a metric the
    baseline has but the run lacks is `missing`, a failure: a grader stopped applying. A live,
    authored or rules-only run measures what its mode can (no replay fit, say), so it is not.
    """
    stored = baseline.cases.get(key, {})
    verdicts = [judge(s, stored.get(s.metric), baseline) for s in scores]
    if not strict:
        return verdicts
    have = {s.metric for s in scores}
    verdicts += [Verdict(metric=m, value=None, baseline=v, status="missing") for m, v in sorted(stored.items())
                 if m not in have]
    return verdicts


def updated(baseline: Baseline, runs: dict[str, list[Score]], reason: str) -> Baseline:
    """Return the baseline with these case runs' scores in place of the old ones."""
    cases = dict(baseline.cases)
    for key, scores in runs.items():
        cases[key] = {s.metric: _plain(s) for s in scores}
    tolerances = {**DEFAULT_TOLERANCES, **baseline.tolerances}
    return Baseline(version=baseline.version, reason=reason or baseline.reason, tolerances=tolerances,
                    cases=dict(sorted(cases.items())))


def _plain(score: Score) -> int | float:
    """Store counts (calls, tokens) as integers, so the file reads as they are."""
    return int(score.value) if score.better == "lower" and float(score.value).is_integer() else score.value


def save_baseline(path: Path, baseline: Baseline) -> None:
    """Write baseline.json byte-stably."""
    write_json(path, baseline)
