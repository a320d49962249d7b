"""Reading a character's look out of the script: the introduction, wardrobe, hair and injuries.

Writers introduce a character once, in caps, usually with a parenthetical of age, build and
clothes (`NORA VANCE (60s, wiry, oilskin COAT the colour of rust)`), and mention changes later in
action (`Nora in a fisherman's JUMPER now`). These are plain-language rules over that habit, with
no model: each clause's clothing, hair and injury words go to the nearest character named before
them, so `Nora in a JUMPER, Isla still in her raincoat` dresses both correctly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from filmcrew.agents.lexicon import (
    ABBREVIATION_END,
    BODY_PARTS,
    HE_NOUNS,
    HE_WORDS,
    NOT_WORN_AFTER,
    PHRASE_STOPS,
    SHE_NOUNS,
    SHE_WORDS,
    WARDROBE,
)
from filmcrew.domain import Element, Scene, Screenplay

# Clothing noun -> wardrobe slot; a new item in a slot replaces the old one within a story day.
WARDROBE_SLOTS: dict[str, str] = {
    **dict.fromkeys(
        "coat overcoat raincoat oilskin oilskins parka anorak jacket blazer cardigan poncho cloak "
        "cape trenchcoat mac windbreaker fleece gilet".split(), "outer"),
    **dict.fromkeys(
        "hoodie jumper sweater sweatshirt shirt t-shirt tshirt blouse top vest tank jersey "
        "turtleneck polo tunic camisole".split(), "top"),
    **dict.fromkeys("trousers pants jeans shorts skirt leggings slacks chinos joggers".split(), "bottom"),
    **dict.fromkeys(
        "dress gown suit tuxedo uniform scrubs overalls jumpsuit robe bathrobe pyjamas pajamas "
        "nightgown nightdress tracksuit wetsuit kimono sari costume armour armor apron".split(), "outfit"),
    **dict.fromkeys("boots shoes trainers sneakers heels sandals slippers loafers wellies".split(), "feet"),
    **dict.fromkeys("hat cap beanie helmet hood beret fedora headscarf hijab turban bandana".split(), "head"),
    **dict.fromkeys("glasses sunglasses spectacles goggles mask veil".split(), "face"),
    **dict.fromkeys(
        "headphones earbuds lanyard badge scarf tie necklace earrings ring bracelet watch gloves "
        "belt lanyards pendant brooch".split(), "accessory"),
}
BUILD_WORDS = frozenset(
    "wiry tall short stocky slim slender thin heavy heavyset muscular petite lanky broad burly "
    "stout skinny athletic frail willowy gaunt plump big small tiny hulking compact fit "
    "broad-shouldered rangy bony hefty".split()
)
AGE_WORDS = frozenset(
    "young old elderly teenage teenager teen teens middle-aged aged ageing aging twenties thirties "
    "forties fifties sixties seventies eighties child kid baby toddler".split()
)
FACE_WORDS = frozenset(
    "eyes eye face scar scarred freckles freckled moustache mustache tattoo tattooed wrinkles "
    "wrinkled weathered smile jaw nose cheeks complexion skin stubble dimples lips".split()
)
HAIR_WORDS = frozenset(
    "hair bun ponytail braid braids plait plaits beard bald dreadlocks dreads curls curly mohawk "
    "buzzcut crewcut fringe bangs afro cornrows shaved grey-haired red-haired".split()
)
INJURY_WORDS = frozenset(
    "blood bloody bloodied bleeding bruise bruised bruises cut cuts gash wound wounded scratched "
    "scratches blistered blisters bandage bandaged bandages sling limp limping burn burned burnt "
    "swollen black-eye split stitches cast broken".split()
)
MAKEUP_WORDS = frozenset("makeup make-up mascara lipstick eyeliner rouge smeared".split())
# Words that show a garment is worn ("in a", "her", "wearing") rather than merely present.
WORN_CUES = frozenset(
    "in into wearing wears wore worn dons don her his their its my your a an on with under".split()
)
CHANGE_MARKERS = re.compile(r"\b(now|changed|changes into|has changed|back in|back into|fresh|clean)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_CLAUSE = re.compile(r"[,;:()]|\s[-–—]{1,2}\s")


def _sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, not at an abbreviation (`DR. BENNETT`, `Mr. Price`)."""
    out: list[str] = []
    for piece in _SENTENCE.split(text):
        if out and ABBREVIATION_END.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


@dataclass
class Intro:
    """What a character's introduction says about them."""

    line: int
    sentence: str
    age: str = ""
    build: str = ""
    face: str = ""
    hair: str = ""
    wardrobe: list[str] = field(default_factory=list)
    traits: list[str] = field(default_factory=list)


