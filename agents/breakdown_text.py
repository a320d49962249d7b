"""Reading action text: the writer's caps words, sounds and clothing, with their source lines.

Screenplay convention puts a character's first appearance, key props and sounds in CAPS in
action (film-grammar.md §1). This module only finds and describes those words; deciding which
caps run is a person and which a prop needs the cast, so `breakdown_cast` does that.

On-screen text is not scanned for props: a caps clause right after a colon (`The screen reads:
JAKE - MISSED CALL (3)`, `SUPER: DAY TWO`) runs to the end of its line, and quoted text is
skipped too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from filmcrew.agents.lexicon import (
    BODY_PARTS,
    CAPS_STOPWORDS,
    HONORIFICS,
    NOT_WORN_AFTER,
    NOUN_MARKERS,
    PHRASE_STOPS,
    SOUND_NOUNS,
    SOUNDS,
    SUBJECT_ONLY_SOUNDS,
    SUBJECT_PRONOUNS,
    WARDROBE,
    WARDROBE_MODIFIERS,
    WARDROBE_VERBS,
)

WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_POSSESSIVE = re.compile(r"['’]S$", re.I)
_DECADES = "teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties"
AGE = re.compile(
    rf"\s*[(,]\s*(?:(?:early|mid|late)[\s-]*(?:\d0s|{_DECADES})|\d{{1,3}}(?:s|'s|ish)?(?=\s*[,)/;]|\s+years?\b)"
    rf"|{_DECADES}|(?:aged?|about|around|maybe)\s+\d{{1,3}}|ageless|elderly|teenage|middle-aged)",
    re.I,
)
_MODIFIER_ENDINGS = ("ed", "ing", "y", "ish", "'s")
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")
_SCREEN_TEXT = re.compile(r":[ \t]*(?=[^\W\d_]{2,}[\w'’\-]*\b)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(\[>]|\n)\s*$")


@dataclass(frozen=True)
class CapsRun:
    """A run of capitalised words in action (`NORA VANCE`, `KEY`), possessive `'S` removed."""

    words: tuple[str, ...]
    start: int
    end: int
    line: int
    described: bool
    after_pronoun: bool

    @property
    def text(self) -> str:
        """Return the run as one string."""
        return " ".join(self.words)


def line_at(text: str, offset: int, first_line: int) -> int:
    """Return the source line of a character offset in an element's text."""
    return first_line + text.count("\n", 0, offset)


def skip_zones(text: str) -> list[tuple[int, int]]:
    """Return spans of on-screen or quoted text, which hold no props or presence."""
    zones = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    for match in _SCREEN_TEXT.finditer(text):
        end = text.find("\n", match.end())
        zones.append((match.start(), len(text) if end < 0 else end))
    return zones


def in_zones(offset: int, zones: list[tuple[int, int]]) -> bool:
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


def _previous_word(text: str, start: int) -> str:
    """Return the word just before an offset as written ('' at a clause start or after punctuation)."""
    before = text[max(0, start - 40) : start]
    match = re.search(r"([\w'’\-]+)[ \t]*$", before)
    return match.group(1) if match else ""


def _make_run(text: str, group: list[re.Match[str]], first_line: int) -> CapsRun:
    """Build a CapsRun from consecutive caps word matches."""
    words = [m.group(0) + ("." if text.startswith(".", m.end()) and i < len(group) - 1 else "") for i, m in enumerate(group)]
    words[-1] = _POSSESSIVE.sub("", words[-1])
    start, end = group[0].start(), group[-1].end()
    return CapsRun(
        words=tuple(words),
        start=start,
        end=end,
        line=line_at(text, start, first_line),
        described=AGE.match(text, end) is not None,
        after_pronoun=_previous_word(text, start).lower() in SUBJECT_PRONOUNS,
    )


