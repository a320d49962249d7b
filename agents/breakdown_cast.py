"""Who is in the script: cues, introductions in action, one name per person, alias candidates.

Identity (formats.md §1.2): a cue's name is its text without `@`, a trailing `^`, extensions
(`V.O.`, `O.S.`, `CONT'D`) and extra spaces, compared casefolded with `’` read as `'`; so
`DEV (CONT'D)` and `DEV` are one character and extensions never make a new one.

Who counts as a person, from the action lines (film-grammar.md §1):

- a caps name that is also a cue somewhere in the script (`A MAN in a dark JACKET`, cue `MAN`);
- a caps name followed by an age or a role (`NORA VANCE (60s, wiry, ...)`, `MIA, 20s,`,
  `BRICK BRADDOCK, retired police detective,`);
- a caps role noun (`MAN`, `SECURITY GUARD`); plural or counted ones (`COPS`, `TWO GUARDS`,
  `CROWD`) are extras, not cast;
- a caps word the script also writes in Title case mid-sentence elsewhere (`BOB enters.` ...
  `she looks at Bob`): props are not written as proper names.

**The introduction convention** (not a guess): a character introduced in action by a fuller
name and cued by part of it (`NORA VANCE (60s, ...)` then cue `NORA`; `DR. SARAH KIM` then
`DR. KIM`) is one person. The cue name is canonical and the full name becomes an alias. It
applies only when exactly one cue fits (the first-name match wins a tie); otherwise the names
stay apart and are reported as alias candidates.

Two cues are never merged by rule. Likely pairs (`BOB` / `CYBER BOB`, `NORA` / `NORA VANCE`
both cued, `JON` / `JOHN`) are reported as `AliasCandidate`s and merged only when the caller's
`aliases` map (cue name -> canonical name) says so; the map's target becomes the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import structlog

from filmcrew.agents.breakdown_text import CapsRun, garment_base, sound_base
from filmcrew.agents.lexicon import (
    CAPS_STOPWORDS,
    HONORIFICS,
    JOINT_CUE,
    NUMBER_WORDS,
    PERSON_NOUNS,
    PLURAL_PEOPLE,
    TRANSITION_WORDS,
)
from filmcrew.domain import AliasCandidate, Screenplay

log = structlog.get_logger(__name__)

EXTENSION = re.compile(r"\(([^)]*)\)?")
OFFSCREEN = frozenset({"VO", "OS", "OC", "OFF", "OFFSCREEN", "OFFCAMERA", "PRELAP"})


@lru_cache(maxsize=4096)
def character_key(name: str) -> str:
    """Return the identity of a cue name: `@`, `^`, extensions and spaces stripped, casefolded."""
    text = EXTENSION.sub(" ", name.replace("’", "'"))
    text = text.strip().lstrip("@").rstrip("^").strip()
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=4096)
def cue_name(text: str) -> str:
    """Return a cue's name as written, without `@`, `^` and extensions (`DEV (CONT'D)` -> `DEV`)."""
    text = EXTENSION.sub(" ", text).strip().lstrip("@").rstrip("^")
    return " ".join(text.split())


def cue_extensions(text: str, given: Iterable[str]) -> list[str]:
    """Return a cue's extensions, from the parser's list and any left in the text."""
    return [*given, *(m.group(1).strip() for m in EXTENSION.finditer(text))]


def is_offscreen(extensions: Iterable[str]) -> bool:
    """Say whether a cue's extensions put the voice off screen (V.O., O.S., O.C., OFF; a zero
    typed for the letter O, `V.0.`, too)."""
    return any(re.sub(r"[^A-Z]", "", e.upper().replace("0", "O")) in OFFSCREEN for e in extensions)


@dataclass(frozen=True)
class Cue:
    """One speech: who (key and name as written), where, and whether the voice is off screen."""

    key: str
    name: str
    scene: int
    line: int
    offscreen: bool


def collect_cues(sp: Screenplay) -> list[Cue]:
    """Return every character cue of the script in order."""
    cues: list[Cue] = []
    for scene in sp.scenes:
        for element in sp.scene_elements(scene):
            if element.kind == "character" and character_key(element.text):
                extensions = cue_extensions(element.text, element.extensions)
                cues.append(
                    Cue(
                        character_key(element.text),
                        cue_name(element.text),
                        scene.number,
                        element.start_line,
                        is_offscreen(extensions),
                    )
                )
    return _split_joint(cues)


def _split_joint(cues: list[Cue]) -> list[Cue]:
    """Credit a joint cue (`EDWARD AND WILL`, `NORA & DEV`) to each speaker, when each part is
    someone who also speaks alone; a name that merely holds `and` stays one person."""
    names = {cue.key: cue.name for cue in cues}
    split: list[Cue] = []
    for cue in cues:
        parts = JOINT_CUE.split(cue.key)
        if len(parts) > 1 and all(part in names and part != cue.key for part in parts):
            split.extend(Cue(part, names[part], cue.scene, cue.line, cue.offscreen) for part in parts)
        else:
            split.append(cue)
    return split


# --- caps runs: person, extras, sound, prop ------------------------------------------------


def core_words(name: str) -> list[str]:
    """Return a name's words without honorifics (`DR. SARAH KIM` -> `sarah`, `kim`)."""
    return [
        w
        for w in character_key(name).split()
        if w not in HONORIFICS and w.rstrip(".") not in HONORIFICS
    ]


def trimmed(run: CapsRun) -> tuple[str, ...]:
    """Drop screen-grammar words from the ends of a run (`CLOSE ON THE KEY` -> `KEY`)."""
    words = list(run.words)
    if len(words) > 1 and words[0].lower() in TRANSITION_WORDS:
        return ()

    def stop(word: str) -> bool:
        low = word.lower()
        return low.rstrip(".") in CAPS_STOPWORDS and low not in HONORIFICS

    while words and stop(words[0]):
        words.pop(0)
    while words and stop(words[-1]):
        words.pop()
    return tuple(words)


def people_kind(words: tuple[str, ...]) -> str | None:
    """Say whether caps words name a person (`person`), a group (`extras`) or neither (None)."""
    last = words[-1].lower()
    if words[0].lower() in NUMBER_WORDS or last in PLURAL_PEOPLE:
        return "extras"
    if last in PERSON_NOUNS:
        return "person"
    if last.endswith("s") and (last[:-1] in PERSON_NOUNS or last[:-2] in PERSON_NOUNS):
        return "extras"
    return None


@dataclass(frozen=True)
class ScriptWords:
    """What the whole script says about names: its cue keys, the Title-case words it uses
    mid-sentence in action, and its heading locations (and their parts), casefolded."""

    cue_keys: frozenset[str]
    titles: frozenset[str]
    places: frozenset[str]


def is_place(words: tuple[str, ...], script: ScriptWords) -> bool:
    """Say whether caps words name a location of the script (`HARBOUR OFFICE`): set, not prop."""
    return " ".join(words).casefold() in script.places


def is_intro(run: CapsRun, words: tuple[str, ...], script: ScriptWords) -> bool:
    """Say whether a caps run introduces a person by the rules of the module docstring."""
    if not words or run.after_pronoun:
        return False
    if character_key(" ".join(words)) in script.cue_keys or run.described:
        return True
    if is_place(words, script):
        return False
    if people_kind(words) == "person":
        return True
    if run.emphasis or len(words) > 3 or any(sound_base(w) or garment_base(w) for w in words):
        return False
    return all(w.casefold() in script.titles and w.lower() not in CAPS_STOPWORDS for w in words)


# --- one name per person ---------------------------------------------------------------------


@dataclass
class Person:
    """A name seen in the script: as first written, where first seen, and whether it is a cue."""

    key: str
    name: str
    first_line: int
    cue: bool


@dataclass
class Cast:
    """The resolved cast: every known name (full, alias, first/last name) to a canonical key."""

    people: dict[str, Person]
    group_of: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    partials: dict[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> str | None:
        """Return the canonical key for a full name, alias or unique first/last name."""
        key = character_key(name)
        return self.group_of.get(key) or self.partials.get(key)

    def surfaces(self) -> dict[str, str]:
        """Return every string that names a character, casefolded, with its canonical key."""
        return {**self.partials, **self.group_of}


class _UnionFind:
    """Disjoint sets over name keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        """Return the set representative of a key."""
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        """Merge the sets of two keys."""
        self.parent[self.find(a)] = self.find(b)


def convention_match(intro: Person, cues: list[Person]) -> Person | None:
    """Return the single cue an action introduction belongs to (`NORA VANCE` -> `NORA`), if any."""
    words = core_words(intro.name)
    fits = [c for c in cues if _is_part(core_words(c.name), words)]
    if len(fits) > 1:
        fits = [c for c in fits if core_words(c.name)[0] == words[0]]
    return fits[0] if len(fits) == 1 else None


def _is_part(part: list[str], whole: list[str]) -> bool:
    """Say whether `part` is a shorter, contiguous run of the words of `whole`."""
    if not part or len(part) >= len(whole):
        return False
    return any(whole[i : i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def _apply_aliases(
    people: dict[str, Person], sets: _UnionFind, aliases: dict[str, str]
) -> list[str]:
    """Merge names the caller mapped together; return target keys, chain ends first."""
    targets: list[str] = []
    sources: set[str] = set()
    for source, target in aliases.items():
        src, dst = character_key(source), character_key(target)
        if src not in people or not dst:
            log.warning("alias_unknown_name", name=source)
            continue
        if dst not in people:
            people[dst] = Person(dst, cue_name(target), people[src].first_line, False)
        sets.union(src, dst)
        targets.append(dst)
        sources.add(src)
    return [t for t in targets if t not in sources] + [t for t in targets if t in sources]


def _canonical(members: list[Person], targets: list[str]) -> Person:
    """Pick a group's name: a caller's target, else its earliest cue, else its earliest name."""
    keys = {m.key: m for m in members}
    for target in targets:
        if target in keys:
            return keys[target]
    ordered = sorted(members, key=lambda m: (not m.cue, m.first_line, m.key))
    return ordered[0]


def _partials(cast: Cast) -> dict[str, str]:
    """Map first and last names of multi-word names to their person, where unambiguous.

    Only names give partials: a description of someone by role or relation (`ASIAN WOMAN`,
    `VARIOUS TOWNFOLK`, `WILL'S DATE`) does not, or `Will's car` would book Will's date.
    """
    owners: dict[str, set[str]] = {}
    for key, canonical in cast.group_of.items():
        words = core_words(cast.people[key].name)
        if len(key.split()) < 2 or not words or _describes(words):
            continue
        for word in (words[0], words[-1]):
            if len(word) > 1 and word not in CAPS_STOPWORDS and word not in PERSON_NOUNS:
                owners.setdefault(word, set()).add(canonical)
    return {w: next(iter(o)) for w, o in owners.items() if len(o) == 1 and w not in cast.group_of}


def _describes(words: list[str]) -> bool:
    """Say whether a name's words describe a person rather than name one: a role or group at
    the end (`ASIAN WOMAN`, `VARIOUS TOWNFOLK`) or a possessive (`WILL'S DATE`)."""
    last = words[-1]
    plural_role = last.endswith("s") and last[:-1] in PERSON_NOUNS
    if last in PERSON_NOUNS or last in PLURAL_PEOPLE or plural_role or last.endswith("folk"):
        return True
    return any(word.endswith(("'s", "’s", "s'")) for word in words)


