"""Clause -> look events: wardrobe worn and changed, injuries, wet and dirt, and the light.

A garment belongs to whoever the clause dresses ("Nora in a fisherman's JUMPER now", "her red
coat"); an injury to the body part's owner ("the cut on Tommy's forehead"); a stain to the
owner of the clothes or skin it lands on. Claims of being dry or spotless are kept as asserts,
which the state rules compare with what came before.
"""

from __future__ import annotations

import re

from filmcrew.agents.continuity_text import Clause, Reader
from filmcrew.agents.continuity_words import (
    BODY_WORDS,
    NP_STOP,
    event,
    ing_form,
    negated,
    possessor,
    singular,
    tokens_of,
)
from filmcrew.agents.lexicon import NOT_WORN_AFTER, NOT_WORN_BEFORE
from filmcrew.agents.lexicon_continuity import (
    BLEEDING,
    CHANGE_SHOWN,
    CLEAN_EVENT,
    COLOUR_FAMILIES,
    COVERS,
    DESPITE,
    DETERMINERS,
    DIRTY_STATE,
    DRY_WORDS,
    GARMENT_SLOTS,
    INJURY_NOUNS,
    INJURY_SIGNS,
    LEG_RUNNING,
    LIGHT_NEGATION,
    MAKEUP_STATE,
    MATERIALS,
    NIGHT_LIGHT,
    OTHER_INJURY_SURE,
    OTHER_INJURY_VERBS,
    PART_GROUPS,
    PART_THEN_STATE,
    PATTERNS,
    PRISTINE,
    PUT_ON,
    SELF_INJURY_VERBS,
    SPLASH_OTHER,
    STAIN,
    STAIN_LANDS,
    STAINED,
    SUN_LIGHT,
    TAKE_OFF,
    UNMARKED,
    WEAR_WORDS,
    WET_EVENT,
    WET_STATE,
)

# Nouns that follow state verbs without being props ("breaks the silence", "loses her temper").

def garments(text: str) -> list[tuple[str, str, int, int]]:
    """Find garments in folded text: (noun, slot, start, end), skipping `coat pocket`-style parts."""
    found: list[tuple[str, str, int, int]] = []
    words = tokens_of(text)
    for index, (word, start, stop) in enumerate(words):
        slot = GARMENT_SLOTS.get(word) or GARMENT_SLOTS.get(singular(word))
        if slot is None:
            continue
        nxt = words[index + 1][0] if index + 1 < len(words) else ""
        prev = words[index - 1][0] if index else ""
        before_the = prev == "the" and index >= 2 and words[index - 2][0] in NOT_WORN_BEFORE
        if nxt in NOT_WORN_AFTER or prev in NOT_WORN_BEFORE or before_the:
            continue
        found.append((word, slot, start, stop))
    return found


def descriptors(text: str, start: int, stop: int) -> list[str]:
    """Colour families, materials and patterns written before (or as `the colour of`) a garment."""
    before = [w for w, _, _ in tokens_of(text[:start])][-3:]
    picked: list[str] = []
    for word in reversed(before):
        if word in DETERMINERS or word in ("in", "wearing", "of", "and", "a", "an"):
            break
        picked.extend(descriptor_tokens(word))
    after = re.match(r"\s+(?:the\s+)?colou?r\s+of\s+(\w+)", text[stop:])
    if after:
        picked.extend(descriptor_tokens(after.group(1)))
    return sorted(set(picked))


def garment_phrase(text: str, start: int, stop: int) -> str:
    """Return a garment as written, with the words before it that describe it (`tan trench coat`)."""
    kept: list[str] = []
    for word in reversed([w for w, _, _ in tokens_of(text[:start])][-3:]):
        if word in DETERMINERS or word in NP_STOP or word in ("wearing", "wears", "a", "an") or word.endswith("'s"):
            break
        kept.insert(0, word)
    return " ".join([*kept, text[start:stop]])