def caps_runs(text: str, first_line: int) -> list[CapsRun]:
    """Find the runs of caps words in action text, leaving out on-screen and quoted text."""
    zones = skip_zones(text)
    runs: list[CapsRun] = []
    group: list[re.Match[str]] = []
    for match in WORD.finditer(text):
        caps = _is_caps(match.group(0)) and not in_zones(match.start(), zones)
        if group and (not caps or not _joins(text, group[-1], match)):
            runs.append(_make_run(text, group, first_line))
            group = []
        if caps:
            group.append(match)
    if group:
        runs.append(_make_run(text, group, first_line))
    return runs


def mid_sentence_titles(text: str) -> set[str]:
    """Return Title-case words used mid-sentence (`... look at Isla`): proper names, not openers."""
    found: set[str] = set()
    for match in WORD.finditer(text):
        word = match.group(0)
        if len(word) > 1 and word[0].isupper() and word[1:].islower() and not _SENTENCE_START.search(text[: match.start()]):
            found.add(word.casefold())
    return found


def sound_base(word: str) -> str | None:
    """Return the lexicon sound a word is a form of (`bangs`, `RINGING`, `buzzes`), else None."""
    low = word.lower()
    candidates = [low]
    if low.endswith("ing"):
        stem = low[:-3]
        candidates += [stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem]
    elif low.endswith("es"):
        candidates += [low[:-2], low[:-1]]
    elif low.endswith("s"):
        candidates.append(low[:-1])
    return next((c for c in candidates if c in SOUNDS), None)


def _is_subject(word: str) -> bool:
    """Say whether a word can be the thing a sound comes from (`door`, `horn`), not `the`/`she`."""
    low = word.lower()
    return bool(low) and not (low in PHRASE_STOPS or low in NOUN_MARKERS or low in BODY_PARTS or low in CAPS_STOPWORDS)


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
    for match in WORD.finditer(text):
        if in_zones(match.start(), zones):
            continue
        phrase = _sound_phrase(text, match)
        if phrase:
            found.append((phrase, match.start()))
    return found


def garment_base(word: str) -> str | None:
    """Return the lexicon garment a word names (plurals too), else None."""
    low = word.lower().replace("’", "'")
    if low in WARDROBE:
        return low
    if low.endswith("es") and low[:-2] in WARDROBE:
        return low[:-2]
    if low.endswith("s") and low[:-1] in WARDROBE:
        return low[:-1]
    return None


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
        match = re.search(r"([\w'’\-]+)([ \t]+)$", text[max(0, phrase_start - 40) : phrase_start])
        if match is None or not is_modifier(match.group(1)):
            break
        phrase_start -= len(match.group(0))
    return phrase_start


def _is_verb_use(text: str, match: re.Match[str]) -> bool:
    """Say whether an ambiguous garment word is used as a verb (`she scrubs the deck`)."""
    if match.group(0).lower() not in WARDROBE_VERBS:
        return False
    if _previous_word(text, match.start()).lower() in SUBJECT_PRONOUNS:
        return True
    after = re.match(r"[ \t]+([\w'’]+)", text[match.end() :])
    return after is not None and after.group(1).lower() in NOUN_MARKERS - {"of", "in", "on", "with", "for", "from", "into", "onto", "under"}


def wardrobe_in(text: str) -> list[tuple[str, int, int]]:
    """Return (phrase, start, garment offset) for clothing in action (`rust oilskin COAT`)."""
    zones = skip_zones(text)
    found: list[tuple[str, int, int]] = []
    for match in WORD.finditer(text):
        if garment_base(match.group(0)) is None or in_zones(match.start(), zones):
            continue
        after = re.match(r"[ \t]+([\w'’\-]+)", text[match.end() :])
        if after and (after.group(1).lower() in NOT_WORN_AFTER or garment_base(after.group(1))):
            continue
        if _is_verb_use(text, match):
            continue
        start = _modifiers(text, match.start())
        found.append((text[start : match.end()], start, match.start()))
    return found
