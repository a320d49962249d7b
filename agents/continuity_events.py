"""Clause -> state events: the verb lexicon applied with subject, object and negation handling.

Each function reads one clause (subject already resolved by `continuity_text`) and reports what
changed or what was asserted: an exit, a broken prop, a coat taken off, a cut on the left hand,
a soaked shirt. A clause whose verb is negated or hypothetical ("doesn't leave", "almost drops",
"tries to break") changes nothing. Objects are the first noun phrase after the verb
("smashes the old brass LAMP against the wall" -> lamp); `it` is the last thing named.
"""

from __future__ import annotations

import re

from filmcrew.agents.continuity_text import WORD, Clause, Reader, fold
from filmcrew.agents.lexicon_continuity import (
    CLAUSE_OPENERS,
    BLEEDING,
    BREAK_INTRANSITIVE,
    BREAK_NEEDS,
    BREAK_TRANSITIVE,
    CHANGE_SHOWN,
    CLEAN_EVENT,
    COLOUR_FAMILIES,
    COVERS,
    DEATH_OBJECT_VERBS,
    DEATH_SUBJECT,
    DESPITE,
    DESTROY,
    DESTROYED_STATE,
    DETERMINERS,
    DIRTY_STATE,
    DOOR_BEHIND,
    DRY_WORDS,
    ENTRANCE_PARTICLES,
    ENTRANCE_PHRASES,
    ENTRANCE_VERBS,
    EXIT_VERBS,
    FALLS,
    FIND_VERBS,
    FUNCTION_INTRANSITIVE,
    FUNCTION_TRANSITIVE,
    GARMENT_PART_AFTER,
    GARMENT_SLOTS,
    GIVE_VERBS,
    HEARD_ONLY,
    INJURY_NOUNS,
    INJURY_SIGNS,
    LEAVE_BEHIND,
    LEAVES_EXIT_FOLLOWERS,
    LEG_RUNNING,
    LIGHT_NEGATION,
    LOSE_PLACES,
    LOSE_TRANSITIVE,
    LOST_STATE,
    MAKEUP_STATE,
    MATERIALS,
    MOTION_VERBS,
    NEGATORS,
    NIGHT_LIGHT,
    NOT_DEATH,
    NOT_WORN_BEFORE,
    OTHER_INJURY_SURE,
    OTHER_INJURY_VERBS,
    PART_GROUPS,
    PART_THEN_STATE,
    PAST_MARKERS,
    PATTERNS,
    PLACE_NOUNS,
    POCKET_PLACES,
    PRISTINE,
    PUT_ON,
    REPAIR_VERBS,
    SELF_INJURY_VERBS,
    SPLASH_OTHER,
    STAIN,
    STAINED,
    SUN_LIGHT,
    TAKE_OFF,
    TAKE_VERBS,
    UNMARKED,
    WEAR_WORDS,
    WET_EVENT,
    WET_STATE,
)

# Nouns that follow state verbs without being props ("breaks the silence", "loses her temper").
NOT_PROPS = frozenset(
    """
    silence news tension ice contact rules rule promise heart record spell mood moment stillness quiet calm
    deal habit cover character rank law bread dawn day smile grin joke case code neck knuckles voice
    temper balance grip nerve footing patience cool way track count thread train focus composure
    breath glance gaze look eye eyes head face mind thought thoughts sleep fast sweat tears laugh
    laughter sound noise door doors window windows wall walls floor ceiling gate fence surface skin
    ground air light darkness dark shadows news story truth lie lies chance time track wave waves
    one it's that's them him her us me you himself herself themselves myself yourself
    """.split()
)
_PARTICLE_NOT_BREAK = frozenset("down into free off away through out in at back open loose even apart".split())
_NP_STOP = frozenset(
    """
    against on onto in into with to from at over under across off and or then but as while before
    after of for by behind beside toward towards through until so up down out away back again
    aside around round along past near one two three more once twice here there today tonight
    too also now still anyway instead either is are was were
    """.split()
)
_SIDES = ("left", "right")
_COUNTS = frozenset("one two three four five six both several few pair couple".split())
_BODY_WORDS = frozenset(PART_GROUPS)


def _words(text: str) -> list[tuple[str, int, int]]:
    """Split folded text into words with offsets."""
    return [(m.group(0), m.start(), m.end()) for m in WORD.finditer(text)]


def negated(text: str, end: int) -> bool:
    """Say whether a negator or modal comes before offset `end` in a clause predicate."""
    before = [w for w, _, _ in _words(text[:end])]
    return any(w in NEGATORS or w.endswith("n't") for w in before)


def _past(text: str, end: int) -> bool:
    """Say whether the verb at `end` is in a past or perfect frame (`has left`, `had broken`)."""
    before = [w for w, _, _ in _words(text[:end])][-3:]
    return any(w in PAST_MARKERS for w in before)


