"""Expected properties from a case's `[expect]` table, one check each.

Counts (`scenes`, `story_days`, shot and runtime bounds, `max_errors`) are read from the
artefacts; `characters` must all be in the library (aliases count); `finding_kinds` must each
appear in `continuity.json`; `notes_mention` must each appear in a note of `run.json` (e.g. to
pin that a repair happened). Hook and cliffhanger are the writer grader's.
"""

from __future__ import annotations

from collections.abc import Iterator

from filmcrew.evals.scoring import CaseRun, Score, ratio


def _checks(run: CaseRun) -> Iterator[tuple[bool, str]]:
    """Yield (passed, what) for every expectation the case sets."""
    want = run.case.expect
    sheet, shots, library = run.breakdown, run.shotlist.shots if run.shotlist else [], run.library
    findings = run.continuity.findings if run.continuity else []
    if want.scenes is not None:
        got = len(sheet.scenes) if sheet else 0
        yield got == want.scenes, f"scenes: {got} (expected {want.scenes})"
    if want.story_days is not None:
        got = sheet.story_days if sheet else 0
        yield got == want.story_days, f"story days: {got} (expected {want.story_days})"
    for name in want.characters:
        yield bool(library and library.get(name)), f"character {name} in the library"
    if want.min_shots is not None:
        yield len(shots) >= want.min_shots, f"shots: {len(shots)} (at least {want.min_shots})"
    if want.max_shots is not None:
        yield len(shots) <= want.max_shots, f"shots: {len(shots)} (at most {want.max_shots})"
    runtime = sum(s.duration_s for s in shots)
    if want.min_runtime_s is not None:
        yield runtime >= want.min_runtime_s, f"runtime: {runtime:.0f} s (at least {want.min_runtime_s:g})"
    if want.max_runtime_s is not None:
        yield runtime <= want.max_runtime_s, f"runtime: {runtime:.0f} s (at most {want.max_runtime_s:g})"
    kinds = {f.kind for f in findings}
    for kind in want.finding_kinds:
        yield kind in kinds, f"a {kind} finding"
    if want.max_errors is not None:
        errors = sum(f.severity == "error" for f in findings)
        yield errors <= want.max_errors, f"error findings: {errors} (at most {want.max_errors})"
    notes = run.info.notes if run.info else []
    for text in want.notes_mention:
        yield any(text in n for n in notes), f"a run note mentions {text!r}"


def grade(run: CaseRun) -> list[Score]:
    """Score the share of expectations met; evidence lists each with its outcome."""
    if run.status != "done":
        return []
    results = list(_checks(run))
    if not results:
        return []
    evidence = [f"{'ok' if ok else 'FAILED'} {what}" for ok, what in results]
    evidence.sort(key=lambda line: not line.startswith("FAILED"))
    return [ratio("expect", sum(ok for ok, _ in results), len(results), evidence)]
