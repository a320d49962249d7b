"""Reading action lines the way a script supervisor does: who does what, clause by clause.

Action is written in short present-tense clauses whose subject is a character, a pronoun or a
thing ("Nora crosses the causeway, stepping between puddles. She stops."). We split each action
paragraph into sentences and clauses, find each clause's subject (a name, a resolved pronoun, or a
noun phrase such as "the vase" or "Tom's phone"), and let subjectless clauses inherit it
("grabs her coat and leaves"). Every clause keeps its source line, so a finding points back to
the page. Pronouns resolve to the most recent character of the matching gender; genders come
from the character library, honorifics, role nouns, and pronouns in paragraphs naming one person.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from filmcrew.agents.continuity_names import (
    Mention,
    NameIndex,
    character_key,
    fold,
)
from filmcrew.agents.lexicon import BODY_PARTS, HE_NOUNS, HE_WORDS, SHE_NOUNS, SHE_WORDS
from filmcrew.agents.lexicon_continuity import (
    CLAUSE_OPENERS,
    CLAUSE_SPLIT,
    DETERMINERS,
    GARMENT_SLOTS,
    OBJECT_PRONOUNS,
    POSSESSIVE_PRONOUNS,
    SUBJECT_PRONOUNS,
)

from filmcrew.domain import Element

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_EXTENSION = re.compile(r"\(([^)]*)\)")
_SHE_TITLES = frozenset(
    "mrs mrs. ms ms. miss madam madame lady dame queen princess sister mother aunt gran grandma".split()
)
_HE_TITLES = frozenset("mr mr. sir lord king prince father brother uncle grandpa".split())
# Plural nouns a subject phrase may hold ("her green scrubs", "his knuckles"), never verbs.
KNOWN_NOUNS = frozenset(GARMENT_SLOTS) | BODY_PARTS | frozenset({"hair", "clothes", "keys", "glasses", "boots"})
PLURAL_GARMENTS = frozenset({"scrubs", "trousers", "pants", "jeans", "shorts", "glasses"})
PHRASE_ENDS = frozenset(
    "on onto in into with to from at over under across off and or then but as while of for by behind beside "
    "toward towards through is are was were has have had".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+(?=[\"“‘(]*[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z\"“(])")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jr.", "Sr.", "Sgt.", "Det.", "Capt.", "Prof.", "vs.", "etc.")


def cue_parts(element: Element) -> tuple[str, list[str]]:
    """Split a character cue into its identity key and extensions (`V.O.`, `CONT'D`)."""
    extensions = [fold(e).strip() for e in element.extensions]
    extensions += [fold(m).strip() for m in _EXTENSION.findall(element.text)]
    return character_key(element.text), extensions


def infer_genders(index: NameIndex, paragraphs: list[str]) -> None:
    """Guess he/she per character from titles, role nouns and single-person paragraphs."""
    votes: dict[str, Counter[str]] = {key: Counter() for key in index.names}
    for key, name in index.names.items():
        words = {fold(w).rstrip(".") for w in name.split()} | {fold(w) for w in name.split()}
        if words & _SHE_TITLES or words & SHE_NOUNS:
            votes[key]["she"] += 5
        if words & _HE_TITLES or words & HE_NOUNS:
            votes[key]["he"] += 5
    for text in paragraphs:
        _vote_paragraph(index, text, votes)
    for key, counter in votes.items():
        if key in index.gender:
            continue
        she, he = counter["she"], counter["he"]
        if she > 2 * he and she >= 1:
            index.gender[key] = "she"
        elif he > 2 * she and he >= 1:
            index.gender[key] = "he"


def _vote_paragraph(index: NameIndex, text: str, votes: dict[str, Counter[str]]) -> None:
    """Count pronouns in a paragraph, or sentence, that names exactly one character.

    A sentence naming nobody that opens with "He"/"She" votes for the one person the sentence
    before it named ("Dev sighs. He sits.").
    """
    keys = {m.key for m in index.find(text)}
    if len(keys) != 1:
        last: str | None = None
        for _, sentence in sentences(text):
            named = {m.key for m in index.find(sentence)}
            if len(named) == 1:
                last = next(iter(named))
                _vote_words(sentence, last, votes)
            elif not named and last is not None and fold(sentence).lstrip().startswith(("he ", "she ")):
                _vote_words(sentence.split()[0], last, votes)
            else:
                last = None
        return
    _vote_words(text, next(iter(keys)), votes)


def _vote_words(text: str, key: str, votes: dict[str, Counter[str]]) -> None:
    """Vote he or she for a character from the pronouns in a text (only when they agree)."""
    words = [fold(w) for w in WORD.findall(text)]
    she = sum(1 for w in words if w in SHE_WORDS)
    he = sum(1 for w in words if w in HE_WORDS)
    if she and not he:
        votes[key]["she"] += 1
    elif he and not she:
        votes[key]["he"] += 1


# --- clauses ---------------------------------------------------------------------------


@dataclass
class Clause:
    """One clause of action: its text, source line, subject and the characters it names."""

    text: str
    low: str
    line: int
    paragraph: int
    sentence: int
    subjects: tuple[str, ...] = ()
    thing: str = ""
    owner: str | None = None
    explicit: bool = False
    pred_start: int = 0
    mentions: list[Mention] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)
    intro_of: str | None = None
    named: bool = False

    @property
    def pred(self) -> str:
        """Return the folded text after the subject: the predicate the verbs live in."""
        return self.low[self.pred_start :]

    def thing_head(self) -> str:
        """Return the head noun of a thing subject ("the old vase" -> "vase")."""
        words = self.thing.split()
        return words[-1] if words else ""


@dataclass
class Reader:
    """Resolves pronouns across one scene: who was named last, and the last thing named."""

    names: NameIndex
    recent: list[str] = field(default_factory=list)
    last_group: tuple[str, ...] = ()
    last_thing: str = ""
    sentence_subject: str | None = None
    props: frozenset[str] = frozenset()
    last_prop: str = ""
    prop_paragraph: int = -1
    paragraph: int = -1

    def remember(self, head: str) -> None:
        """Note the last thing named (and the last breakdown prop), for a later `it`."""
        self.last_thing = head
        if head in self.props:
            self.last_prop, self.prop_paragraph = head, self.paragraph

    def it(self) -> str:
        """Resolve `it`: a prop named in this paragraph first (`her COMPASS ... it slips`), else the
        last thing named."""
        if self.last_prop and self.prop_paragraph == self.paragraph:
            return self.last_prop
        return self.last_thing

    def note(self, keys: tuple[str, ...] | list[str]) -> None:
        """Move characters to the front of the recency list."""
        for key in reversed(list(keys)):
            if key in self.recent:
                self.recent.remove(key)
            self.recent.insert(0, key)
        if len(keys) > 1:
            self.last_group = tuple(keys)

    def resolve(self, pronoun: str) -> tuple[str, ...]:
        """Resolve he/she/they (or him/her/his/them) to character keys, or nothing."""
        pronoun = OBJECT_PRONOUNS.get(pronoun, POSSESSIVE_PRONOUNS.get(pronoun, pronoun))
        if pronoun == "they":
            return self.last_group
        own = self.sentence_subject
        if own is not None and self.names.gender.get(own, pronoun) == pronoun:
            return (own,)  # "Ama adjusts the drip, her scrubs rumpled": the sentence's own subject
        matching = [k for k in self.recent if self.names.gender.get(k) == pronoun]
        if matching:
            return (matching[0],)
        unknown = [k for k in self.recent if k not in self.names.gender]
        return (unknown[0],) if unknown else ()


def _protect_abbreviations(text: str) -> str:
    """Hide the full stop of `Mr.`-style abbreviations from the sentence splitter."""
    for abbreviation in _ABBREVIATIONS:
        text = text.replace(abbreviation, abbreviation[:-1] + "\x00")
    return text


def sentences(text: str) -> list[tuple[int, str]]:
    """Split action text into sentences, keeping each one's offset in the text."""
    guarded = _protect_abbreviations(text)
    spans: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(guarded):
        spans.append((start, text[start : match.start()]))
        start = match.end()
    spans.append((start, text[start:]))
    return [(offset, chunk) for offset, chunk in spans if chunk.strip()]


