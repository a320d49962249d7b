"""State rules: props, wardrobe, injuries and makeup hold until the script changes them.

film-grammar.md §4: "a broken, bloodied, wet or lost thing stays so until something changes it;
wardrobe, injuries and makeup hold within a story day." Each rule replays the tracker's events
in script order, per character or prop and story day, and flags a later state that contradicts
an earlier one with nothing in between to change it. Contradictions inside one scene or across
continuous scenes are errors; across a gap on the same day (someone could have changed off
screen) they are warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from filmcrew.agents.continuity_body import descriptors, garments
from filmcrew.agents.continuity_script import _short, finding, place
from filmcrew.agents.continuity_text import fold
from filmcrew.agents.continuity_tracker import SceneView, StateEvent, Timeline
from filmcrew.agents.lexicon_continuity import DAMAGE_WORDS, PART_GROUPS

from filmcrew.domain import CharacterLibrary, Finding, Look

# Garment nouns that name a kind of thing within a slot; two different ones cannot be one garment.
_GARMENT_KINDS = {
    **dict.fromkeys("raincoat mac mackintosh oilskin oilskins anorak slicker".split(), "raincoat"),
    **dict.fromkeys("parka".split(), "parka"), **dict.fromkeys("trenchcoat trench".split(), "trench"),
    **dict.fromkeys("cloak cape poncho".split(), "cape"), **dict.fromkeys("blazer".split(), "blazer"),
    **dict.fromkeys("hoodie sweatshirt".split(), "hoodie"), **dict.fromkeys("cardigan".split(), "cardigan"),
    **dict.fromkeys("jumper sweater pullover".split(), "sweater"),
    **dict.fromkeys("jeans".split(), "jeans"), **dict.fromkeys("shorts".split(), "shorts"),
    **dict.fromkeys("leggings joggers".split(), "joggers"),
    **dict.fromkeys("boots boot wellies wellingtons".split(), "boots"),
    **dict.fromkeys("trainers sneakers".split(), "sneakers"), **dict.fromkeys("heels stilettos".split(), "heels"),
    **dict.fromkeys("sandals".split(), "sandals"), **dict.fromkeys("slippers".split(), "slippers"),
    **dict.fromkeys("beanie".split(), "beanie"), **dict.fromkeys("fedora trilby".split(), "fedora"),
    **dict.fromkeys("cap".split(), "cap"), **dict.fromkeys("sunglasses shades".split(), "sunglasses"),
    **dict.fromkeys("tuxedo".split(), "tuxedo"), **dict.fromkeys("scrubs".split(), "scrubs"),
}


# A suit is a jacket and trousers: a jacket's colour must match the suit worn that day.
_SUIT_PARTS = {"jacket": "suit", "suit": "jacket"}


def _same_stretch(first: StateEvent, second: StateEvent, timeline: Timeline) -> bool:
    """Say whether two events fall in one scene or one chain of continuous scenes."""
    a, b = timeline.scene(first.scene), timeline.scene(second.scene)
    return a is not None and b is not None and a.chain == b.chain


def _day(timeline: Timeline, event: StateEvent) -> tuple[int, bool]:
    """Return (story day, is flashback) of an event's scene."""
    view = timeline.scene(event.scene)
    return (view.story_day, view.flashback) if view else (1, False)


def _label(timeline: Timeline, number: int) -> str:
    """Return the printed label of a scene number."""
    view: SceneView | None = timeline.scene(number)
    return view.label if view else str(number)


def _present_events(timeline: Timeline, attribute: str) -> list[StateEvent]:
    """Events of one attribute outside flashbacks and dreams."""
    return [e for e in timeline.events if e.attribute == attribute and not _day(timeline, e)[1]]


# --- props -----------------------------------------------------------------------------


