"""Shot-list rules (film-grammar.md §4, camera logic): the line, eyelines, cuts, time, framing.

The shot list's convention (shared with the shot planner and the storyboard artist):
`screen_side` is the side of frame the first subject holds ("left": frame left, looking screen
right; "neutral": on the axis, or a wide that holds everyone); `direction` is the way that
subject looks or moves ("screen left", "screen right", "toward camera", "away from camera");
`setup` names the camera position; shots are listed in cut order within a scene.

- 180-degree line: a subject keeps its side of frame through a scene, unless an on-axis shot
  of them intervenes or a moving shot crosses the line on camera.
- Eyelines: consecutive singles of two people look opposite ways (A screen right, B screen left).
- Screen direction: someone moving keeps moving the same way across cuts (and into a
  continuous scene) unless a shot toward or away from camera turns them.
- Jump cut (30-degree rule): consecutive shots of the same subjects change size or setup.
- Monotony: four or more consecutive shots at one size.
- Duration: a shot holds at least the time its dialogue takes (3 words a second at most).
- Vertical framing (9:16): no side-by-side two-shot in close-up, no three across in a medium.
"""

from __future__ import annotations

import re

from filmcrew.agents.continuity_merge import merge_findings
from filmcrew.agents.continuity_script import finding
from filmcrew.agents.continuity_text import WORD

from filmcrew.domain import Breakdown, Finding, Shot, ShotList

WIDE_TYPES = frozenset({"establishing", "master", "group", "two-shot"})
SINGLE_TYPES = frozenset({"single", "OTS", "reaction", "POV"})
NO_SUBJECT_TYPES = frozenset({"insert", "cutaway"})
MOVING = re.compile(r"dolly|truck|track|steadicam|gimbal|handheld|hand-held|crane|jib|arc|follow|crab|drone", re.I)
CROSSING = re.compile(r"\b(?:cross(?:es|ing)?|arcs?|around|circles?|new\s+line|re-?establish\w*)\b", re.I)
TURNING = re.compile(r"\b(?:turns?|u-turn|doubles?\s+back|returns?|heads?\s+back|comes?\s+back|reverses?|"
                     r"back\s+the\s+way|retraces?)\b", re.I)
WORDS_PER_SECOND = 3.0
CLOSE = frozenset({"MCU", "CU", "ECU"})
MEDIUM = frozenset({"MWS", "MS"})
_CONTINUING = ("CONTINUOUS", "SAME", "MOMENTS LATER", "A MOMENT LATER", "SECONDS LATER")


def _scenes(shotlist: ShotList) -> dict[int, list[Shot]]:
    """Group shots by scene, keeping their cut order."""
    grouped: dict[int, list[Shot]] = {}
    for shot in shotlist.shots:
        grouped.setdefault(shot.scene, []).append(shot)
    return grouped


def _line(shot: Shot) -> int | None:
    """Return the first script line a shot covers."""
    return min(shot.lines) if shot.lines else None


def _side(shot: Shot) -> str:
    """Return `left`, `right`, `neutral` or '' from a shot's screen side."""
    side = shot.screen_side.strip().casefold()
    return next((s for s in ("left", "right", "neutral") if side.startswith(s)), "")


def _way(text: str) -> str:
    """Read a direction as `left`, `right`, `toward`, `away` or ''."""
    folded = text.casefold()
    if "toward" in folded or "to camera" in folded:
        return "toward"
    if "away" in folded or "depth" in folded:
        return "away"
    if re.search(r"l\s*(?:>|->|to)\s*r|left\s+to\s+right|screen\s+right|\bright\b", folded):
        return "right"
    if re.search(r"r\s*(?:>|->|to)\s*l|right\s+to\s+left|screen\s+left|\bleft\b", folded):
        return "left"
    return ""


def _is_single(shot: Shot) -> bool:
    """Say whether a shot favours one person (single, OTS, reaction, or one subject up close)."""
    if shot.type in WIDE_TYPES or shot.type in NO_SUBJECT_TYPES or not shot.subjects:
        return False
    return shot.type in SINGLE_TYPES or len(shot.subjects) == 1


def _moving(shot: Shot) -> bool:
    """Say whether the camera or the subject moves in the shot."""
    return bool(MOVING.search(shot.movement))


def check_shots(shotlist: ShotList, breakdown: Breakdown) -> list[Finding]:
    """Check a shot list against the camera rules (findings numbered C001...; merging renumbers)."""
    found: list[Finding] = []
    continuing = {s.number for s in breakdown.scenes if s.time_of_day.upper().strip() in _CONTINUING}
    for scene, shots in sorted(_scenes(shotlist).items()):
        axis = axis_rule(shots)
        found.extend(axis)
        flagged = {f.shot for f in axis}
        found.extend(f for f in eyeline_rule(shots, flagged))
        found.extend(jump_cut_rule(shots))
        found.extend(monotony_rule(shots))
        found.extend(duration_rule(shots))
        if shotlist.aspect.replace(" ", "") == "9:16":
            found.extend(framing_rule(shots))
    found.extend(direction_rule(shotlist, continuing))
    return merge_findings(found)


