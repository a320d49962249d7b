"""Clause -> state events: the verb lexicon applied with subject, object and negation handling.

Each function reads one clause (subject already resolved by `continuity_text`) and reports what
changed or what was asserted: an exit, a broken prop, a coat taken off, a cut on the left hand,
a soaked shirt. A clause whose verb is negated or hypothetical ("doesn't leave", "almost drops",
"tries to break") changes nothing. Objects are the first noun phrase after the verb
("smashes the old brass LAMP against the wall" -> lamp); `it` is the last thing named.
"""


from __future__ import annotations

import re
from collections.abc import Callable

from filmcrew.agents.continuity_body import body, injuries, light, wardrobe
from filmcrew.agents.continuity_text import KNOWN_NOUNS, Clause, Reader
from filmcrew.agents.continuity_words import (
    BODY_WORDS,
    event,
    main_verb,
    negated,
    note_things,
    noun_phrase,
    np_owner,
    past,
    prop_head,
    singular,
    tokens_of,
)
from filmcrew.agents.lexicon_continuity import (
    BREAK_INTRANSITIVE,
    BREAK_NEEDS,
    BREAK_TRANSITIVE,
    DEATH_OBJECT_VERBS,
    DEATH_SUBJECT,
    DESTROY,
    DESTROYED_STATE,
    DETERMINERS,
    DOOR_BEHIND,
    ENTRANCE_PARTICLES,
    ENTRANCE_PHRASES,
    ENTRANCE_VERBS,
    EXIT_VERBS,
    FALLS,
    FIND_VERBS,
    FUNCTION_INTRANSITIVE,
    FUNCTION_TRANSITIVE,
    GIVE_VERBS,
    HEARD_ONLY,
    LEAVE_BEHIND,
    LEAVES_EXIT_FOLLOWERS,
    LOSE_PLACES,
    LOSE_TRANSITIVE,
    LOST_STATE,
    MOTION_VERBS,
    NOT_DEATH,
    PLACE_NOUNS,
    POCKET_PLACES,
    REPAIR_VERBS,
    TAKE_VERBS,
)

# Nouns that follow state verbs without being props ("breaks the silence", "loses her temper").

_PARTICLE_NOT_BREAK = frozenset("down into free off away through out in at back open loose even apart".split())


def clause_events(clause: Clause, scene: int, reader: Reader, location: str) -> list[object]:
    """Return every state event one clause carries."""
    from filmcrew.agents.continuity_tracker import StateEvent

    raw: list[dict[str, object]] = []
    reader.paragraph = clause.paragraph
    if clause.thing == "it":
        clause.thing = reader.it()
    elif clause.thing and not clause.subjects and prop_head(singular(clause.thing_head()), reader):
        reader.remember(singular(clause.thing_head()))
    readers: list[Callable[[Clause, int, Reader], list[dict[str, object]]]] = [props, wardrobe, injuries, body, light]
    if not clause.intro_of:  # an introduction's parenthetical describes, it does not act
        readers.insert(0, presence)
    for reader_fn in readers:
        raw.extend(reader_fn(clause, scene, reader))
    leave = LEAVE_BEHIND.search(clause.pred)
    if leave and clause.subjects:
        head = prop_head(singular(leave.group("thing").split()[-1]), reader)
        if head and head not in PLACE_NOUNS:
            raw.append(event(clause, scene, head, "prop", "leave", actor=clause.subjects[0], target=location))
    if not any(r["attribute"] == "prop" for r in raw):
        note_things(clause, reader)
    return [StateEvent.model_validate(r) for r in raw]


# --- presence --------------------------------------------------------------------------


