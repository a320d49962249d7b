"""Reading action text: the writer's caps words, sounds and clothing, with their source lines.

Screenplay convention puts a character's first appearance, key props and sounds in CAPS in
action (film-grammar.md §1). This module only finds and describes those words; deciding which
caps run is a person and which a prop needs the cast, so `breakdown_cast` does that.

On-screen text is not scanned for props: a caps clause right after a colon (`The screen reads:
JAKE - MISSED CALL (3).`, `SUPER: DAY TWO`) runs to the end of its sentence, and quoted text and
caps lines of screen grammar written as action (`SMASH CUT TO BLACK.`) are skipped too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from filmcrew.agents.lexicon import (
    BODY_PARTS,
    CAPS_STOPWORDS,
    COPULAS,
    DETERMINERS,
    HONORIFICS,
    ING_NOUNS,
    NOT_WORN_AFTER,
    NOUN_MARKERS,
    OBJECT_OPENERS,
    PARTICLES,
    PERSON_NOUNS,
    PHRASE_STOPS,
    PLURAL_PEOPLE,
    PREPOSITIONS,
    SOUNDS,
    SOUND_NOUNS,
    SUBJECT_ONLY_SOUNDS,
    SUBJECT_PRONOUNS,
    TRANSITION_WORDS,
    VOCAL_SOUNDS,
    WARDROBE,
    WARDROBE_MODIFIERS,
    WARDROBE_VERBS,
)

_LOWER_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
# Words that open with a capital (or any non-ASCII letter): the only ones a caps run or a
# Title-case name can start with, so scanning them alone keeps long scripts fast.
CAPITALISED = re.compile(r"(?<![\w'’\-])[^\W\d_a-z][\w'’\-]*")
_POSSESSIVE = re.compile(r"['’]S$", re.I)
_DECADES = "teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties"
AGE = re.compile(
    rf"\s*[(,]\s*(?:(?:early|mid|late)[\s-]*(?:\d0s|{_DECADES})|\d{{1,3}}(?:s|'s|ish)?(?=\s*[,)/;]|\s+years?\b)"
    rf"|{_DECADES}|(?:aged?|about|around|maybe)\s+\d{{1,3}}|ageless|elderly|teenage|middle-aged)",
    re.I,
)
_MODIFIER_ENDINGS = ("ed", "ing", "y", "ish", "'s")
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")
_GRAMMAR_LINE = re.compile(
    r"^[ \t>]*(?:" + "|".join(w.upper() for w in sorted(TRANSITION_WORDS)) + r")\b[^a-z\n]*$", re.M
)
_WORD_MARKS = frozenset("'’-_")
_NEXT_WORD = re.compile(r"[ \t]+([\w'’\-]+)")
_DESCRIPTION = re.compile(r"\s*[(,]\s*([^,()\n.;]{1,60})[,)]")
_TEXT_END = re.compile(r"[.!?](?=\s|$)|\n")
_SCREEN_TEXT = re.compile(r":[ \t]*(?=[^\W\d_]{2,}[\w'’\-]*\b)")
_SENTENCE_MARKS = frozenset('.!?:;"“([>\n')


@dataclass(frozen=True)
class CapsRun:
    """A run of capitalised words in action (`NORA VANCE`, `KEY`), possessive `'S` removed."""

    words: tuple[str, ...]
    start: int
    end: int
    line: int
    described: bool
    before: str
    after: str
    before_name: bool = False
    """The word before is a name (Title case: `Edward SWEEPS`)."""
    exclaimed: bool = False
    """An exclamation (`PTEW!`) or a sentence of its own (`KRUMF.`): a sound, never a prop."""

    @property
    def text(self) -> str:
        """Return the run as one string."""
        return " ".join(self.words)

    @property
    def after_pronoun(self) -> bool:
        """Say whether a subject pronoun comes right before the run (`she SLAMS`): a verb."""
        return self.before in SUBJECT_PRONOUNS

    @property
    def emphasis(self) -> bool:
        """Say whether the run is a stressed verb or adjective, not a thing.

        After a copula (`going to be BAD`) it is an adjective; a single word right before an
        article or possessive (`her face FILLS the scope`) is a verb taking an object.
        """
        return self.before in COPULAS or (len(self.words) == 1 and self.after in OBJECT_OPENERS)

    @property
    def action(self) -> bool:
        """Say whether the run reads as an action, not a thing: a lone `-ING` word (`HACKING`,
        `the crowd CHEERING`), a clause (`GRABBING THE SNAKE`, `UNDER THE TABLE`, `BURSTS OPEN`), or a lone
        `-S` word after a subject rather than a determiner (`The crowd CHEERS`, `Edward SWEEPS`).
        """
        first = self.words[0].lower()
        if first in PREPOSITIONS or (first.endswith("ing") and len(self.words) > 1
                                     and self.words[1].lower() in OBJECT_OPENERS):
            return True
        if self.words[-1].lower() in PARTICLES:  # `YANKS OFF`, `BURSTS OPEN`, `SHUT`
            return True
        if len(self.words) != 1:
            return False
        if first.endswith("ing") and len(first) > 5 and first not in ING_NOUNS:
            return True
        plural_or_verb = first.endswith("s") and not first.endswith(("ss", "us", "is"))
        after_subject = self.before in PERSON_NOUNS or self.before in PLURAL_PEOPLE or self.before_name
        return plural_or_verb and after_subject and self.before not in DETERMINERS


@lru_cache(maxsize=4096)
def vocabulary(text: str) -> frozenset[str]:
    """Return the lower-case words of a text, so readers can skip text without their words fast."""
    return frozenset(_LOWER_WORD.findall(text.lower()))


def occurrences(text: str, forms: dict[str, str]) -> list[re.Match[str]]:
    """Find the words of a text that are among `forms` (any case), without tokenising it all."""
    present = vocabulary(text) & forms.keys()
    return list(_forms_pattern(frozenset(present)).finditer(text)) if present else []


@lru_cache(maxsize=1024)
def _forms_pattern(forms: frozenset[str]) -> re.Pattern[str]:
    """Compile a whole-word, any-case pattern for a few word forms, longest first."""
    body = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    return re.compile(rf"(?<![\w'’\-])(?:{body})(?![\w'’\-])", re.I)


def line_at(text: str, offset: int, first_line: int) -> int:
    """Return the source line of a character offset in an element's text."""
    return first_line + text.count("\n", 0, offset)


