"""Read one scene as beats: who speaks which lines, what each action paragraph does and to whom.

A beat is one speech (cue, parentheticals, dialogue) or one action paragraph, with the source
lines it spans. Coverage rules and the duration model both work on beats, so the model path
and the rule path are timed the same way. Moods come from word lists in `data/shot_cues.json`
(a chase is kinetic, a whisper intimate, "she freezes" a reaction), never from one script.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from filmcrew.agents.lexicon import DEVICE_VOICE, JOINT_CUE, PHONE_CALL
from filmcrew.domain import BreakdownScene, CharacterLibrary, Element, Screenplay

_SPEECH_PARTS = frozenset({"parenthetical", "dialogue", "lyric"})
_ACTION_KINDS = frozenset({"action", "centered"})
COVERABLE_KINDS = frozenset(
    {"scene_heading", "action", "centered", "character", "parenthetical", "dialogue", "lyric"}
)


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """Load the planner's word lists shipped with the package."""
    text = (
        resources.files("filmcrew.agents")
        .joinpath("data", "shot_cues.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _phrase_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Compile one case-insensitive whole-word pattern for a word list."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w']){'(?:' + alternatives + ')'}(?![\w'])", re.I)


def has_any(text: str, words: list[str]) -> bool:
    """Say whether text holds any of the words or phrases, as whole words."""
    return bool(words) and _phrase_pattern(tuple(words)).search(text) is not None


@dataclass
class Beat:
    """One speech or one action paragraph of a scene, with the source lines it spans."""

    index: int
    kind: str  # "dialogue" or "action"
    lines: list[int]
    text: str
    speaker: str = ""
    voice: str = ""  # "V.O.", "O.S." or "" (seen speaking)
    parenthetical: str = ""
    dual: bool = False
    characters: list[str] = field(default_factory=list)
    props: list[str] = field(default_factory=list)
    moods: set[str] = field(default_factory=set)
    sentences: list[tuple[str, list[str]]] = field(
        default_factory=list
    )  # each with who it involves

    @property
    def seen_speaking(self) -> bool:
        """Say whether the speaker is on screen while talking (not V.O. or O.S.)."""
        return self.kind == "dialogue" and not self.voice

    def moods_for(self, name: str) -> set[str]:
        """Return the moods of the sentences that involve one character ("Mia freezes": Mia's)."""
        if self.kind == "dialogue":
            return set(self.moods) if name == self.speaker else set()
        return {m for text, who in self.sentences if name in who for m in _moods(text)}

    def sentence_about(self, words: list[str]) -> str:
        """Return the first sentence holding any of the words (names or cue words)."""
        for text, who in self.sentences:
            if set(words) & set(who) or has_any(text, [w.lower() for w in words]):
                return text
        return self.sentences[0][0] if self.sentences else self.text


@dataclass
class SceneReading:
    """A scene as the shot planner sees it: beats, cast on screen, voices, props, lines."""

    scene: BreakdownScene
    beats: list[Beat]
    cast: list[str]  # characters present and seen, in order of first appearance
    speakers: list[str]  # seen speakers, in order of first speech
    voices: list[str]  # speakers only ever heard (V.O., O.S.)
    heading_line: int | None
    valid_lines: set[int]
    transition: str = ""
    montage: bool = False
    last_scene: bool = False
    label: str = ""  # the scene's printed number, made unique (see `shot_label`)

    def dialogue_beats(self) -> list[Beat]:
        """Return the speeches in script order."""
        return [b for b in self.beats if b.kind == "dialogue"]

    def action_beats(self) -> list[Beat]:
        """Return the action paragraphs in script order."""
        return [b for b in self.beats if b.kind == "action"]

    def all_lines(self) -> list[int]:
        """Return every beat line, sorted: what a master covers."""
        return sorted({n for b in self.beats for n in b.lines})