def _split_clauses(sentence: str) -> list[tuple[int, str]]:
    """Split a sentence into clauses (commas, semicolons, dashes, `and then`, `while`)."""
    pieces: list[tuple[int, str]] = []
    start = 0
    for match in CLAUSE_SPLIT.finditer(sentence):
        pieces.append((start, sentence[start : match.start()]))
        start = match.end()
    pieces.append((start, sentence[start:]))
    return _split_on_and(pieces)


def _split_on_and(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Split `X grabs it and leaves` on a bare `and` when a verb follows (`-s` form)."""
    out: list[tuple[int, str]] = []
    for offset, piece in pieces:
        start = 0
        for match in re.finditer(r"\s+and\s+(?=\S)", piece):
            nxt = piece[match.end() :].split()
            if nxt and nxt[0] in ("he", "she", "they", "it") or (nxt and nxt[0][:1].isupper() and len(nxt) > 1
                                                                  and _looks_like_verb(nxt[1])):
                out.append((offset + start, piece[start : match.start()]))
                start = match.end()
                continue
            if nxt and _looks_like_verb(nxt[0] if not nxt[0].endswith("ly") or len(nxt) < 2 else nxt[1]):
                out.append((offset + start, piece[start : match.start()]))
                start = match.end()
        out.append((offset + start, piece[start:]))
    return [(o, p) for o, p in out if p.strip()]


def _looks_like_verb(word: str) -> bool:
    """Guess whether a lower-case word is a third-person verb (`leaves`), not a plural noun."""
    word = fold(word)
    if not word.endswith("s") or word.endswith(("ss", "us", "is", "'s")):
        return False
    return word not in DETERMINERS and len(word) > 3


def _strip_parens(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Blank out `( ... )` groups (character intros), returning them with their offsets."""
    groups: list[tuple[int, str]] = []

    def blank(match: re.Match[str]) -> str:
        """Replace a group by spaces of the same length, keeping offsets."""
        groups.append((match.start(1), match.group(1)))
        return " " * len(match.group(0))

    return re.sub(r"\(([^()]*)\)", blank, text), groups


def read_paragraph(text: str, first_line: int, paragraph: int, reader: Reader) -> list[Clause]:
    """Read one action paragraph into clauses with subjects, lines and mentions."""
    clean, groups = _strip_parens(text)
    clauses: list[Clause] = []
    previous: Clause | None = None
    for number, (offset, sentence) in enumerate(sentences(clean)):
        made = _sentence_clauses(text, offset, sentence, first_line, paragraph, number, reader, previous)
        clauses.extend(made)
        if made:
            previous = made[-1]
    clauses.extend(_intro_clauses(text, groups, first_line, paragraph, reader))
    return sorted(clauses, key=lambda c: (c.line, c.sentence))


def _line_at(text: str, offset: int, first_line: int) -> int:
    """Return the source line of an offset inside an element's text."""
    return first_line + text.count("\n", 0, offset)


def _sentence_clauses(
    text: str, offset: int, sentence: str, first_line: int, paragraph: int, number: int,
    reader: Reader, previous: Clause | None,
) -> list[Clause]:
    """Make the clauses of one sentence and give each a subject (own, forward or inherited)."""
    made: list[Clause] = []
    for start, piece in _split_clauses(sentence):
        lead = len(piece) - len(piece.lstrip())
        at = offset + start + lead
        body = piece.strip()
        clause = Clause(body, fold(body), _line_at(text, at, first_line), paragraph, number)
        clause.mentions = reader.names.find(body)
        _explicit_subject(clause, reader)
        if clause.explicit and clause.subjects:
            reader.note(clause.subjects)
            if len(clause.subjects) == 1 and reader.sentence_subject is None:
                reader.sentence_subject = clause.subjects[0]
        made.append(clause)
    reader.sentence_subject = None
    _inherit_subjects(made, previous)
    for clause in made:
        _objects(clause, reader)
        reader.note(clause.subjects)
        reader.note([m.key for m in clause.mentions if m.key not in clause.subjects][:1])
    return made


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Split a clause into words with their offsets."""
    return [(m.group(0), m.start(), m.end()) for m in WORD.finditer(text)]


def _explicit_subject(clause: Clause, reader: Reader) -> None:
    """Find a subject the clause names itself: a name, a pronoun, or a noun phrase."""
    tokens = _tokens(clause.text)
    index = 0
    while index < len(tokens) and fold(tokens[index][0]) in CLAUSE_OPENERS:
        index += 1
    if index >= len(tokens):
        return
    word, start, _ = tokens[index]
    mention = next((m for m in clause.mentions if m.start == start), None)
    if mention is not None:
        _name_subject(clause, mention)
        return
    folded = fold(word)
    if folded in SUBJECT_PRONOUNS:
        clause.subjects = reader.resolve(folded)
        clause.explicit, clause.pred_start = True, tokens[index][2]
    elif folded in POSSESSIVE_PRONOUNS or folded in DETERMINERS or folded == "it":
        _thing_subject(clause, tokens, index, reader)
    elif word[:1].isupper() and not _looks_like_verb(folded) and index + 1 < len(tokens) \
            and _looks_like_verb(fold(tokens[index + 1][0])):
        phrase, end = _read_phrase(tokens, index, start)
        clause.thing, clause.explicit, clause.pred_start = phrase, True, end  # "Rain hammers down."


def _name_subject(clause: Clause, mention: Mention) -> None:
    """Set a named subject, or a possessed thing (`Tom's phone`), plus `X and Y` compounds."""
    if mention.possessive:
        tokens = [t for t in _tokens(clause.text) if t[1] >= mention.end]
        phrase, end = _read_phrase(tokens, 0, mention.end)
        clause.thing, clause.owner = phrase, mention.key
        clause.explicit, clause.pred_start = True, end
        return
    keys = [mention.key]
    end = mention.end
    for other in clause.mentions:
        gap = clause.low[end : other.start]
        if other.start >= end and re.fullmatch(r"\s*(?:,|and|,\s*and|&)\s*", gap) and not other.possessive:
            keys.append(other.key)
            end = other.end
    clause.subjects, clause.explicit, clause.pred_start = tuple(dict.fromkeys(keys)), True, end
    clause.named = True


def _thing_subject(clause: Clause, tokens: list[tuple[str, int, int]], index: int, reader: Reader) -> None:
    """Set a noun-phrase subject such as `the vase`, `her phone` or `it`."""
    first = fold(tokens[index][0])
    if first == "it":
        clause.thing, clause.explicit, clause.pred_start = "it", True, tokens[index][2]
        return
    if first in POSSESSIVE_PRONOUNS:
        owners = reader.resolve(first)
        clause.owner = owners[0] if owners else None
    phrase, end = _read_phrase(tokens, index + 1, tokens[index][2])
    clause.thing, clause.explicit, clause.pred_start = phrase, True, end


def _read_phrase(tokens: list[tuple[str, int, int]], first: int, end: int) -> tuple[str, int]:
    """Read a subject noun phrase of up to three words; return it (folded) and where it ends."""
    phrase: list[str] = []
    for word, _, stop in tokens[first : first + 3]:
        folded = fold(word)
        if folded in PHRASE_ENDS or (_looks_like_verb(folded) and phrase and folded not in KNOWN_NOUNS):
            break
        phrase.append(folded)
        end = stop
        if folded.endswith("s") and not folded.endswith(("ss", "us", "is", "'s")) and len(folded) > 3 \
                and folded not in PLURAL_GARMENTS:
            break  # "the keys drop": a plural head, its verb follows
    return " ".join(phrase), end


def _inherit_subjects(made: list[Clause], previous: Clause | None) -> None:
    """Give subjectless clauses a subject: forward for openers (`Soaked, Tom ...`), else back."""
    explicit = [c for c in made if c.explicit]
    for position, clause in enumerate(made):
        if clause.explicit:
            continue
        first = clause.low.split()[0] if clause.low.split() else ""
        later = next((c for c in made[position + 1 :] if c.explicit), None)
        opener = position == 0 and later is not None and not _looks_like_verb(first)
        source = later if opener else _before(made, position, previous)
        if source is not None and (source.subjects or source.thing):
            clause.subjects, clause.thing, clause.owner = source.subjects, source.thing, source.owner
            clause.named = source.named and source in made  # "Beau, in the office, hums": still Beau by name
    del explicit


def _before(made: list[Clause], position: int, previous: Clause | None) -> Clause | None:
    """Return the nearest clause before `position` with a subject (this sentence, then the last).

    A thing clause with no verb ("a blanket around his shoulders") describes, it does not act:
    the clause after it still belongs to the person before it.
    """
    for clause in reversed(made[:position]):
        first = clause.pred.split()[:1]
        if clause.subjects or (clause.thing and first and _looks_like_verb(first[0].strip(".,;:!?"))):
            return clause
    return previous


def _objects(clause: Clause, reader: Reader) -> None:
    """Collect the characters a clause's predicate names or points at (`him`, `her`)."""
    pred_offset = clause.pred_start
    keys = [m.key for m in clause.mentions if m.start >= pred_offset and not m.possessive]
    for word, start, _ in _tokens(clause.text[pred_offset:]):
        folded = fold(word)
        if folded in ("him", "them", "himself", "herself"):
            keys.extend(reader.resolve(folded) if folded not in ("himself", "herself") else clause.subjects)
        elif folded == "her" and _object_her(clause.low[pred_offset + start + 3 :]):
            keys.extend(reader.resolve("she"))
    clause.objects = [k for k in dict.fromkeys(keys)]


def _object_her(after: str) -> bool:
    """Say whether `her` is an object (`hands her the key`) rather than a possessive."""
    nxt = after.split()
    return not nxt or nxt[0] in DETERMINERS or nxt[0] in ("a", "to", "up", "down", "off", "out", "in", "away", "back")


def _intro_clauses(text: str, groups: list[tuple[int, str]], first_line: int, paragraph: int,
                   reader: Reader) -> list[Clause]:
    """Turn `NAME (40s, red COAT)` parentheticals into clauses about the named character."""
    made: list[Clause] = []
    for offset, content in groups:
        before = text[max(0, offset - 60) : offset - 1]
        mentions = reader.names.find(before)
        if not mentions or before[mentions[-1].end :].strip():
            continue
        key = mentions[-1].key
        for start, piece in _split_clauses(content):
            body = piece.strip()
            if body:
                line = _line_at(text, offset + start, first_line)
                made.append(Clause(body, fold(body), line, paragraph, -1, (key,), intro_of=key))
    return made