def singular(word: str) -> str:
    """Return a naive singular of a prop noun (`keys` -> `key`, `glasses` stays)."""
    if word in ("glasses", "scissors", "pants", "trousers", "jeans", "headphones", "binoculars", "keys"):
        return "key" if word == "keys" else word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def noun_phrase(text: str, start: int, names: set[str] | None = None) -> tuple[str, int]:
    """Read the noun phrase starting at `start`: return (head noun, end offset), or ("", start).

    Determiners and possessives are skipped; the phrase ends at a preposition, a conjunction or
    after four words; `bottle of wine` ends at `of`, so its head is `bottle`.
    """
    words = _words(text[start:])
    phrase: list[str] = []
    end = start
    for word, _, stop in words[:6]:
        if not phrase and (word in DETERMINERS or word.endswith("'s") or word in _COUNTS):
            end = start + stop
            continue
        if word in _NP_STOP or (phrase and word.endswith("ly")):
            break
        if names and word in names and not phrase:
            break
        phrase.append(word)
        end = start + stop
        if len(phrase) == 4:
            break
    return (singular(phrase[-1]) if phrase else ""), end


def _prop_head(head: str, reader: Reader) -> str:
    """Accept a noun as a prop (resolving `it`), or return ""."""
    if head in ("it", "them"):
        return reader.it()
    if not head or head in NOT_PROPS or head in _BODY_WORDS or fold(head) in reader.names.forms:
        return ""
    if head in GARMENT_SLOTS or (len(head) > 5 and head.endswith(("ed", "ly"))):
        return ""
    return head


def note_things(clause: Clause, reader: Reader) -> None:
    """Remember the last thing a clause names after `the/a/his/her`, for a later `it`."""
    for match in re.finditer(r"\b(?:the|a|an|his|her|their|its)\s+", clause.pred):
        head = _prop_head(noun_phrase(clause.pred, match.end())[0], reader)
        if head:
            reader.remember(head)


def np_owner(clause: Clause, reader: Reader, start: int) -> str:
    """Whose thing a noun phrase names: `his phone`, `Tom's keys` ('' when it does not say)."""
    first = clause.pred[start:].split()[:1]
    if not first:
        return ""
    word = first[0].strip(".,;:!?")
    if word in ("his", "her", "their"):
        return _possessor(clause, reader, word, clause.subjects[0] if len(clause.subjects) == 1 else None, 0) or ""
    if word.endswith("'s") and word[:-2] in reader.names.forms:
        return reader.names.forms[word[:-2]]
    return ""


def _event(clause: Clause, scene: int, entity: str, attribute: str, value: str, **extra: object) -> dict[str, object]:
    """Bundle the fields of one event (built into a StateEvent by the caller)."""
    return {"scene": scene, "line": clause.line, "entity": entity, "attribute": attribute, "value": value,
            "text": clause.text, **extra}


def clause_events(clause: Clause, scene: int, reader: Reader, location: str) -> list[object]:
    """Return every state event one clause carries."""
    from filmcrew.agents.continuity_tracker import StateEvent

    raw: list[dict[str, object]] = []
    reader.paragraph = clause.paragraph
    if clause.thing == "it":
        clause.thing = reader.it()
    elif clause.thing and not clause.subjects and _prop_head(singular(clause.thing_head()), reader):
        reader.remember(singular(clause.thing_head()))
    readers = (props, wardrobe, injuries, body, light) if clause.intro_of else (presence, props, wardrobe, injuries, body, light)
    for reader_fn in readers:
        raw.extend(reader_fn(clause, scene, reader))
    leave = LEAVE_BEHIND.search(clause.pred)
    if leave and clause.subjects:
        head = _prop_head(singular(leave.group("thing").split()[-1]), reader)
        if head and head not in PLACE_NOUNS:
            raw.append(_event(clause, scene, head, "prop", "leave", actor=clause.subjects[0], target=location))
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
            found.append(_event(clause, scene, key, "presence", "exit", named=False))
    if not clause.subjects:
        found.extend(_object_deaths(clause, scene))
        return found
    pred = clause.pred
    value = _presence_value(pred)
    if value is None:
        return found
    named = clause.explicit and bool(clause.mentions) and clause.mentions[0].key in clause.subjects
    for key in clause.subjects:
        found.append(_event(clause, scene, key, "presence", value, named=named))
        if value == "exit":
            reader.note([])
    found.extend(_object_deaths(clause, scene))
    return found


def _presence_value(pred: str) -> str | None:
    """Classify a predicate as exit, enter, death or act (None: nothing, or negated)."""
    words = [w for w, _, _ in _words(pred)]
    if not words or negated(pred, len(pred)) or _past(pred, len(pred)):
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
    r"(?:\w+\s+){0,2}?(?:out|away|off)\b(?:\s+(?:of\s+the\s+\w+|into\s+the\s+\w+|through\s+the\s+\w+|again))?\s*$"
)


