"""Framing a drafted shot: angle, movement, lens, audio, screen side, setup, notes and its id.

Screen sides keep the 180-degree line the continuity checker tests: seen speakers take frame
left and right in order of first speech (A left, B right, alternating for groups), so A's
single looks screen right and B's screen left. Setups group shots by camera position (the
wide side, one position facing each person, inserts, moving shots, the establishing unit),
which gives a shooting order: wides first, then each side's coverage, then inserts.
"""

from __future__ import annotations

from filmcrew.agents.shot_beats import Beat, SceneReading, cues, has_any
from filmcrew.agents.shot_drafts import Draft, first_sentence
from filmcrew.agents.shot_styles import ShotSettings
from filmcrew.agents.shot_vocab import SIZE_RANK, WIDE_TYPES

from filmcrew.domain import Shot

_SETUP_RANK = {"wide": 0, "on": 1, "move": 2, "pov": 2, "insert": 3, "establishing": 4}
_TYPE_SETUP = {
    "establishing": "establishing",
    "master": "wide",
    "group": "wide",
    "two-shot": "wide",
    "insert": "insert",
    "cutaway": "insert",
    "POV": "pov",
}


def letters(index: int) -> str:
    """Return the shot letter for a 0-based index: A..Z, then AA, AB, ... (bijective base 26)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def shot_id(label: str, index: int) -> str:
    """Build a shot id from the scene label: `12` -> `12A`; `12A` -> `12A-A` (ids stay apart)."""
    return f"{label}-{letters(index)}" if label[-1:].isalpha() else f"{label}{letters(index)}"


def sides(reading: SceneReading) -> dict[str, str]:
    """Place the seen cast either side of the line: speakers first, alternating left and right."""
    order = list(dict.fromkeys([*reading.speakers, *reading.cast]))
    if len(order) < 2:
        return {name: "neutral" for name in order}
    return {name: ("left" if i % 2 == 0 else "right") for i, name in enumerate(order)}


def covered_beats(shot: Shot, reading: SceneReading) -> list[Beat]:
    """Return the beats a shot's lines touch."""
    lines = set(shot.lines)
    return [b for b in reading.beats if lines & set(b.lines)]


def sound_cues(shot: Shot, reading: SceneReading) -> list[str]:
    """Return the breakdown's sound cues ("phone buzzes") that the shot's covered action holds."""
    text = " ".join(b.text for b in covered_beats(shot, reading) if b.kind == "action")
    return [cue for cue in reading.scene.sounds if has_any(text, [cue.lower()])]


def audio(shot: Shot, reading: SceneReading) -> str:
    """Choose sync for seen speech or people, V.O. for voices alone, MOS for the rest."""
    beats = covered_beats(shot, reading)
    if any(b.seen_speaking for b in beats):
        return "sync"
    if any(b.kind == "dialogue" for b in beats):
        return "V.O."
    if shot.type in ("insert", "establishing", "cutaway", "POV") or not shot.subjects:
        return "MOS"
    return "sync"


def subject_moods(shot: Shot, reading: SceneReading) -> set[str]:
    """Return the moods of the covered sentences that involve the shot's main subject."""
    lead = shot.subjects[0] if shot.subjects else ""
    return {m for b in covered_beats(shot, reading) for m in b.moods_for(lead)} if lead else set()


def movement(draft: Draft, reading: SceneReading, settings: ShotSettings) -> str:
    """Choose movement by the beat: a chase moves, a confession holds or pushes in."""
    preset, shot = settings.preset, draft.shot
    if draft.movement:
        return draft.movement
    beats = covered_beats(shot, reading)
    if shot.type == "establishing":
        return preset.establishing_movement
    if draft.role in ("walk", "follow"):
        return (
            preset.kinetic_movement
            if any("kinetic" in b.moods for b in beats)
            else preset.travel_movement
        )
    if shot.type == "master":
        return preset.master_movement
    if shot.type in ("insert", "cutaway"):
        return preset.default_movement if preset.default_movement == "handheld" else "static"
    moods = subject_moods(shot, reading)
    if "kinetic" in moods and shot.type != "reaction":
        return preset.kinetic_movement
    if "intimate" in moods:
        return preset.intimate_movement
    return preset.default_movement


def angle(shot: Shot, reading: SceneReading, settings: ShotSettings) -> str:
    """Low on a threat, high on someone small or trapped, else eye level."""
    preset = settings.preset
    if shot.type == "establishing":
        return preset.establishing_angle
    if shot.type in ("insert", "cutaway", "POV") or not shot.subjects:
        return "eye level"
    moods = subject_moods(shot, reading)
    if "menace" in moods:
        return preset.menace_angle
    if "vulnerable" in moods:
        return preset.vulnerable_angle
    return "eye level"


def side_and_direction(
    draft: Draft, reading: SceneReading, placed: dict[str, str]
) -> tuple[str, str]:
    """Return the subject's side of frame and the way it looks or moves (the 180-degree rule)."""
    shot = draft.shot
    if draft.role in ("walk", "follow"):
        back = any(has_any(b.text, cues()["return_words"]) for b in covered_beats(shot, reading))
        return "neutral", "screen left" if back else "screen right"
    if shot.type in WIDE_TYPES or shot.type in ("insert", "cutaway", "POV") or not shot.subjects:
        return "neutral", ""
    side = placed.get(shot.subjects[0], "neutral")
    looks = {"left": "screen right", "right": "screen left"}.get(side, "")
    return side, looks