@dataclass
class PropState:
    """What the script last established about one prop."""

    day: int = 0
    status: str = "intact"
    since: StateEvent | None = None
    holder: str = ""
    held_since: StateEvent | None = None
    place: str = ""

    def new_day(self, day: int) -> None:
        """A new story day: breaks may be mended and things found off screen; ash stays ash."""
        if day != self.day:
            self.day = day
            self.holder, self.held_since, self.place = "", None, ""
            if self.status != "destroyed":
                self.status, self.since = "intact", None


def prop_rules(timeline: Timeline) -> list[Finding]:
    """A broken, destroyed or lost prop used as if whole, or used by someone who gave it away.

    Breaks, losses and hand-overs hold for the story day; a thing burnt or shredded stays so.
    """
    found: list[Finding] = []
    states: dict[str, PropState] = {}
    for event in _present_events(timeline, "prop"):
        state = states.setdefault(event.entity, PropState())
        state.new_day(_day(timeline, event)[0])
        problem = _prop_step(state, event, timeline)
        if problem is not None:
            found.append(problem)
    return found


def _prop_step(state: PropState, event: StateEvent, timeline: Timeline) -> Finding | None:
    """Apply one prop event to its state; return a finding when the event contradicts it."""
    value = event.value
    if value in ("break", "destroy"):
        state.status, state.since = ("broken" if value == "break" else "destroyed"), event
    elif value == "repair":
        state.status, state.since = "intact", event
    elif value == "lose":
        state.status, state.since, state.holder = "lost", event, ""
    elif value == "leave":
        state.status, state.since, state.place, state.holder = "left", event, event.target, ""
    elif value in ("find", "take"):
        problem = _left_elsewhere(state, event, timeline) if value == "take" else None
        state.status = "intact" if state.status in ("lost", "left") else state.status
        state.holder, state.held_since = event.actor, event
        return problem
    elif value == "give":
        problem = None if _other_instance(state, event) else _wrong_holder(state, event, timeline)
        target = state.since.actor if event.target == "?back" and state.since else event.target
        state.holder, state.held_since = (target if target != "?back" else ""), event
        return problem
    elif value == "use":
        return _use_check(state, event, timeline)
    elif value == "handle" and state.status in ("broken", "destroyed", "lost"):
        return _use_check(state, event, timeline)  # handled as whole; holders are not judged on this
    return None


def _other_instance(state: PropState, event: StateEvent) -> bool:
    """Say whether a use names someone else's thing (`his phone` after `her phone` broke)."""
    if not event.owner:
        return False
    known = state.since.owner if state.since is not None and state.since.owner else state.holder
    return bool(known) and known != event.owner


def _use_check(state: PropState, event: StateEvent, timeline: Timeline) -> Finding | None:
    """A use contradicts a broken, lost or handed-over prop."""
    if _other_instance(state, event):
        return None
    since = state.since
    if state.status in ("broken", "destroyed") and since is not None and not DAMAGE_WORDS.search(fold(event.text)):
        how = since.phrase or ("broken" if state.status == "broken" else "destroyed")
        state.status = "intact"
        same_day = _day(timeline, since)[0] == _day(timeline, event)[0]
        return finding(
            "prop_state", "error" if same_day else "warning", event.scene, event.line,
            f"The {event.entity} was {how} in scene {_label(timeline, since.scene)} (line {since.line}: "
            f"\"{_short(since.text)}\") but is used as if whole here: \"{_short(event.text)}\".",
            f"Show the {event.entity} broken here (\"the cracked {event.entity}\"), or show it being "
            "repaired or replaced first.")
    if state.status == "lost" and since is not None:
        state.status = "intact"
        return finding(
            "prop_state", "error", event.scene, event.line,
            f"The {event.entity} was lost in scene {_label(timeline, since.scene)} (line {since.line}: "
            f"\"{_short(since.text)}\") but is used here.",
            f"Show someone finding or replacing the {event.entity} before this line.")
    problem = _left_elsewhere(state, event, timeline) or _wrong_holder(state, event, timeline)
    if event.actor:
        state.holder, state.held_since = event.actor, event
    return problem