def descriptor_tokens(word: str) -> list[str]:
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
    if len(clause.subjects) > 1 and re.search(r"\b(?:their|in|wearing)\b", low):
        return _shared_garments(clause, scene, found_garments)  # "in their matching orange jackets"
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
        found.append(event(clause, scene, owner, "wardrobe", value, part=slot, noun=noun, worn=worn,
                            descriptors=descriptors(low, start, stop), phrase=garment_phrase(low, start, stop)))
    return found


def _shared_garments(clause: Clause, scene: int,
                     found_garments: list[tuple[str, str, int, int]]) -> list[dict[str, object]]:
    """A garment several subjects wear alike: each of them wears one."""
    low = clause.low
    return [event(clause, scene, owner, "wardrobe", "wear", part=slot, noun=singular(noun), worn=True,
                  descriptors=descriptors(low, start, stop), phrase=garment_phrase(low, start, stop))
            for noun, slot, start, stop in found_garments for owner in clause.subjects]


# Verbs that show a garment is on the body ("pulls her coat tighter", "buttons his jacket").
WORN_VERBS = re.compile(r"\b(?:tighter|buttons|buttoned|zips|zipped|adjusts|straightens|tugs\s+at|flaps|flapping|"
                        r"billows|billowing|hangs\s+open|rumpled|soaked|dripping)\b")


def _garment_owner(clause: Clause, reader: Reader, start: int) -> tuple[str | None, bool]:
    """Whose garment this is, and whether the wording says it is worn."""
    before = clause.low[:start]
    recent = [w for w, _, _ in tokens_of(before)][-4:]
    worn = bool(WEAR_WORDS.search(before) or WORN_VERBS.search(clause.low)) or clause.intro_of is not None
    for mention in reversed(clause.mentions):
        if mention.possessive and mention.end <= start and start - mention.end < 30:
            return mention.key, worn
    subject = clause.subjects[0] if len(clause.subjects) == 1 else None
    possessive = next((w for w in reversed(recent) if w in ("his", "her", "their")), None)
    if possessive is not None:
        pronoun = {"his": "he", "her": "she", "their": "they"}[possessive]
        if clause.owner and not clause.subjects and clause.pred_start >= start:
            return clause.owner, worn  # the garment is the clause's own subject: "her scrubs rumpled"
        if subject and reader.names.gender.get(subject, pronoun) == pronoun:
            return subject, worn
        resolved = reader.resolve(possessive)
        return (resolved[0] if resolved else None), worn
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
    if match and match.group(2) in BODY_WORDS:
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
        part = next((PART_GROUPS[w] for w, _, _ in tokens_of(clause.low) if w in PART_GROUPS), "")
        found.append(event(clause, scene, owner, "injury", "unmarked", part=part))
    running = LEG_RUNNING.search(pred)
    if running and re.match(r"\s+(?:a|an|the|his|her|their|its)\b", pred[running.end() :]):
        running = None  # "runs a finger along", "runs the shop"
    if subject and running and not DESPITE.search(clause.low):
        found.append(event(clause, scene, subject, "injury", "run"))
    return found


SELF_INJURY_ING = {ing_form(verb): kind for verb, kind in SELF_INJURY_VERBS.items()}


