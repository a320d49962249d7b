"""Coverage for action (film-grammar.md §3): inserts, moves, POVs, entrances, closes, last images.

Each rule reads the beats' moods (`data/shot_cues.json`) and the style preset: a prop written
in CAPS gets an insert (a cutaway when it is an unhandled thing outdoors), a chase or a journey
a moving shot, a look through something a POV, an entrance a shot that sees the door, a face the
action turns on a close shot, and a scene that ends on a thing its final image.
"""

from __future__ import annotations

from filmcrew.agents.shot_beats import Beat, SceneReading, caps_mention, cues, has_any
from filmcrew.agents.shot_drafts import (
    PRIORITY,
    Draft,
    draft_shot,
    first_sentence,
    handler,
    lines_of,
    sentence_with,
)
from filmcrew.agents.shot_styles import ShotSettings

_IMPACT = {"reaction", "intimate", "vulnerable", "menace"}


def inserts(reading: SceneReading, settings: ShotSettings, taken: list[Draft]) -> list[Draft]:
    """Draft an insert per prop the scene names in CAPS, up to the style's limit."""
    preset = settings.preset
    shown = {
        p.casefold()
        for d in taken
        if d.role == "hook"
        for p in _props_named(d.shot.description, reading)
    }
    drafts: list[Draft] = []
    for prop in _props_in_order(reading):
        if prop.casefold() in shown or len(drafts) >= preset.max_inserts:
            continue
        beat = _prop_beat(reading, prop)
        hands = handler(beat, prop)
        if not hands and not beat.characters and reading.scene.int_ext == "EXT":
            shot = draft_shot(
                reading,
                preset.size("WS"),
                "cutaway",
                [],
                beat.lines,
                f"Cutaway to the {prop.lower()}: {sentence_with(beat.text, prop)}",
            )
        else:
            shot = draft_shot(
                reading,
                preset.insert_size,
                "insert",
                hands,
                beat.lines,
                f"INSERT {prop.upper()}: {sentence_with(beat.text, prop)}",
            )
        drafts.append(Draft(shot, PRIORITY["insert"], "insert"))
    return drafts


def _props_in_order(reading: SceneReading) -> list[str]:
    """Return the props beats mention, in order of first mention."""
    return list(dict.fromkeys(p for b in reading.beats for p in b.props))


def _props_named(description: str, reading: SceneReading) -> list[str]:
    """Return the props a shot description names."""
    return [p for p in _props_in_order(reading) if has_any(description, [p.lower()])]


def _prop_beat(reading: SceneReading, prop: str) -> Beat:
    """Pick the beat an insert covers: the first action naming the prop in CAPS, else a line."""
    mentions = [b for b in reading.beats if prop in b.props]
    action = [b for b in mentions if b.kind == "action" and caps_mention(b.text, prop)]
    return (action or mentions)[0]


def follows(reading: SceneReading, settings: ShotSettings, taken: list[Draft]) -> list[Draft]:
    """Draft a moving shot on a chase or a journey (kinetic or travel beats with people)."""
    preset = settings.preset
    walked = {n for d in taken if d.role == "walk" for n in d.shot.lines}
    drafts: list[Draft] = []
    for beat in reading.action_beats():
        moving = {"kinetic", "travel"} & beat.moods
        people = [n for n in beat.characters if n in reading.cast]
        if (
            not preset.follow
            or not moving
            or not people
            or set(beat.lines) <= walked
            or len(drafts) >= 2
        ):
            continue
        kind = "two-shot" if len(people) == 2 else ("single" if len(people) == 1 else "group")
        chase = "kinetic" in moving
        verb = "Tracking" if chase else "Following"
        what = first_sentence(beat.sentence_about(people[:1]))
        shot = draft_shot(
            reading,
            preset.follow_size,
            kind,
            people,
            beat.lines,
            f"{verb} {', '.join(people)}: {what}",
        )
        drafts.append(Draft(shot, PRIORITY["chase" if chase else "follow"], "follow"))
    return drafts


