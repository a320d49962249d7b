"""The graders every case run goes through, in the order their scores are shown.

A grader is a function `grade(run: CaseRun) -> list[Score]` (see `filmcrew.evals.scoring`);
one that does not apply to a case returns nothing. Add one here to have every case graded by it.
"""

from __future__ import annotations

from collections.abc import Callable

from filmcrew.evals.graders import (
    artefacts,
    characters,
    coverage,
    expect,
    seeded,
    timing,
    usage,
    writer,
)
from filmcrew.evals.scoring import CaseRun, Score

Grader = Callable[[CaseRun], list[Score]]

GRADERS: tuple[Grader, ...] = (
    coverage.grade,     # dialogue, speakers
    timing.grade,       # timing
    artefacts.grade,    # schema
    characters.grade,   # frames, subjects, judge
    seeded.grade,       # continuity_precision, continuity_recall
    writer.grade,       # writer
    expect.grade,       # expect
    usage.grade,        # recordings, calls, tokens, cost_usd
)


def grade_run(run: CaseRun) -> list[Score]:
    """Run every grader over one case run."""
    return [score for grader in GRADERS for score in grader(run)]