def _caused(clause: Clause, scene: int, subject: str | None) -> list[dict[str, object]]:
    """`cuts her palm`, `stabs Dom in the side`, `his nose bleeds`, `she is bleeding`."""
    pred = clause.pred
    found: list[dict[str, object]] = []
    for word, start, stop in tokens_of(pred):
        kind = SELF_INJURY_VERBS.get(word) or SELF_INJURY_ING.get(word)
        if kind and subject:
            side, part, _ = _side_part(pred[stop:])
            if part and not (word in ("turns", "twists") and PART_GROUPS.get(part) not in ("leg", "hand")):
                found.append(event(clause, scene, subject, "injury", "injure", part=part, side=side, noun=kind))
        if word in OTHER_INJURY_VERBS and word in OTHER_INJURY_SURE and clause.objects:
            where = re.search(r"\b(?:in|on|across)\s+the\s+(?:(left|right)\s+)?(\w+)", pred[stop:])
            part = where.group(2) if where and where.group(2) in BODY_WORDS else ""
            side = (where.group(1) or "") if where and part else ""
            found.append(event(clause, scene, clause.objects[0], "injury", "injure", part=part, side=side,
                                noun=OTHER_INJURY_VERBS[word]))
    owner = clause.owner if clause.thing else None
    head = clause.thing_head()
    hurt = re.search(r"\b(?:bleeds|splits|swells|is\s+(?:cut|bleeding|bruised|swollen|broken))\b", pred)
    if owner and head in BODY_WORDS and hurt:
        side = "left" if "left" in clause.thing else "right" if "right" in clause.thing else ""
        kind = "bleeding" if "bleed" in pred else "cut" if "split" in pred or "cut" in pred else "bruise"
        found.append(event(clause, scene, owner, "injury", "injure", part=head, side=side, noun=kind))
    elif subject and BLEEDING.search(pred) and not found:
        where = re.search(r"\bfrom\s+(?:his|her|their|the)\s+(?:(left|right)\s+)?(\w+)", pred)
        part = where.group(2) if where and where.group(2) in BODY_WORDS else ""
        found.append(event(clause, scene, subject, "injury", "injure", part=part,
                           side=(where.group(1) or "") if where and part else "", noun="bleeding"))
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
_REF_ADJ = re.compile(
    rf"\b(the|his|her|their|a|an|[a-z]+'s)\s+(?:(left|right)\s+)?({_INJURY_ADJ})\s+(?:(left|right)\s+)?(\w+)"
)
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
        owner = possessor(clause, reader, match.group(1), subject, match.start(1))
        if owner:
            found.append(event(clause, scene, owner, "injury", "injure", part=match.group(3),
                                side=match.group(2) or "", noun="any"))
    for match in PART_THEN_STATE.finditer(low):
        if match.group(3) not in BODY_WORDS:
            continue
        owner = possessor(clause, reader, match.group(1), subject, match.start(1))
        if owner:
            state = match.group(4).split()[-1]
            found.append(event(clause, scene, owner, "injury", "ref", part=match.group(3), side=match.group(2) or "",
                                noun=_STATE_KINDS.get(state, "any"), definite=True))
    return found


def _references(clause: Clause, scene: int, reader: Reader, subject: str | None) -> list[dict[str, object]]:
    """`the cut on her left cheek`, `his bandaged right hand`, `her black eye`."""
    found: list[dict[str, object]] = _signs(clause, scene, reader, subject)
    low = clause.low
    for match in _REF_ADJ.finditer(low):
        part = match.group(5)
        if part not in BODY_WORDS:
            continue
        owner = possessor(clause, reader, match.group(1), subject, match.start())
        if owner:
            side = match.group(2) or match.group(4) or ""
            found.append(event(clause, scene, owner, "injury", "ref", part=part, side=side,
                                noun=ADJECTIVE_KINDS.get(match.group(3), "wound"),
                                definite=match.group(1) not in ("a", "an")))
    for match in _REF_NOUN.finditer(low):
        part = match.group(5) or ""
        if part and part not in BODY_WORDS:
            continue
        if match.group(2) == "cast" and not part:
            continue
        owner = _injury_owner(clause, reader, match, subject)
        if owner:
            found.append(event(clause, scene, owner, "injury", "ref", part=part, side=match.group(4) or "",
                                noun=INJURY_NOUNS[match.group(2)], definite=match.group(1) not in ("a", "an")))
    return found