class NameMatcher:
    """Find the scene's characters in action text by name, alias or unique first name."""

    def __init__(self, names: list[str], library: CharacterLibrary | None) -> None:
        self.canonical: dict[str, str] = {}
        for name in names:
            self._add(name, name)
            entry = library.get(name) if library else None
            for alias in [entry.name, *entry.aliases] if entry else []:
                self._add(alias, name)
        firsts: dict[str, list[str]] = {}
        for name in names:
            first = name.split()[0] if " " in name.strip() else ""
            if len(first) >= 3:
                firsts.setdefault(first.casefold(), []).append(name)
        for first, owners in firsts.items():
            if len(owners) == 1 and first not in self.canonical:
                self.canonical[first] = owners[0]
        entries = {name: library.get(name) if library else None for name in names}
        self.pronouns = {name: entry.pronouns if entry else "" for name, entry in entries.items()}
        alternatives = "|".join(re.escape(k) for k in sorted(self.canonical, key=len, reverse=True))
        self._pattern = (
            re.compile(rf"(?<![\w])({alternatives})(?![\w])", re.I) if alternatives else None
        )

    def _add(self, spoken: str, name: str) -> None:
        """Register one spelling of a character's name."""
        key = " ".join(spoken.split()).casefold()
        if key:
            self.canonical.setdefault(key, name)

    def resolve(self, name: str) -> str | None:
        """Map a cue or subject spelling onto the scene's canonical name."""
        return self.canonical.get(" ".join(name.split()).casefold())

    def find(self, text: str) -> list[str]:
        """Return the characters named in text, in order of first mention.

        A name counts in CAPS or Title case ("NORA", "Nora"), or lower case after "the"
        ("the man"), so ordinary words that happen to be names do not match.
        """
        found: list[str] = []
        for match in self._pattern.finditer(text) if self._pattern else []:
            word = match.group(1)
            before = text[max(0, match.start() - 4) : match.start()].lower()
            if word[0].isupper() or before.endswith("the "):
                name = self.canonical[word.casefold()]
                if name not in found:
                    found.append(name)
        return found


def cue_name(element: Element) -> tuple[str, list[str]]:
    """Split a cue into the name and its extensions (`MAN (CONT'D)` -> MAN, [CONT'D])."""
    text = element.text.strip().lstrip("@").rstrip("^").strip()
    extensions = [e.strip() for e in element.extensions]
    for found in re.findall(r"\(([^)]*)\)", text):
        extensions.append(found.strip())
    name = re.sub(r"\([^)]*\)", "", text).strip()
    return " ".join(name.split()), extensions


def voice_of(extensions: list[str]) -> str:
    """Tell a seen speaker from a voice: V.O., or O.S./O.C. (heard from outside the frame)."""
    table: dict[str, str] = cues()["voice_extensions"]
    for ext in extensions:
        key = " ".join(ext.upper().replace("0", "O").split())  # `V.0.`: a zero typed for the O
        if key in table:
            return table[key]
    return ""


def is_transition_text(text: str) -> bool:
    """Say whether an action paragraph is only a transition typed as action (`FADE IN:`)."""
    plain = re.sub(r"[^A-Za-z ]", " ", text).strip().lower()
    plain = " ".join(plain.split())
    return text.strip().isupper() and plain in cues()["transition_words"]


def _paragraphs(element: Element) -> list[tuple[list[int], str]]:
    """Split an action element at blank lines, keeping each paragraph's true source lines."""
    rows = element.text.split("\n")
    span = element.end_line - element.start_line + 1
    if len(rows) != span:
        return [(list(range(element.start_line, element.end_line + 1)), element.text)]
    parts: list[tuple[list[int], str]] = []
    current: list[tuple[int, str]] = []
    for offset, row in enumerate(rows):
        if row.strip():
            current.append((element.start_line + offset, row))
        elif current:
            parts.append(([n for n, _ in current], "\n".join(r for _, r in current)))
            current = []
    if current:
        parts.append(([n for n, _ in current], "\n".join(r for _, r in current)))
    return parts


