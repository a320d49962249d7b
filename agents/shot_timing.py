"""Shot durations: the screen time each shot is likely to hold in the cut.

A shot list overlaps (the master covers the whole scene, singles cover their speaker), so a
shot's duration is not its take length but its share of the edited scene. The model:

1. Every beat gets a time from its text (constants in `data/shot_styles.json` "timing"):
   - speech:  t = pause + max(min_speech, characters / cps) + parenthetical_s x parentheticals
   - action:  t = settle + action_line_s x printed lines + hold
              (60-character lines; 1 s a line, settle 1 s; hold = the largest of the beat's moods:
              travel 2 s, kinetic 1.5 s, intimate 1.5 s, reaction 1 s, POV 1 s: a walk, a chase
              or a long look plays out longer than it reads)
   - opening: the scene's first held frame, opening_s (3 s, the heading's place on the page)
   - closing: the button after the last beat before the cut, closing_s (1.5 s)
   Dual dialogue overlaps: the second speech adds only what it runs past the first.
2. Each beat's time goes to the shots that carry it in the cut (the shots whose `lines`
   include the beat's lines). Each carrier has a cut weight
       w(shot, beat) = style weight of the shot type    (a single outweighs the master)
                     x subject fit                      (the speaker's own shot over a shoulder)
                     x progression(beat position)       (wides early, closes late in the scene)
   and the editor cuts to the carrier with the highest weight, the primary:
       short beat (t <= 4 s):  share(primary) = t                 (nobody cuts inside a short line)
       longer beat:            share(primary) = 0.7 t
                               share(other)   = 0.3 t x w(other) / sum of w over the others
   The opening goes to the establishing or hook shot, else to the first beat's primary;
   a beat no shot covers stays on the shot(s) that carried the beat before it.
3. duration(shot) = the sum of its shares. A shot under the style's floor (2 s classic, 1.5 s
   vertical, 3 s handheld) is raised to it, and the time is taken from the shots above the
   floor in proportion to their excess, so the scene total is kept; a hook shot is capped at
   the style's hook length (3 s) and its excess is shared out the same way.

So the shots of a scene add up to its text time, which tracks page time (eighths x 7.5 s);
where the two part by more than 15 %, `timing_note` says why (montage, silent scene, the 1/8
minimum, eighths rounding up, quick or long speeches).
"""

from __future__ import annotations

from typing import Any

from filmcrew.agents.shot_beats import Beat, SceneReading, scene_elements
from filmcrew.agents.shot_styles import StylePreset, style_data
from filmcrew.agents.shot_vocab import CLOSE_SIZES, SIZE_RANK, WIDE_TYPES
from filmcrew.tools.pages import element_lines, wrapped_lines

from filmcrew.domain import Screenplay, Shot

SECONDS_PER_EIGHTH = 60.0 / 8


def timing() -> dict[str, Any]:
    """Return the timing constants from the data file."""
    data: dict[str, Any] = style_data()["timing"]
    return data


def beat_seconds(beat: Beat) -> float:
    """Return the screen time one beat plays, from its text (formula in the module docstring)."""
    k = timing()
    if beat.kind == "dialogue":
        spoken = max(k["min_speech_s"], len(beat.text) / k["chars_per_second"])
        parens = beat.parenthetical.count("(") if beat.parenthetical else 0
        return float(k["speech_pause_s"] + spoken + k["parenthetical_s"] * parens)
    printed = wrapped_lines(beat.text, int(k["action_width"]))
    hold = max((k["action_holds_s"].get(mood, 0.0) for mood in beat.moods), default=0.0)
    return float(k["action_settle_s"] + k["action_line_s"] * printed + hold)


def beat_times(reading: SceneReading) -> list[float]:
    """Return each beat's time.

    A dual speech adds only what it runs past its partner; the last beat carries the button.
    """
    times = [beat_seconds(b) for b in reading.beats]
    for i, beat in enumerate(reading.beats):
        if beat.dual and i > 0:
            times[i] = max(0.0, times[i] - times[i - 1])
    if times:
        times[-1] += float(timing()["closing_s"])
    return times


def text_seconds(reading: SceneReading) -> float:
    """Return the scene's screen time from its text: the opening plus every beat."""
    if not reading.beats:
        return 0.0
    return float(timing()["opening_s"]) + sum(beat_times(reading))


