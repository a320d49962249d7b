"""Shared reading helpers for the continuity event readers: words, negation, noun phrases.

Action clauses are short; what the event readers need is the clause's main verb, whether it is
negated or hypothetical, and the noun phrase after it ("smashes the old brass LAMP" -> lamp).
`it`/`them` resolve through the scene `Reader` to the last thing named.
"""

from __future__ import annotations

import re

from filmcrew.agents.continuity_names import fold
from filmcrew.agents.continuity_text import WORD, Clause, Reader
from filmcrew.agents.lexicon import PERSON_NOUNS
from filmcrew.agents.lexicon_continuity import (
    BREAK_TRANSITIVE,
    CLAUSE_OPENERS,
    DETERMINERS,
    FIND_VERBS,
    FUNCTION_TRANSITIVE,
    GARMENT_SLOTS,
    GIVE_VERBS,
    LOSE_TRANSITIVE,
    NEGATORS,
    PART_GROUPS,
    PAST_MARKERS,
    REPAIR_VERBS,
    TAKE_VERBS,
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
NP_STOP = frozenset(
    """
    against on onto in into with to from at over under across off and or then but as while before
    after of for by behind beside toward towards through until so up down out away back again
    aside around round along past near one two three more once twice here there today tonight
    too also now still anyway instead either is are was were ahead forward home inside outside upstairs
    downstairs everywhere somewhere anywhere nowhere
    """.split()
)
SIDES = ("left", "right")
COUNTS = frozenset("one two three four five six both several few pair couple".split())
BODY_WORDS = frozenset(PART_GROUPS)


def tokens_of(text: str) -> list[tuple[str, int, int]]:
    """Split folded text into words with offsets."""
    return [(m.group(0), m.start(), m.end()) for m in WORD.finditer(text)]


def negated(text: str, end: int) -> bool:
    """Say whether a negator or modal comes before offset `end` in a clause predicate."""
    before = [w for w, _, _ in tokens_of(text[:end])]
    return any(w in NEGATORS or w.endswith("n't") for w in before)


def past(text: str, end: int) -> bool:
    """Say whether the verb at `end` is in a past or perfect frame (`has left`, `had broken`)."""
    before = [w for w, _, _ in tokens_of(text[:end])][-3:]
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
    words = tokens_of(text[start:])
    phrase: list[str] = []
    end = start
    for word, _, stop in words[:6]:
        if not phrase and (word in DETERMINERS or word.endswith("'s") or word in COUNTS):
            end = start + stop
            continue
        if word in NP_STOP or (phrase and word.endswith("ly")):
            break
        if names and word in names and not phrase:
            break
        phrase.append(word)
        end = start + stop
        if len(phrase) == 4:
            break
    return (singular(phrase[-1]) if phrase else ""), end


def prop_head(head: str, reader: Reader) -> str:
    """Accept a noun as a prop (resolving `it`), or return ""."""
    if head in ("it", "them"):
        return reader.it()
    if not head or head in NOT_PROPS or head in BODY_WORDS or fold(head) in reader.names.forms or head in PERSON_NOUNS:
        return ""
    if head in GARMENT_SLOTS or (len(head) > 5 and head.endswith(("ed", "ly"))):
        return ""
    return head


def note_things(clause: Clause, reader: Reader) -> None:
    """Remember the last thing a clause names after `the/a/his/her`, for a later `it`."""
    for match in re.finditer(r"\b(?:the|a|an|his|her|their|its)\s+", clause.pred):
        head = prop_head(noun_phrase(clause.pred, match.end())[0], reader)
        if head:
            reader.remember(head)


def np_owner(clause: Clause, reader: Reader, start: int) -> str:
    """Whose thing a noun phrase names: `his phone`, `Tom's keys` ('' when it does not say)."""
    first = clause.pred[start:].split()[:1]
    if not first:
        return ""
    word = first[0].strip(".,;:!?")
    if word in ("his", "her", "their"):
        return possessor(clause, reader, word, clause.subjects[0] if len(clause.subjects) == 1 else None, 0) or ""
    if word.endswith("'s") and word[:-2] in reader.names.forms:
        return reader.names.forms[word[:-2]]
    return ""


def event(clause: Clause, scene: int, entity: str, attribute: str, value: str, **extra: object) -> dict[str, object]:
    """Bundle the fields of one event (built into a StateEvent by the caller)."""
    return {"scene": scene, "line": clause.line, "entity": entity, "attribute": attribute, "value": value,
            "text": clause.text, "sentence": f"{clause.paragraph}.{clause.sentence}", **extra}



def possessor(clause: Clause, reader: Reader, word: str, subject: str | None, at: int) -> str | None:
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



_LEAD_WORDS = frozenset("then also still just quickly slowly finally suddenly carefully gently calmly quietly "
                        "silently almost nearly even now again simply only barely".split())
_CATENATIVES = frozenset("begins starts continues manages proceeds goes tries attempts helps".split())


def ing_form(verb: str) -> str:
    """`scrapes` -> `scraping`, `cuts` -> `cutting`, `bloodies` -> `bloodying`."""
    if verb.endswith("ies"):
        return verb[:-3] + "ying"
    base = verb[:-2] if verb.endswith(("shes", "ches", "sses", "xes")) else verb[:-1]
    if base.endswith("e") and not base.endswith("ee"):
        return base[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", base):
        return base + base[-1] + "ing"
    return base + "ing"


ING_TO_THIRD = {ing_form(v): v for v in (FUNCTION_TRANSITIVE | BREAK_TRANSITIVE | GIVE_VERBS | TAKE_VERBS
                                        | LOSE_TRANSITIVE | REPAIR_VERBS | FIND_VERBS) if v.endswith("s")}


def main_verb(pred: str) -> tuple[str, int, int] | None:
    """Return the clause's verb (word, start, end): the first word of the predicate, past adverbs.

    Screenplay action puts the verb right after the subject ("Nora takes the KEY"); looking only
    there keeps nouns that look like verbs ("the wedding RINGS", "both hands busy") out.
    `begins to tear` gives `tear`'s third-person form.
    """
    words = tokens_of(pred)
    index = 0
    while index < len(words) and (words[index][0] in _LEAD_WORDS or words[index][0].endswith("ly")
                                  or words[index][0] in CLAUSE_OPENERS):
        index += 1
    if index >= len(words):
        return None
    if words[index][0] in _PREPOSITIONS:
        after = _past_phrase(words, index)
        if after is None:
            return None
        index = after
    word, start, stop = words[index]
    word = ING_TO_THIRD.get(word, word)  # "swinging his ice axe" reads as "swings"
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