def _left_elsewhere(state: PropState, event: StateEvent, timeline: Timeline) -> Finding | None:
    """A prop left behind in one place is used in another."""
    view = timeline.scene(event.scene)
    if state.status != "left" or state.since is None or view is None or view.location == state.place:
        return None
    since = state.since
    state.status = "intact"
    return finding(
        "prop_state", "error", event.scene, event.line,
        f"The {event.entity} was left behind in {place(state.place)} in scene {_label(timeline, since.scene)} "
        f"(line {since.line}) but turns up in {place(view.location)}.",
        f"Show someone picking up the {event.entity} before it leaves {place(state.place)}.")


def _wrong_holder(state: PropState, event: StateEvent, timeline: Timeline) -> Finding | None:
    """Someone uses a prop that was just handed to (or pocketed by) someone else."""
    held = state.held_since
    if not state.holder or not event.actor or event.actor == state.holder or held is None:
        return None
    if not _same_stretch(held, event, timeline) or held.value not in ("give", "take"):
        return None
    holder = timeline.names.display(state.holder)
    user = timeline.names.display(event.actor)
    return finding(
        "prop_state", "warning", event.scene, event.line,
        f"{user} uses the {event.entity}, but {holder} has it since line {held.line} "
        f"(\"{_short(held.text)}\").",
        f"Show {holder} handing the {event.entity} to {user} first, or give this action to {holder}.")


# --- wardrobe --------------------------------------------------------------------------


@dataclass
class Worn:
    """A garment as last described: its descriptors, kind and whether it was taken off."""

    event: StateEvent
    descriptors: set[str]
    kind: str
    removed: bool = False


def _conflict(old: Worn, new: StateEvent) -> str:
    """Say how a garment description contradicts the earlier one ('' when it does not)."""
    for family in ("colour", "material", "pattern"):
        before = {d for d in old.descriptors if d.startswith(family)}
        now = {d for d in new.descriptors if d.startswith(family)}
        if before and now and not before & now:
            return family
    kind = _GARMENT_KINDS.get(new.noun, "")
    if old.kind and kind and old.kind != kind:
        return "kind"
    return ""


def wardrobe_rules(timeline: Timeline) -> list[Finding]:
    """A garment that changes colour, material or kind within a story day with no change shown."""
    found: list[Finding] = []
    worn: dict[tuple[str, int, str], Worn] = {}
    for event in _present_events(timeline, "wardrobe"):
        day = _day(timeline, event)[0]
        key = (event.entity, day, event.part)
        if event.value == "change":
            for slot_key in [k for k in worn if k[0] == event.entity and k[1] == day]:
                del worn[slot_key]
        if event.value == "off":
            if key in worn:
                worn[key].removed = True
            continue
        previous = worn.get(key) or worn.get((event.entity, day, _SUIT_PARTS.get(event.part, "")))
        if previous is not None and event.value == "wear":
            problem = _garment_problem(previous, event, timeline)
            if problem is not None:
                found.append(problem)
        keep = previous is not None and event.value == "wear"
        if keep and not event.descriptors and previous is not None:
            continue  # a bare "her jacket" adds nothing; the earlier description stands
        merged = set(event.descriptors) or (previous.descriptors if keep and previous else set())
        kind = _GARMENT_KINDS.get(event.noun, "") or (previous.kind if keep and previous else "")
        worn[key] = Worn(event, merged, kind)
    return found