@lru_cache(maxsize=4096)
def skip_zones(text: str) -> tuple[tuple[int, int], ...]:
    """Return spans of on-screen or quoted text, which hold no props or presence."""
    zones = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    zones += [(m.start(), m.end()) for m in _GRAMMAR_LINE.finditer(text)]
    for match in _SCREEN_TEXT.finditer(text):
        end = _TEXT_END.search(text, match.end())
        zones.append((match.start(), end.start() if end else len(text)))
    return tuple(zones)


def in_zones(offset: int, zones: tuple[tuple[int, int], ...]) -> bool:
    """Say whether an offset falls inside one of the spans."""
    return any(start <= offset < end for start, end in zones)


def _is_caps(word: str) -> bool:
    """Say whether a word is written in caps (two letters at least, so `A` and `I` are not)."""
    return word.isupper() and sum(ch.isalpha() for ch in word) >= 2


def _joins(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Say whether two caps words belong to one run (spaces between, or `DR. KIM`)."""
    gap = text[left.end() : right.start()]
    if _POSSESSIVE.search(left.group(0)):
        return False
    if gap.strip(" \t") == "":
        return gap != ""
    return gap.strip() == "." and f"{left.group(0).lower()}." in HONORIFICS


def _word_before(text: str, start: int) -> tuple[str, int]:
    """Return the word before an offset, across spaces and tabs only, and where it starts."""
    end = start
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    begin = end
    while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in _WORD_MARKS):
        begin -= 1
    return text[begin:end], begin


def _previous_word(text: str, start: int) -> str:
    """Return the word just before an offset as written ('' after punctuation or at a start)."""
    return _word_before(text, start)[0]


def _next_word(text: str, end: int) -> str:
    """Return the word right after an offset ('' when punctuation comes first)."""
    match = _NEXT_WORD.match(text, end)
    return match.group(1) if match else ""


def is_described(text: str, end: int) -> bool:
    """Say whether a caps name is followed by an age or a person description.

    `NORA VANCE (60s, wiry, ...)`, `MIA, 20s,` and `BRICK BRADDOCK, retired police detective,`
    qualify; `KEY (brass, old)` does not: the first clause must give an age or a role noun.
    """
    if AGE.match(text, end):
        return True
    clause = _DESCRIPTION.match(text, end)
    if clause is None:
        return False
    return any(w in PERSON_NOUNS for w in clause.group(1).lower().split())


def _make_run(text: str, group: list[re.Match[str]], first_line: int) -> CapsRun:
    """Build a CapsRun from consecutive caps word matches."""
    words = [
        m.group(0) + ("." if text.startswith(".", m.end()) and i < len(group) - 1 else "")
        for i, m in enumerate(group)
    ]
    words[-1] = _POSSESSIVE.sub("", words[-1])
    start, end = group[0].start(), group[-1].end()
    return CapsRun(
        words=tuple(words),
        start=start,
        end=end,
        line=line_at(text, start, first_line),
        described=is_described(text, end),
        before=_previous_word(text, start).lower(),
        before_name=_previous_word(text, start).istitle(),
        after=_next_word(text, end).lower(),
        exclaimed=text.startswith("!", end) or (opens_sentence(text, start) and text[end : end + 1] in (".", "?")),
    )


def caps_runs(text: str, first_line: int) -> list[CapsRun]:
    """Find the runs of caps words in action text, leaving out on-screen and quoted text."""
    zones = skip_zones(text)
    runs: list[CapsRun] = []
    group: list[re.Match[str]] = []
    for match in CAPITALISED.finditer(text):
        caps = _is_caps(match.group(0)) and not (zones and in_zones(match.start(), zones))
        if group and (not caps or not _joins(text, group[-1], match)):
            runs.append(_make_run(text, group, first_line))
            group = []
        if caps:
            group.append(match)
    if group:
        runs.append(_make_run(text, group, first_line))
    return runs


def opens_sentence(text: str, start: int) -> bool:
    """Say whether the word at `start` opens its text, line or sentence."""
    index = start - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_MARKS


def mid_sentence_titles(text: str) -> set[str]:
    """Return Title-case words used mid-sentence (`... look at Isla`): proper names, not openers."""
    found: set[str] = set()
    for match in CAPITALISED.finditer(text):
        word = match.group(0)
        if (
            len(word) > 1
            and word[0].isupper()
            and word[1:].islower()
            and not opens_sentence(text, match.start())
        ):
            found.add(word.casefold())
    return found


def _sound_forms(bases: frozenset[str] = SOUNDS) -> dict[str, str]:
    """Map every inflected form of a lexicon sound (`bangs`, `ringing`, `slamming`) to its base."""
    forms: dict[str, str] = {}
    for base in bases:
        stem = base[:-1] if base.endswith("e") else base
        for form in (f"{stem}ing", f"{base}{base[-1]}ing", f"{base}es", f"{base}s", base):
            forms[form] = base
    return forms


SOUND_FORMS = _sound_forms()
VOCAL_FORMS = _sound_forms(VOCAL_SOUNDS)


GARMENT_FORMS = {form: base for base in WARDROBE for form in (f"{base}es", f"{base}s", base)}


def sound_base(word: str) -> str | None:
    """Return the lexicon sound a word is a form of (`bangs`, `RINGING`, `buzzes`), else None."""
    return SOUND_FORMS.get(word.lower())


def _is_subject(word: str) -> bool:
    """Say whether a word can be the thing a sound comes from (`door`, `horn`), not `the`/`she`."""
    low = word.lower()
    return bool(low) and not (
        low in PHRASE_STOPS or low in NOUN_MARKERS or low in BODY_PARTS or low in CAPS_STOPWORDS
    )


def _sound_phrase(text: str, match: re.Match[str]) -> str | None:
    """Describe one sound word with its source (`door bangs`), or None when it is no sound here.

    Caps sound words and inflected sound verbs (`bangs`, `ringing`) count; an inflected word
    after a determiner is a plural noun (`her bangs`), unless it is a gerund (`the ringing`).
    Bare lower-case nouns count only where they can mean nothing but a sound (`a loud bang`).
    """
    word = match.group(0)
    low = word.lower()
    base = sound_base(word)
    if base is None:
        return None
    caps, inflected = word.isupper(), low != base
    if not (caps or inflected or low in SOUND_NOUNS):
        return None
    previous = _previous_word(text, match.start())
    if inflected and not caps and not low.endswith("ing") and previous.lower() in NOUN_MARKERS:
        return None
    if base in SUBJECT_ONLY_SOUNDS and not _is_subject(previous):
        return None
    return f"{previous} {word}" if _is_subject(previous) else word


def sounds_in(text: str) -> list[tuple[str, int]]:
    """Return (sound phrase, offset) for every sound in action text (`horn sounds`, `BANG`)."""
    zones = skip_zones(text)
    found: list[tuple[str, int]] = []
    for match in occurrences(text, SOUND_FORMS):
        if zones and in_zones(match.start(), zones):
            continue
        phrase = _sound_phrase(text, match)
        if phrase:
            found.append((phrase, match.start()))
    return found


def vocal_base(word: str) -> str | None:
    """Return the sound a person makes that a word is a form of (`LAUGHS`, `coughing`), else None."""
    return VOCAL_FORMS.get(word.lower())


def garment_base(word: str) -> str | None:
    """Return the lexicon garment a word names (plurals too), else None."""
    return GARMENT_FORMS.get(word.lower().replace("’", "'"))


def is_modifier(word: str) -> bool:
    """Say whether a word can describe a garment (`yellow`, `oversized`, `fisherman's`)."""
    low = word.lower().replace("’", "'")
    if low in PHRASE_STOPS or low in CAPS_STOPWORDS:
        return False
    if low in WARDROBE_MODIFIERS or garment_base(low):
        return True
    return low.endswith(_MODIFIER_ENDINGS) and not low.endswith("ly")


def _modifiers(text: str, start: int) -> int:
    """Walk back over a garment's modifiers (`rust oilskin`) and return where the phrase starts."""
    phrase_start = start
    for _ in range(3):
        word, begin = _word_before(text, phrase_start)
        if not word or begin + len(word) == phrase_start or not is_modifier(word):
            break
        phrase_start = begin
    return phrase_start


def _is_verb_use(text: str, match: re.Match[str]) -> bool:
    """Say whether an ambiguous garment word is used as a verb (`she scrubs the deck`)."""
    if match.group(0).lower() not in WARDROBE_VERBS:
        return False
    if _previous_word(text, match.start()).lower() in SUBJECT_PRONOUNS:
        return True
    after = _NEXT_WORD.match(text, match.end())
    return after is not None and after.group(1).lower() in OBJECT_OPENERS


def wardrobe_in(text: str) -> list[tuple[str, int, int]]:
    """Return (phrase, start, garment offset) for clothing in action (`rust oilskin COAT`)."""
    zones = skip_zones(text)
    found: list[tuple[str, int, int]] = []
    for match in occurrences(text, GARMENT_FORMS):
        if zones and in_zones(match.start(), zones):
            continue
        after = _NEXT_WORD.match(text, match.end())
        if after and (after.group(1).lower() in NOT_WORN_AFTER or garment_base(after.group(1))):
            continue
        if _is_verb_use(text, match):
            continue
        start = _modifiers(text, match.start())
        found.append((text[start : match.end()], start, match.start()))
    return found
