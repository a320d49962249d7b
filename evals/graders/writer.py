"""Writer checks: the screenplay parses as a screenplay, and a micro-drama hooks and cliffhangs.

Applies to logline cases (the writer drafted the script) and micro-drama episodes, or wherever
`[expect]` asks for a hook or a cliffhanger. Checks:

- `parses`: `screenplay.fountain` parses into at least one scene, every scene heading has
  INT/EXT and a time of day, and the parser raised no warnings.
- `length`: for a logline with `minutes`, the breakdown's page time is within half to twice it.
- `hook`: a shot within the first 3 seconds of the cut is marked as the hook in its notes, or
  is a close shot (MCU or tighter, or an insert) of someone or something (film-grammar.md §1).
- `cliffhanger`: the last scene ends unresolved: its closing beat holds a hard out (SMASH CUT /
  CUT TO BLACK / TO BE CONTINUED) or a line cut off or left as a question (`?`, `--`, `...`).
  This is a proxy; the writer's critic model judges the real thing while drafting.
"""

from __future__ import annotations

import re

from filmcrew.domain import Screenplay
from filmcrew.evals.scoring import CaseRun, Score, ratio
from filmcrew.tools.fountain import parse

HOOK_SECONDS = 3.0
CLOSE = frozenset({"MCU", "CU", "ECU", "INSERT"})
HARD_OUT = re.compile(r"SMASH CUT|CUT TO BLACK|TO BE CONTINUED|BLACKOUT", re.IGNORECASE)
UNRESOLVED = ("?", "--", "\u2014", "...", "\u2026")
CLOSING_BEAT = 4


def _parses(run: CaseRun) -> tuple[bool, str]:
    """The normalised screenplay parses into well-headed scenes without warnings."""
    try:
        sp = parse(run.path("screenplay.fountain").read_text(encoding="utf-8"), "screenplay.fountain")
    except OSError:
        return False, "screenplay.fountain is missing"
    if not sp.scenes:
        return False, "the screenplay has no scene"
    bad = [s.label for s in sp.scenes if s.heading is None or not s.heading.int_ext or not s.heading.time_of_day]
    if bad:
        return False, f"scene(s) {', '.join(bad[:5])} lack INT/EXT or a time of day"
    if sp.warnings:
        return False, f"parser warning line {sp.warnings[0].line}: {sp.warnings[0].message}"
    return True, f"{len(sp.scenes)} scenes parse"


def _length(run: CaseRun) -> tuple[bool, str] | None:
    """The drafted script runs near the minutes the logline asked for."""
    minutes = run.case.logline.minutes if run.case.logline else None
    if not minutes or run.breakdown is None:
        return None
    seconds = sum(s.eighths for s in run.breakdown.scenes) * 7.5
    ok = minutes * 30 <= seconds <= minutes * 120
    return ok, f"page time {seconds / 60:.1f} min for {minutes} min asked"


def _hook(run: CaseRun) -> tuple[bool, str]:
    """Some shot starting in the first 3 s is the hook."""
    if run.shotlist is None or not run.shotlist.shots:
        return False, "no shots"
    start = 0.0
    for shot in run.shotlist.shots:
        if start >= HOOK_SECONDS:
            break
        marked = "hook" in shot.notes.casefold()
        close = shot.size in CLOSE and (shot.subjects or shot.type == "insert")
        if marked or close:
            what = "marked HOOK" if marked else f"{shot.size} {shot.type}"
            return True, f"shot {shot.shot_id} at {start:.1f} s: {what}"
        start += shot.duration_s
    return False, f"no hook shot in the first {HOOK_SECONDS:.0f} s (opens on {run.shotlist.shots[0].size} {run.shotlist.shots[0].type})"


def ends_on_cliffhanger(sp: Screenplay) -> tuple[bool, str]:
    """Say whether the last scene ends unresolved, quoting the beat it ends on.

    A mechanical proxy for what a reader judges: the closing beat (the last four elements)
    holds a hard out, or a line of dialogue or action that is cut off or left as a question.
    """
    if not sp.scenes:
        return False, "no scene"
    last = [e for e in sp.scene_elements(sp.scenes[-1]) if e.kind not in ("page_break", "note", "section", "synopsis")]
    beat = last[-CLOSING_BEAT:]
    for element in reversed(beat):
        text = " ".join(element.text.split())
        if element.kind in ("transition", "centered", "action") and HARD_OUT.search(text):
            return True, f"line {element.start_line}: {text}"
        if element.kind in ("dialogue", "action") and text.endswith(UNRESOLVED):
            return True, f"line {element.start_line}: ends on {text[-60:]!r}"
    quote = " ".join(beat[-1].text.split())[-60:] if beat else ""
    return False, f"the last scene ends resolved: {quote!r}"


def _cliffhanger(run: CaseRun) -> tuple[bool, str]:
    """The episode ends on a cliffhanger."""
    if run.screenplay is None:
        return False, "no screenplay"
    return ends_on_cliffhanger(run.screenplay)


def applies(run: CaseRun) -> tuple[bool, bool]:
    """Whether the hook and the cliffhanger are wanted for this case."""
    expect, kind = run.case.expect, run.case.kind
    micro = kind == "microdrama" or bool(run.case.logline and run.case.logline.format == "microdrama")
    return (expect.hook if expect.hook is not None else micro), (expect.cliffhanger if expect.cliffhanger is not None else micro)


def grade(run: CaseRun) -> list[Score]:
    """Score the writer checks that apply to this case."""
    hook, cliff = applies(run)
    if run.status != "done" or not (run.case.logline or hook or cliff):
        return []
    checks = [("parses", _parses(run)), ("length", _length(run)),
              ("hook", _hook(run) if hook else None), ("cliffhanger", _cliffhanger(run) if cliff else None)]
    done = [(name, result) for name, result in checks if result is not None]
    evidence = [f"{'ok' if ok else 'FAILED'} {name}: {why}" for name, (ok, why) in done]
    return [ratio("writer", sum(ok for _, (ok, _) in done), len(done), evidence)]
