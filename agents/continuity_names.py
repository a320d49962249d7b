"""Who the script's people are: every way the action names a character, and one key per person.

The breakdown lists characters by cue name with aliases; writers name them in action by first
name, surname, title or role ("Nora", "MRS. VANCE", "the guard"). `build_names` indexes every
form, and `same_people` folds the breakdown's duplicates ("DET. PARK" and "PARK") into one person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from filmcrew.agents.lexicon import HONORIFICS, PERSON_NOUNS

from filmcrew.domain import Breakdown, CharacterLibrary

_EXTENSION = re.compile(r"\(([^)]*)\)")


def fold(text: str) -> str:
    """Lower-case a text and straighten curly apostrophes, keeping its length."""
    return text.replace("’", "'").replace("‘", "'").lower()


def character_key(name: str) -> str:
    """Return the identity of a cue or name: no extensions, `@`/`^`, apostrophes or extra spaces."""
    bare = _EXTENSION.sub(" ", name).replace("@", " ").replace("^", " ").replace("’", "'")
    return re.sub(r"\s+", " ", bare).strip().casefold()


# --- names -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A character named in a clause: where, who, and whether it is possessive (`Tom's`)."""

    start: int
    end: int
    key: str
    possessive: bool = False


@dataclass
class NameIndex:
    """Every way the script names each character, and each character's pronoun."""

    names: dict[str, str] = field(default_factory=dict)  # key -> display name
    forms: dict[str, str] = field(default_factory=dict)  # folded form -> key
    roles: dict[str, str] = field(default_factory=dict)  # folded role noun phrase -> key
    gender: dict[str, str] = field(default_factory=dict)  # key -> "he" | "she"
    people: dict[str, str] = field(default_factory=dict)  # breakdown key -> the person's key
    pattern: re.Pattern[str] | None = None

    def person(self, key: str) -> str:
        """Return the key of the person a cue or breakdown name is."""
        return self.people.get(key) or self.forms.get(key) or key

    def display(self, key: str) -> str:
        """Return the name a report prints for a character key."""
        return self.names.get(key, key.upper())

    def find(self, text: str) -> list[Mention]:
        """Find every character named in a text (proper names capitalised, roles after `the`)."""
        if self.pattern is None:
            return []
        found: list[Mention] = []
        for match in self.pattern.finditer(text):
            mention = self._accept(text, match)
            if mention is not None:
                found.append(mention)
        return found

    def _accept(self, text: str, match: re.Match[str]) -> Mention | None:
        """Keep a match that is a real mention: capitalised name, or a role after a determiner."""
        word = match.group("name")
        folded = fold(word)
        possessive = bool(match.group("poss"))
        if folded in self.forms and word[:1].isupper():
            return Mention(match.start(), match.end(), self.forms[folded], possessive)
        if folded in self.roles:
            before = fold(text[max(0, match.start() - 8) : match.start()]).split()
            if word[:1].isupper() or (before and before[-1] in ("the", "that", "this", "a", "an")):
                return Mention(match.start(), match.end(), self.roles[folded], possessive)
        return None


def _name_forms(name: str) -> list[str]:
    """List the forms a name appears in: the whole name and its significant single words."""
    words = [w for w in re.split(r"[\s]+", name.strip()) if w]
    forms = [" ".join(words)]
    significant = [w for w in words if fold(w).rstrip(".") not in HONORIFICS and fold(w) not in HONORIFICS]
    if len(words) > 1:
        forms += [w for w in significant if len(w) >= 2 and fold(w) not in PERSON_NOUNS]
    return forms


def _words_of(name: str) -> set[str]:
    """Return the significant words of a name (no titles, no full stops), folded."""
    return {w.strip(".") for w in fold(name).split() if w.strip(".") and w.strip(".") not in HONORIFICS
            and w not in HONORIFICS}


def _nested(a: list[str], b: list[str]) -> bool:
    """Say whether one character's name words contain the other's (`RAY` and `RAY MORROW`)."""
    wa = set().union(*(_words_of(n) for n in a))
    wb = set().union(*(_words_of(n) for n in b))
    return wa <= wb or wb <= wa


def same_people(breakdown: Breakdown) -> dict[str, str]:
    """Map each breakdown character key to the key of the person it is.

    A breakdown can list one person twice (`BRANDT` who speaks, `OFFICER BRANDT` in the action;
    `DET. PARK` beside `PARK`; `RAY MORROW (V.O.)` beside `RAY`). Names with the same words once
    titles are set aside are one person; a name whose words all belong to exactly one other
    person's fuller name is that person. The one who speaks most keeps the key.
    """
    fulls = {character_key(c.name): [c.name, *c.aliases] for c in breakdown.characters}
    talk = {character_key(c.name): c.dialogue_count for c in breakdown.characters}
    parent = {key: key for key in fulls}

    def root(key: str) -> str:
        """Follow the union-find links to a group's key."""
        while parent[key] != key:
            key = parent[key]
        return key

    def join(a: str, b: str) -> None:
        """Make two names one person, unless that would join two people's unrelated names."""
        a, b = root(a), root(b)
        members = [k for k in fulls if root(k) in (a, b)]
        if a != b and all(_nested(fulls[x], fulls[y]) for x in members for y in members):
            keep, drop = (a, b) if (talk[a], a) >= (talk[b], b) else (b, a)
            parent[drop] = keep

    for key, names in fulls.items():
        words = _words_of(names[0])
        for other, others in fulls.items():
            if other != key and words and words == _words_of(others[0]):
                join(key, other)
    for key, names in fulls.items():
        words = _words_of(names[0])
        holders = {root(other) for other, others in fulls.items() if root(other) != root(key) and words and any(
            words < _words_of(n) for n in others)}
        if len(holders) == 1:
            join(key, next(iter(holders)))
    return {key: root(key) for key in fulls}


def build_names(breakdown: Breakdown, library: CharacterLibrary | None = None) -> NameIndex:
    """Index the breakdown's characters (names and aliases) for matching in action lines."""
    index = NameIndex()
    owners: dict[str, set[str]] = {}
    people = same_people(breakdown)
    index.people = people
    by_key = {character_key(c.name): c for c in breakdown.characters}
    for character in breakdown.characters:
        key = people[character_key(character.name)]
        index.names.setdefault(key, by_key[key].name)
        for full in [character.name, *character.aliases]:
            for form in _name_forms(full):
                owners.setdefault(fold(form), set()).add(key)
            last = fold(full.split()[-1]) if full.split() else ""
            if last in PERSON_NOUNS:
                index.roles[fold(full)] = key
    for form, keys in owners.items():
        if len(keys) == 1:
            index.forms[form] = next(iter(keys))
    _add_library_genders(index, library)
    _compile(index)
    return index


def _add_library_genders(index: NameIndex, library: CharacterLibrary | None) -> None:
    """Take pronouns the character library already settled."""
    if library is None:
        return
    for character in library.characters:
        pronouns = getattr(character, "pronouns", "") or ""
        key = character_key(character.name)
        if pronouns.startswith("she"):
            index.gender[key] = "she"
        elif pronouns.startswith("he"):
            index.gender[key] = "he"


def _compile(index: NameIndex) -> None:
    """Build one regex over every form, longest first, with an optional possessive `'s`."""
    forms = sorted(set(index.forms) | set(index.roles), key=lambda f: (-len(f), f))
    if not forms:
        return
    body = "|".join(r"\s+".join(re.escape(part) for part in f.split()) for f in forms)
    index.pattern = re.compile(rf"(?<![\w'’-])(?P<name>{body})(?P<poss>['’]s\b|['’](?=\s))?(?![\w-])", re.I)
