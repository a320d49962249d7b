"""Duration against page time: a scene's shots should add up to roughly its page time.

One page plays about a minute (film-grammar.md §1, §3), so a scene of `e` eighths runs about
`7.5 * e` seconds. A scene is on time when its shots' durations add up to between 1/BAND and
BAND times that. The score is the share of the script's page time (in eighths, so a long scene
weighs more than a one-line one) that sits in on-time scenes; the evidence gives the whole
script's ratio and the scenes furthest off.
"""

from __future__ import annotations

import math
from collections import defaultdict

from filmcrew.evals.scoring import CaseRun, Score, clip

BAND = 1.5
SECONDS_PER_EIGHTH = 7.5


def grade(run: CaseRun) -> list[Score]:
    """Score how much of the page time the shot durations match."""
    if run.status != "done" or run.breakdown is None or run.shotlist is None:
        return []
    planned: dict[int, float] = defaultdict(float)
    for shot in run.shotlist.shots:
        planned[shot.scene] += shot.duration_s
    total_eighths = sum(s.eighths for s in run.breakdown.scenes)
    on_time, off = 0, []
    for scene in run.breakdown.scenes:
        page_s = scene.eighths * SECONDS_PER_EIGHTH
        ratio = planned[scene.number] / page_s if page_s else 0.0
        if page_s and 1 / BAND <= ratio <= BAND:
            on_time += scene.eighths
        else:
            off.append((abs(math.log(ratio)) if ratio else math.inf, scene.number, planned[scene.number], page_s))
    shots_s = sum(planned.values())
    page_s = total_eighths * SECONDS_PER_EIGHTH
    whole = shots_s / page_s if page_s else 0.0
    evidence = [f"shots add up to {shots_s:.0f} s against {page_s:.0f} s of page time (ratio {whole:.2f})"]
    evidence += [f"scene {n}: {p:.1f} s of shots for {s:.1f} s of page time" for _, n, p, s in sorted(off, reverse=True)]
    value = round(on_time / total_eighths, 4) if total_eighths else 1.0
    return [Score(metric="timing", value=value, shown=f"{value:.2f}", evidence=clip(evidence))]
