"""The offline script breakdown: the first AD's sheet, from craft rules alone (no model).

Per scene: heading, INT/EXT, location (normalised, so `LIBRARY--DAY` and `LIBRARY - DAY` are
one place), time of day, story day, page eighths, source lines, the cast present (speaking,
introduced, named in action, heard off screen), extras, props, wardrobe and sounds. Across the
script: characters with aliases and speech counts, alias candidates, locations, props, story
days, pages and runtime. Rules for each part live with the part:

- who is a person and when two names are one: `breakdown_cast` (the introduction convention:
  `NORA VANCE (60s, ...)` cued as `NORA` is NORA, with NORA VANCE as an alias);
- caps words, sounds and clothing in action: `breakdown_text`;
- story days (a night, a next-day marker or a counted day advances; CONTINUOUS/LATER keep the
  day; flashbacks never move it): `breakdown_days`.

Presence: a character is in a scene when they speak there, or are named in its action in caps
or Title case (`Dev, soaked, ...`). A role word (`MAN`) counts in caps or mid-sentence Title
case (`the Guard`) only, and a name followed by `will`/`would`/`could` (`where Isla will find
it`) is spoken of, not present.
Props are the caps words of action that are not people, places, sounds, clothing, screen
grammar or stress (`she SLAMS it`, `going to be BAD`, `her face FILLS the frame`), plus
lower-case mentions of a prop the script capitalises somewhere (`a new logbook`); `KEYS` after
`KEY` is the same prop.

A scene's fingerprint hashes its elements' content (kind, text, extensions, dual, notes), not
line numbers or scene numbers, so editing one scene changes only that scene's fingerprint and
later stages can redo only changed scenes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

import structlog

from filmcrew.agents.breakdown_cast import (
    Cast,
    Cue,
    alias_candidates,
    build_cast,
    character_key,
    collect_cues,
)
from filmcrew.agents.breakdown_days import FLASHBACK, story_days
from filmcrew.agents.breakdown_scene import (
    Presence,
    SceneScan,
    add_mentions,
    caps_props,
    gather_people,
    NameMatcher,
    name_matcher,
    prop_pattern,
    scan_scene,
    scene_props,
    script_words,
)
from filmcrew.agents.breakdown_text import sounds_in, wardrobe_in
from filmcrew.agents.lexicon import DEVICE_VOICE, PHONE_CALL
from filmcrew.domain import (
    Breakdown,
    BreakdownCharacter,
    BreakdownScene,
    Location,
    Scene,
    Screenplay,
)
from filmcrew.tools.headings import normalise_location, split_scene_number
from filmcrew.tools.pages import format_eighths, page_count, scene_eighths

log = structlog.get_logger(__name__)

_STORY_QUALIFIER = re.compile(rf"\s*\((?=[^)]*{FLASHBACK.pattern})[^)]*\)", re.I)

__all__ = ["break_down", "character_key", "scene_fingerprint"]


def scene_fingerprint(sp: Screenplay, scene: Scene) -> str:
    """Return the sha256 of a scene's content: element kinds, texts, extensions, dual, notes."""
    payload = [[e.kind, e.text, e.extensions, e.dual, e.notes] for e in sp.scene_elements(scene)]
    blob = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _unique(items: list[str]) -> list[str]:
    """Drop case-insensitive repeats, keeping the first spelling and the order."""
    first: dict[str, str] = {}
    for item in items:
        first.setdefault(item.casefold(), item)
    return list(first.values())


def _presence(scan: SceneScan, cast: Cast, names: NameMatcher | None) -> Presence:
    """Return who is in a scene: its speakers, then the characters named in its action."""
    presence = Presence()
    for cue in scan.cues:
        presence.add(cast.group_of[cue.key], (cue.line, 0))
    add_mentions(scan, cast, names, presence)
    return presence