def presence(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """Exits, entrances, deaths and plain actions of the clause's subject characters."""
    found: list[dict[str, object]] = []
    door = DOOR_BEHIND.search(clause.low)
    if door:
        for key in reader.resolve(door.group(1)):
            found.append(event(clause, scene, key, "presence", "exit", named=False))
    if not clause.subjects:
        found.extend(_object_deaths(clause, scene))
        return found
    pred = clause.pred
    value = _presence_value(pred)
    if value is None:
        return found
    named = clause.named
    for key in clause.subjects:
        found.append(event(clause, scene, key, "presence", value, named=named))
        if value == "exit":
            reader.note([])
    found.extend(_object_deaths(clause, scene))
    return found


def _presence_value(pred: str) -> str | None:
    """Classify a predicate as exit, enter, death or act (None: nothing, or negated)."""
    words = [w for w, _, _ in tokens_of(pred)]
    if not words or negated(pred, len(pred)) or past(pred, len(pred)):
        return None
    if DEATH_SUBJECT.search(pred) and not NOT_DEATH.search(pred):
        return "death"
    if _is_entrance(pred, words):
        return "enter"
    if _is_exit(pred, words):
        return "exit"
    if HEARD_ONLY.search(pred):
        return None
    return "act"


_TAKES_OUT = re.compile(
    r"\b(?:wheels|pushes|carries|drags|hauls|steers|trundles|rolls|leads)\s+(?:the|a|an|his|her|their)\s+"
    r"(?:\w+\s+){0,2}?(?:out|away|off)\b(?:\s+(?:of\s+the\s+(?P<place>\w+)|into\s+the\s+\w+|through\s+the\s+\w+|"
    r"again))?\s*$"
)


def _is_exit(pred: str, words: list[str]) -> bool:
    """Say whether a predicate takes its subject out of the scene."""
    if any(w in EXIT_VERBS for w in words) or re.search(r"\b(?:is|are)\s+gone\b|\bgoes\s*$", pred):
        return True
    taken = _TAKES_OUT.search(pred.strip(" .!;,"))
    if taken and (not taken.group("place") or taken.group("place") in PLACE_NOUNS or taken.group("place") == "door"):
        return True  # "wheels the empty tray out": leaves with it ("hauls a cooler out of the car" does not)
    for i, word in enumerate(words):
        if word in MOTION_VERBS and i + 1 < len(words):
            moved = _moves_off(pred, word, words[i + 1])
            if moved is not None:
                return moved
        if word == "leaves" and _leaves_scene(words[i + 1 : i + 3]):
            return True
    return False


_AWAY_ONLY = frozenset({"backs", "edges", "moves"})  # "backs away" keeps someone in the room
_NOT_OUT_OF = re.compile(r"\bout\s+of\s+(?:the\s+|a\s+|his\s+|her\s+)?(?:car|van|taxi|cab|truck|shadows|"
                         r"darkness|lift|elevator|water|pool|bath|shower|bed|chair)\b")
_OUT_OF_ROOM = re.compile(r"\bout\s+(?:of\s+)?(?:the\s+)?(?:room|house|door|window|office|building|bar|kitchen)\b")


def _moves_off(pred: str, verb: str, particle: str) -> bool | None:
    """`storms out`, `drives off`, `runs upstairs`: True (gone), False (not), None (no verdict)."""
    if verb in ARRIVAL_VERBS and particle == "out" and not _OUT_OF_ROOM.search(pred):
        return None  # "climbs out (of the car)": arriving, not leaving
    if particle in ("out", "off", "away") and not _leaves_place(pred, particle):
        return None
    if particle in ("out", "outside", "upstairs", "downstairs") or (particle in ("off", "away")
                                                                   and verb not in _AWAY_ONLY):
        return not _NOT_OUT_OF.search(pred)
    return None


def _leaves_scene(rest: list[str]) -> bool:
    """`leaves`, `leaves without a word`, `leaves the room`, but not `leaves the key on the desk`."""
    if not rest or rest[0] in LEAVES_EXIT_FOLLOWERS:
        return True
    return rest[0] in DETERMINERS and len(rest) > 1 and rest[1] in PLACE_NOUNS


_OUTSIDE = frozenset({"door", "back", "front", "way", "exit", "rain", "night", "street", "dark"})
ARRIVAL_VERBS = frozenset("climbs gets hops jumps clambers piles spills tumbles".split())


def _leaves_place(pred: str, particle: str) -> bool:
    """After `out`/`off`/`away`: a place, a direction or nothing (exit), not a thing (`pulls off the mac`)."""
    match = re.search(rf"\b{particle}\b\s*(.*)$", pred)
    rest = match.group(1).split() if match else []
    if not rest or rest[0] in ("of", "into", "onto", "through", "to", "towards", "toward", "across", "down", "up",
                               "along", "without", "with", "in", "at", "again", "too", "the", "and", "for", "after"):
        if rest and rest[0] == "the" and len(rest) > 1:
            return rest[1] in PLACE_NOUNS or rest[1] in _OUTSIDE
        return True
    return rest[0] not in DETERMINERS


def _is_entrance(pred: str, words: list[str]) -> bool:
    """Say whether a predicate brings its subject (back) into the scene."""
    if any(w in ENTRANCE_VERBS for w in words) or ENTRANCE_PHRASES.search(pred):
        return True
    for i, word in enumerate(words[:-1]):
        if word in MOTION_VERBS and words[i + 1] in ENTRANCE_PARTICLES:
            return True
        if word in ARRIVAL_VERBS and words[i + 1] == "out" and re.search(
                r"\bout\s+(?:of\s+)?(?:the\s+|a\s+|his\s+|her\s+)?(?:\w+\s+)?(?:car|van|taxi|cab|truck|suv|jeep|"
                r"pickup|bus|boat|limo|lorry|wagon|carriage)\b|\bout\s*$|\bout\s+with\b", pred):
            return True
    return bool(re.search(r"\bout\s+of\s+(?:the\s+)?(?:shadows|darkness|lift|elevator)\b", pred))


def _object_deaths(clause: Clause, scene: int) -> list[dict[str, object]]:
    """`kills Tom`, `shoots Tom dead`: the object dies."""
    pred = clause.pred
    if negated(pred, len(pred)) or not clause.objects:
        return []
    words = [w for w, _, _ in tokens_of(pred)]
    if any(w in DEATH_OBJECT_VERBS for w in words) or re.search(r"\bshoots\s+\w+\s+dead\b", pred):
        return [event(clause, scene, key, "presence", "death") for key in clause.objects[:1]]
    return []


# --- props -----------------------------------------------------------------------------


def props(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """Breaks, repairs, uses, losses, finds, hand-overs and takes of things."""
    found: list[dict[str, object]] = []
    pred = clause.pred
    actor = clause.subjects[0] if clause.subjects else ""
    names = set(reader.names.forms) | set(reader.names.roles)
    if clause.thing and not clause.subjects:
        found.extend(_thing_subject_events(clause, scene, reader))
    fire = DESTROY.search(pred)
    if fire and not negated(pred, fire.start()):
        target = next(g for g in fire.groups() if g)
        head = prop_head(singular(target.split()[-1]), reader)
        if head:
            found.append(event(clause, scene, head, "prop", "destroy", actor=actor))
    verb = main_verb(pred)
    if verb is not None and not negated(pred, verb[1]):
        found.extend(_verb_events(clause, scene, reader, verb[0], verb[2], actor, names))
    return found


def _thing_subject_events(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """`The vase shatters`, `her phone buzzes`, `the key is gone`."""
    head = prop_head(singular(clause.thing_head()), reader)
    pred = clause.pred
    if not head or negated(pred, len(pred)):
        return []
    owner = clause.owner or ""
    if DESTROYED_STATE.search(pred):
        return [event(clause, scene, head, "prop", "destroy", actor=owner, owner=owner)]
    broke = BREAK_INTRANSITIVE.search(pred)
    if broke and not re.search(r"\bbreaks?\s+(?:down|into|free|off|away|through|out)\b", pred):
        verb = broke.group(0).split()[0]
        return [event(clause, scene, head, "prop", "break", actor=owner, owner=owner,
                       phrase=_PARTICIPLES.get(verb.rstrip("s").rstrip("e"), ""))]
    if LOST_STATE.search(pred) or (FALLS.search(pred) and LOSE_PLACES.search(pred)) or re.search(
            r"\b(?:down|into|over)\b", pred) and LOSE_PLACES.search(pred) and re.search(r"\b(?:spins|sails|flies|"
                                                                               r"plunges|vanishes|goes)\b", pred):
        return [event(clause, scene, head, "prop", "lose", actor=owner, owner=owner)]
    if FUNCTION_INTRANSITIVE.search(pred):
        return [event(clause, scene, head, "prop", "use", actor=owner, owner=owner)]
    return []


def _verb_events(clause: Clause, scene: int, reader: Reader, word: str, stop: int, actor: str,
                 names: set[str]) -> list[dict[str, object]]:
    """Events of one verb in the predicate, with its object noun phrase."""
    pred = clause.pred
    if word in BREAK_TRANSITIVE and actor:
        return _break_event(clause, scene, reader, word, stop, actor, names)
    if word in REPAIR_VERBS:
        head = prop_head(noun_phrase(pred, stop, names)[0], reader)
        owner = np_owner(clause, reader, stop)
        return [event(clause, scene, head, "prop", "repair", actor=actor, owner=owner)] if head else []
    if word in LOSE_TRANSITIVE:
        head, end = noun_phrase(pred, stop, names)
        head = prop_head(head, reader)
        if head and (word == "loses" or LOSE_PLACES.search(pred[end:])):
            return [event(clause, scene, head, "prop", "lose", actor=actor, owner=np_owner(clause, reader, stop))]
    if word in GIVE_VERBS and actor:
        given = _give_event(clause, scene, reader, word, stop, actor, names)
        if given:
            return given
    if word in TAKE_VERBS or word in FIND_VERBS or (word == "puts" and POCKET_PLACES.search(pred[stop:])):
        return _take_event(clause, scene, reader, word, stop, actor, names)
    if word in FUNCTION_TRANSITIVE and actor:
        return _use_event(clause, scene, reader, stop, actor, names)
    if actor and word not in NOT_HANDLING and _third_person_verb(word):
        head = prop_head(noun_phrase(pred, stop, names)[0], reader)
        if head:  # "slots the drill back in", "carries the cake": handled as if whole
            reader.remember(head)
            return [event(clause, scene, head, "prop", "handle", actor=actor, owner=np_owner(clause, reader, stop))]
    return []


# Verbs that handle a thing without needing it whole: a broken vase can be swept up or stared at.
NOT_HANDLING = frozenset(
    """
    looks stares glances gazes peers eyes studies examines inspects regards watches sees notices spots
    sweeps gathers collects scoops kicks nudges steps bins dumps discards buries mourns wraps covers
    hides points nods shakes turns touches strokes clutches cradles holds keeps leaves drops throws tosses
    chucks flings hurls sets puts places lays stacks piles moves pushes shoves slides wipes cleans
    photographs films smells sniffs reaches grabs snatches takes picks finds follows faces ignores
    """.split()
)


def _third_person_verb(word: str) -> bool:
    """Say whether a word reads as a present-tense verb (`slots`, `carries`), not a plural noun's
    shape alone: it must end in -s and be long enough not to be a short noun like `bus`."""
    return (word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")) and len(word) > 3
            and word not in KNOWN_NOUNS)


def _break_event(clause: Clause, scene: int, reader: Reader, word: str, stop: int, actor: str,
                 names: set[str]) -> list[dict[str, object]]:
    """`smashes the vase`, `tears up the letter`, `stomps on the phone`."""
    pred = clause.pred
    rest = [w for w, _, _ in tokens_of(pred[stop:])][:3]
    needs = BREAK_NEEDS.get(word)
    offset = stop
    if needs:
        tail = pred[stop:].lstrip()
        particle = next((p for p in needs if tail.startswith(p + " ")), None)
        if particle is not None:
            offset = stop + (len(pred[stop:]) - len(tail)) + len(particle)
        else:  # "tears the contract in half": the particle after the object
            head, end = noun_phrase(pred, offset, names)
            if not any(pred[end:].lstrip().startswith(p) for p in needs if p):
                return []
    elif rest and rest[0] in _PARTICLE_NOT_BREAK:
        return []
    head, end = noun_phrase(pred, offset, names)
    if head in BODY_WORDS:
        return []
    head = prop_head(head, reader)
    if not head:
        return []
    reader.remember(head)
    ash = re.search(r"\b(?:ash|ashes|cinders|flames|fire|up)\b", pred)
    if needs == () and word in ("burns", "burning") and not ash:
        return []
    destroyed = DESTROYED_STATE.search(pred) or word in ("shreds", "burns", "shredding", "burning")
    value = "destroy" if destroyed else "break"
    return [event(clause, scene, head, "prop", value, actor=actor, owner=np_owner(clause, reader, offset),
                   phrase=_PARTICIPLES.get(word.rstrip("s").rstrip("e"), ""))]


_PARTICIPLES = {"tear": "torn", "rip": "ripped", "smash": "smashed", "shatter": "shattered", "break": "broken",
                "snap": "snapped", "crack": "cracked", "crush": "crushed", "burn": "burnt", "shred": "shredded",
                "dent": "dented", "crumpl": "crumpled", "splinter": "splintered", "bend": "bent", "wreck": "wrecked"}


def _give_event(clause: Clause, scene: int, reader: Reader, word: str, stop: int, actor: str,
                names: set[str]) -> list[dict[str, object]]:
    """`hands Mia the key`, `gives the key to Mia`, `passes it back`."""
    pred = clause.pred
    recipient = ""
    tail = pred[stop:]
    objects = [k for k in clause.objects if k != actor]
    first = [w for w, _, _ in tokens_of(tail)][:1]
    start = stop
    if first and (first[0] in names or first[0] in ("him", "her", "them")) and objects:
        recipient = objects[0]
        start = stop + tail.find(first[0]) + len(first[0])
        if first[0] in names and tail.lstrip().startswith(first[0] + "'s"):
            return []
    head, end = noun_phrase(pred, start, names)
    head = prop_head(head, reader)
    if not head:
        return []
    to = re.match(r"\s*(?:(?:back|over|across|along|down|up|carefully|quietly|slowly)\s+){0,2}"
                  r"(?:the\s+\w+\s+)?to\s+(\w+)", pred[end:])
    if not recipient and to and objects:
        recipient = objects[-1]
    if not recipient and re.match(r"\s*back\b", pred[end:]):
        recipient = "?back"
    if not recipient:
        return []
    reader.remember(head)
    return [event(clause, scene, head, "prop", "give", actor=actor, target=recipient,
                   owner=np_owner(clause, reader, start))]


def _take_event(clause: Clause, scene: int, reader: Reader, word: str, stop: int, actor: str,
                names: set[str]) -> list[dict[str, object]]:
    """`pockets the key`, `picks up the phone`, `finds the ring`, `takes it from Tom`."""
    pred = clause.pred
    offset = stop
    tail = pred[stop:]
    particle = re.match(r"\s*(?:up|back|out)\b", tail)
    if particle:
        offset += particle.end()
    head, _ = noun_phrase(pred, offset, names)
    head = prop_head(head, reader)
    if not head or not actor:
        return []
    reader.remember(head)
    value = "find" if word in FIND_VERBS else "take"
    return [event(clause, scene, head, "prop", value, actor=actor, owner=np_owner(clause, reader, offset))]


def _use_event(clause: Clause, scene: int, reader: Reader, stop: int, actor: str,
               names: set[str]) -> list[dict[str, object]]:
    """`answers the phone`, `drinks from the mug`, `unlocks the door with the key`."""
    pred = clause.pred
    offset = stop
    prep = re.match(r"\s*(?:from|into|on|at|through|up|out)\b", pred[stop:])
    if prep:
        offset += prep.end()
    heads = [(noun_phrase(pred, offset, names)[0], np_owner(clause, reader, offset))]
    for instrument in re.finditer(r"\b(?:with|on|onto|in|into|from)\s+(?=(?:the|his|her|their|its)\s+)", pred[stop:]):
        at = stop + instrument.end()
        heads.append((noun_phrase(pred, at, names)[0], np_owner(clause, reader, at)))
    found: list[dict[str, object]] = []
    for index, (head, owner) in enumerate(heads):
        head = prop_head(head, reader)
        if head:
            if index == 0:
                reader.remember(head)
            found.append(event(clause, scene, head, "prop", "use", actor=actor, owner=owner))
    return found


# --- wardrobe --------------------------------------------------------------------------