def _garment_problem(previous: Worn, event: StateEvent, timeline: Timeline) -> Finding | None:
    """Compare a `wear` mention with the garment as last described."""
    name = timeline.names.display(event.entity)
    before = previous.event
    continuous = _same_stretch(before, event, timeline)
    how = _conflict(previous, event)
    if how:
        return finding(
            "wardrobe", "error" if continuous else "warning", event.scene, event.line,
            f"{name}'s {event.noun} is described as \"{_garment_words(event)}\" here but as "
            f"\"{_garment_words(before)}\" in scene {_label(timeline, before.scene)} (line {before.line}), "
            "the same story day, with no change shown.",
            f"Keep {name} in the {_garment_words(before)}, or show the change on screen.")
    if previous.removed and continuous and event.worn:
        return finding(
            "wardrobe", "error", event.scene, event.line,
            f"{name} took off the {before.noun} but is wearing it again at line {event.line}.",
            f"Show {name} putting the {before.noun} back on, or leave it off.")
    return None


def _garment_words(event: StateEvent) -> str:
    """Render a garment as the script describes it (`tan trench coat`)."""
    if event.phrase:
        return event.phrase
    words = [d.split(":", 1)[1] for d in event.descriptors]
    return " ".join([*words, event.noun]) if words else event.noun


# --- injuries --------------------------------------------------------------------------


@dataclass
class Injury:
    """An injury a character carries: kind, body part, side, where it began."""

    kind: str
    part: str
    side: str
    event: StateEvent


def _part(word: str) -> str:
    """Return a body part without its plural (`hands` -> `hand`, `lips` -> `lip`)."""
    return {"hands": "hand", "lips": "lip", "palms": "palm", "fingers": "finger", "knuckles": "knuckle",
            "arms": "arm", "legs": "leg", "knees": "knee", "feet": "foot", "ankles": "ankle",
            "eyes": "eye", "cheeks": "cheek", "shoulders": "shoulder", "wrists": "wrist"}.get(word, word)


_GENERIC_PARTS = frozenset({"face", "head", "hand", "arm", "leg", "body", "side", "foot"})


def _same_place(a: str, b: str) -> bool:
    """Say whether two body parts can be one place (`cheek` and `face` can; `lip` and `eye` cannot)."""
    if a == b:
        return True
    generic = (a in _GENERIC_PARTS or b in _GENERIC_PARTS)
    return generic and PART_GROUPS.get(a) == PART_GROUPS.get(b)


# Leg injuries that stop a person running (a graze or a cut does not).
_DISABLING = frozenset({"sprain", "fracture", "wound", "cast", "any"})
_SAME_KIND = {"bandage": None, "sling": None, "cast": None, "any": None}


def injury_rules(timeline: Timeline) -> list[Finding]:
    """Injuries that switch sides or places, vanish, appear from nowhere, or are run on."""
    found: list[Finding] = []
    carried: dict[str, list[Injury]] = {}
    for event in _present_events(timeline, "injury"):
        injuries = carried.setdefault(event.entity, [])
        problem = _injury_step(injuries, event, timeline)
        if problem is not None:
            found.append(problem)
    return found


def _injury_step(injuries: list[Injury], event: StateEvent, timeline: Timeline) -> Finding | None:
    """Apply one injury event to a character's injuries; return a finding on a contradiction."""
    if event.value == "injure" or (event.value == "ref" and not event.definite):
        injuries.append(Injury(event.noun, _part(event.part), event.side, event))
        return None
    if event.value == "ref":
        return _reference(injuries, event, timeline)
    today = [i for i in injuries if _day(timeline, i.event)[0] == _day(timeline, event)[0]]
    if event.value == "unmarked":
        hit = [i for i in today if not event.part or PART_GROUPS.get(i.part) == event.part or not i.part]
        return _unmarked(hit[-1], event, timeline) if hit else None
    if event.value == "run":
        legs = [i for i in today if PART_GROUPS.get(i.part) == "leg" and i.kind in _DISABLING]
        return _ran(legs[-1], event, timeline) if legs else None
    return None


