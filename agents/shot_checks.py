"""Check a scene's shots against the scene: lines that exist, cast that is there, the vocabulary.

Used on every model answer (a problem list goes back to the model once, as a repair request)
and by tests on every rule plan. Each problem is one plain sentence naming the shot.
"""

from __future__ import annotations

from filmcrew.agents.shot_beats import read_scene, scene_elements, valid_lines
from filmcrew.agents.shot_vocab import (
    AUDIO,
    DIRECTIONS,
    SCREEN_SIDES,
    SIZES,
    TYPES,
    is_reasonable_custom,
    is_vocab_angle,
    is_vocab_lens,
    is_vocab_movement,
    lines_label,
)

from filmcrew.domain import BreakdownScene, Screenplay, Shot


def dialogue_lines(sp: Screenplay, scene: BreakdownScene) -> list[int]:
    """Return every source line of dialogue in a scene (what coverage must reach)."""
    return sorted(
        {
            n
            for e in scene_elements(sp, scene)
            if e.kind in ("dialogue", "lyric") and e.text.strip()
            for n in range(e.start_line, e.end_line + 1)
        }
    )


def _vocabulary(shot: Shot) -> list[str]:
    """Problems with a shot's closed fields (size, type, audio, side) and its custom ones."""
    problems: list[str] = []
    closed = {
        "size": (shot.size, SIZES),
        "type": (shot.type, TYPES),
        "audio": (shot.audio, AUDIO),
        "screen_side": (shot.screen_side, SCREEN_SIDES),
        "direction": (shot.direction, DIRECTIONS),
    }
    for field, (value, allowed) in closed.items():
        if value not in allowed:
            problems.append(f"{field} {value!r} is not one of {', '.join(a for a in allowed if a)}")
    open_fields = {
        "angle": (shot.angle, is_vocab_angle),
        "movement": (shot.movement, is_vocab_movement),
        "lens": (shot.lens, is_vocab_lens),
    }
    for field, (value, known) in open_fields.items():
        if not known(value) and not is_reasonable_custom(value):
            problems.append(
                f"{field} {value!r} is neither a vocabulary word nor a short custom value"
            )
    return problems


def _shot_problems(
    shot: Shot, scene: BreakdownScene, lines: set[int], present: dict[str, str]
) -> list[str]:
    """Problems with one shot: its scene, lines, subjects, duration and vocabulary."""
    problems = _vocabulary(shot)
    if shot.scene != scene.number:
        problems.append(f"belongs to scene {shot.scene}, not {scene.number}")
    if not shot.lines:
        problems.append("covers no line of the scene")
    stray = [n for n in shot.lines if n not in lines]
    if stray:
        problems.append(
            f"covers line(s) {lines_label(stray)} outside the scene's text "
            f"(lines {scene.start_line}-{scene.end_line})"
        )
    absent = [s for s in shot.subjects if s.casefold() not in present]
    if absent:
        problems.append(
            f"subject(s) {', '.join(absent)} not in the scene "
            f"(present: {', '.join(sorted(present.values())) or 'nobody'})"
        )
    if shot.duration_s <= 0:
        problems.append(f"duration {shot.duration_s} s is not positive")
    return [f"shot {shot.shot_id or '?'}: {p}" for p in problems]


def _coverage_problems(sp: Screenplay, scene: BreakdownScene, shots: list[Shot]) -> list[str]:
    """Problems across the scene: uncovered dialogue, unseen speakers, repeated ids."""
    problems: list[str] = []
    covered = {n for s in shots for n in s.lines}
    missing = [n for n in dialogue_lines(sp, scene) if n not in covered]
    if missing:
        problems.append(
            f"scene {scene.label}: dialogue line(s) {lines_label(missing)} covered by no shot"
        )
    seen = {n.casefold() for s in shots for n in s.subjects}
    reading = read_scene(sp, scene, None)
    unseen = [n for n in reading.speakers if n.casefold() not in seen]
    if unseen:
        problems.append(
            f"scene {scene.label}: {', '.join(unseen)} speak(s) on screen but appear in no shot"
        )
    ids = [s.shot_id for s in shots]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        problems.append(f"scene {scene.label}: shot id(s) {', '.join(repeated)} used twice")
    return problems


def validate_shots(sp: Screenplay, scene: BreakdownScene, shots: list[Shot]) -> list[str]:
    """Return the problems with a scene's shots (empty when they are sound)."""
    lines = valid_lines(scene_elements(sp, scene))
    present = {n.casefold(): n for n in [*scene.characters, *scene.speaking]}
    problems: list[str] = []
    for shot in shots:
        problems.extend(_shot_problems(shot, scene, lines, present))
    return problems + _coverage_problems(sp, scene, shots)
