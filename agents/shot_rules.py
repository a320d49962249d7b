"""Rule-based coverage (film-grammar.md §3): which shots a scene gets, and what each one covers.

Offline, this is the whole shot planner; with a model it is the draft the model refines.
Every decision reads the style preset (`shot_styles.json`), so a style changes the plan by
data, not by code path:

- establishing: a new location or a new time (not CONTINUOUS/SAME), when the style allows one;
- a master holding every beat (the group master for three or more), or a stated reason not to;
- two people talking: a two-shot, an OTS on each speaker, clean singles, reactions where a line
  lands (the next action has someone react, or the scene's last line); three or more: the group
  master, singles, and a two-shot of the pair that trades the most lines;
- a walk-and-talk gets a moving two-shot leading the pair;
- inserts for the props the scene names (CAPS mentions first), a follow shot for a chase or a
  journey, a POV where someone looks through or at something, a shot that sees an entrance;
- vertical (9:16): a hook shot first (the episode's opening beat, at most 3 s).

A shot's `lines` are the source lines of the beats it covers; the order is the order shots
first appear in the cut (wider first on the same beat). This module holds the opening and the
dialogue rules and the plan (budget, merging); action rules live in `shot_action`, framing
(angle, movement, lens, audio, sides, setups, ids) in `shot_framing`, timing in `shot_timing`.
"""

from __future__ import annotations

import re

from filmcrew.agents.shot_action import (
    entrances,
    final_image,
    follows,
    inserts,
    povs,
    punch_ins,
    silent_closes,
)
from filmcrew.agents.shot_beats import Beat, SceneReading, cues, has_any
from filmcrew.agents.shot_drafts import (
    CLOSE_ROLES,
    PRIORITY,
    RESERVE,
    Draft,
    draft_shot,
    first_sentence,
    handler,
    lines_of,
    quoted,
    sentence_with,
)
from filmcrew.agents.shot_styles import ShotSettings
from filmcrew.agents.shot_written import written_shots
from filmcrew.agents.shot_timing import text_seconds
from filmcrew.tools.headings import normalise_location

from filmcrew.domain import BreakdownScene, Shot

_CONTINUING = {
    "CONTINUOUS",
    "SAME",
    "SAME TIME",
    "MOMENTS LATER",
    "A MOMENT LATER",
    "SECONDS LATER",
}


def base_location(location: str) -> str:
    """Return the place a location sits in (`LIGHTHOUSE - LAMP ROOM` -> `LIGHTHOUSE`)."""
    return normalise_location(location).split(" - ")[0]


def needs_establishing(scene: BreakdownScene, previous: BreakdownScene | None) -> bool:
    """Say whether a scene opens somewhere new or at a new time (film-grammar.md §3).

    Not for a heading that names no place (`.OPENING TITLES`, `.SNIPER SCOPE POV`), nor for
    action that runs on from one interior into the next (`INT. HALLWAY - CONTINUOUS`): the
    camera follows the people, it does not step outside.
    """
    if not scene.heading or not scene.location or not scene.int_ext:
        return False
    if previous is None or not previous.location:
        return True
    time = scene.time_of_day.upper()
    if time in _CONTINUING and scene.int_ext == "INT" and previous.int_ext == "INT":
        return False
    if base_location(scene.location) != base_location(previous.location):
        return True
    return bool(time) and time not in _CONTINUING and time != previous.time_of_day.upper()


_VEHICLE = re.compile(r"\b(?:CAR|TRUCK|VAN|BUS|TAXI|CAB|LIMO|JEEP|TRAIN|SUBWAY|PLANE|AIRPLANE|JET|747|"
                      r"HELICOPTER|BOAT|SHIP|YACHT|ELEVATOR|LIFT|AMBULANCE|RV|CAMPER)\b")


def _outside_of(location: str) -> str:
    """What an interior's establishing shot shows from outside: the vehicle or the building."""
    found = _VEHICLE.search(normalise_location(location))
    return f"the {found.group(0).lower()} from outside" if found else "the building from outside"


# --- opening: hook, establishing, master -------------------------------------------------