def split_sentences(text: str) -> list[str]:
    """Split action text into sentences at `.`, `!` and `?` followed by a capital."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'(])", " ".join(text.split()))
    return [p.strip() for p in parts if p.strip()]


def _moods(text: str) -> set[str]:
    """Name the moods a beat's text carries (kinetic, intimate, reaction, pov, ...)."""
    return {mood for mood, words in cues()["moods"].items() if has_any(text, words)}


def caps_mention(text: str, prop: str) -> bool:
    """Say whether text names a prop in CAPS, the writer's flag for something to see."""
    return re.search(rf"(?<![\w]){re.escape(prop.upper())}(?![\w])", text) is not None


def _props_in(text: str, props: list[str]) -> list[str]:
    """Return the scene's props a text names in CAPS (a plain "desk lamp" is set dressing)."""
    return [p for p in props if caps_mention(text, p)]


class _Reader:
    """Walk a scene's elements once, building beats."""

    def __init__(self, reading_names: NameMatcher, props: list[str], present: list[str]) -> None:
        self.names = reading_names
        self.props = props
        self.present = present
        self.beats: list[Beat] = []
        self.last_named: list[str] = []
        self.transition = ""

    def speech(self, cue: Element, parts: list[Element]) -> None:
        """Add one speech beat (cue plus its parentheticals and dialogue)."""
        name, extensions = cue_name(cue)
        speakers = self._speakers(name)
        speaker = speakers[0]
        paren = " ".join(p.text.strip() for p in parts if p.kind == "parenthetical")
        spoken = [p for p in parts if p.kind in ("dialogue", "lyric") and p.text.strip()]
        lines = sorted({n for p in spoken for n in range(p.start_line, p.end_line + 1)})
        if not lines:
            return
        text = " ".join(" ".join(p.text.split()) for p in spoken)
        beat = Beat(
            index=len(self.beats),
            kind="dialogue",
            lines=lines,
            text=text,
            speaker=speaker,
            voice=voice_of(extensions),
            parenthetical=paren,
            dual=cue.dual == "right",
            characters=speakers,
            props=_props_in(text, self.props),
            moods=_moods(f"{paren} {text}"),
            sentences=[(text, speakers)],
        )
        self.beats.append(beat)
        self.last_named = speakers

    def _speakers(self, name: str) -> list[str]:
        """Who speaks under a cue: its person, or each person of a joint cue (`NORA AND DEV`)
        when every part is someone in the scene."""
        resolved = self.names.resolve(name)
        if resolved:
            return [resolved]
        parts = [self.names.resolve(part) for part in JOINT_CUE.split(name)]
        if len(parts) > 1 and all(parts):
            return list(dict.fromkeys(p for p in parts if p))
        return [name]

    def song(self, element: Element) -> None:
        """Add a lyric sung with no cue above it: heard, its singer not named (like a voice)."""
        lines = list(range(element.start_line, element.end_line + 1))
        text = " ".join(element.text.split())
        self.beats.append(
            Beat(
                index=len(self.beats),
                kind="dialogue",
                lines=lines,
                text=text,
                voice="song",
                moods=_moods(text),
                sentences=[(text, [])],
            )
        )

    def action(self, element: Element) -> None:
        """Add one beat per paragraph of an action element."""
        for lines, text in _paragraphs(element):
            if is_transition_text(text):
                self.transition = text.strip()
                continue
            sentences = [(sentence, self._involved(sentence)) for sentence in split_sentences(text)]
            named = list(dict.fromkeys(n for _, who in sentences for n in who))
            beat = Beat(
                index=len(self.beats),
                kind="action",
                lines=lines,
                text=" ".join(text.split()),
                characters=named,
                props=_props_in(text, self.props),
                moods=_moods(text),
                sentences=sentences,
            )
            self.beats.append(beat)

    def _involved(self, sentence: str) -> list[str]:
        """Return who a sentence involves: names, plus the people a leading pronoun points to."""
        named = self.names.find(sentence)
        leading = re.match(r"(he|she|they|his|her|their)\b", sentence, re.I) is not None
        if leading or not named:
            named = [*[n for n in self._pronoun_refs(sentence) if n not in named], *named]
        if named:
            self.last_named = named
        return named

    def _pronoun_refs(self, text: str) -> list[str]:
        """Resolve he/she/they to the people last named.

        Library pronouns pick among them; "they" after a single name means everyone present.
        """
        table: dict[str, str] = cues()["pronouns"]
        used = {table[w.lower()] for w in re.findall(r"[A-Za-z]+", text) if w.lower() in table}
        if not used or not self.last_named:
            return []
        if "they/them" in used:
            return list(self.last_named) if len(self.last_named) > 1 else list(self.present)
        fitting = [n for n in self.last_named if self.names.pronouns.get(n, "") in used]
        return fitting or self.last_named[:1]