# --- the line --------------------------------------------------------------------------


def _notes_sides(shot: Shot) -> dict[str, str]:
    """Read `line: MAYA frame left, TOM frame right` notes the planner writes on wides."""
    return {m.group(1).strip().casefold(): m.group(2)
            for m in re.finditer(r"([A-Z][\w .'’-]*?)\s+frame\s+(left|right)", shot.notes)}


def axis_rule(shots: list[Shot]) -> list[Finding]:
    """A subject who changes side of frame has crossed the line (no on-axis shot, no move)."""
    found: list[Finding] = []
    sides: dict[str, tuple[str, Shot]] = {}
    for shot in shots:
        side = _side(shot)
        if _resets(shot):
            sides = {}
            continue
        for name, noted in _notes_sides(shot).items():
            sides.setdefault(name, (noted, shot))
        if not _is_single(shot) or side not in ("left", "right"):
            continue
        subject = shot.subjects[0].casefold()
        before = sides.get(subject)
        if before is not None and before[0] != side:
            found.append(_crossing(shot, before, side))
        sides[subject] = (side, shot) if before is None or before[0] == side else before
    return found


def _resets(shot: Shot) -> bool:
    """Say whether a shot re-establishes the line: on axis on one person, or crossing on camera."""
    on_axis = _side(shot) == "neutral" and _is_single(shot) and shot.type != "POV"
    crossing = _moving(shot) and bool(CROSSING.search(f"{shot.description} {shot.notes}"))
    return on_axis or crossing


def _crossing(shot: Shot, before: tuple[str, Shot], side: str) -> Finding:
    """Describe a crossing of the line."""
    who = shot.subjects[0]
    was, first = before
    return finding(
        "axis_180", "error", shot.scene, _line(shot),
        f"Shot {shot.shot_id} puts {who} frame {side}; shot {first.shot_id} set {who} frame {was}: "
        "the camera has crossed the 180-degree line.",
        f"Move shot {shot.shot_id}'s camera back to the other side so {who} stays frame {was}, or put a "
        "neutral on-axis shot or a move that crosses the line on camera before it.", shot=shot.shot_id)


def eyeline_rule(shots: list[Shot], crossed: set[str | None] | None = None) -> list[Finding]:
    """Two people cut together in static singles must look opposite ways.

    Only in a pair's scene (in a group two people can rightly both look at a third), and not
    where the 180-degree rule already flagged one of the two shots (`crossed`): that is the fault.
    """
    found: list[Finding] = []
    people = {s.subjects[0].casefold() for s in shots if _is_single(s) and s.type != "POV"}
    if len(people) != 2:
        return found
    for first, second in zip(shots, shots[1:]):
        if not (_is_single(first) and _is_single(second)) or "POV" in (first.type, second.type):
            continue
        if _moving(first) or _moving(second) or {first.shot_id, second.shot_id} & (crossed or set()):
            continue
        if first.subjects[0].casefold() == second.subjects[0].casefold():
            continue
        a, b = _look(first), _look(second)
        if a in ("left", "right") and a == b:
            found.append(finding(
                "eyeline", "warning", second.scene, _line(second),
                f"Shots {first.shot_id} ({first.subjects[0]}) and {second.shot_id} ({second.subjects[0]}) both "
                f"look screen {a}; cut together they do not look at each other.",
                f"Have {second.subjects[0]} look screen {'left' if a == 'right' else 'right'} in shot "
                f"{second.shot_id} (frame {'right' if a == 'right' else 'left'}).", shot=second.shot_id))
    return found


def _look(shot: Shot) -> str:
    """Return the way a single looks: its direction, or the way its side of frame faces."""
    way = _way(shot.direction)
    if way:
        return way
    return {"left": "right", "right": "left"}.get(_side(shot), "")


# --- movement across cuts ----------------------------------------------------------------


def direction_rule(shotlist: ShotList, continuing: set[int]) -> list[Finding]:
    """Someone moving keeps moving the same way across cuts, and into a continuous scene."""
    found: list[Finding] = []
    moving: dict[str, tuple[str, Shot]] = {}
    scene = None
    for shot in shotlist.shots:
        if shot.scene != scene:
            if shot.scene not in continuing:
                moving = {}
            scene = shot.scene
        way = travel_way(shot)
        if not way:
            continue
        for subject in (s.casefold() for s in shot.subjects):
            before = moving.get(subject)
            if way in ("left", "right") and before and before[0] in ("left", "right") and before[0] != way \
                    and not TURNING.search(f"{shot.description} {shot.notes}"):
                found.append(_reversal(shot, before, way))
            moving[subject] = (way, shot)
    return found