def hook(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
    """Open a vertical episode on its most arresting early beat: a prop, a voice, a face."""
    preset = settings.preset
    early = reading.beats[:3]
    for beat in early:
        if beat.props:
            prop = beat.props[0]
            shot = draft_shot(
                reading,
                preset.insert_size,
                "insert",
                handler(beat, prop),
                beat.lines,
                f"HOOK: {prop.upper()} — {sentence_with(beat.text, prop)}",
            )
            return [Draft(shot, 0, "hook")]
    for beat in early:
        face = (
            beat.speaker
            if beat.seen_speaking
            else (beat.characters[0] if beat.characters and beat.kind == "action" else "")
        )
        if not face and beat.kind == "dialogue" and reading.cast:
            face = reading.cast[0]
        if face and face in reading.cast:
            shot = draft_shot(
                reading,
                preset.reaction_size,
                "single",
                [face],
                beat.lines,
                f"HOOK: {face} — {first_sentence(beat.text)}",
            )
            return [Draft(shot, 0, "hook")]
    return []


def establishing(
    reading: SceneReading, settings: ShotSettings, previous: BreakdownScene | None
) -> list[Draft]:
    """Draft an exterior wide that says where and when, for a new place or time."""
    preset = settings.preset
    scene = reading.scene
    if not preset.establishing or not needs_establishing(scene, previous):
        return []
    first = reading.beats[0] if reading.beats else None
    outside = scene.int_ext == "EXT"
    setting = (
        first if outside and first and first.kind == "action" and not first.characters else None
    )
    lines = setting.lines if setting else ([reading.heading_line] if reading.heading_line else [])
    where = f"EXT. {base_location(scene.location)} ({scene.time_of_day.lower() or 'time unstated'})"
    what = (
        f": {first_sentence(setting.text)}"
        if setting
        else (f" — {_outside_of(scene.location)}" if not outside else "")
    )
    shot = draft_shot(
        reading,
        preset.size(preset.establishing_size),
        "establishing",
        [],
        lines,
        f"Establishing {where}{what}",
    )
    return [Draft(shot, 0, "establishing")]


def master(
    reading: SceneReading, settings: ShotSettings, opened: list[Draft]
) -> tuple[list[Draft], str]:
    """Draft the master over every beat; or return no shot and the reason there is none."""
    preset = settings.preset
    if not reading.beats:
        return [], "nothing but the heading to film"
    if not preset.master:
        return (
            [],
            preset.no_master_reason or f"the {settings.base} style plays the scene in closer shots",
        )
    lines = reading.all_lines()
    wide = [d for d in opened if d.role == "establishing" and set(lines) <= set(d.shot.lines)]
    if not reading.cast and wide:
        return [], "no one on screen to block; the establishing wide holds the scene"
    group = len(reading.cast) >= 3
    who = ", ".join(reading.cast) or "the place"
    label = "Group master" if group else "Master"
    acting = [b for b in reading.action_beats() if b.characters]
    lead = (acting or reading.action_beats() or reading.beats)[0]
    said = first_sentence(lead.sentence_about(lead.characters[:1]))
    shot = draft_shot(
        reading,
        preset.size(preset.master_size),
        "master",
        list(reading.cast),
        lines,
        f"{label}: {who} — {said}",
    )
    return [Draft(shot, 0, "master")], ""


# --- dialogue coverage -------------------------------------------------------------------


def _speech_lines(reading: SceneReading, name: str) -> list[int]:
    """Return the lines a character speaks on screen."""
    return lines_of([b for b in reading.dialogue_beats() if b.speaker == name and b.seen_speaking])


def _other(reading: SceneReading, name: str) -> str:
    """Return the other person of a pair."""
    return next((n for n in reading.cast if n != name), "")


def _first_line_text(reading: SceneReading, name: str) -> str:
    """Return a character's first seen line, for a shot description."""
    beat = next(
        (b for b in reading.dialogue_beats() if b.speaker == name and b.seen_speaking), None
    )
    return quoted(beat.text) if beat else ""


def singles(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
    """Draft clean singles on every seen speaker, over their lines.

    A lone listener's single also holds the voices she hears.

    A style without singles still drafts them as a reserve, used only where nothing else
    would cover a speech.
    """
    preset = settings.preset
    priority = PRIORITY["single"] if preset.singles else RESERVE
    drafts: list[Draft] = []
    alone = len(reading.cast) == 1
    voices = lines_of([b for b in reading.dialogue_beats() if not b.seen_speaking])
    for name in reading.speakers:
        lines = _speech_lines(reading, name) + (voices if alone else [])
        shot = draft_shot(
            reading,
            preset.single_size,
            "single",
            [name],
            lines,
            f"{preset.single_size} {name}: {_first_line_text(reading, name)}".rstrip(": "),
        )
        drafts.append(Draft(shot, priority, "single"))
    if not reading.speakers and alone and voices:
        name = reading.cast[0]
        shot = draft_shot(
            reading,
            preset.single_size,
            "single",
            [name],
            voices,
            f"{preset.single_size} {name} listening",
        )
        drafts.append(Draft(shot, priority, "single"))
    return drafts


def over_the_shoulder(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
    """Two people talking: an OTS on each speaker, over the other's shoulder."""
    preset = settings.preset
    if not preset.ots or len(reading.cast) != 2 or len(reading.speakers) != 2:
        return []
    drafts = []
    for name in reading.speakers:
        other = _other(reading, name)
        shot = draft_shot(
            reading,
            preset.ots_size,
            "OTS",
            [name, other],
            _speech_lines(reading, name),
            f"OTS on {name} over {other}'s shoulder",
        )
        drafts.append(Draft(shot, PRIORITY["ots"], "ots"))
    return drafts


def twodraft_shot(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
    """Draft a two-shot for a pair in dialogue: the scene's pair, or a group's busiest pair."""
    preset = settings.preset
    pair = _pair(reading)
    if (
        not pair
        or (len(reading.cast) == 2 and not preset.two_shot)
        or (len(reading.cast) > 2 and not preset.pairing)
    ):
        return []
    walk = _walk_and_talk(reading, pair)
    lines = lines_of(
        [b for b in reading.dialogue_beats() if b.speaker in pair and b.seen_speaking] + walk
    )
    if walk:
        description = f"Walk-and-talk: moving two-shot leading {pair[0]} and {pair[1]}"
        return [
            Draft(
                draft_shot(
                    reading, preset.two_shot_size, "two-shot", list(pair), lines, description
                ),
                PRIORITY["walk"],
                "walk",
            )
        ]
    description = f"Two-shot {pair[0]} and {pair[1]}"
    return [
        Draft(
            draft_shot(reading, preset.two_shot_size, "two-shot", list(pair), lines, description),
            PRIORITY["two-shot"],
            "two-shot",
        )
    ]


def _pair(reading: SceneReading) -> tuple[str, str] | None:
    """Return the two seen speakers who trade the most lines (adjacent speeches), if any."""
    counts: dict[tuple[str, str], int] = {}
    speeches = [b for b in reading.dialogue_beats() if b.seen_speaking]
    for a, b in zip(speeches, speeches[1:], strict=False):
        if a.speaker != b.speaker:
            key = (
                (a.speaker, b.speaker)
                if reading.speakers.index(a.speaker) < reading.speakers.index(b.speaker)
                else (b.speaker, a.speaker)
            )
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    best = max(sorted(counts), key=lambda k: counts[k])
    return best if counts[best] >= (1 if len(reading.cast) == 2 else 2) else None


_SETTLE = re.compile(r"\b(?:sits?|sitting|seated|sat|sit\s+down|settles?|stops|halts|stands\s+still|"
                    r"lies\s+down|leans\s+back)\b", re.I)


def _walk_and_talk(reading: SceneReading, pair: tuple[str, str]) -> list[Beat]:
    """Return the travel beats where the pair moves together ("they walk", "A and B cross"), as
    long as they do not settle afterwards (sit, stop): then they talk in place."""
    travel = cues()["moods"]["travel"]
    beats = [
        b
        for b in reading.action_beats()
        if any(set(pair) <= set(who) and has_any(text, travel) for text, who in b.sentences)
    ]
    if beats and any(_SETTLE.search(b.text) for b in reading.action_beats() if b.index >= beats[0].index):
        return []
    return beats


def _lands(reading: SceneReading, index: int) -> tuple[str, list[Beat], str] | None:
    """Say whether speech `index` lands: who reacts, the beats the reaction covers, and why.

    "reaction": the next action has them react; "button": the scene's last line.
    """
    beats = reading.beats
    speech = beats[index]
    after = beats[index + 1] if index + 1 < len(beats) else None
    if after is not None and after.kind == "action" and "reaction" in after.moods:
        reactors = [n for n in after.characters if n != speech.speaker and n in reading.cast]
        if reactors:
            return reactors[0], [speech, after], "reaction"
    last = all(b.kind != "dialogue" for b in beats[index + 1 :])
    listeners = [n for n in reading.cast if n != speech.speaker]
    if last and len(listeners) == 1 and len(reading.dialogue_beats()) > 1:
        return listeners[0], [speech], "button"
    return None


def reactions(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
    """Reaction shots where a line lands, up to the style's limit per scene."""
    preset = settings.preset
    drafts: list[Draft] = []
    for index, beat in enumerate(reading.beats):
        if beat.kind != "dialogue" or len(drafts) >= preset.max_reactions:
            continue
        landing = _lands(reading, index)
        if landing is None:
            continue
        who, covered, why = landing
        shot = draft_shot(
            reading,
            preset.reaction_size,
            "reaction",
            [who],
            lines_of(covered),
            f"{preset.reaction_size} {who} reacts to {quoted(beat.text, 50)}",
        )
        drafts.append(Draft(shot, PRIORITY[why], "reaction"))
    return drafts


# --- the plan ----------------------------------------------------------------------------


def merge_same_framing(drafts: list[Draft]) -> list[Draft]:
    """Fold close shots of one person at one size into one shot covering all their moments.

    Two CU reactions on Mia are one setup and one shot on the day; listed apart they would
    also read as a jump cut. A draft that repeats another's type, subjects and lines is dropped.
    """
    merged: list[Draft] = []
    seen: dict[tuple[str, str, tuple[str, ...]], Draft] = {}
    for draft in drafts:
        shot = draft.shot
        if any(_same(shot, d.shot) for d in merged):
            continue
        key = (shot.type, shot.size, tuple(shot.subjects))
        first = seen.get(key) if draft.role in CLOSE_ROLES else None
        if first is None:
            if draft.role in CLOSE_ROLES:
                seen.setdefault(key, draft)
            merged.append(draft)
            continue
        first.shot = _merged(first.shot, shot)
        first.priority = min(first.priority, draft.priority)
    return merged


def _same(one: Shot, other: Shot) -> bool:
    """Say whether two drafts are the same shot (type, subjects and lines)."""
    return (one.type, one.subjects, one.lines) == (other.type, other.subjects, other.lines)


def _merged(first: Shot, second: Shot) -> Shot:
    """Join two moments of one framing: all their lines, both moments described in script order."""
    early, late = sorted((first, second), key=lambda s: min(s.lines, default=0))
    prefix = f"{late.size} {late.subjects[0]}" if late.subjects else late.size
    rest = late.description.removeprefix(prefix).lstrip(": ")
    lines = sorted({*first.lines, *second.lines})
    return first.model_copy(
        update={"lines": lines, "description": f"{early.description} Then: {rest}"}
    )


def shot_budget(reading: SceneReading, settings: ShotSettings, essential: int) -> int:
    """How many shots the scene's screen time holds at the style's average shot length."""
    seconds = text_seconds(reading)
    return max(essential, int(seconds / settings.preset.avg_shot_s + 0.5))


def _within_budget(drafts: list[Draft], budget: int) -> list[Draft]:
    """Keep the most needed drafts up to the budget, in their original order.

    OTS come in pairs: both sides of a conversation, or neither (one OTS cuts to nothing).
    """
    ranked = sorted(
        (i for i, d in enumerate(drafts) if d.priority < RESERVE),
        key=lambda i: (drafts[i].priority, i),
    )
    keep: set[int] = set()
    for i in ranked:
        group = [j for j in ranked if drafts[j].role == "ots"] if drafts[i].role == "ots" else [i]
        if i in keep or len(keep | set(group)) > budget and drafts[i].priority >= 2:
            continue
        keep |= set(group)
    return [d for i, d in enumerate(drafts) if i in keep]


def _ensure_dialogue(kept: list[Draft], every: list[Draft], reading: SceneReading) -> list[Draft]:
    """Put back the cheapest shot that covers any speech the budget left uncovered."""
    for beat in reading.dialogue_beats():
        if any(set(beat.lines) & set(d.shot.lines) for d in kept):
            continue
        options = [d for d in every if set(beat.lines) <= set(d.shot.lines) and d not in kept]
        if options:
            kept.append(min(options, key=lambda d: d.priority))
    return [d for d in every if d in kept]


def cover(
    reading: SceneReading, settings: ShotSettings, previous: BreakdownScene | None
) -> tuple[list[Draft], str]:
    """Run every coverage rule; return the drafts kept and the reason for no master (if any)."""
    drafts: list[Draft] = []
    if settings.preset.hook and previous is None:
        drafts += hook(reading, settings)
    drafts += establishing(reading, settings, previous)
    masters, reason = master(reading, settings, drafts)
    drafts += masters
    drafts += twodraft_shot(reading, settings)
    drafts += over_the_shoulder(reading, settings)
    drafts += singles(reading, settings)
    drafts += reactions(reading, settings)
    drafts += written_shots(reading, settings)
    drafts += inserts(reading, settings, drafts)
    drafts += follows(reading, settings, drafts)
    drafts += povs(reading, settings)
    drafts += entrances(reading, settings)
    drafts += final_image(reading, settings)
    drafts += punch_ins(reading, settings, drafts)
    drafts += silent_closes(reading, settings, drafts)
    drafts = merge_same_framing(drafts)
    essential = sum(1 for d in drafts if d.priority <= 2)
    kept = _within_budget(drafts, shot_budget(reading, settings, essential))
    return _ensure_dialogue(kept, drafts, reading), reason