@dataclass
class Mentions:
    """Look details one scene gives a character (wardrobe in order, with a change marker)."""

    wardrobe: list[str] = field(default_factory=list)
    changed: bool = False
    hair: str = ""
    makeup: str = ""
    injuries: list[str] = field(default_factory=list)


def name_pattern(names: list[str]) -> re.Pattern[str]:
    """Match any of a character's names as whole words, case-insensitively, longest first."""
    alternatives = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    body = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in alternatives) or r"(?!x)x"
    return re.compile(rf"(?<![A-Za-z0-9'’])(?:{body})(?![A-Za-z0-9])", re.I)


def _lower_caps(text: str) -> str:
    """Lower-case the writer's emphasis caps (`oilskin COAT`) so a phrase reads as a description."""
    return re.sub(r"\b[A-Z][A-Z'’\-]+\b", lambda m: m.group(0).lower(), text).strip()


def _words(text: str) -> list[tuple[str, int, int]]:
    """Split text into (lower-case word, start, end) triples."""
    return [(m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)]


def _garment(word: str) -> str | None:
    """Return the slot of a clothing word (plural forms too), or None."""
    if word in WARDROBE_SLOTS:
        return WARDROBE_SLOTS[word]
    if word.endswith("s") and word[:-1] in WARDROBE_SLOTS:
        return WARDROBE_SLOTS[word[:-1]]
    if word in WARDROBE or (word.endswith("s") and word[:-1] in WARDROBE):
        return _slot_by_shape(word)  # the breakdown's clothing list, so both agents agree
    return None


def _slot_by_shape(word: str) -> str:
    """Guess the slot of a garment only the shared lexicon knows (`greatcoat`, `mittens`)."""
    for ending, slot in (("coat", "outer"), ("jacket", "outer"), ("shirt", "top"), ("shoe", "feet"),
                         ("boot", "feet"), ("gown", "outfit"), ("suit", "outfit"), ("hat", "head")):
        if word.rstrip("s").endswith(ending):
            return slot
    return "accessory"


def _named_possessive(clause: str, word: tuple[str, int, int]) -> bool:
    """Say whether a word is a capitalised possessive, i.e. someone's name (`Kai's`)."""
    text = clause[word[1] : word[2]]
    return text[:1].isupper() and bool(re.search(r"['’]s$", text))


def garment_slot(phrase: str) -> str:
    """Return the wardrobe slot of a phrase (its last clothing word), or `other`."""
    slots = [s for w, _, _ in _words(phrase) if (s := _garment(w))]
    return slots[-1] if slots else "other"


def garment_noun(phrase: str) -> str:
    """Return the clothing noun a phrase is about (`rust oilskin coat` -> `coat`)."""
    nouns = [w for w, _, _ in _words(phrase) if _garment(w)]
    return nouns[-1] if nouns else phrase.casefold()


def wardrobe_phrases(clause: str, require_worn: bool = True) -> list[str]:
    """Find garment phrases in a clause: `back in her rust oilskin COAT` -> `rust oilskin coat`."""
    words = _words(clause)
    found: list[str] = []
    for i, (word, _, end) in enumerate(words):
        if _garment(word) is None:
            continue
        if i + 1 < len(words) and words[i + 1][0] in NOT_WORN_AFTER:
            continue
        if i + 1 < len(words) and _garment(words[i + 1][0]) and words[i + 1][1] - end <= 1:
            continue  # "oilskin COAT": the phrase ends at the last garment word
        before = [w for w, _, _ in words[max(0, i - 4) : i]]
        if require_worn and not (set(before) & WORN_CUES):
            continue
        start = i
        while start > 0 and i - start < 4 and words[start - 1][0] not in PHRASE_STOPS:
            if _named_possessive(clause, words[start - 1]):
                break  # "KAI's orange BEANIE" -> "orange beanie" ("fisherman's jumper" stays)
            start -= 1
        phrase = clause[words[start][1] : end]
        tail = re.match(r"\s+(the colou?r of \w+|in \w+ (?:colou?r|check|stripes?))", clause[end:], re.I)
        found.append(_lower_caps(phrase + (tail.group(0) if tail else "")))
    return found


def _keyword_phrase(clause: str, vocabulary: frozenset[str]) -> str:
    """Return a clause, tidied, when it holds one of the vocabulary words."""
    if any(w in vocabulary for w, _, _ in _words(clause)):
        return _lower_caps(clause.strip(" .!?\"'"))
    return ""