def povs(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
    """Draft a POV where a character looks through or at something (one per scene at most)."""
    if not settings.preset.pov:
        return []
    for beat in reading.action_beats():
        sentence = beat.sentence_about(cues()["moods"]["pov"])
        in_sentence = next((who for text, who in beat.sentences if text == sentence), [])
        lookers = [n for n in [*in_sentence, *beat.characters] if n in reading.cast]  # the one who looks first
        if "pov" in beat.moods and not beat.props and (lookers or len(reading.cast) == 1):
            looker = lookers[0] if lookers else reading.cast[0]
            seen = [n for n in beat.characters if n != looker and n in reading.cast]
            shot = draft_shot(
                reading,
                settings.preset.size("MS"),
                "POV",
                seen,
                beat.lines,
                f"{looker}'s POV: {first_sentence(sentence)}",
            )
            return [Draft(shot, PRIORITY["pov"], "pov")]
    return []


def entrances(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
    """Draft a shot that sees the door when someone comes in mid-scene and plays on."""
    for beat in reading.action_beats():
        people = [n for n in beat.characters if n in reading.cast]
        later = any(b.index > beat.index for b in reading.dialogue_beats())
        if "entrance" in beat.moods and people and beat.index > 0 and later:
            who = people[-1]
            shot = draft_shot(
                reading,
                settings.preset.size("FS"),
                "single",
                [who],
                beat.lines,
                f"FS {who} enters — see the door: {first_sentence(beat.text)}",
            )
            return [Draft(shot, PRIORITY["entrance"], "entrance")]
    return []


def silent_closes(reading: SceneReading, settings: ShotSettings, taken: list[Draft]) -> list[Draft]:
    """Draft a closer shot on anyone seen but given none (the silent, the listening, the new)."""
    preset = settings.preset
    covered = {
        n for d in taken if d.role not in ("master", "establishing") for n in d.shot.subjects[:1]
    }
    drafts: list[Draft] = []
    for name in reading.cast:
        beats = [b for b in reading.action_beats() if name in b.characters]
        if name in covered or not beats:
            continue
        intimate = [b for b in beats if {"intimate", "reaction", "vulnerable"} & b.moods]
        chosen = intimate or beats
        size = preset.single_size if intimate else preset.size("MS")
        shot = draft_shot(
            reading,
            size,
            "single",
            [name],
            lines_of(chosen),
            f"{size} {name}: {first_sentence(chosen[0].sentence_about([name]))}",
        )
        drafts.append(Draft(shot, PRIORITY["close"], "close"))
    return drafts


def punch_ins(reading: SceneReading, settings: ShotSettings, taken: list[Draft]) -> list[Draft]:
    """Draft a close shot for impact where the action turns on one face ("Mia's face crumples")."""
    preset = settings.preset
    have = {
        (n, line)
        for d in taken
        if d.shot.type in ("reaction", "single")
        for n in d.shot.subjects[:1]
        for line in d.shot.lines
    }
    drafts: list[Draft] = []
    for beat in reading.action_beats():
        for text, who in beat.sentences:
            seen = [n for n in who if n in reading.cast]
            moods = (
                {m for m in _IMPACT if m in beat.moods_for(seen[0])} if len(seen) == 1 else set()
            )
            if not moods or (seen[0], beat.lines[0]) in have or len(drafts) >= preset.max_reactions:
                continue
            kind = "reaction" if "reaction" in moods else "single"
            shot = draft_shot(
                reading,
                preset.reaction_size,
                kind,
                seen,
                beat.lines,
                f"{preset.reaction_size} {seen[0]}: {first_sentence(text)}",
            )
            drafts.append(Draft(shot, PRIORITY["punch"], "punch"))
            have.add((seen[0], beat.lines[0]))
    return drafts


def final_image(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
    """Draft the scene's last image when it is a thing, not a face ("The door handle turns.").

    In a vertical episode's last scene it is the cliffhanger and is always kept.
    """
    beats = reading.beats
    last = beats[-1] if beats else None
    if last is None or last.kind != "action" or len(beats) < 2 or last.props or not last.sentences:
        return []
    text, who = last.sentences[-1]
    if who:
        return []
    preset = settings.preset
    cliff = preset.hook and reading.last_scene
    outside = reading.scene.int_ext == "EXT"
    kind, size = ("cutaway", preset.size("WS")) if outside else ("insert", preset.insert_size)
    label = "CLIFFHANGER" if cliff else ("Cutaway" if outside else "INSERT")
    shot = draft_shot(reading, size, kind, [], last.lines, f"{label}: {first_sentence(text)}")
    return [
        Draft(
            shot, PRIORITY["cliffhanger" if cliff else "image"], "cliffhanger" if cliff else "image"
        )
    ]