def _is_exit(pred: str, words: list[str]) -> bool:
    """Say whether a predicate takes its subject out of the scene."""
    if any(w in EXIT_VERBS for w in words) or re.search(r"\b(?:is|are)\s+gone\b|\bgoes\s*$", pred):
        return True
    if _TAKES_OUT.search(pred.strip(" .!;,")):
        return True  # "wheels the empty tray out": leaves with it
    for i, word in enumerate(words):
        if word in ARRIVAL_VERBS and i + 1 < len(words) and words[i + 1] == "out" and not re.search(
                r"\bout\s+(?:of\s+)?(?:the\s+)?(?:room|house|door|window|office|building|bar|kitchen)\b", pred):
            continue  # "climbs out (of the car)": arriving, not leaving
        if word in MOTION_VERBS and i + 1 < len(words):
            nxt = words[i + 1 : i + 3]
            if nxt[0] in ("out", "off", "away") and not _leaves_place(pred, nxt[0]):
                continue
            if nxt[0] in ("out", "outside") or (nxt[0] in ("off", "away") and word not in ("backs", "edges", "moves")):
                return not re.search(r"\bout\s+of\s+(?:the\s+|a\s+|his\s+|her\s+)?(?:car|van|taxi|cab|truck|shadows|"
                                     r"darkness|lift|elevator|water|pool|bath|shower|bed|chair)\b", pred)
        if word == "leaves":
            rest = words[i + 1 : i + 3]
            if not rest or rest[0] in LEAVES_EXIT_FOLLOWERS:
                return True
            if rest[0] in DETERMINERS and len(rest) > 1 and rest[1] in PLACE_NOUNS:
                return True
    return False


ARRIVAL_VERBS = frozenset("climbs gets hops jumps clambers piles spills tumbles".split())


def _leaves_place(pred: str, particle: str) -> bool:
    """After `out`/`off`/`away`: a place, a direction or nothing (exit), not a thing (`pulls off the mac`)."""
    match = re.search(rf"\b{particle}\b\s*(.*)$", pred)
    rest = match.group(1).split() if match else []
    if not rest or rest[0] in ("of", "into", "onto", "through", "to", "towards", "toward", "across", "down", "up",
                               "along", "without", "with", "in", "at", "again", "too", "the", "and", "for", "after"):
        if rest and rest[0] == "the" and len(rest) > 1:
            return rest[1] in PLACE_NOUNS or rest[1] in ("door", "back", "front", "way", "exit", "rain", "night", "street", "dark")
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
    words = [w for w, _, _ in _words(pred)]
    if any(w in DEATH_OBJECT_VERBS for w in words) or re.search(r"\bshoots\s+\w+\s+dead\b", pred):
        return [_event(clause, scene, key, "presence", "death") for key in clause.objects[:1]]
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
        head = _prop_head(singular(target.split()[-1]), reader)
        if head:
            found.append(_event(clause, scene, head, "prop", "destroy", actor=actor))
    verb = main_verb(pred)
    if verb is not None and not negated(pred, verb[1]):
        found.extend(_verb_events(clause, scene, reader, verb[0], verb[2], actor, names))
    return found


_LEAD_WORDS = frozenset("then also still just quickly slowly finally suddenly carefully gently calmly quietly "
                        "silently almost nearly even now again simply only barely".split())
_CATENATIVES = frozenset("begins starts continues manages proceeds goes tries attempts helps".split())


def main_verb(pred: str) -> tuple[str, int, int] | None:
    """Return the clause's verb (word, start, end): the first word of the predicate, past adverbs.

    Screenplay action puts the verb right after the subject ("Nora takes the KEY"); looking only
    there keeps nouns that look like verbs ("the wedding RINGS", "both hands busy") out.
    `begins to tear` gives `tear`'s third-person form.
    """
    words = _words(pred)
    index = 0
    while index < len(words) and (words[index][0] in _LEAD_WORDS or words[index][0].endswith("ly")
                                  or words[index][0] in CLAUSE_OPENERS):
        index += 1
    if index >= len(words):
        return None
    if words[index][0] in _PREPOSITIONS:
        index = _past_phrase(words, index)
        if index is None:
            return None
    word, start, stop = words[index]
    if word in _CATENATIVES and index + 2 < len(words) and words[index + 1][0] == "to":
        nxt, _, nstop = words[index + 2]
        return _third_person(nxt), start, nstop
    return word, start, stop


_PREPOSITIONS = frozenset("after before with in at on for from under without by during behind beside across "
                          "through over inside outside near among".split())


def _past_phrase(words: list[tuple[str, int, int]], index: int) -> int | None:
    """Skip an opening phrase (`after a minute of splashing`) to the verb that follows it."""
    for position in range(index + 1, min(len(words), index + 8)):
        word = words[position][0]
        before = words[position - 1][0]
        if word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")) and len(word) > 3 \
                and before not in DETERMINERS and before not in _PREPOSITIONS:
            return position
    return None


