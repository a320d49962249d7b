"""Character consistency: frames show the right people, shots name real ones, judge scores.

- `frames`: the share of shots whose storyboard frame shows exactly the shot's subjects, read
  from the manifest every frame carries (`filmcrew.agents.storyboard.check_frame_subjects`).
- `subjects`: the share of shots whose every subject is someone the scene has: a character of
  the library (aliases fold), or a cast or extras group of the scene's breakdown row.
- `judge`: the mean consistency score a vision judge gave the frames, where one was recorded
  (`run.json` `consistency`); absent otherwise.
"""

from __future__ import annotations

from filmcrew.agents.storyboard import check_frame_subjects
from filmcrew.evals.scoring import CaseRun, Score, clip, ratio


def _stray_subjects(run: CaseRun) -> list[str]:
    """Shots that name someone the scene does not have."""
    assert run.shotlist is not None and run.breakdown is not None
    scenes = {s.number: s for s in run.breakdown.scenes}
    stray = []
    for shot in run.shotlist.shots:
        row = scenes.get(shot.scene)
        allowed = {n.casefold() for n in [*(row.characters if row else []), *(row.extras if row else [])]}
        for name in shot.subjects:
            known = run.library.get(name) if run.library else None
            if (known.name if known else name).casefold() not in allowed and name.casefold() not in allowed:
                stray.append(f"shot {shot.shot_id}: subject {name} is not in scene {shot.scene}")
    return stray


def grade(run: CaseRun) -> list[Score]:
    """Score frames against shots, shots against the cast, and the judge where it ran."""
    if run.status != "done" or run.shotlist is None or run.breakdown is None:
        return []
    total = len(run.shotlist.shots)
    framing = check_frame_subjects(run.run_dir, run.shotlist, run.library)
    bad_frames = {f.shot for f in framing}
    stray = _stray_subjects(run)
    bad_shots = {line.split(":")[0] for line in stray}
    scores = [
        ratio("frames", total - len(bad_frames), total, [f.message for f in framing]),
        ratio("subjects", total - len(bad_shots), total, stray),
    ]
    judged = run.info.consistency if run.info else {}
    if judged:
        mean = round(sum(judged.values()) / len(judged), 4)
        low = [f"shot {shot}: {value:.2f}" for shot, value in sorted(judged.items(), key=lambda kv: kv[1])[:5]]
        scores.append(Score(metric="judge", value=mean, evidence=clip(low)))
    return scores