def page_seconds(eighths: int) -> float:
    """Return page time: one page (8 eighths) plays a minute."""
    return eighths * SECONDS_PER_EIGHTH


def _subject_fit(shot: Shot, beat: Beat) -> float:
    """Weigh how well a shot suits a beat: the speaker's own shot beats a shoulder or a listener."""
    if beat.kind == "dialogue" and beat.seen_speaking:
        if shot.type in WIDE_TYPES:
            return 1.0
        if shot.subjects and shot.subjects[0] == beat.speaker:
            return 1.0
        if shot.type == "reaction":
            return 0.8
        return 0.25 if beat.speaker in shot.subjects else 0.3
    if (
        beat.kind == "action"
        and beat.characters
        and shot.type not in ("insert", "POV", "establishing")
    ):
        return 1.0 if set(beat.characters) & set(shot.subjects) else 0.5
    return 1.0


def _progression(shot: Shot, position: float, strength: float) -> float:
    """Favour wides early in the scene and closes late (how coverage pushes in as it builds)."""
    if shot.type in WIDE_TYPES:
        return 1.0 + strength * (0.5 - position)
    if shot.size in CLOSE_SIZES and shot.type not in ("insert",):
        return 1.0 + strength * (position - 0.5)
    return 1.0


def cut_weight(shot: Shot, beat: Beat, position: float, preset: StylePreset) -> float:
    """Return w(shot, beat): style weight x subject fit x progression."""
    return (
        preset.weight(shot.type)
        * _subject_fit(shot, beat)
        * _progression(shot, position, preset.progression)
    )


def _carriers(shots: list[Shot], beat: Beat) -> list[int]:
    """Return the indices of the shots whose lines include any of the beat's lines."""
    lines = set(beat.lines)
    return [i for i, s in enumerate(shots) if lines & set(s.lines)]


def _openers(shots: list[Shot]) -> list[int]:
    """Find the shots made to open the scene: establishing or hook shots."""
    return [i for i, s in enumerate(shots) if s.type == "establishing" or "HOOK" in s.notes]


def primary(shots: list[Shot], carriers: list[int], weights: list[float], beat: Beat) -> int:
    """Pick the carrier the editor cuts to for a beat: the highest weight.

    Ties go to the speaker's own shot, then the tighter frame, then the earlier shot.
    """

    def key(k: int) -> tuple[float, int, int, int]:
        shot = shots[carriers[k]]
        own = int(
            bool(shot.subjects) and shot.subjects[0] == beat.speaker and beat.kind == "dialogue"
        )
        return round(weights[k], 6), own, SIZE_RANK.get(shot.size, 0), -k

    return max(range(len(carriers)), key=key)


def split_beat(seconds: float, weights: list[float], top: int) -> list[float]:
    """Share one beat among its carriers.

    A short beat stays on one shot; a long one gives the primary its share and the rest to
    the others by weight.
    """
    k = timing()
    out = [0.0] * len(weights)
    others = sum(w for i, w in enumerate(weights) if i != top)
    if len(weights) == 1 or seconds <= k["whole_beat_s"] or others <= 0:
        out[top] = seconds
        return out
    share = float(k["primary_share"])
    for i, w in enumerate(weights):
        out[i] = seconds * share if i == top else seconds * (1 - share) * w / others
    return out


def shares(shots: list[Shot], reading: SceneReading, preset: StylePreset) -> list[float]:
    """Give every beat's time to the shots that carry it in the cut; return each shot's sum."""
    totals = [0.0] * len(shots)
    if not shots or not reading.beats:
        return totals
    opening = float(timing()["opening_s"])
    openers = _openers(shots)
    for i in openers:
        totals[i] += opening / len(openers)
    last = len(reading.beats) - 1
    previous = openers or [0]
    for beat, seconds in zip(reading.beats, beat_times(reading), strict=True):
        carriers = _carriers(shots, beat) or previous
        position = beat.index / last if last else 0.0
        weights = [cut_weight(shots[i], beat, position, preset) for i in carriers]
        top = primary(shots, carriers, weights, beat)
        if not openers and beat.index == 0:
            totals[carriers[top]] += opening  # no opening shot: the first beat's shot holds it
        for i, part in zip(carriers, split_beat(seconds, weights, top), strict=True):
            totals[i] += part
        previous = carriers
    return totals


