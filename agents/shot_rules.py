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
first appear in the cut (wider first on the same beat). Framing details live in `shot_framing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from filmcrew.agents.shot_beats import Beat, SceneReading, caps_mention, cues, has_any
from filmcrew.agents.shot_styles import ShotSettings
from filmcrew.agents.shot_timing import text_seconds
from filmcrew.tools.headings import normalise_location

from filmcrew.domain import BreakdownScene, Shot

RESERVE = 9.0  # drafts kept only when a speech would otherwise go uncovered
# What a short scene keeps first when its screen time holds fewer shots than the rules draft
# (below 2 is always kept): the opening and master, a moving two-shot, the writer's CAPS props,
# singles, then OTS, reactions the text calls for, the two-shot, moves, POVs, buttons.
PRIORITY: dict[str, float] = {
    "walk": 1.5,
    "insert": 1.8,
    "chase": 1.9,
    "single": 2.0,
    "ots": 2.5,
    "reaction": 2.8,
    "two-shot": 3.0,
    "follow": 3.2,
    "image": 3.3,
    "pov": 3.4,
    "button": 3.5,
    "entrance": 3.6,
    "punch": 3.7,
    "close": 3.8,
    "cliffhanger": 1.9,
}
_IMPACT = {"reaction", "intimate", "vulnerable", "menace"}
_CONTINUING = {
    "CONTINUOUS",
    "SAME",
    "SAME TIME",
    "MOMENTS LATER",
    "A MOMENT LATER",
    "SECONDS LATER",
}


@dataclass
class Draft:
    """A shot before ids, framing and durations, and how much the scene needs it (0: must keep)."""

    shot: Shot
    priority: float
    role: str  # what the rule made it for: hook, establishing, master, ots, single, ...


def _shot(
    reading: SceneReading,
    size: str,
    kind: str,
    subjects: list[str],
    lines: list[int],
    description: str,
) -> Shot:
    """Build a draft shot row for this scene."""
    scene = reading.scene
    return Shot(
        shot_id="",
        scene=scene.number,
        size=size,
        type=kind,
        subjects=subjects,
        lines=sorted(set(lines)),
        description=description,
        int_ext=scene.int_ext,
        location=scene.location,
        time_of_day=scene.time_of_day,
    )


def first_sentence(text: str, limit: int = 110) -> str:
    """Return a beat's first sentence without asides in brackets, trimmed for a shot-list cell."""
    text = " ".join(re.sub(r"\s*\([^)]*\)", "", text).split()) or text
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = (match.group(1) if match else text).strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def quoted(text: str, limit: int = 60) -> str:
    """Quote a line's first sentence for a description (quotes inside the line dropped)."""
    return '"' + first_sentence(text.replace('"', "").strip(), limit) + '"'


def sentence_with(text: str, word: str) -> str:
    """Return the sentence of a beat that mentions a word (the prop an insert shows)."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", sentence, re.I):
            return first_sentence(sentence)
    return first_sentence(text)


def base_location(location: str) -> str:
    """Return the place a location sits in (`LIGHTHOUSE - LAMP ROOM` -> `LIGHTHOUSE`)."""
    return normalise_location(location).split(" - ")[0]


def needs_establishing(scene: BreakdownScene, previous: BreakdownScene | None) -> bool:
    """Say whether a scene opens somewhere new or at a new time (film-grammar.md §3)."""
    if not scene.heading or not scene.location:
        return False
    if previous is None or not previous.location:
        return True
    if base_location(scene.location) != base_location(previous.location):
        return True
    time = scene.time_of_day.upper()
    return bool(time) and time not in _CONTINUING and time != previous.time_of_day.upper()


def _lines_of(beats: list[Beat]) -> list[int]:
    """Return the source lines of some beats."""
    return sorted({n for b in beats for n in b.lines})


# --- opening: hook, establishing, master -------------------------------------------------


def hook(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
    """Open a vertical episode on its most arresting early beat: a prop, a voice, a face."""
    preset = settings.preset
    early = reading.beats[:3]
    for beat in early:
        if beat.props:
            prop = beat.props[0]
            shot = _shot(
                reading,
                preset.insert_size,
                "insert",
                _handler(beat, prop),
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
            shot = _shot(
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
        else (" — the building from outside" if not outside else "")
    )
    shot = _shot(
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
    shot = _shot(
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
    return _lines_of([b for b in reading.dialogue_beats() if b.speaker == name and b.seen_speaking])


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
    voices = _lines_of([b for b in reading.dialogue_beats() if not b.seen_speaking])
    for name in reading.speakers:
        lines = _speech_lines(reading, name) + (voices if alone else [])
        shot = _shot(
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
        shot = _shot(
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
        shot = _shot(
            reading,
            preset.ots_size,
            "OTS",
            [name, other],
            _speech_lines(reading, name),
            f"OTS on {name} over {other}'s shoulder",
        )
        drafts.append(Draft(shot, PRIORITY["ots"], "ots"))
    return drafts


def two_shot(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
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
    lines = _lines_of(
        [b for b in reading.dialogue_beats() if b.speaker in pair and b.seen_speaking] + walk
    )
    if walk:
        description = f"Walk-and-talk: moving two-shot leading {pair[0]} and {pair[1]}"
        return [
            Draft(
                _shot(reading, preset.two_shot_size, "two-shot", list(pair), lines, description),
                PRIORITY["walk"],
                "walk",
            )
        ]
    description = f"Two-shot {pair[0]} and {pair[1]}"
    return [
        Draft(
            _shot(reading, preset.two_shot_size, "two-shot", list(pair), lines, description),
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


def _walk_and_talk(reading: SceneReading, pair: tuple[str, str]) -> list[Beat]:
    """Return the travel beats where the pair moves together ("they walk", "A and B cross")."""
    travel = cues()["moods"]["travel"]
    return [
        b
        for b in reading.action_beats()
        if any(set(pair) <= set(who) and has_any(text, travel) for text, who in b.sentences)
    ]


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
        shot = _shot(
            reading,
            preset.reaction_size,
            "reaction",
            [who],
            _lines_of(covered),
            f"{preset.reaction_size} {who} reacts to {quoted(beat.text, 50)}",
        )
        drafts.append(Draft(shot, PRIORITY[why], "reaction"))
    return drafts


# --- action coverage ---------------------------------------------------------------------


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
        hands = _handler(beat, prop)
        if not hands and not beat.characters and reading.scene.int_ext == "EXT":
            shot = _shot(
                reading,
                preset.size("WS"),
                "cutaway",
                [],
                beat.lines,
                f"Cutaway to the {prop.lower()}: {sentence_with(beat.text, prop)}",
            )
        else:
            shot = _shot(
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


def _handler(beat: Beat, prop: str) -> list[str]:
    """Return who handles a prop: the first person its sentence involves."""
    if beat.kind != "action":
        return []
    who = next((who for text, who in beat.sentences if caps_mention(text, prop)), [])
    return who[:1]


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
        shot = _shot(
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
        lookers = [n for n in beat.characters if n in reading.cast]
        if "pov" in beat.moods and not beat.props and (lookers or len(reading.cast) == 1):
            looker = lookers[0] if lookers else reading.cast[0]
            seen = [n for n in beat.characters if n != looker and n in reading.cast]
            shot = _shot(
                reading,
                settings.preset.size("MS"),
                "POV",
                seen,
                beat.lines,
                f"{looker}'s POV: {first_sentence(beat.sentence_about(cues()['moods']['pov']))}",
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
            shot = _shot(
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
        shot = _shot(
            reading,
            size,
            "single",
            [name],
            _lines_of(chosen),
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
            if (
                not moods
                or (seen[0], beat.lines[0]) in have
                or len(drafts) >= max(1, preset.max_reactions)
            ):
                continue
            kind = "reaction" if "reaction" in moods else "single"
            shot = _shot(
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
    shot = _shot(reading, size, kind, [], last.lines, f"{label}: {first_sentence(text)}")
    return [
        Draft(
            shot, PRIORITY["cliffhanger" if cliff else "image"], "cliffhanger" if cliff else "image"
        )
    ]


# --- the plan ----------------------------------------------------------------------------


def merge_same_framing(drafts: list[Draft]) -> list[Draft]:
    """Fold close shots of one person at one size into one shot covering all their moments.

    Two CU reactions on Mia are one setup and one shot on the day; listed apart they would
    also read as a jump cut.
    """
    merged: list[Draft] = []
    seen: dict[tuple[str, str, tuple[str, ...]], Draft] = {}
    for draft in drafts:
        shot = draft.shot
        key = (shot.type, shot.size, tuple(shot.subjects))
        first = (
            seen.get(key)
            if shot.type in ("reaction", "single") and draft.role not in ("hook",)
            else None
        )
        if first is None or first.role == "hook":
            seen.setdefault(key, draft)
            merged.append(draft)
            continue
        first.shot = first.shot.model_copy(
            update={"lines": sorted({*first.shot.lines, *shot.lines})}
        )
        first.priority = min(first.priority, draft.priority)
    return merged


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
    drafts += two_shot(reading, settings)
    drafts += over_the_shoulder(reading, settings)
    drafts += singles(reading, settings)
    drafts += reactions(reading, settings)
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