# Injury words with other everyday meanings ("cuts his hair", "cast big shadows", "a broken
# window", "burn the letter"): an injury only next to a body part ("a cut on his cheek",
# "her arm in a cast", "a broken wrist", "burned hands").
BODY_BOUND_INJURIES = frozenset("cut cuts cast broken burn burned burnt split".split())
NEAR_BODY = 3


def _injury_phrase(clause: str) -> str:
    """Return a clause, tidied, when it tells of an injury."""
    words = [w for w, _, _ in _words(clause)]
    for index, word in enumerate(words):
        if word in INJURY_WORDS and (word not in BODY_BOUND_INJURIES or _near_body(words, index)):
            return _lower_caps(clause.strip(" .!?\"'"))
    return ""


def _near_body(words: list[str], index: int) -> bool:
    """Say whether a body part is within a few words of `words[index]`."""
    return any(w in BODY_PARTS for w in words[max(0, index - NEAR_BODY) : index + NEAR_BODY + 1])


def _classify_piece(piece: str, intro: Intro) -> None:
    """File one comma-separated piece of an introduction parenthetical under age, build, etc."""
    text = piece.strip(" .")
    words = [w for w, _, _ in _words(text)]
    if not text:
        return
    if re.fullmatch(r"(?:about |around |late |early |mid[- ]?)?\d{1,3}'?s?(?:\s*(?:years old|ish|-ish))?", text, re.I) or (
        words and len(words) <= 3 and set(words) & AGE_WORDS and not intro.age
    ):
        intro.age = intro.age or _lower_caps(text)
    elif set(words) & HAIR_WORDS:
        intro.hair = intro.hair or _lower_caps(text)
    elif any(_garment(w) for w in words):
        intro.wardrobe.extend(wardrobe_phrases(text, require_worn=False))
    elif words and len(words) <= 3 and set(words) <= (BUILD_WORDS | {"and", "very", "quite", "rather"}):
        intro.build = ", ".join(x for x in (intro.build, _lower_caps(text)) if x)
    elif set(words) & FACE_WORDS:
        intro.face = ", ".join(x for x in (intro.face, _lower_caps(text)) if x)
    else:
        intro.traits.append(_lower_caps(text))


def _sentence_at(text: str, index: int) -> str:
    """Return the sentence of `text` that holds character offset `index`."""
    start = 0
    for piece in _sentences(text):
        end = text.find(piece, start) + len(piece)
        if index < end:
            return piece.strip()
        start = end
    return text.strip()


def find_intro(sp: Screenplay, names: list[str]) -> Intro | None:
    """Find the first action that names the character in caps, and read its description."""
    pattern = name_pattern(names)
    for element in sp.elements:
        if element.kind != "action":
            continue
        for match in pattern.finditer(element.text):
            if match.group(0) != match.group(0).upper():
                continue
            return _read_intro(element, match)
    return None


def _read_intro(element: Element, match: re.Match[str]) -> Intro:
    """Read the parenthetical after an introduced name, or the clothes of its sentence."""
    text = element.text
    line = element.start_line + text.count("\n", 0, match.start())
    intro = Intro(line=line, sentence=" ".join(_sentence_at(text, match.start()).split()))
    rest = text[match.end() :]
    surname = re.match(r"(?:\s+[A-Z][A-Z'’\-]+)*", rest)
    after = rest[surname.end() if surname else 0 :]
    paren = re.match(r"\s*\(([^)]*)\)", after)
    if paren:
        for piece in re.split(r",|;", paren.group(1)):
            _classify_piece(piece, intro)
        return intro
    before = [w for w, _, _ in _words(text[max(0, match.start() - 40) : match.start()])][-3:]
    intro.build = ", ".join(w for w in before if w in BUILD_WORDS)
    intro.age = ", ".join(w for w in before if w in AGE_WORDS)
    clause_end = re.search(r"[.!?]", after)
    own = after[: clause_end.start()] if clause_end else after
    for clause in _CLAUSE.split(own):
        intro.wardrobe.extend(wardrobe_phrases(clause))
        intro.hair = intro.hair or _keyword_phrase(clause, HAIR_WORDS)
    return intro


def _clauses(text: str) -> list[tuple[str, int]]:
    """Split text into clauses with their start offsets."""
    out: list[tuple[str, int]] = []
    start = 0
    for m in _CLAUSE.finditer(text):
        out.append((text[start : m.start()], start))
        start = m.end()
    out.append((text[start:], start))
    return [(c, s) for c, s in out if c.strip()]