def _walk(reader: _Reader, elements: list[Element]) -> None:
    """Feed a scene's elements (heading excluded) to the reader, grouping speeches."""
    index = 0
    while index < len(elements):
        element = elements[index]
        if element.kind == "character":
            end = index + 1
            while end < len(elements) and elements[end].kind in _SPEECH_PARTS:
                end += 1
            reader.speech(element, elements[index + 1 : end])
            index = end
            continue
        if element.kind in _ACTION_KINDS and element.text.strip():
            reader.action(element)
        elif element.kind == "lyric" and element.text.strip():
            reader.song(element)
        elif element.kind == "transition":
            reader.transition = element.text.strip()
        index += 1


def scene_elements(sp: Screenplay, scene: BreakdownScene) -> list[Element]:
    """Return the elements of a breakdown scene (matched by order number, else by lines)."""
    if 1 <= scene.number <= len(sp.scenes) and sp.scenes[scene.number - 1].number == scene.number:
        return sp.scene_elements(sp.scenes[scene.number - 1])
    return [e for e in sp.elements if scene.start_line <= e.start_line <= scene.end_line]


def shot_label(sp: Screenplay, scene: BreakdownScene) -> str:
    """Return the label shot ids start with: the printed scene number, kept as the writer forced it.

    A label the script uses twice (two `#3#` headings) would give two shots one id, so every
    later scene with that label gets its order number added: `3`, then `3_4`.
    """
    label = scene.label or str(scene.number)
    earlier = [
        s for s in sp.scenes if s.number < scene.number and (s.label or str(s.number)) == label
    ]
    return f"{label}_{scene.number}" if earlier else label


def valid_lines(elements: list[Element]) -> set[int]:
    """Every source line a shot may cover: the scene's printed, filmable elements."""
    return {
        n
        for e in elements
        if e.kind in COVERABLE_KINDS
        for n in range(e.start_line, e.end_line + 1)
    }


def _mark_remote_voices(beats: list[Beat]) -> None:
    """Make voices of speakers heard through something: a device cue (`INTERCOM`, `MESSAGE
    MACHINE`), or, in a phone scene, a speaker the action never names while it names another
    speaker (the person on the other end of the line)."""
    named = {n for b in beats if b.kind == "action" for n in b.characters}
    speakers = {b.speaker for b in beats if b.kind == "dialogue"}
    phone = any(b.kind == "action" and PHONE_CALL.search(b.text) for b in beats)
    on_the_line = {n for n in speakers if n not in named} if phone and speakers & named else set()
    for beat in beats:
        if beat.kind == "dialogue" and not beat.voice and (
                DEVICE_VOICE.search(beat.speaker) or beat.speaker in on_the_line):
            beat.voice = "O.S."


_SHOWN_OPENER = re.compile(r"^(?:(?:CLOSE|TIGHT|ANGLE|BACK)\s+ON\s+|ON\s+|(?:and|then|now)\s+)?", re.I)