def _reference(injuries: list[Injury], event: StateEvent, timeline: Timeline) -> Finding | None:
    """`the cut on her right cheek` must match the cut the script gave her."""
    part = _part(event.part)
    name = timeline.names.display(event.entity)
    same_kind = [i for i in injuries if i.kind == event.noun or event.noun in _SAME_KIND or i.kind in _SAME_KIND]
    if part:
        here = [i for i in same_kind if i.part == part or not i.part]
        if event.side and here and all(i.side and i.side != event.side for i in here):
            first = here[-1]
            return finding(
                "injury", "error", event.scene, event.line,
                f"{name}'s {first.kind} is on the {first.side} {first.part} (scene "
                f"{_label(timeline, first.event.scene)}, line {first.event.line}) but on the {event.side} "
                f"{part} here.", f"Put it on the {first.side} {first.part} here too.")
        kinds = [i for i in injuries if i.kind == event.noun and i.part]
        if kinds and not any(_same_place(i.part, part) for i in kinds) and event.noun not in _SAME_KIND:
            first = kinds[-1]
            return finding(
                "injury", "error", event.scene, event.line,
                f"{name}'s {first.kind} was on the {first.part} (scene {_label(timeline, first.event.scene)}, "
                f"line {first.event.line}) but is on the {part} here.",
                f"Keep the {first.kind} on the {first.part}.")
    if not injuries:
        return _from_nowhere(event, timeline)
    return None


def _from_nowhere(event: StateEvent, timeline: Timeline) -> Finding | None:
    """An injury referred to as known in a scene continuing one where the character was unhurt."""
    view = timeline.scene(event.scene)
    if view is None or not view.continues:
        return None
    previous = [v for v in timeline.scenes if v.number < event.scene and not v.flashback]
    if not previous or previous[-1].chain != view.chain:
        return None
    seen = any(m.key == event.entity for c in previous[-1].clauses for m in c.mentions) or any(
        e.scene == previous[-1].number and e.entity == event.entity and e.attribute == "presence"
        for e in timeline.events)
    if not seen:
        return None
    name = timeline.names.display(event.entity)
    return finding(
        "injury", "error", event.scene, event.line,
        f"{name} has {_short(event.noun)} on the {event.part or 'body'} here, but was unhurt in the scene "
        f"this one continues (scene {previous[-1].label}).",
        f"Show how {name} got hurt, or drop the injury here.")


def _unmarked(injury: Injury, event: StateEvent, timeline: Timeline) -> Finding:
    """An injured character described as unmarked on the same day."""
    name = timeline.names.display(event.entity)
    where = f"{injury.side + ' ' if injury.side else ''}{injury.part}".strip() or "body"
    return finding(
        "injury", "error", event.scene, event.line,
        f"{name} got a {injury.kind} on the {where} in scene {_label(timeline, injury.event.scene)} "
        f"(line {injury.event.line}), but is described unmarked here: \"{_short(event.text)}\".",
        f"Keep the {injury.kind} visible for the rest of the day (makeup continuity).")


def _ran(injury: Injury, event: StateEvent, timeline: Timeline) -> Finding:
    """A character with a leg injury runs or jumps as if unhurt."""
    name = timeline.names.display(event.entity)
    return finding(
        "injury", "warning", event.scene, event.line,
        f"{name} hurt the {injury.part} in scene {_label(timeline, injury.event.scene)} (line "
        f"{injury.event.line}) but moves as if unhurt here: \"{_short(event.text)}\".",
        f"Have {name} limp or wince here, or drop the {injury.kind}.")


# --- wet, dirt, makeup -----------------------------------------------------------------