def scene_mentions(sp: Screenplay, scene: Scene, patterns: dict[str, re.Pattern[str]]) -> dict[str, Mentions]:
    """Give each named character the wardrobe, hair, makeup and injuries one scene mentions."""
    found: dict[str, Mentions] = {}
    for element in sp.scene_elements(scene):
        if element.kind != "action":
            continue
        last: str | None = None
        for sentence in _sentences(element.text):
            for clause, _ in _clauses(sentence):
                last = _clause_owner(clause, patterns, last)
                if last is None:
                    continue
                _collect(clause, found.setdefault(last, Mentions()))
    return found


def _clause_owner(clause: str, patterns: dict[str, re.Pattern[str]], last: str | None) -> str | None:
    """Name the character a clause is about: the last one it names, else the previous owner."""
    best: tuple[int, str] | None = None
    for name, pattern in patterns.items():
        for match in pattern.finditer(clause):
            if best is None or match.start() > best[0]:
                best = (match.start(), name)
    return best[1] if best else last


def _collect(clause: str, into: Mentions) -> None:
    """Add one clause's look details to a character's mentions."""
    phrases = wardrobe_phrases(clause)
    into.wardrobe.extend(p for p in phrases if p not in into.wardrobe)
    if phrases and CHANGE_MARKERS.search(clause):
        into.changed = True
    into.hair = into.hair or _keyword_phrase(clause, HAIR_WORDS)
    into.makeup = into.makeup or _keyword_phrase(clause, MAKEUP_WORDS)
    injury = _injury_phrase(clause)
    if injury and injury not in into.injuries:
        into.injuries.append(injury)


def guess_pronouns(sp: Screenplay, names: list[str], intro: Intro | None) -> str:
    """Guess pronouns from gendered words at the introduction and pronouns right after a mention."""
    votes: Counter[str] = Counter()
    own = {w for n in names for w, _, _ in _words(n)}
    if intro is not None:
        for word, _, _ in _words(intro.sentence):
            if word in own:
                continue
            votes["she/her"] += 2 * (word in SHE_NOUNS)
            votes["he/him"] += 2 * (word in HE_NOUNS)
    for word in own:
        votes["she/her"] += 3 * (word in SHE_NOUNS)
        votes["he/him"] += 3 * (word in HE_NOUNS)
    pattern = name_pattern(names)
    for element in sp.elements:
        if element.kind == "action":
            _vote_pronouns(element.text, pattern, votes)
    if not votes or sum(votes.values()) == 0:
        return ""
    (top, count), *rest = votes.most_common()
    return top if not rest or count >= 2 * rest[0][1] else ""


def _vote_pronouns(text: str, pattern: re.Pattern[str], votes: Counter[str]) -> None:
    """Count he/she words in the clause that follows a sole mention of the character."""
    sentences = _sentences(text)
    for i, sentence in enumerate(sentences):
        if not pattern.search(sentence) or _names_other_caps(sentence, pattern):
            continue
        window = sentence[pattern.search(sentence).end() :]  # type: ignore[union-attr]
        if i + 1 < len(sentences):
            window += " " + " ".join(sentences[i + 1].split()[:1])
        words = {w for w, _, _ in _words(window)}
        votes["she/her"] += len(words & SHE_WORDS)
        votes["he/him"] += len(words & HE_WORDS)


def _names_other_caps(sentence: str, pattern: re.Pattern[str]) -> bool:
    """Say whether a sentence names someone else too (a capitalised word not starting it)."""
    rest = pattern.sub("", sentence)
    return bool(re.search(r"(?<=[a-z,] )[A-Z][a-z]+", rest))


def dialogue_of(sp: Screenplay, names: list[str]) -> list[tuple[list[str], list[str], str]]:
    """Return each speech as (cue extensions, parentheticals, dialogue text)."""
    keys = {n.casefold() for n in names}
    speeches: list[tuple[list[str], list[str], str]] = []
    current: tuple[list[str], list[str], list[str]] | None = None
    for element in sp.elements:
        if element.kind == "character":
            cue = re.sub(r"\(.*?\)|\^|@", "", element.text).strip().casefold()
            current = (list(element.extensions), [], []) if cue in keys else None
            if current is not None:
                speeches.append((current[0], current[1], ""))
        elif current is not None and element.kind in ("parenthetical", "dialogue", "lyric"):
            target = current[1] if element.kind == "parenthetical" else current[2]
            target.append(element.text.strip("() \n"))
            speeches[-1] = (current[0], current[1], " ".join(current[2]))
        elif element.kind not in ("parenthetical", "dialogue", "lyric"):
            current = None
    return speeches