def _injury_owner(clause: Clause, reader: Reader, match: re.Match[str], subject: str | None) -> str | None:
    """Whose injury `the cut on Tommy's forehead` is: the part's owner, else the possessive.

    A bare `the wound` with no owner named is left alone: a doctor "irrigates the wound" of
    someone else.
    """
    if match.group(3) and match.group(3) != "the":
        return possessor(clause, reader, match.group(3), subject, match.start(3))
    if match.group(1) not in ("the", "a", "an"):
        return possessor(clause, reader, match.group(1), subject, match.start())
    if match.group(1) in ("a", "an") and clause.intro_of:
        return clause.intro_of
    return None


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
        who = possessor(clause, reader, whose.group(1), subject, covered.start()) if whose else None
        if who:
            found.append(event(clause, scene, who, "body", "dirty"))
    if owner is None:
        return found
    if WET_EVENT.search(low) or (WET_STATE.search(low) and not re.search(r"\bwet\s+(?:eyes|cheeks|lashes)\b", low)):
        found.append(event(clause, scene, owner, "body", "wet"))
    if DIRTY_STATE.search(low):
        found.append(event(clause, scene, owner, "body", "dirty"))
    if MAKEUP_STATE.search(low):
        found.append(event(clause, scene, owner, "body", "makeup"))
    if subject and CLEAN_EVENT.search(clause.pred) and _self_clean(clause.pred):
        found.append(event(clause, scene, subject, "body", "clean"))
    elif PRISTINE.search(low) and not found:
        value = "dry_assert" if DRY_WORDS.search(low) else "clean_assert"
        skin = bool(re.search(r"\b(?:face|cheeks?|hands?|hair|skin|makeup|make-up|mascara)\b", low))
        if garments(low):
            found.append(event(clause, scene, owner, "body", value, part="garment"))
        if skin or not garments(low):
            found.append(event(clause, scene, owner, "body", value))
    return found


def _personal(head: str) -> bool:
    """Say whether a possessed thing is part of a person's look (hair, face, clothes)."""
    return head in BODY_WORDS or head in GARMENT_SLOTS or head in ("hair", "clothes", "makeup", "make-up", "mascara")


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
    rest = [w for w, _, _ in tokens_of(pred[match.end() :])]
    if not rest:
        return True
    nxt = rest[1] if rest[0] in ("his", "her", "their", "the", "some", "off", "up") and len(rest) > 1 else rest[0]
    return rest[0] in ("off", "up", "himself", "herself", "themselves") or nxt in BODY_WORDS or nxt in (
        "hair", "mud", "blood", "dirt", "paint", "makeup", "make-up", "mascara", "tears", "grime", "soot", "flour")


def _stained(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """`knocks red wine down his white shirt`, `blood spatters across her cheek`: a stain on
    clothes (part `garment`) or on the skin (no part)."""
    low = clause.low
    spill = STAIN.search(low) or STAIN_LANDS.search(low)
    marks: list[dict[str, object]] = []
    for noun, slot, start, _ in garments(low):
        if not (spill and start >= spill.start()) and not STAINED.search(low[max(0, start - 30) : start]):
            continue
        owner, _worn = _garment_owner(clause, reader, start)
        if owner:
            marks.append(event(clause, scene, owner, "body", "dirty", part="garment", noun=noun))
    if spill:
        skin = re.search(r"\b(his|her|their|[a-z]+'s)\s+(?:\w+\s+)?(face|cheek|cheeks|forehead|hands|hand|arms|neck|"
                         r"hair|chin|lips|mouth|nose)\b", low[spill.start() :])
        if skin:
            subject = clause.subjects[0] if len(clause.subjects) == 1 else None
            owner = possessor(clause, reader, skin.group(1), subject, spill.start() + skin.start())
            if owner:
                marks.append(event(clause, scene, owner, "body", "dirty", noun=skin.group(2)))
    return marks


def _splashed(clause: Clause, scene: int) -> list[dict[str, object]]:
    """`throws her drink in Tom's face`, `the wave soaks him`: the object is wet."""
    if not clause.objects:
        return []
    if SPLASH_OTHER.search(clause.pred) or re.search(r"\b(?:soaks|drenches)\b", clause.pred):
        return [event(clause, scene, clause.objects[-1], "body", "wet")]
    return []


# --- light -----------------------------------------------------------------------------


def light(clause: Clause, scene: int, reader: Reader) -> list[dict[str, object]]:
    """Sunlight or moonlight the action describes (checked against the heading's time)."""
    low = clause.low
    if LIGHT_NEGATION.search(low):
        return []
    found: list[dict[str, object]] = []
    if SUN_LIGHT.search(low):
        found.append(event(clause, scene, "", "light", "sun"))
    if NIGHT_LIGHT.search(low):
        found.append(event(clause, scene, "", "light", "night"))
    return found

