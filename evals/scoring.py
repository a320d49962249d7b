"""What graders receive and return: a finished case run, and scores with their evidence.

A grader is a small function `grade(run: CaseRun) -> list[Score]`: it reads the run folder (the
same files a user gets from `filmcrew plan`), returns zero or more scores, and says why with
evidence lines a person can check against those files. Scores are numbers with a direction
(`higher` or `lower` is better); the baseline compares them with a tolerance per metric.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

from filmcrew.domain import (
    Breakdown,
    CharacterLibrary,
    ContinuityReport,
    RunInfo,
    Screenplay,
    ShotList,
)
from filmcrew.evals.cases import Case

M = TypeVar("M", bound=BaseModel)
EVIDENCE_LINES = 12


class Score(BaseModel):
    """One metric of one case run."""

    metric: str
    value: float
    better: Literal["higher", "lower"] = "higher"
    shown: str = ""
    evidence: list[str] = Field(default_factory=list)

    def text(self) -> str:
        """The value as a table shows it (`0.97`, `57/57`, `12`)."""
        return self.shown or (f"{self.value:.2f}" if self.better == "higher" else f"{self.value:g}")


def ratio(metric: str, good: int, total: int, evidence: list[str], *, empty: float = 1.0) -> Score:
    """A share of things done right, shown as `good/total` (1.0 when there was nothing to do)."""
    value = round(good / total, 4) if total else empty
    return Score(metric=metric, value=value, shown=f"{good}/{total}", evidence=clip(evidence))


def clip(lines: list[str], limit: int = EVIDENCE_LINES) -> list[str]:
    """Keep evidence short: the first lines and a count of the rest."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"... and {len(lines) - limit} more"]


@dataclass
class CaseRun:
    """A case after the crew ran it: the run folder, and what replay used or missed."""

    case: Case
    variant: str
    run_dir: Path
    status: str = "done"
    error: str = ""
    recordings_total: int = 0
    recordings_unused: list[str] = field(default_factory=list)
    replayed: bool = False

    def path(self, relative: str) -> Path:
        """A file of the run folder."""
        return self.run_dir / relative

    def load(self, relative: str, cls: type[M]) -> M | None:
        """Load one artefact as its model, or None when it is missing or invalid."""
        path = self.path(relative)
        try:
            return cls.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError):
            return None

    @cached_property
    def screenplay(self) -> Screenplay | None:
        """The parsed screenplay the crew worked from (source line numbers intact)."""
        return self.load("work/screenplay.json", Screenplay)

    @cached_property
    def breakdown(self) -> Breakdown | None:
        """`breakdown.json`."""
        return self.load("breakdown.json", Breakdown)

    @cached_property
    def library(self) -> CharacterLibrary | None:
        """`characters.json`."""
        return self.load("characters.json", CharacterLibrary)

    @cached_property
    def shotlist(self) -> ShotList | None:
        """`shotlist.json`."""
        return self.load("shotlist.json", ShotList)

    @cached_property
    def continuity(self) -> ContinuityReport | None:
        """`continuity.json`."""
        return self.load("continuity.json", ContinuityReport)

    @cached_property
    def info(self) -> RunInfo | None:
        """`run.json`."""
        return self.load("run.json", RunInfo)

    def raw(self, relative: str) -> Any:
        """A JSON file of the run folder as plain data (None when unreadable)."""
        try:
            return json.loads(self.path(relative).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