def _first_caps_scenes(presences: list[Presence], scans: list[SceneScan]) -> dict[str, int]:
    """Map each character to the scene where action first writes them in caps (introduced)."""
    first: dict[str, int] = {}
    for scan, presence in zip(scans, presences, strict=True):
        for key in presence.caps:
            first.setdefault(key, scan.scene.number)
    return first


def _offscreen(scan: SceneScan, presence: Presence, cast: Cast) -> list[str]:
    """Return the speakers heard only off screen in a scene: every cue V.O./O.S. or a device
    (`INTERCOM`), or, in a phone scene, never named while another speaker is; never named."""
    keys: dict[str, bool] = {}
    for cue in scan.cues:
        key = cast.group_of[cue.key]
        keys[key] = keys.get(key, True) and (cue.offscreen or bool(DEVICE_VOICE.search(cue.name)))
    unnamed = [k for k in keys if k not in presence.named]
    if len(unnamed) < len(keys) and any(PHONE_CALL.search(e.text) for e in scan.actions):
        return [cast.names[k] for k in unnamed]  # the other end of the line
    return [cast.names[k] for k in unnamed if keys[k]]


@dataclass(frozen=True)
class _SceneFacts:
    """What a scene's row needs that is worked out over the whole script."""

    eighths: int
    story_day: int
    props: list[str]
    extras: list[str]
    introduced: list[str]


def _scene_row(
    sp: Screenplay, scan: SceneScan, presence: Presence, cast: Cast, facts: _SceneFacts
) -> BreakdownScene:
    """Build one breakdown row."""
    scene, heading = scan.scene, scan.scene.heading
    texts = [e.text for e in scan.actions]
    place, inner = _place(heading.location) if heading else ("", "")
    return BreakdownScene(
        number=scene.number,
        label=scene.label,
        heading=split_scene_number(heading.text)[0] if heading else "",
        int_ext=heading.int_ext if heading else "",
        location=place,
        time_of_day=heading.time_of_day if heading else "",
        qualifiers=" ".join(q for q in (heading.qualifiers if heading else "", inner) if q),
        story_day=facts.story_day,
        eighths=facts.eighths,
        eighths_str=format_eighths(facts.eighths),
        start_line=scene.start_line,
        end_line=scene.end_line,
        characters=[cast.names[k] for k in presence.order()],
        speaking=_unique([cast.names[cast.group_of[c.key]] for c in scan.cues]),
        introduced=facts.introduced,
        offscreen=_offscreen(scan, presence, cast),
        extras=_unique(facts.extras),
        props=facts.props,
        wardrobe=_unique([phrase for text in texts for phrase, _, _ in wardrobe_in(text)]),
        sounds=_unique([sound for text in texts for sound, _ in sounds_in(text)]),
        fingerprint=scene_fingerprint(sp, scene),
    )


def _place(location: str) -> tuple[str, str]:
    """Split a heading location into the place and a story qualifier written inside it.

    `KITCHEN (FLASHBACK)` is the KITCHEN, seen in a flashback: one location on the sheet.
    """
    qualifiers = [m.group(0).strip() for m in _STORY_QUALIFIER.finditer(location)]
    return normalise_location(_STORY_QUALIFIER.sub("", location)), " ".join(qualifiers)


def _characters(
    cast: Cast, scans: list[SceneScan], presences: list[Presence]
) -> list[BreakdownCharacter]:
    """Build the script-wide character list, in order of first appearance."""
    scenes: dict[str, list[int]] = {}
    first: dict[str, int] = {}
    for scan, presence in zip(scans, presences, strict=True):
        for key, (line, _) in presence.seen.items():
            scenes.setdefault(key, []).append(scan.scene.number)
            first[key] = min(line, first.get(key, line))
    speeches: dict[str, int] = {}
    for cue in (c for scan in scans for c in scan.cues):
        key = cast.group_of[cue.key]
        speeches[key] = speeches.get(key, 0) + 1
    return [
        BreakdownCharacter(
            name=cast.names[key],
            aliases=cast.aliases[key],
            scenes=scenes[key],
            first_line=first[key],
            dialogue_count=speeches.get(key, 0),
            speaking=speeches.get(key, 0) > 0,
        )
        for key in sorted(first, key=lambda k: (first[k], k))
    ]


