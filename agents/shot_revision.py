"""Revising a scene's shots for the continuity findings a shot change can fix.

The script supervisor's camera findings (the line, eyelines, screen direction, jump cuts,
durations, vertical framing) come back to the shot planner in the graph's bounded loop. Each
fix is the one a first AD would pencil in: keep the subject's side of frame, turn a look,
tighten a size, hold a shot longer, stack people in depth. Findings it cannot fix stay in the
report for a person to decide.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from filmcrew.agents.continuity_shots import WORDS_PER_SECOND, travel_way
from filmcrew.agents.continuity_text import WORD
from filmcrew.agents.shot_vocab import SIZES
from filmcrew.domain import Finding, Shot

SIZE_LADDER = tuple(size for size in SIZES if size != "INSERT")  # widest to tightest

Fix = Callable[[list[Shot], int, Finding], str]


def revise_shots(shots: list[Shot], findings: list[Finding]) -> tuple[list[Shot], list[str]]:
    """Apply one fix per finding that names a shot of this scene; return shots and what changed."""
    revised = [shot.model_copy(deep=True) for shot in shots]
    index = {shot.shot_id: i for i, shot in enumerate(revised)}
    notes: list[str] = []
    for finding in findings:
        fix = FIXES.get(finding.kind)
        position = index.get(finding.shot or "")
        if fix is None or position is None:
            continue
        change = fix(revised, position, finding)
        if change:
            notes.append(f"shot {finding.shot}: {change} (continuity {finding.kind})")
    return revised, notes


def _looks_toward(side: str) -> str:
    """A subject frame left looks screen right, and the other way round."""
    return {"left": "screen right", "right": "screen left"}.get(side, "")


def _earlier_side(shots: list[Shot], position: int) -> str:
    """The side of frame the same subject held in the first earlier single of the scene."""
    subject = shots[position].subjects[0].casefold() if shots[position].subjects else ""
    for shot in shots[:position]:
        side = shot.screen_side.casefold()
        if shot.subjects and shot.subjects[0].casefold() == subject and side in ("left", "right"):
            return side
    return ""


def fix_axis(shots: list[Shot], position: int, finding: Finding) -> str:
    """Put the camera back on its side of the line: the subject keeps their side of frame."""
    side = _earlier_side(shots, position)
    if not side:
        return ""
    shot = shots[position]
    shot.screen_side = side
    shot.direction = _looks_toward(side)
    return f"camera kept on the line, {shot.subjects[0]} frame {side}"


def fix_eyeline(shots: list[Shot], position: int, finding: Finding) -> str:
    """Turn the second single's look so the pair look at each other."""
    if position == 0:
        return ""
    before = shots[position - 1]
    before_look = before.direction.casefold() or _looks_toward(before.screen_side.casefold())
    shot = shots[position]
    if "right" in before_look:
        shot.screen_side, shot.direction = "right", "screen left"
    elif "left" in before_look:
        shot.screen_side, shot.direction = "left", "screen right"
    else:
        return ""
    return f"{shot.subjects[0]} now looks {shot.direction} from frame {shot.screen_side}"


def fix_direction(shots: list[Shot], position: int, finding: Finding) -> str:
    """Keep moving subjects moving the way they last travelled in this scene: the shots the
    direction rule compared with. A reversal against the scene before has no such shot here,
    and subjects who last went opposite ways cannot both be kept; those stay in the report
    for a person."""
    shot = shots[position]
    last = [earlier for subject in shot.subjects if (earlier := _last_travel(shots[:position], subject))]
    ways = {travel_way(earlier) for earlier in last}
    if len(ways) != 1 or not ways <= {"left", "right"} or ways == {travel_way(shot)}:
        return ""
    shot.direction = last[0].direction
    return f"movement kept {shot.direction}"


def _last_travel(shots: list[Shot], subject: str) -> Shot | None:
    """The latest of `shots` in which `subject` travels (any way), or None."""
    folded = subject.casefold()
    return next((s for s in reversed(shots) if travel_way(s) and folded in (n.casefold() for n in s.subjects)), None)


def fix_jump_cut(shots: list[Shot], position: int, finding: Finding) -> str:
    """Change the second shot's size by one step so the cut reads."""
    shot = shots[position]
    if shot.size not in SIZE_LADDER:
        return ""
    step = SIZE_LADDER.index(shot.size)
    new = SIZE_LADDER[step + 1] if step + 1 < len(SIZE_LADDER) else SIZE_LADDER[step - 1]
    shot.size = new
    return f"size changed to {new}"


def fix_duration(shots: list[Shot], position: int, finding: Finding) -> str:
    """Hold a shot long enough for the words it carries, counted as the duration check counts them."""
    shot = shots[position]
    caption = shot.dialogue.split(":", 1)[-1]
    need = math.ceil(len(WORD.findall(caption)) / WORDS_PER_SECOND * 10) / 10
    if need <= shot.duration_s:
        return ""
    shot.duration_s = need
    return f"held for {need:g} s"


def fix_framing(shots: list[Shot], position: int, finding: Finding) -> str:
    """In a vertical frame, stack people in depth instead of side by side."""
    shot = shots[position]
    if len(shot.subjects) < 2:
        return ""
    front, *back = shot.subjects
    stacking = f"stacked in depth: {front} foreground, {', '.join(back)} background"
    shot.notes = f"{shot.notes}; {stacking}".strip("; ")
    return stacking


FIXES: dict[str, Fix] = {
    "axis_180": fix_axis,
    "eyeline": fix_eyeline,
    "screen_direction": fix_direction,
    "jump_cut": fix_jump_cut,
    "duration": fix_duration,
    "framing": fix_framing,
}
