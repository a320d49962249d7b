"""Reading one scene for the breakdown: its action's caps runs, who is present, its props.

The cast must be known before a caps word can be called a prop, so a scene is read in two
passes: `scan_scene` collects caps runs, `gather_people` turns introductions into names across
the whole script, then `add_mentions` and `caps_props` sort each scene against the cast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from filmcrew.agents.breakdown_cast import (
    Cast,
    Cue,
    Person,
    ScriptWords,
    character_key,
    is_intro,
    is_place,
    people_kind,
    trimmed,
)
from filmcrew.agents.breakdown_text import (
    CapsRun,
    caps_runs,
    garment_base,
    in_zones,
    line_at,
    mid_sentence_titles,
    opens_sentence,
    skip_zones,
    sound_base,
    vocal_base,
)
from filmcrew.agents.lexicon import ABSENT_AFTER_NAME, CAPS_STOPWORDS, PERSON_NOUNS
from filmcrew.domain import Element, Scene, Screenplay
from filmcrew.tools.headings import normalise_location

_LETTERS = re.compile(r"[^\W\d_]+")
_WORD_AFTER = re.compile(r"\s*(['’]ll|[\w'’]+)")


@dataclass
class SceneScan:
    """What one scene's action holds before the cast is known."""

    scene: Scene
    actions: list[Element]
    runs: list[tuple[CapsRun, tuple[str, ...]]]
    cues: list[Cue] = field(default_factory=list)


@dataclass
class Presence:
    """Who a scene holds: canonical key -> where first seen (line, column); who is named in
    action, and who in caps."""

    seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    named: set[str] = field(default_factory=set)
    caps: set[str] = field(default_factory=set)

    def add(
        self, key: str, where: tuple[int, int], *, named: bool = False, caps: bool = False
    ) -> None:
        """Record a character at a (line, column) place; the earliest place wins."""
        self.seen[key] = min(where, self.seen.get(key, where))
        if named:
            self.named.add(key)
        if caps:
            self.caps.add(key)

    def order(self, keys: set[str] | None = None) -> list[str]:
        """Return the keys (all, or the given ones) in order of first appearance in the scene."""
        return sorted(self.seen if keys is None else keys, key=lambda k: (self.seen[k], k))


def scan_scene(sp: Screenplay, scene: Scene, cues: list[Cue]) -> SceneScan:
    """Collect a scene's action elements and their caps runs; `cues` are the scene's own."""
    actions = [e for e in sp.scene_elements(scene) if e.kind == "action"]
    runs = [(run, trimmed(run)) for e in actions for run in caps_runs(e.text, e.start_line)]
    return SceneScan(scene, actions, runs, cues)


def script_words(sp: Screenplay, cues: list[Cue], scans: list[SceneScan]) -> ScriptWords:
    """Collect what the whole script says about names (cues, mid-sentence Title case, places)."""
    titles = {word for scan in scans for e in scan.actions for word in mid_sentence_titles(e.text)}
    places: set[str] = set()
    for scene in sp.scenes:
        if scene.heading is not None and scene.heading.location:
            location = normalise_location(scene.heading.location)
            places.update(part.casefold() for part in [location, *location.split(" - ")])
    return ScriptWords(frozenset(c.key for c in cues), frozenset(titles), frozenset(places))


def gather_people(
    cues: list[Cue], scans: list[SceneScan], script: ScriptWords
) -> dict[str, Person]:
    """Gather every name: cues first (they are canonical), then introductions in action."""
    people: dict[str, Person] = {}
    for cue in cues:
        people.setdefault(cue.key, Person(cue.key, cue.name, cue.line, True))
    for scan in scans:
        for run, words in scan.runs:
            if is_intro(run, words, script):
                key = character_key(" ".join(words))
                people.setdefault(key, Person(key, " ".join(words), run.line, False))
    return people


@dataclass(frozen=True)
class NameMatcher:
    """One pattern for every name of the cast, and the words a text must hold to be worth it."""

    pattern: re.Pattern[str]
    first_letters: frozenset[str]
    caseless: bool

    def may_match(self, text: str) -> bool:
        """Say cheaply whether a text could name anyone (holds the start of some name)."""
        return self.caseless or not self.first_letters.isdisjoint(letter_runs(text))


def name_matcher(cast: Cast) -> NameMatcher | None:
    """Compile one pattern for every name, alias and unique first/last name, longest first.

    Names in a caseless script (`小明`) match without word boundaries: such scripts do not
    put spaces between words.
    """
    surfaces = sorted(cast.surfaces(), key=lambda s: (-len(s), s))
    if not surfaces:
        return None

    def alternation(names: list[str]) -> str:
        return "|".join(re.escape(n).replace(r"\ ", r"\s+").replace("'", "['’]") for n in names)

    cased = [n for n in surfaces if n.upper() != n.lower()]
    caseless = [n for n in surfaces if n.upper() == n.lower()]
    parts = [rf"(?<![\w'’])(?:{alternation(cased)})(?![\w])"] if cased else []
    if caseless:
        parts.append(f"(?:{alternation(caseless)})")
    firsts = frozenset(runs[0] for n in cased if (runs := _LETTERS.findall(n)))
    return NameMatcher(re.compile("|".join(parts), re.I), firsts, bool(caseless))