def _third_person(verb: str) -> str:
    """`tear` -> `tears`, `smash` -> `smashes`, `carry` -> `carries` (for the verb lists)."""
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _thing_subject_events(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """`The vase shatters`, `her phone buzzes`, `the key is gone`."""
    head = _prop_head(singular(clause.thing_head()), reader)
    pred = clause.pred
    if not head or negated(pred, len(pred)):
        return []
    owner = clause.owner or ""
    if DESTROYED_STATE.search(pred):
        return [_event(clause, scene, head, "prop", "destroy", actor=owner, owner=owner)]
    broke = BREAK_INTRANSITIVE.search(pred)
    if broke and not re.search(r"\bbreaks?\s+(?:down|into|free|off|away|through|out)\b", pred):
        verb = broke.group(0).split()[0]
        return [_event(clause, scene, head, "prop", "break", actor=owner, owner=owner,
                       phrase=_PARTICIPLES.get(verb.rstrip("s").rstrip("e"), ""))]
    if LOST_STATE.search(pred) or (FALLS.search(pred) and LOSE_PLACES.search(pred)):
        return [_event(clause, scene, head, "prop", "lose", actor=owner, owner=owner)]
    if FUNCTION_INTRANSITIVE.search(pred):
        return [_event(clause, scene, head, "prop", "use", actor=owner, owner=owner)]
    return []


def _verb_events(clause: Clause, scene: int, reader: Reader, word: str, stop: int, actor: str,
                 names: set[str]) -> list[dict[str, object]]:
    """Events of one verb in the predicate, with its object noun phrase."""
    pred = clause.pred
    if word in BREAK_TRANSITIVE and actor:
        return _break_event(clause, scene, reader, word, stop, actor, names)
    if word in REPAIR_VERBS:
        head = _prop_head(noun_phrase(pred, stop, names)[0], reader)
        owner = np_owner(clause, reader, stop)
        return [_event(clause, scene, head, "prop", "repair", actor=actor, owner=owner)] if head else []
    if word in LOSE_TRANSITIVE:
        head, end = noun_phrase(pred, stop, names)
        head = _prop_head(head, reader)
        if head and (word == "loses" or LOSE_PLACES.search(pred[end:])):
            return [_event(clause, scene, head, "prop", "lose", actor=actor, owner=np_owner(clause, reader, stop))]
    if word in GIVE_VERBS and actor:
        given = _give_event(clause, scene, reader, word, stop, actor, names)
        if given:
            return given
    if word in TAKE_VERBS or word in FIND_VERBS or (word == "puts" and POCKET_PLACES.search(pred[stop:])):
        return _take_event(clause, scene, reader, word, stop, actor, names)
    if word in FUNCTION_TRANSITIVE and actor:
        return _use_event(clause, scene, reader, stop, actor, names)
    return []


def _break_event(clause: Clause, scene: int, reader: Reader, word: str, stop: int, actor: str,
                 names: set[str]) -> list[dict[str, object]]:
    """`smashes the vase`, `tears up the letter`, `stomps on the phone`."""
    pred = clause.pred
    rest = [w for w, _, _ in _words(pred[stop:])][:3]
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
    if head in _BODY_WORDS:
        return []
    head = _prop_head(head, reader)
    if not head:
        return []
    reader.remember(head)
    if needs == () and word in ("burns", "burning") and not re.search(r"\b(?:ash|ashes|cinders|flames|fire|up)\b", pred):
        return []
    value = "destroy" if DESTROYED_STATE.search(pred) or word in ("shreds", "burns", "shredding", "burning") else "break"
    return [_event(clause, scene, head, "prop", value, actor=actor, owner=np_owner(clause, reader, offset),
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
    first = [w for w, _, _ in _words(tail)][:1]
    start = stop
    if first and (first[0] in names or first[0] in ("him", "her", "them")) and objects:
        recipient = objects[0]
        start = stop + tail.find(first[0]) + len(first[0])
        if first[0] in names and tail.lstrip().startswith(first[0] + "'s"):
            return []
    head, end = noun_phrase(pred, start, names)
    head = _prop_head(head, reader)
    if not head:
        return []
    to = re.match(r"\s*(?:back\s+)?(?:over\s+)?to\s+(\w+)", pred[end:])
    if not recipient and to and objects:
        recipient = objects[-1]
    if not recipient and re.match(r"\s*back\b", pred[end:]):
        recipient = "?back"
    if not recipient:
        return []
    reader.remember(head)
    return [_event(clause, scene, head, "prop", "give", actor=actor, target=recipient,
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
    head = _prop_head(head, reader)
    if not head or not actor:
        return []
    reader.remember(head)
    value = "find" if word in FIND_VERBS else "take"
    return [_event(clause, scene, head, "prop", value, actor=actor, owner=np_owner(clause, reader, offset))]


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
        head = _prop_head(head, reader)
        if head:
            if index == 0:
                reader.remember(head)
            found.append(_event(clause, scene, head, "prop", "use", actor=actor, owner=owner))
    return found


# --- wardrobe --------------------------------------------------------------------------


def garments(text: str) -> list[tuple[str, str, int, int]]:
    """Find garments in folded text: (noun, slot, start, end), skipping `coat pocket`-style parts."""
    found: list[tuple[str, str, int, int]] = []
    words = _words(text)
    for index, (word, start, stop) in enumerate(words):
        slot = GARMENT_SLOTS.get(word)
        if slot is None:
            continue
        nxt = words[index + 1][0] if index + 1 < len(words) else ""
        prev = words[index - 1][0] if index else ""
        if nxt in GARMENT_PART_AFTER or prev in NOT_WORN_BEFORE or (prev == "the" and index >= 2 and words[index - 2][0] in NOT_WORN_BEFORE):
            continue
        found.append((word, slot, start, stop))
    return found


def descriptors(text: str, start: int, stop: int) -> list[str]:
    """Colour families, materials and patterns written before (or as `the colour of`) a garment."""
    before = [w for w, _, _ in _words(text[:start])][-3:]
    picked: list[str] = []
    for word in reversed(before):
        if word in DETERMINERS or word in ("in", "wearing", "of", "and", "a", "an"):
            break
        picked.extend(_descriptor(word))
    after = re.match(r"\s+(?:the\s+)?colou?r\s+of\s+(\w+)", text[stop:])
    if after:
        picked.extend(_descriptor(after.group(1)))
    return sorted(set(picked))


def garment_phrase(text: str, start: int, stop: int) -> str:
    """Return a garment as written, with the words before it that describe it (`tan trench coat`)."""
    kept: list[str] = []
    for word in reversed([w for w, _, _ in _words(text[:start])][-3:]):
        if word in DETERMINERS or word in _NP_STOP or word in ("wearing", "wears", "a", "an") or word.endswith("'s"):
            break
        kept.insert(0, word)
    return " ".join([*kept, text[start:stop]])


def _descriptor(word: str) -> list[str]:
    """Map a word to its descriptor tokens (`scarlet` -> `colour:red`)."""
    parts = word.split("-")
    out: list[str] = []
    for part in parts:
        if part in COLOUR_FAMILIES:
            out.append("colour:" + COLOUR_FAMILIES[part])
        elif part in MATERIALS:
            out.append("material:" + part.rstrip("en") if part.endswith("len") else "material:" + part)
        elif part in PATTERNS:
            out.append("pattern:" + part)
    return out


def wardrobe(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """Garments worn, put on, taken off or changed, each given to its owner."""
    found: list[dict[str, object]] = []
    low = clause.low
    found_garments = garments(low)
    for index, (noun, slot, start, stop) in enumerate(found_garments):
        nxt = found_garments[index + 1] if index + 1 < len(found_garments) else None
        if nxt is not None and nxt[1] == slot and nxt[2] - stop <= 1:
            continue  # "oilskin COAT": the first word names the material
        owner, worn = _garment_owner(clause, reader, start)
        if owner is None:
            continue
        value = _garment_value(clause, start, worn)
        if value is None:
            continue
        found.append(_event(clause, scene, owner, "wardrobe", value, part=slot, noun=noun,
                            descriptors=descriptors(low, start, stop), phrase=garment_phrase(low, start, stop)))
    return found


def _garment_owner(clause: Clause, reader: Reader, start: int) -> tuple[str | None, bool]:
    """Whose garment this is, and whether the wording says it is worn."""
    before = clause.low[:start]
    recent = [w for w, _, _ in _words(before)][-4:]
    for mention in reversed(clause.mentions):
        if mention.possessive and mention.end <= start and start - mention.end < 30:
            return mention.key, True
    subject = clause.subjects[0] if len(clause.subjects) == 1 else None
    possessive = next((w for w in reversed(recent) if w in ("his", "her", "their")), None)
    if possessive is not None:
        pronoun = {"his": "he", "her": "she", "their": "they"}[possessive]
        if clause.owner and not clause.subjects and clause.pred_start >= start:
            return clause.owner, True  # the garment is the clause's own subject: "her scrubs rumpled"
        if subject and reader.names.gender.get(subject, pronoun) == pronoun:
            return subject, True
        resolved = reader.resolve(possessive)
        return (resolved[0] if resolved else None), True
    worn = bool(WEAR_WORDS.search(before)) or clause.intro_of is not None
    if subject and (worn or PUT_ON.search(before) or TAKE_OFF.search(before)):
        return subject, worn
    return None, False


def _garment_value(clause: Clause, start: int, worn: bool) -> str | None:
    """Classify a garment mention as on, off, change or a plain `wear` assertion."""
    low = clause.low
    if negated(low, start):
        return None
    if TAKE_OFF.search(low):
        return "off"
    if PUT_ON.search(low):
        return "on"
    if CHANGE_SHOWN.search(low) or re.search(r"\bnow\b", low) or re.search(
        r"\b(?:fresh|clean|dry|new|different|another|spare)\b", low[max(0, start - 30) : start]
    ):
        return "change"
    return "wear"


# --- injuries --------------------------------------------------------------------------


def _side_part(text: str) -> tuple[str, str, int]:
    """Find `(left|right)? PART` at the start of text: (side, part, end offset)."""
    match = re.match(r"\s*(?:(?:his|her|their|own|the|a)\s+)*(?:(left|right)\s+)?(\w+)", text)
    if match and match.group(2) in _BODY_WORDS:
        return match.group(1) or "", match.group(2), match.end()
    return "", "", 0


def injuries(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """Injuries caused, referred back to, denied (`unmarked`), or ignored (running on a sprain)."""
    found: list[dict[str, object]] = []
    pred = clause.pred
    subject = clause.subjects[0] if len(clause.subjects) == 1 else None
    if negated(pred, len(pred)) and not re.search(r"\bnot\s+a\s+(?:scratch|mark)\b", pred):
        return found
    found.extend(_caused(clause, scene, subject))
    found.extend(_references(clause, scene, reader, subject))
    owner = subject or (clause.owner if clause.thing else None)
    if owner and UNMARKED.search(clause.low):
        part = next((PART_GROUPS[w] for w, _, _ in _words(clause.low) if w in PART_GROUPS), "")
        found.append(_event(clause, scene, owner, "injury", "unmarked", part=part))
    running = LEG_RUNNING.search(pred)
    if running and re.match(r"\s+(?:a|an|the|his|her|their|its)\b", pred[running.end() :]):
        running = None  # "runs a finger along", "runs the shop"
    if subject and running and not DESPITE.search(clause.low):
        found.append(_event(clause, scene, subject, "injury", "run"))
    return found


def _ing(verb: str) -> str:
    """`scrapes` -> `scraping`, `cuts` -> `cutting`, `bloodies` -> `bloodying`."""
    if verb.endswith("ies"):
        return verb[:-3] + "ying"
    base = verb[:-2] if verb.endswith(("shes", "ches", "sses", "xes")) else verb[:-1]
    if base.endswith("e") and not base.endswith("ee"):
        return base[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", base):
        return base + base[-1] + "ing"
    return base + "ing"


SELF_INJURY_ING = {_ing(verb): kind for verb, kind in SELF_INJURY_VERBS.items()}


def _caused(clause: Clause, scene: int, subject: str | None) -> list[dict[str, object]]:
    """`cuts her palm`, `stabs Dom in the side`, `his nose bleeds`, `she is bleeding`."""
    pred = clause.pred
    found: list[dict[str, object]] = []
    for word, start, stop in _words(pred):
        kind = SELF_INJURY_VERBS.get(word) or SELF_INJURY_ING.get(word)
        if kind and subject:
            side, part, _ = _side_part(pred[stop:])
            if part and not (word in ("turns", "twists") and PART_GROUPS.get(part) not in ("leg", "hand")):
                found.append(_event(clause, scene, subject, "injury", "injure", part=part, side=side, noun=kind))
        if word in OTHER_INJURY_VERBS and word in OTHER_INJURY_SURE and clause.objects:
            where = re.search(r"\b(?:in|on|across)\s+the\s+(?:(left|right)\s+)?(\w+)", pred[stop:])
            part = where.group(2) if where and where.group(2) in _BODY_WORDS else ""
            side = (where.group(1) or "") if part else ""
            found.append(_event(clause, scene, clause.objects[0], "injury", "injure", part=part, side=side,
                                noun=OTHER_INJURY_VERBS[word]))
    owner = clause.owner if clause.thing else None
    head = clause.thing_head()
    if owner and head in _BODY_WORDS and re.search(r"\b(?:bleeds|splits|swells|is\s+(?:cut|bleeding|bruised|swollen|broken))\b", pred):
        side = "left" if "left" in clause.thing else "right" if "right" in clause.thing else ""
        kind = "bleeding" if "bleed" in pred else "cut" if "split" in pred or "cut" in pred else "bruise"
        found.append(_event(clause, scene, owner, "injury", "injure", part=head, side=side, noun=kind))
    elif subject and BLEEDING.search(pred) and not found:
        where = re.search(r"\bfrom\s+(?:his|her|their|the)\s+(?:(left|right)\s+)?(\w+)", pred)
        part = where.group(2) if where and where.group(2) in _BODY_WORDS else ""
        found.append(_event(clause, scene, subject, "injury", "injure", part=part,
                            side=(where.group(1) or "") if part else "", noun="bleeding"))
    return found


# What an injured-looking adjective says about the injury; "any" matches every kind.
ADJECTIVE_KINDS = {
    "bandaged": "any", "bloody": "any", "bloodied": "any", "injured": "any", "wounded": "any", "strapped": "any",
    "taped": "any", "splinted": "any", "bruised": "bruise", "swollen": "bruise", "cut": "cut", "gashed": "cut",
    "broken": "fracture", "burnt": "burn", "burned": "burn", "blistered": "burn", "scraped": "graze",
    "grazed": "graze", "scratched": "scratch",
}
_INJURY_ADJ = (
    r"bandaged|bloody|bloodied|bruised|swollen|cut|gashed|broken|burnt|burned|scraped|grazed|injured|wounded|"
    r"blistered|scratched|splinted|strapped|taped"
)
_REF_ADJ = re.compile(rf"\b(the|his|her|their|a|an|[a-z]+'s)\s+(?:(left|right)\s+)?({_INJURY_ADJ})\s+(?:(left|right)\s+)?(\w+)")
_NOUN_ALT = "|".join(sorted((re.escape(n) for n in INJURY_NOUNS), key=len, reverse=True))
_REF_NOUN = re.compile(
    rf"\b(the|his|her|their|a|an|[a-z]+'s)\s+(?:(?:fresh|deep|nasty|small|long|thin|ugly|angry|red|purple|raw|"
    rf"livid|ragged|makeshift|bloody|new|neat|black|dark)\s+)?({_NOUN_ALT})\b(?:\s+(?:on|across|above|over|under|"
    rf"below|along|around|in|at|near|beside|down)\s+(the|his|her|their|[a-z]+'s)\s+(?:(left|right)\s+)?(\w+))?"
)


_STATE_KINDS = {"bleeding": "bleeding", "swollen": "bruise", "bruised": "bruise", "burnt": "burn", "burned": "burn",
                "blistered": "burn", "scraped": "graze", "grazed": "graze", "raw": "graze", "stitched": "cut"}


def _signs(clause: Clause, scene: int, reader: Reader, subject: str | None) -> list[dict[str, object]]:
    """`clutching his left ankle`, `her right thumb bandaged`: an injury shown, not named."""
    found: list[dict[str, object]] = []
    low = clause.low
    for match in INJURY_SIGNS.finditer(low):
        if match.group(1) == "the":
            continue  # "tapes the ankle": whose ankle the sentence does not say
        owner = _possessor(clause, reader, match.group(1), subject, match.start(1))
        if owner:
            found.append(_event(clause, scene, owner, "injury", "injure", part=match.group(3),
                                side=match.group(2) or "", noun="any"))
    for match in PART_THEN_STATE.finditer(low):
        if match.group(3) not in _BODY_WORDS:
            continue
        owner = _possessor(clause, reader, match.group(1), subject, match.start(1))
        if owner:
            state = match.group(4).split()[-1]
            found.append(_event(clause, scene, owner, "injury", "ref", part=match.group(3), side=match.group(2) or "",
                                noun=_STATE_KINDS.get(state, "any"), definite=True))
    return found


def _references(clause: Clause, scene: int, reader: Reader, subject: str | None) -> list[dict[str, object]]:
    """`the cut on her left cheek`, `his bandaged right hand`, `her black eye`."""
    found: list[dict[str, object]] = _signs(clause, scene, reader, subject)
    low = clause.low
    for match in _REF_ADJ.finditer(low):
        part = match.group(5)
        if part not in _BODY_WORDS:
            continue
        owner = _possessor(clause, reader, match.group(1), subject, match.start())
        if owner:
            side = match.group(2) or match.group(4) or ""
            found.append(_event(clause, scene, owner, "injury", "ref", part=part, side=side,
                                noun=ADJECTIVE_KINDS.get(match.group(3), "wound"),
                                definite=match.group(1) not in ("a", "an")))
    for match in _REF_NOUN.finditer(low):
        part = match.group(5) or ""
        if part and part not in _BODY_WORDS:
            continue
        if match.group(2) == "cast" and not part:
            continue
        owner = _injury_owner(clause, reader, match, subject)
        if owner:
            found.append(_event(clause, scene, owner, "injury", "ref", part=part, side=match.group(4) or "",
                                noun=INJURY_NOUNS[match.group(2)], definite=match.group(1) not in ("a", "an")))
    return found


def _injury_owner(clause: Clause, reader: Reader, match: re.Match[str], subject: str | None) -> str | None:
    """Whose injury `the cut on Tommy's forehead` is: the part's owner, else the possessive.

    A bare `the wound` with no owner named is left alone: a doctor "irrigates the wound" of
    someone else.
    """
    if match.group(3) and match.group(3) != "the":
        return _possessor(clause, reader, match.group(3), subject, match.start(3))
    if match.group(1) not in ("the", "a", "an"):
        return _possessor(clause, reader, match.group(1), subject, match.start())
    if match.group(1) in ("a", "an") and clause.intro_of:
        return clause.intro_of
    return None


def _possessor(clause: Clause, reader: Reader, word: str, subject: str | None, at: int) -> str | None:
    """Whose body a determiner or possessive points at."""
    if word.endswith("'s"):
        mention = next((m for m in clause.mentions if m.possessive and m.start <= at + 1 and m.end >= at), None)
        return mention.key if mention else None
    if word in ("his", "her", "their"):
        pronoun = {"his": "he", "her": "she", "their": "they"}[word]
        if subject and reader.names.gender.get(subject, pronoun) == pronoun:
            return subject
        resolved = reader.resolve(word)
        return resolved[0] if resolved else None
    return subject


# --- wet, dirt and makeup --------------------------------------------------------------


def body(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """Soaked, muddy, smeared; washed, dried, changed; and claims of being dry or spotless."""
    subject = clause.subjects[0] if len(clause.subjects) == 1 else None
    low = clause.low
    if negated(clause.pred, len(clause.pred)):
        return []
    owner = subject or (clause.owner if clause.thing and any(_personal(w) for w in clause.thing.split()) else None)
    found: list[dict[str, object]] = []
    found.extend(_splashed(clause, scene))
    found.extend(_stained(clause, scene, reader))
    covered = COVERS.search(low)
    if covered:  # "coolant coats his face and hands": the face's owner
        whose = re.search(r"\b(his|her|their|[a-z]+'s)\s", covered.group(0))
        who = _possessor(clause, reader, whose.group(1), subject, covered.start()) if whose else None
        if who:
            found.append(_event(clause, scene, who, "body", "dirty"))
    if owner is None:
        return found
    if WET_EVENT.search(low) or (WET_STATE.search(low) and not re.search(r"\bwet\s+(?:eyes|cheeks|lashes)\b", low)):
        found.append(_event(clause, scene, owner, "body", "wet"))
    if DIRTY_STATE.search(low):
        found.append(_event(clause, scene, owner, "body", "dirty"))
    if MAKEUP_STATE.search(low):
        found.append(_event(clause, scene, owner, "body", "makeup"))
    if subject and CLEAN_EVENT.search(clause.pred) and _self_clean(clause.pred):
        found.append(_event(clause, scene, subject, "body", "clean"))
    elif PRISTINE.search(low) and not found:
        value = "dry_assert" if DRY_WORDS.search(low) else "clean_assert"
        skin = bool(re.search(r"\b(?:face|cheeks?|hands?|hair|skin|makeup|make-up|mascara)\b", low))
        if garments(low):
            found.append(_event(clause, scene, owner, "body", value, part="garment"))
        if skin or not garments(low):
            found.append(_event(clause, scene, owner, "body", value))
    return found


def _personal(head: str) -> bool:
    """Say whether a possessed thing is part of a person's look (hair, face, clothes)."""
    return head in _BODY_WORDS or head in GARMENT_SLOTS or head in ("hair", "clothes", "makeup", "make-up", "mascara")


def _self_clean(pred: str) -> bool:
    """Say whether a cleaning verb is done to oneself (`dries off`, `washes her face`)."""
    match = CLEAN_EVENT.search(pred)
    if match is None:
        return False
    if match.group(0).startswith("changes"):
        return bool(re.match(r"\s*(?:$|[.,;]|into\b|out\s+of\b|clothes\b|(?:his|her|their)\s+(?:clothes|outfit|shirt|"
                             r"top|dress|scrubs|uniform)\b)", pred[match.end() :]))
    if match.group(0).startswith(("showers", "bathes", "freshens", "fixes", "reapplies", "touches")):
        return True
    rest = pred[match.end() :].split()
    if not rest:
        return True
    nxt = rest[1] if rest[0] in ("his", "her", "their", "the", "some", "off", "up") and len(rest) > 1 else rest[0]
    return rest[0] in ("off", "up", "himself", "herself", "themselves") or nxt in _BODY_WORDS or nxt in (
        "hair", "mud", "blood", "dirt", "paint", "makeup", "make-up", "mascara", "tears", "grime", "soot", "flour")


def _stained(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """`knocks red wine down his white shirt`, `blood spatters across her cheek`: a stain on
    clothes (part `garment`) or on the skin (no part)."""
    low = clause.low
    spill = STAIN.search(low)
    marks: list[dict[str, object]] = []
    for noun, slot, start, _ in garments(low):
        if not (spill and start >= spill.start()) and not STAINED.search(low[max(0, start - 30) : start]):
            continue
        owner, _worn = _garment_owner(clause, reader, start)
        if owner:
            marks.append(_event(clause, scene, owner, "body", "dirty", part="garment", noun=noun))
    if spill:
        skin = re.search(r"\b(his|her|their|[a-z]+'s)\s+(?:\w+\s+)?(face|cheek|cheeks|forehead|hands|hand|arms|neck|"
                         r"hair|chin|lips|mouth|nose)\b", low[spill.start() :])
        if skin:
            subject = clause.subjects[0] if len(clause.subjects) == 1 else None
            owner = _possessor(clause, reader, skin.group(1), subject, spill.start() + skin.start())
            if owner:
                marks.append(_event(clause, scene, owner, "body", "dirty", noun=skin.group(2)))
    return marks


def _splashed(clause: Clause, scene: int) -> list[dict[str, object]]:
    """`throws her drink in Tom's face`, `the wave soaks him`: the object is wet."""
    if not clause.objects:
        return []
    if SPLASH_OTHER.search(clause.pred) or re.search(r"\b(?:soaks|drenches)\b", clause.pred):
        return [_event(clause, scene, clause.objects[-1], "body", "wet")]
    return []


# --- light -----------------------------------------------------------------------------


def light(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """Sunlight or moonlight the action describes (checked against the heading's time)."""
    low = clause.low
    if LIGHT_NEGATION.search(low):
        return []
    found: list[dict[str, object]] = []
    if SUN_LIGHT.search(low):
        found.append(_event(clause, scene, "", "light", "sun"))
    if NIGHT_LIGHT.search(low):
        found.append(_event(clause, scene, "", "light", "night"))
    return found