def dialogue_caption(shot: Shot, reading: SceneReading) -> str:
    """Return the first speech a shot covers (its speaker's own where it has one), for captions."""
    speeches = [b for b in covered_beats(shot, reading) if b.kind == "dialogue"]
    own = [b for b in speeches if shot.subjects and b.speaker == shot.subjects[0]]
    chosen = own or speeches
    if not chosen:
        return ""
    beat = chosen[0]
    if not beat.speaker:
        return f"♪ {first_sentence(beat.text, 160)}"  # a lyric sung with no cue
    who = f"{beat.speaker} ({beat.voice})" if beat.voice else beat.speaker
    return f"{who}: {first_sentence(beat.text, 160)}"


def notes(
    draft: Draft, reading: SceneReading, settings: ShotSettings, placed: dict[str, str]
) -> list[str]:
    """Collect the notes a crew needs on a shot: hook, stacking, phone framing, the line."""
    preset, shot = settings.preset, draft.shot
    out: list[str] = []
    if draft.role == "hook":
        out.append(f"HOOK: opens the episode; hold at most {preset.hook_max_s:g} s")
    if draft.role == "cliffhanger":
        out.append("CLIFFHANGER: the episode's last image; hold it")
    if shot.type == "establishing":
        out.append("second unit or stock possible")
    if preset.stack_subjects and len(shot.subjects) >= 2:
        out.append(
            f"stacked: {shot.subjects[0]} foreground low, "
            f"{', '.join(shot.subjects[1:])} background high"
        )
    elif (
        shot.type in WIDE_TYPES
        and len(shot.subjects) >= 2
        and any(placed.get(n) in ("left", "right") for n in shot.subjects)
    ):
        out.append(
            "line: "
            + ", ".join(
                f"{n} frame {placed[n]}"
                for n in shot.subjects
                if placed.get(n) in ("left", "right")
            )
        )
    if shot.type == "insert" and preset.insert_note:
        out.append(preset.insert_note)
    sounds = sound_cues(shot, reading)
    if sounds:
        how = "add in post" if audio(shot, reading) == "MOS" else "record a wild track too"
        out.append(f"FX: {', '.join(sounds)} ({how})")
    if any(b.kind == "dialogue" and b.voice for b in covered_beats(shot, reading)):
        out.append("voice off screen: play the V.O./O.S. lines to the actor")
    return out


def setup_key(draft: Draft) -> str:
    """Name the camera position a shot is made from (shots sharing a key share a setup)."""
    shot = draft.shot
    if draft.role in ("walk", "follow"):
        return f"move:{min(shot.lines, default=0)}"
    if draft.role == "pov" or shot.type == "POV":
        return f"pov:{min(shot.lines, default=0)}"
    kind = _TYPE_SETUP.get(shot.type)
    if kind:
        return kind
    return f"on:{shot.subjects[0]}" if shot.subjects else "insert"


def _order_key(draft: Draft, position: int) -> tuple[int, int, int, int]:
    """Sort shots the way they first appear in the cut: hook, establishing, then by first line."""
    shot = draft.shot
    lead = 0 if draft.role == "hook" else (1 if shot.type == "establishing" else 2)
    return lead, min(shot.lines, default=0), SIZE_RANK.get(shot.size, 9), position


def frame(
    drafts: list[Draft], reading: SceneReading, settings: ShotSettings, no_master: str
) -> list[Shot]:
    """Fill framing fields, order the shots, assign setups and ids; durations come later."""
    placed = sides(reading)
    ordered = [
        d
        for _, d in sorted(
            ((_order_key(d, i), d) for i, d in enumerate(drafts)), key=lambda p: p[0]
        )
    ]
    setups: dict[str, str] = {}
    shots: list[Shot] = []
    label = reading.label
    for index, draft in enumerate(ordered):
        key = setup_key(draft)
        setups.setdefault(key, letters(len(setups)))
        side, looks = side_and_direction(draft, reading, placed)
        extra = notes(draft, reading, settings, placed)
        if index == 0 and no_master:
            extra.insert(0, f"no master: {no_master}")
        if index == 0 and settings.preset.framing_note:
            extra.append(settings.preset.framing_note)
        if index == len(ordered) - 1 and reading.transition:
            extra.append(f"out: {reading.transition}")
        shots.append(
            draft.shot.model_copy(
                update={
                    "shot_id": shot_id(label, index),
                    "angle": angle(draft.shot, reading, settings),
                    "movement": movement(draft, reading, settings),
                    "lens": settings.preset.lens(draft.shot.size),
                    "audio": audio(draft.shot, reading),
                    "screen_side": side,
                    "direction": looks,
                    "setup": setups[key],
                    "notes": "; ".join(extra),
                    "dialogue": dialogue_caption(draft.shot, reading),
                }
            )
        )
    return shots


def shooting_order(shots: list[Shot]) -> list[str]:
    """Return shot ids in a shooting order: per scene, setup by setup, wides first, inserts last."""

    def rank(shot: Shot) -> int:
        return min(
            _SETUP_RANK.get(_TYPE_SETUP.get(s.type, "on"), 1)
            for s in shots
            if s.scene == shot.scene and s.setup == shot.setup
        )

    keyed = sorted(enumerate(shots), key=lambda p: (p[1].scene, rank(p[1]), p[1].setup, p[0]))
    return [s.shot_id for _, s in keyed]