def travel_way(shot: Shot) -> str:
    """The way a shot's subjects travel for screen direction: `left`, `right`, `toward`,
    `away`, or '' when the shot shows no travel (no subject, no direction, or a look)."""
    way = _way(shot.direction)
    return way if shot.subjects and way and _travels(shot) else ""


def _travels(shot: Shot) -> bool:
    """Say whether a shot's direction is a movement rather than a look."""
    return _side(shot) in ("neutral", "") or _moving(shot) or shot.type in WIDE_TYPES


def _reversal(shot: Shot, before: tuple[str, Shot], way: str) -> Finding:
    """Describe a screen-direction reversal."""
    was, first = before
    return finding(
        "screen_direction", "warning", shot.scene, _line(shot),
        f"In shot {first.shot_id} {shot.subjects[0]} moves screen {was}; in shot {shot.shot_id} screen {way}, "
        "so they seem to turn back.",
        f"Keep {shot.subjects[0]} moving screen {was} in shot {shot.shot_id}, or show the turn (a shot "
        "toward or away from camera) in between.", shot=shot.shot_id)


# --- cuts, sizes, time, framing --------------------------------------------------------


def jump_cut_rule(shots: list[Shot]) -> list[Finding]:
    """Consecutive shots of the same subjects at the same size from the same position."""
    found: list[Finding] = []
    for first, second in zip(shots, shots[1:]):
        if not first.subjects or second.size == "INSERT" or first.size != second.size:
            continue
        if sorted(s.casefold() for s in first.subjects) != sorted(s.casefold() for s in second.subjects):
            continue
        same_place = first.setup == second.setup if first.setup and second.setup else (
            first.angle == second.angle and _side(first) == _side(second) and first.type == second.type)
        if same_place and not (_moving(first) or _moving(second)):
            found.append(finding(
                "jump_cut", "warning", second.scene, _line(second),
                f"Shots {first.shot_id} and {second.shot_id} show {', '.join(second.subjects)} at the same size "
                f"({second.size}) from the same position: a jump cut.",
                f"Change shot {second.shot_id}'s size by at least one step or move the camera 30 degrees or "
                "more, or cut away in between.", shot=second.shot_id))
    return found


def monotony_rule(shots: list[Shot], run: int = 4) -> list[Finding]:
    """Four or more consecutive shots at one size flatten the scene (a note)."""
    found: list[Finding] = []
    count = 0
    for previous, shot in zip([None, *shots], shots):
        same = previous is not None and shot.size == previous.size and shot.size != "INSERT"
        count = count + 1 if same else 1
        if count == run:
            found.append(finding(
                "monotony", "note", shot.scene, _line(shot),
                f"Shots up to {shot.shot_id} are {run} in a row at {shot.size}.",
                f"Vary the sizes: make one of these shots wider or tighter than {shot.size}.", shot=shot.shot_id))
    return found


def _carried_words(shot: Shot) -> int:
    """Count the words a shot shows its subject saying (its caption, when the subject speaks it)."""
    if ":" not in shot.dialogue or not shot.subjects or shot.type in ("reaction", "insert", "cutaway", "POV"):
        return 0
    speaker, caption = shot.dialogue.split(":", 1)
    if re.sub(r"\s*\(.*\)\s*", "", speaker).strip().casefold() != shot.subjects[0].casefold():
        return 0
    return len(WORD.findall(caption))


def duration_rule(shots: list[Shot]) -> list[Finding]:
    """A shot too short for the dialogue it carries (3 words a second is already quick)."""
    found: list[Finding] = []
    for shot in shots:
        words = _carried_words(shot)
        need = round(words / WORDS_PER_SECOND, 1)
        if shot.duration_s <= 0 or (words and shot.duration_s + 0.05 < need and need - shot.duration_s >= 0.5):
            found.append(finding(
                "duration", "warning", shot.scene, _line(shot),
                f"Shot {shot.shot_id} lasts {shot.duration_s:g} s but carries {words} words of dialogue "
                f"(at least {need:g} s).",
                f"Lengthen shot {shot.shot_id} to {max(need, 1.0):g} s or more, or split the speech across "
                "another shot.", shot=shot.shot_id))
    return found


def framing_rule(shots: list[Shot]) -> list[Finding]:
    """In a vertical frame, people side by side only fit wide; stack them in depth or cut to singles."""
    found: list[Finding] = []
    for shot in shots:
        across = len(shot.subjects) - (1 if shot.type == "OTS" else 0)
        stacked = bool(re.search(r"stack|depth|foreground|background", f"{shot.notes} {shot.description}", re.I))
        if stacked or across < 2:
            continue
        if shot.size in CLOSE or (across >= 3 and shot.size in MEDIUM):
            found.append(finding(
                "framing", "warning", shot.scene, _line(shot),
                f"Shot {shot.shot_id} puts {across} people side by side at {shot.size} in a 9:16 frame; "
                "they will not fit.",
                f"Stack them in depth (one foreground, one background), go wider, or split shot "
                f"{shot.shot_id} into singles.", shot=shot.shot_id))
    return found