def _locations(rows: list[BreakdownScene]) -> list[Location]:
    """Group scenes by normalised location, in order of first use."""
    places: dict[str, Location] = {}
    for row in rows:
        if not row.location:
            continue
        place = places.setdefault(row.location, Location(name=row.location))
        place.scenes.append(row.number)
        if row.int_ext and row.int_ext not in place.int_ext:
            place.int_ext = sorted([*place.int_ext, row.int_ext])
    return list(places.values())


def _known_props(per_scene: list[tuple[list[tuple[str, int]], list[str]]]) -> dict[str, str]:
    """Map every caps prop spelling (casefolded) to the prop's first spelling, in script order.

    Singular and plural are one prop (`KEYS` after `KEY` is the KEY).
    """
    known: dict[str, str] = {}
    for props, _ in per_scene:
        for name, _ in props:
            key = name.casefold()
            if key not in known:
                forms = (key[:-1], key[:-2], f"{key}s", f"{key}es")
                known[key] = next((known[f] for f in forms if f in known), name)
    return known


def _scene_facts(
    sp: Screenplay,
    scans: list[SceneScan],
    presences: list[Presence],
    caps: list[tuple[list[tuple[str, int]], list[str]]],
    cast: Cast,
    known: dict[str, str],
) -> list[_SceneFacts]:
    """Work out eighths, story days, props and introductions of every scene."""
    pattern = prop_pattern(list(dict.fromkeys(known.values())))
    first_caps = _first_caps_scenes(presences, scans)
    return [
        _SceneFacts(
            eighths=eighths,
            story_day=day,
            props=scene_props(scan, props, known, pattern),
            extras=extras,
            introduced=[
                cast.names[k]
                for k in presence.order(presence.caps)
                if first_caps[k] == scan.scene.number
            ],
        )
        for scan, presence, (props, extras), eighths, day in zip(
            scans, presences, caps, scene_eighths(sp), story_days(sp), strict=True
        )
    ]


def break_down(sp: Screenplay, *, aliases: dict[str, str] | None = None) -> Breakdown:
    """Break a screenplay down scene by scene with craft rules alone.

    Args:
        sp: the parsed screenplay.
        aliases: cue name -> canonical name, for names the caller knows are one person
            (the way to act on `Breakdown.alias_candidates`).
    """
    cues = collect_cues(sp)
    by_scene: dict[int, list[Cue]] = {}
    for cue in cues:
        by_scene.setdefault(cue.scene, []).append(cue)
    scans = [scan_scene(sp, scene, by_scene.get(scene.number, [])) for scene in sp.scenes]
    script = script_words(sp, cues, scans)
    cast = build_cast(gather_people(cues, scans, script), aliases)
    names = name_matcher(cast)
    presences = [_presence(scan, cast, names) for scan in scans]
    caps = [caps_props(scan, cast, script) for scan in scans]
    known = _known_props(caps)
    facts = _scene_facts(sp, scans, presences, caps, cast, known)
    rows = [
        _scene_row(sp, scan, presence, cast, fact)
        for scan, presence, fact in zip(scans, presences, facts, strict=True)
    ]
    characters = _characters(cast, scans, presences)
    total = sum(f.eighths for f in facts)
    props = list(dict.fromkeys(known.values()))
    log.debug("breakdown_done", scenes=len(rows), characters=len(characters), props=len(props))
    return Breakdown(
        scenes=rows,
        characters=characters,
        locations=_locations(rows),
        props=props,
        alias_candidates=alias_candidates(cast, [character_key(c.name) for c in characters]),
        story_days=max((f.story_day for f in facts), default=1),
        total_eighths=total,
        pages=round(page_count(sp), 3),
        runtime_s=round(total * 60 / 8),
    )