def build_cast(people: dict[str, Person], aliases: dict[str, str] | None) -> Cast:
    """Resolve names into people: the introduction convention, then the caller's alias map."""
    sets = _UnionFind()
    cues = [p for p in people.values() if p.cue]
    for person in list(people.values()):
        if not person.cue:
            match = convention_match(person, cues)
            if match is not None:
                sets.union(person.key, match.key)
    targets = _apply_aliases(people, sets, aliases or {})
    groups: dict[str, list[Person]] = {}
    for person in people.values():
        groups.setdefault(sets.find(person.key), []).append(person)
    cast = Cast(people=people, group_of={})
    for members in groups.values():
        head = _canonical(members, targets)
        cast.names[head.key] = head.name
        others = sorted((m for m in members if m is not head), key=lambda m: (m.first_line, m.key))
        cast.aliases[head.key] = [m.name for m in others]
        for member in members:
            cast.group_of[member.key] = head.key
    cast.partials = _partials(cast)
    return cast


# --- alias candidates ------------------------------------------------------------------------


def edit_distance(a: str, b: str, limit: int) -> int:
    """Return the Levenshtein distance of two strings, or `limit + 1` once it is exceeded."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
        if min(row) > limit:
            return limit + 1
    return row[-1]


def candidate_reason(a: str, b: str) -> str | None:
    """Say why two names may be one person (`a` the shorter), or None when they look distinct."""
    wa, wb = core_words(a), core_words(b)
    if wa and _is_part(wa, wb):
        if wa == wb[:1]:
            return f"{a} may be the first name of {b}"
        return f"{a} is part of {b}"
    ka, kb = character_key(a), character_key(b)
    if re.sub(r"\d", "", ka) == re.sub(r"\d", "", kb) or min(len(ka), len(kb)) < 3:
        return None
    limit = 1 if min(len(ka), len(kb)) < 6 else 2
    distance = edit_distance(ka, kb, limit)
    if distance <= limit:
        return f"{a} and {b} are {'one letter' if distance == 1 else 'two letters'} apart"
    return None


def alias_candidates(cast: Cast, order: list[str]) -> list[AliasCandidate]:
    """List pairs of distinct characters whose names suggest one person, in script order."""
    found: list[AliasCandidate] = []
    for i, first in enumerate(order):
        for second in order[i + 1 :]:
            a, b = cast.names[first], cast.names[second]
            short, long = (a, b) if len(core_words(a)) <= len(core_words(b)) else (b, a)
            reason = candidate_reason(short, long)
            if reason:
                found.append(AliasCandidate(names=[a, b], reason=reason))
    return found