@lru_cache(maxsize=4096)
def letter_runs(text: str) -> frozenset[str]:
    """Return the casefolded runs of letters in a text (`Nora's` -> `nora`, `s`)."""
    return frozenset(_LETTERS.findall(text.casefold()))


def _generic(surface: str) -> bool:
    """Say whether a name is a plain role word (`MAN`), which names someone only in caps."""
    return all(
        w in PERSON_NOUNS or w in CAPS_STOPWORDS or w.isdigit() for w in surface.casefold().split()
    )


def _counts_as_presence(text: str, match: re.Match[str]) -> bool:
    """Say whether a name in action puts the character in the scene (case, modal verbs).

    Names count in caps or Title case (any case in a caseless script); a role word (`MAN`)
    counts in caps, or in Title case mid-sentence (`the Guard`), never as a sentence opener.
    """
    written = match.group(0)
    caseless = written.upper() == written.lower()
    if not caseless and not written[0].isupper():
        return False
    if _generic(written) and not written.isupper() and opens_sentence(text, match.start()):
        return False
    after = _WORD_AFTER.match(text, match.end())
    return after is None or after.group(1).lower() not in ABSENT_AFTER_NAME


def add_mentions(
    scan: SceneScan, cast: Cast, names: NameMatcher | None, presence: Presence
) -> None:
    """Add the characters named in a scene's action to its presence."""
    if names is None:
        return
    for element in scan.actions:
        if not names.may_match(element.text):
            continue
        zones = skip_zones(element.text)
        for match in names.pattern.finditer(element.text):
            if in_zones(match.start(), zones) or not _counts_as_presence(element.text, match):
                continue
            key = cast.lookup(match.group(0))
            if key is not None:
                caps = match.group(0).isupper() and match.group(0).upper() != match.group(0).lower()
                line = line_at(element.text, match.start(), element.start_line)
                column = match.start() - element.text.rfind("\n", 0, match.start())
                presence.add(key, (line, column), named=True, caps=caps)


def caps_props(
    scan: SceneScan, cast: Cast, script: ScriptWords
) -> tuple[list[tuple[str, int]], list[str]]:
    """Sort a scene's caps runs that are not cast or places into props (with lines) and extras."""
    props: list[tuple[str, int]] = []
    extras: list[str] = []
    for run, words in scan.runs:
        if not words or cast.lookup(" ".join(words)) is not None or is_place(words, script):
            continue
        if people_kind(words) == "extras":
            extras.append(" ".join(words))
        elif not (
            run.after_pronoun
            or run.emphasis
            or run.exclaimed
            or run.action
            or _names_someone(words, cast)
            or len(words) > 3
            or garment_base(words[-1])
            or any(sound_base(w) or vocal_base(w) for w in words)
        ):
            props.append((" ".join(words), run.line))
    return props, extras


def _names_someone(words: tuple[str, ...], cast: Cast) -> bool:
    """Say whether caps words name a person: a cast member with a title or an epithet
    (`KARL THE GIANT`, `GROWN-UP EDWARD`, `DICK STEEL`), or a role (`ECONOMICS PROFESSOR`)."""
    if people_kind(words) == "person":
        return True
    return len(words) > 1 and any(cast.lookup(word) is not None for word in (words[0], words[-1]))


def prop_pattern(props: list[str]) -> re.Pattern[str] | None:
    """Compile a pattern for known props in any case, plurals included (`logbook`, `KEYS`)."""
    if not props:
        return None
    body = "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(props, key=lambda p: (-len(p), p))
    )
    return re.compile(rf"(?<![\w'’])(?:{body})(?:e?s)?(?![\w'’])", re.I)


def scene_props(
    scan: SceneScan,
    caps: list[tuple[str, int]],
    known: dict[str, str],
    pattern: re.Pattern[str] | None,
) -> list[str]:
    """Return a scene's props in order: its caps props and later mentions of known ones."""
    found = {known[p.casefold()]: line for p, line in reversed(caps)}
    if pattern is not None:
        for element in scan.actions:
            zones = skip_zones(element.text)
            for match in pattern.finditer(element.text):
                name = known_prop(match.group(0), known)
                if name and not in_zones(match.start(), zones):
                    found.setdefault(name, line_at(element.text, match.start(), element.start_line))
    return [name for name, _ in sorted(found.items(), key=lambda item: (item[1], item[0]))]


def known_prop(text: str, known: dict[str, str]) -> str | None:
    """Map a prop mention (`keys`, `Logbook`) back to the prop's name as first written."""
    key = " ".join(text.split()).casefold()
    for candidate in (key, key[:-1], key[:-2]):
        if candidate in known:
            return known[candidate]
    return None