def _shown_in_action(beats: list[Beat], names: NameMatcher, heard: list[str]) -> set[str]:
    """Speakers heard only in voice-over whom the action still shows: a sentence opens on them
    by name (`Edward steps back INTO FRAME`, `CLOSE ON Edward`), as a narrator seen in his own
    story is. A device is never shown, and a pronoun or a mention mid-sentence is no sighting."""
    shown: set[str] = set()
    for beat in beats:
        if beat.kind != "action":
            continue
        for sentence in split_sentences(beat.text):
            opening = sentence[_SHOWN_OPENER.match(sentence).end():]  # type: ignore[union-attr]
            first = names.find(opening[:60])
            if first and opening.casefold().startswith(first[0].split()[0].casefold()):
                shown.add(first[0])
    return {n for n in shown if n in heard and not DEVICE_VOICE.search(n)}


# Recent readings by the identity of what was read: planning one scene reads it for the rule
# draft, the model request, each answer check and the timing note. Entries hold their inputs,
# so an id is never reused while its entry lives.
_READINGS: dict[tuple[int, int, int, str], tuple[object, object, object, SceneReading]] = {}
_READINGS_LOCK = threading.Lock()
_READINGS_KEPT = 512


def read_scene(
    sp: Screenplay, scene: BreakdownScene, library: CharacterLibrary | None
) -> SceneReading:
    """Read a breakdown scene's elements into beats and cast lists (once per screenplay, scene
    and library; callers only read the result)."""
    key = (id(sp), id(scene), id(library), scene.fingerprint)
    with _READINGS_LOCK:
        kept = _READINGS.get(key)
    if kept is not None and kept[0] is sp and kept[1] is scene and kept[2] is library:
        return kept[3]
    reading = _read_scene(sp, scene, library)
    with _READINGS_LOCK:
        while len(_READINGS) >= _READINGS_KEPT:
            _READINGS.pop(next(iter(_READINGS)))
        _READINGS[key] = (sp, scene, library, reading)
    return reading


def _read_scene(sp: Screenplay, scene: BreakdownScene, library: CharacterLibrary | None) -> SceneReading:
    """Read a scene (see `read_scene`)."""
    elements = scene_elements(sp, scene)
    present = list(dict.fromkeys([*scene.characters, *scene.speaking]))
    names = NameMatcher(present, library)
    reader = _Reader(names, list(scene.props), present)
    heading = next((e for e in elements if e.kind == "scene_heading"), None)
    _walk(reader, [e for e in elements if e is not heading])
    beats = reader.beats
    _mark_remote_voices(beats)
    seen_speakers = list(dict.fromkeys(b.speaker for b in beats if b.seen_speaking))
    heard = list(dict.fromkeys(b.speaker for b in beats if b.kind == "dialogue"))
    shown = _shown_in_action(beats, names, heard)
    voices = [n for n in heard if n not in seen_speakers and n not in shown]
    for beat in beats:
        if beat.kind == "action":
            beat.characters = [n for n in beat.characters if n not in voices]
            beat.sentences = [
                (text, [n for n in who if n not in voices]) for text, who in beat.sentences
            ]
    mentioned = [n for b in beats if b.kind == "action" for n in b.characters]
    cast = list(
        dict.fromkeys([*seen_speakers, *mentioned, *[n for n in present if n not in voices]])
    )
    body = " ".join(b.text for b in beats) + " " + scene.heading
    return SceneReading(
        scene=scene,
        beats=beats,
        cast=cast,
        speakers=seen_speakers,
        voices=voices,
        heading_line=heading.start_line if heading else None,
        valid_lines=valid_lines(elements),
        transition=reader.transition,
        montage=has_any(body, cues()["montage_words"]),
        last_scene=scene.number >= len(sp.scenes),
        label=shot_label(sp, scene),
    )