def makeup_rules(timeline: Timeline) -> list[Finding]:
    """Soaked, muddy or smeared characters who are suddenly dry or spotless."""
    found: list[Finding] = []
    marks: dict[tuple[str, int], dict[str, StateEvent]] = {}
    changes = [e for e in _present_events(timeline, "wardrobe") if e.value == "change"]
    for event in sorted(_present_events(timeline, "body") + changes, key=lambda e: (e.scene, e.line)):
        state = marks.setdefault((event.entity, _day(timeline, event)[0]), {})
        if event.attribute == "wardrobe":
            state.pop("wet", None)  # fresh clothes: no longer soaked or muddy
            state.pop("dirty", None)
        elif event.value in ("wet", "dirty", "makeup"):
            state["stain" if event.value == "dirty" and event.part == "garment" else event.value] = event
        elif event.value == "clean":
            state.clear()
        else:
            problem = _pristine(state, event, timeline)
            if problem is not None:
                found.append(problem)
    return found


def _pristine(state: dict[str, StateEvent], event: StateEvent, timeline: Timeline) -> Finding | None:
    """A claim of being dry or spotless against a wet, dirty or smeared state."""
    if event.value == "dry_assert":
        wanted: tuple[str, ...] = ("wet",)
    else:  # mud all over ("covered in mud") dirties the clothes as well as the skin
        wanted = ("stain", "dirty") if event.part == "garment" else ("dirty", "makeup")
    for mark in wanted:
        earlier = state.get(mark)
        if earlier is None:
            continue
        continuous = _same_stretch(earlier, event, timeline)
        if mark == "wet" and not continuous:
            continue
        name = timeline.names.display(event.entity)
        state.pop(mark)
        words = {"wet": "soaked", "dirty": "dirty", "makeup": "with smeared makeup",
                 "stain": f"stained ({earlier.noun or 'clothes'})"}[mark]
        kind = "wardrobe" if mark == "stain" or event.part == "garment" else "makeup"
        return finding(
            kind, "error" if continuous else "warning", event.scene, event.line,
            f"{name} was {words} in scene {_label(timeline, earlier.scene)} (line {earlier.line}: "
            f"\"{_short(earlier.text)}\") but is described \"{_short(event.text)}\" here with no clean-up shown.",
            f"Keep {name} {words} here, or show {name} drying off or cleaning up first.")
    return None


# --- the character library's look ------------------------------------------------------


def look_rules(timeline: Timeline, library: CharacterLibrary | None) -> list[Finding]:
    """Script wardrobe that contradicts the library's look for that character and story day."""
    if library is None:
        return []
    found: list[Finding] = []
    flagged: set[tuple[str, int, str]] = set()
    for event in _present_events(timeline, "wardrobe"):
        if event.value not in ("wear", "on", "change") or not event.descriptors:
            continue
        day = _day(timeline, event)[0]
        look = _look_for(library, timeline.names.display(event.entity), day)
        if look is None or (event.entity, day, event.part) in flagged:
            continue
        item = _library_item(look, event.part)
        if item is None:
            continue
        how = _conflict(Worn(event, set(item[1]), _GARMENT_KINDS.get(item[0], "")), event)
        if how and how != "kind":
            flagged.add((event.entity, day, event.part))
            name = timeline.names.display(event.entity)
            found.append(finding(
                "look", "warning", event.scene, event.line,
                f"The character library dresses {name} in \"{item[2]}\" on day {day}, but the script says "
                f"\"{_garment_words(event)}\" here.",
                f"Update {name}'s day-{day} look in the character library, or the action line."))
    return found


def _look_for(library: CharacterLibrary, name: str, day: int) -> Look | None:
    """Return a character's look for a story day (else their default look)."""
    character = library.get(name)
    if character is None:
        return None
    exact = [look for look in character.looks if look.story_day == day]
    default = [look for look in character.looks if look.story_day is None]
    looks = exact or default
    return looks[0] if looks else None


def _library_item(look: Look, slot: str) -> tuple[str, list[str], str] | None:
    """Find the look's garment in a slot: (noun, descriptors, text)."""
    for text in look.wardrobe:
        low = fold(text)
        for noun, found_slot, start, stop in garments(low):
            if found_slot == slot:
                return noun, descriptors(low, start, stop), re.sub(r"\s+", " ", text).strip()
    return None