def apply_floor(durations: list[float], floor: float) -> list[float]:
    """Raise short shots to the floor, taking the time from longer shots (the total is kept)."""
    raised = [max(d, floor) for d in durations]
    deficit = sum(raised) - sum(durations)
    spare = [max(0.0, d - floor) for d in durations]
    pool = sum(spare)
    if deficit <= 0 or pool <= 0:
        return raised
    take = min(1.0, deficit / pool)
    return [r - s * take if s > 0 else r for r, s in zip(raised, spare, strict=True)]


def cap_hook(shots: list[Shot], durations: list[float], cap: float) -> list[float]:
    """Hold a hook shot to its cap and hand the excess to the other shots by their length."""
    out = list(durations)
    for i, shot in enumerate(shots):
        excess = out[i] - cap
        if "HOOK" not in shot.notes or excess <= 0:
            continue
        others = [j for j in range(len(out)) if j != i]
        pool = sum(out[j] for j in others)
        if not pool:
            continue
        out[i] = cap
        for j in others:
            out[j] += excess * out[j] / pool
    return out


def assign_durations(shots: list[Shot], reading: SceneReading, preset: StylePreset) -> list[Shot]:
    """Return the shots with `duration_s` set from the cut model (rounded to 0.1 s)."""
    durations = apply_floor(shares(shots, reading, preset), preset.floor_s)
    durations = cap_hook(shots, durations, preset.hook_max_s)
    return [
        s.model_copy(update={"duration_s": round(d, 1)})
        for s, d in zip(shots, durations, strict=True)
    ]


def printed_seconds(sp: Screenplay, reading: SceneReading) -> float:
    """Return page time before rounding to eighths: the scene's printed lines x 60/55 s.

    Lines are counted element by element (blank lines before each included), as `tools.pages`
    lays them out, except that only the script's first page top is adjusted: close enough to
    name a reason, and local to the scene.
    """
    elements = scene_elements(sp, reading.scene)
    lines = sum(sum(element_lines(e)) for e in elements)
    if elements and elements[0] is next((e for e in sp.elements if element_lines(e)[1]), None):
        lines -= element_lines(elements[0])[0]  # nothing is printed above a page's first line
    return lines * 60.0 / 55.0


def _why(sp: Screenplay, reading: SceneReading, total: float, page: float) -> str:
    """Name the reason a scene's shot time parts from its page time."""
    dialogue = sum(
        t for b, t in zip(reading.beats, beat_times(reading), strict=True) if b.kind == "dialogue"
    )
    unrounded = printed_seconds(sp, reading)
    tolerance = float(timing()["tolerance"])
    if reading.montage:
        return "a montage: its shots play at the editor's pace, not the page's"
    if not reading.beats:
        return "nothing to film beyond the heading"
    if abs(total - unrounded) <= tolerance * max(unrounded, 1.0) and total < page:
        return (
            f"page time rounds up to whole eighths; "
            f"its {unrounded:.0f} s of printed lines match the shots"
        )
    if reading.scene.eighths == 1 and total < page:
        return "1/8 page is the smallest unit a breakdown counts; the text plays shorter"
    if dialogue == 0 and total < page:
        return "a silent scene: its action reads quicker than its page space; the director paces it"
    if dialogue == 0:
        return "a silent scene: its action plays out longer than its page space"
    if total < page:
        return "quick exchanges: short speeches play faster than the page space of their cues"
    return "long speeches and dense action play slower than their page space"


def timing_note(sp: Screenplay, reading: SceneReading, shots: list[Shot]) -> str | None:
    """Say why a scene's shots add up to more than 15 % off its page time (None when they don't)."""
    page = page_seconds(reading.scene.eighths)
    total = sum(s.duration_s for s in shots)
    if abs(total - page) <= float(timing()["tolerance"]) * page:
        return None
    label = reading.label
    reason = _why(sp, reading, total, page)
    eighths = reading.scene.eighths_str
    said = f"shots add up to {total:.1f} s against {page:.1f} s of page time ({eighths})"
    return f"scene {label}: {said}; {reason}"
