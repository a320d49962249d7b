"""The character library: each character defined once and reused in every frame and prompt.

`build_library` reads the script offline (introductions, action, dialogue, the breakdown's
scenes and story days) into a canonical look per character plus a look per story day.
`refine_library` lets a text model fill in what the script only implies; it never renames,
recolours or drops anyone. The user may edit `characters.json` (or ask in chat): the
fingerprints from `library_fingerprints` then change for exactly the characters edited, so
later stages redo only the frames and prompts those characters appear in. `export_library` and
`import_library` carry a cast between projects (a micro-drama season shares one library).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import structlog
from pydantic import BaseModel, Field

from filmcrew.agents.character_looks import (
    Intro,
    Mentions,
    dialogue_of,
    find_intro,
    garment_noun,
    garment_slot,
    guess_pronouns,
    name_pattern,
    scene_mentions,
    wardrobe_phrases,
)
from filmcrew.agents.character_files import (
    CARDS_DIR,
    LIBRARY_FILE,
    card_path,
    changed_characters,
    character_fingerprint,
    edit_character,
    export_library,
    fingerprinted,
    import_library,
    library_fingerprints,
    load_library,
    validate_library,
)
from filmcrew.agents.sketch_figure import COLOUR_WORDS
from filmcrew.domain import Breakdown, BreakdownCharacter, BreakdownScene, Character, CharacterLibrary, Look, Screenplay
from filmcrew.files import atomic_write_bytes, inside, safe_name, write_json
from filmcrew.prompts import render
from filmcrew.providers.base import InvalidOutput, Provider, TextRequest, Unsupported

log = structlog.get_logger(__name__)

__all__ = [  # the public surface (file handling lives in character_files, re-exported here)
    "CARDS_DIR", "LIBRARY_FILE", "apply_refinement", "build_library", "build_looks", "card_path",
    "changed_characters", "character_fingerprint", "describe_look", "edit_character", "export_library",
    "fingerprinted", "generate_sheets", "import_library", "library_fingerprints", "load_library",
    "refine_library", "sheet_path", "validate_library", "write_library",
]

PALETTE = ["#d1495b", "#2e86ab", "#e0a100", "#3f9c5a", "#8e5ea2", "#f26419", "#00798c", "#c44569",
           "#6b8f23", "#3d5a80", "#a0522d", "#e07a5f", "#5c4d7d", "#1b998b", "#b56576", "#7a7a2e"]
CANONICAL_FIELDS = ("age", "build", "face", "hair", "signature_wardrobe", "description", "voice", "pronouns")


# --- offline build ---------------------------------------------------------------------------


def build_library(sp: Screenplay, breakdown: Breakdown, base: CharacterLibrary | None = None) -> CharacterLibrary:
    """Build the library from the script alone (no model).

    With `base` (an imported season library, or the user's edited `characters.json`), a
    character already there keeps its canonical look, handle, colour and references; the script
    fills only what is empty, and its per-day looks are kept when the base has none.
    """
    people = [_from_script(sp, breakdown, person) for person in breakdown.characters]
    merged = _merge(base, people) if base else people
    dressed = build_looks(sp, breakdown, CharacterLibrary(characters=merged)).characters
    _assign_handles(dressed)
    _assign_colours(dressed, sp, breakdown)  # after the looks: a first-worn garment can lend its colour
    final = [c.model_copy(update={"reference_images": c.reference_images or [card_path(c)]}) for c in dressed]
    return fingerprinted(CharacterLibrary(characters=final))


def _from_script(sp: Screenplay, breakdown: Breakdown, person: BreakdownCharacter) -> Character:
    """Read one character's canonical look, per-day looks and voice from the script."""
    names = [person.name, *person.aliases]
    intro = find_intro(sp, names)
    speeches = dialogue_of(sp, names)
    return Character(
        name=person.name,
        handle="",
        aliases=list(person.aliases),
        age=intro.age if intro else "",
        build=intro.build if intro else "",
        face=intro.face if intro else "",
        hair=intro.hair if intro else "",
        signature_wardrobe=_dedupe(intro.wardrobe) if intro else [],
        description=_description(intro),
        voice=voice_notes(speeches, intro),
        pronouns=guess_pronouns(sp, names, intro),
        speaking=person.speaking,
        looks=[],
    )


def _description(intro: Intro | None) -> str:
    """Keep the introducing sentence (and loose traits) as the character's description."""
    if intro is None:
        return ""
    text = intro.sentence if len(intro.sentence) <= 320 else intro.sentence[:317].rstrip() + "..."
    return text


def voice_notes(speeches: list[tuple[list[str], list[str], str]], intro: Intro | None) -> str:
    """Summarise how a character speaks: how often, how long, delivery, and off-screen use."""
    if not speeches:
        return "does not speak"
    words = [len(text.split()) for _, _, text in speeches if text]
    parts = [f"{len(speeches)} speech{'es' if len(speeches) != 1 else ''}"]
    if words:
        average = sum(words) / len(words)
        parts.append(f"{'short' if average < 8 else 'long' if average > 20 else 'medium'} lines (about {round(average)} words)")
    delivery = _most_common([p.casefold() for _, ps, _ in speeches for p in ps], 3)
    if delivery:
        parts.append("delivery: " + ", ".join(delivery))
    off = _most_common([e.upper() for es, _, _ in speeches for e in es if re.sub(r"[^A-Z]", "", e.upper()) in ("VO", "OS", "OC")], 2)
    if off:
        parts.append("heard " + " and ".join(off))
    if intro and intro.age:
        parts.append(f"voice of someone {intro.age}")
    return "; ".join(parts)


def _most_common(items: list[str], n: int) -> list[str]:
    """Return up to n items by frequency (ties by first appearance)."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return [k for k, _ in sorted(counts.items(), key=lambda kv: -kv[1])][:n]


def _dedupe(items: list[str]) -> list[str]:
    """Drop repeats, keeping order."""
    return list(dict.fromkeys(i for i in items if i))


def build_looks(sp: Screenplay, breakdown: Breakdown, library: CharacterLibrary) -> CharacterLibrary:
    """Fill each character's looks per story day from the script (those with looks keep them)."""
    patterns = {c.name: name_pattern([c.name, *c.aliases]) for c in library.characters}
    per_scene = {s.number: scene_mentions(sp, s, patterns) for s in sp.scenes}
    if any(not c.looks for c in library.characters):
        _add_tracked(per_scene, sp, breakdown, library)
        _add_breakdown(per_scene, breakdown, library)
    updated = []
    for character in library.characters:
        if character.looks:
            updated.append(character)
            continue
        mentions = {n: m.get(character.name) for n, m in per_scene.items()}
        looks = looks_for(character, breakdown, mentions)
        signature = character.signature_wardrobe or (looks[0].wardrobe if looks else [])
        updated.append(character.model_copy(update={"looks": looks, "signature_wardrobe": list(signature)}))
    return CharacterLibrary(characters=updated)


def _add_item(per_scene: dict[int, dict[str, Mentions]], scene: int, name: str, phrase: str, changed: bool) -> None:
    """Give a character a garment in a scene unless one of that noun is there already."""
    seen = per_scene.setdefault(scene, {}).setdefault(name, Mentions())
    if garment_noun(phrase) not in {garment_noun(w) for w in seen.wardrobe}:
        seen.wardrobe.append(phrase)
    seen.changed = seen.changed or changed


def _add_tracked(per_scene: dict[int, dict[str, Mentions]], sp: Screenplay, breakdown: Breakdown,
                 library: CharacterLibrary) -> None:
    """Add what the continuity tracker saw each character put on (its reading of who wears what)."""
    from filmcrew.agents.continuity_tracker import track

    for event in track(sp, breakdown, library).events:
        character = library.get(event.entity)
        if event.attribute != "wardrobe" or event.value not in ("wear", "change", "on") or character is None:
            continue
        phrases = wardrobe_phrases(event.text, require_worn=False) or [event.noun]
        for phrase in phrases[-1:]:
            _add_item(per_scene, event.scene, character.name, phrase, event.value == "change")


def _add_breakdown(per_scene: dict[int, dict[str, Mentions]], breakdown: Breakdown, library: CharacterLibrary) -> None:
    """Give a breakdown scene's wardrobe notes to its one character when nobody wears them yet."""
    for scene in breakdown.scenes:
        cast = [c for n in scene.characters if (c := library.get(n)) is not None]
        if len(cast) != 1:
            continue
        worn = {garment_noun(w) for m in per_scene.get(scene.number, {}).values() for w in m.wardrobe}
        for note in scene.wardrobe:
            phrase = (wardrobe_phrases(note, require_worn=False) or [""])[-1]
            if phrase and garment_noun(phrase) not in worn:
                _add_item(per_scene, scene.number, cast[0].name, phrase, False)


def looks_for(character: Character, breakdown: Breakdown, mentions: dict[int, Mentions | None]) -> list[Look]:
    """Walk a character's scenes in order, starting each story day in the canonical wardrobe.

    Within a day an item replaces the one in its slot (a new coat replaces the coat); a
    change marker (`now`, `back in`, `changes into`) replaces the whole outfit. Injuries carry
    forward: a cut does not heal overnight.
    """
    keys = {character.name.casefold(), *(a.casefold() for a in character.aliases)}
    scenes = [s for s in breakdown.scenes if keys & {c.casefold() for c in s.characters}]
    looks: list[Look] = []
    canonical = character.signature_wardrobe or _first_worn(scenes, mentions)
    outfit, injuries, hair, makeup, day = list(canonical), [], "", "", None
    for scene in scenes:
        seen = mentions.get(scene.number) or Mentions()
        new_day = scene.story_day != day
        if new_day:
            outfit, hair, makeup, day = list(canonical), "", "", scene.story_day
        outfit = _dress(outfit, seen.wardrobe, seen.changed or (new_day and bool(seen.wardrobe) and bool(looks)))
        injuries = _dedupe([*injuries, *seen.injuries])
        hair, makeup = seen.hair or hair, seen.makeup or makeup
        last = looks[-1] if looks else None
        if last and last.story_day == day and (last.wardrobe, last.injuries, last.hair, last.makeup) == (outfit, injuries, hair, makeup):
            last.scenes.append(scene.number)
            continue
        note = _change_note(last, outfit, injuries, scene.number) if last and last.story_day == day else ""
        if looks and not seen.wardrobe and outfit == canonical and outfit:
            note = note or "canonical wardrobe (the script names none this day)"
        looks.append(Look(story_day=day, wardrobe=list(outfit), hair=hair, makeup=makeup,
                          injuries=list(injuries), notes=note, scenes=[scene.number]))
    return looks if any(look.wardrobe or look.injuries or look.hair for look in looks) else []


def _first_worn(scenes: list[BreakdownScene], mentions: dict[int, Mentions | None]) -> list[str]:
    """Return the first wardrobe the script puts a character in (when the introduction names none)."""
    for scene in scenes:
        seen = mentions.get(scene.number)
        if seen and seen.wardrobe:
            return list(seen.wardrobe)
    return []


def _change_note(last: Look, outfit: list[str], injuries: list[str], scene: int) -> str:
    """Say what changed from the previous look of the same day."""
    if last.wardrobe != outfit:
        return f"changes in scene {scene}"
    if last.injuries != injuries:
        return f"injured in scene {scene}"
    return f"hair or makeup changes in scene {scene}"


def _dress(outfit: list[str], items: list[str], change: bool) -> list[str]:
    """Put new items on: replace the whole outfit on a change, else the item in each slot."""
    if not items:
        return outfit
    if change:
        kept = [o for o in outfit if garment_slot(o) in ("accessory", "face") and garment_noun(o) not in map(garment_noun, items)]
        return _dedupe([*items, *kept])
    result = list(outfit)
    for item in items:
        noun, slot = garment_noun(item), garment_slot(item)
        same = [o for o in result if garment_noun(o) == noun or (slot not in ("accessory", "other") and garment_slot(o) == slot)]
        if same:
            result[result.index(same[0])] = item if len(item) >= len(same[0]) or noun != garment_noun(same[0]) else same[0]
            result = [o for o in result if o not in same[1:]]
        else:
            result.append(item)
    return _dedupe(result)


def _assign_handles(characters: list[Character]) -> None:
    """Give everyone a unique `@handle` for prompts (kept when already set)."""
    taken = {c.handle for c in characters if c.handle}
    for i, character in enumerate(characters):
        if character.handle:
            continue
        stem = "@" + (re.sub(r"[^a-z0-9]+", "_", character.name.casefold()).strip("_") or "character")
        handle, n = stem, 2
        while handle in taken:
            handle, n = f"{stem}_{n}", n + 1
        taken.add(handle)
        characters[i] = character.model_copy(update={"handle": handle})


def _assign_colours(characters: list[Character], sp: Screenplay, breakdown: Breakdown) -> None:
    """Give everyone a colour of their own: their signature garment's colour when distinct, else
    the next palette colour far enough from those taken, in order of first appearance."""
    first = {c.name: c.first_line for c in breakdown.characters}
    order = sorted(range(len(characters)), key=lambda i: (first.get(characters[i].name, 10**9), characters[i].name))
    taken = [_rgb(c.color) for c in characters if c.color != "#888888"]
    for i in order:
        character = characters[i]
        if character.color != "#888888":
            continue
        colour = _pick_colour(character, taken)
        taken.append(_rgb(colour))
        characters[i] = character.model_copy(update={"color": colour})


def _pick_colour(character: Character, taken: list[tuple[int, int, int]]) -> str:
    """Choose a wardrobe colour or a palette colour that no one else is close to."""
    wanted = [COLOUR_WORDS[w] for phrase in character.signature_wardrobe for w in re.findall(r"[a-z]+", phrase.casefold())
              if w in COLOUR_WORDS and _saturated(COLOUR_WORDS[w])]
    for rgb in [*wanted, *(_rgb(p) for p in PALETTE)]:
        if all(_distance(rgb, t) > 90 for t in taken):
            return "#%02x%02x%02x" % rgb
    n = len(taken)
    hue = (n * 0.618033988749895) % 1.0  # golden-ratio hues stay apart for any cast size
    import colorsys

    r, g, b = colorsys.hsv_to_rgb(hue, 0.65, 0.75)
    return "#%02x%02x%02x" % (round(r * 255), round(g * 255), round(b * 255))


def _saturated(rgb: tuple[int, int, int]) -> bool:
    """Say whether a colour is vivid enough to tell people apart by (not grey, black or white)."""
    return max(rgb) - min(rgb) > 60


def _rgb(value: str) -> tuple[int, int, int]:
    """Parse `#rrggbb`."""
    return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))


def _distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """Euclidean distance between two colours."""
    return float(sum((x - y) ** 2 for x, y in zip(a, b)) ** 0.5)


def _merge(base: CharacterLibrary, built: list[Character]) -> list[Character]:
    """Keep base characters as they are (filling empty fields from the script), add new ones."""
    out: list[Character] = []
    used: set[str] = set()
    for person in built:
        old = base.get(person.name) or next((base.get(a) for a in person.aliases if base.get(a)), None)
        if old is None:
            out.append(person)
            continue
        used.add(old.name)
        fill = {f: getattr(person, f) for f in CANONICAL_FIELDS if not getattr(old, f) and getattr(person, f)}
        aliases = _dedupe([*old.aliases, *person.aliases])
        out.append(old.model_copy(update={**fill, "aliases": aliases, "speaking": person.speaking}))
    out.extend(c for c in base.characters if c.name not in used)
    return out


def write_library(library: CharacterLibrary, folder: Path) -> None:
    """Write `characters.json` and a card per character in `characters/` (byte-stable)."""
    from filmcrew.agents.sketch_card import draw_card

    library = fingerprinted(library)
    for character in library.characters:
        atomic_write_bytes(inside(folder, card_path(character)), draw_card(character))
    write_json(inside(folder, LIBRARY_FILE), library)
    log.info("library_written", characters=len(library.characters), folder=str(folder))


# --- model refinement ------------------------------------------------------------------------


class RefinedCharacter(BaseModel):
    """What a model may add to one character (never its name, handle or colour)."""

    name: str
    age: str = ""
    build: str = ""
    face: str = ""
    hair: str = ""
    signature_wardrobe: list[str] = Field(default_factory=list)
    description: str = ""
    voice: str = ""
    pronouns: str = ""


class RefinedCast(BaseModel):
    """The model's answer for the whole cast."""

    characters: list[RefinedCharacter] = Field(default_factory=list)


def refine_library(provider: Provider, sp: Screenplay, breakdown: Breakdown,
                   library: CharacterLibrary) -> tuple[CharacterLibrary, list[str]]:
    """Let a text model complete each canonical look from the script; offline, return it unchanged.

    Only empty or thin fields are filled; per-day looks stay the script's (`build_library` has
    read them already: reading again would find the same). Returns notes on what changed (or
    why nothing did) for `run.json`.
    """
    if not library.characters or not provider.supports("structured"):
        return fingerprinted(library), []
    from filmcrew.providers.structured import structured

    request = refine_request(sp, library)
    try:
        answer, _ = structured(provider, request, RefinedCast)
    except (Unsupported, InvalidOutput) as exc:
        return fingerprinted(library), [f"characters: model refinement skipped ({exc})"]
    refined, notes = apply_refinement(library, answer)
    return fingerprinted(refined), notes


def refine_request(sp: Screenplay, library: CharacterLibrary) -> TextRequest:
    """Build the refinement request: the cast as read so far and the script's action about them."""
    cast = [c.model_dump(include={"name", *CANONICAL_FIELDS}) for c in library.characters]
    rendered = render(
        "characters/refine",
        title=sp.title() or "(untitled)",
        cast=json.dumps(cast, indent=1, sort_keys=True, ensure_ascii=False),
        excerpts=_excerpts(sp, library),
    )
    return TextRequest(agent="characters", prompt=rendered.text, prompt_id=rendered.key)


def _excerpts(sp: Screenplay, library: CharacterLibrary, limit: int = 6000) -> str:
    """Quote the action paragraphs that name any character, with line numbers, up to a budget."""
    pattern = name_pattern([n for c in library.characters for n in (c.name, *c.aliases)])
    out, used = [], 0
    for element in sp.elements:
        if element.kind != "action" or not pattern.search(element.text):
            continue
        text = f"{element.start_line}: {' '.join(element.text.split())}"
        if used + len(text) > limit:
            break
        out.append(text)
        used += len(text)
    return "\n".join(out) or "(no action mentions the cast)"


def apply_refinement(library: CharacterLibrary, answer: RefinedCast) -> tuple[CharacterLibrary, list[str]]:
    """Merge a model's answer: fill empty fields, ignore unknown names, never touch identity."""
    notes: list[str] = []
    updates: dict[str, dict[str, Any]] = {}
    for item in answer.characters:
        character = library.get(item.name)
        if character is None:
            notes.append(f"characters: model described unknown character {item.name!r}; ignored")
            continue
        change = _fillable(character, item)
        if change:
            updates[character.name] = change
            notes.append(f"characters: model filled {', '.join(sorted(change))} for {character.name}")
    refined = [c.model_copy(update=updates.get(c.name, {})) for c in library.characters]
    return CharacterLibrary(characters=refined), notes


def _fillable(character: Character, item: RefinedCharacter) -> dict[str, Any]:
    """Return the fields a model answer may fill: those the script left empty."""
    change: dict[str, Any] = {}
    for name in CANONICAL_FIELDS:
        value = getattr(item, name)
        if not value or getattr(character, name):
            continue
        if name == "pronouns" and value not in ("she/her", "he/him", "they/them"):
            continue
        change[name] = value
    return change


# --- reference sheets ------------------------------------------------------------------------


def sheet_path(character: Character) -> str:
    """Return the generated sheet's path relative to the run folder."""
    return f"{CARDS_DIR}/{safe_name(character.name, 'character')}_sheet.png"


def describe_look(character: Character, scene: int | None = None) -> str:
    """Describe a character's canonical look (or its look in one scene) for an image prompt."""
    from filmcrew.agents.sketch_figure import look_for_scene

    look = look_for_scene(character, scene) if scene is not None else None
    wardrobe = look.wardrobe if look and look.wardrobe else character.signature_wardrobe
    person = {"she/her": "woman", "he/him": "man"}.get(character.pronouns, "")
    parts = [person, f"age {character.age}" if character.age else "", character.build, character.face,
             (look.hair if look and look.hair else character.hair),
             "wearing " + ", ".join(wardrobe) if wardrobe else "",
             "injuries: " + ", ".join(look.injuries) if look and look.injuries else "",
             look.makeup if look else ""]
    return "; ".join(p for p in parts if p) or character.description or "no description in the script"


def _on_screen(character: Character) -> bool:
    """Say whether the script gives a character anything to draw (a voice alone needs no sheet)."""
    return any(getattr(character, f) for f in ("age", "build", "face", "hair", "signature_wardrobe", "description"))


def generate_sheets(provider: Provider, library: CharacterLibrary, folder: Path,
                    style: str = "") -> tuple[CharacterLibrary, list[str]]:
    """Generate a turnaround sheet (front, three-quarter, profile) per on-screen character, once.

    A sheet is cached in `characters/` under a key of its prompt, so it is made again only when
    the character's look (or the style) changes. A character whose references the user set by
    hand keeps them. Offline (or without image support) the library comes back unchanged and the
    cards stay the references.
    """
    if not provider.supports("image"):
        return library, []
    updated, notes = [], []
    for character in library.characters:
        own = [r for r in character.reference_images if r not in (card_path(character), sheet_path(character))]
        if own or not _on_screen(character):
            updated.append(character)
            continue
        try:
            made = _sheet(provider, character, folder, style)
        except Unsupported as exc:
            return library, [f"characters: reference sheets skipped ({exc})"]
        notes.extend([f"characters: reference sheet generated for {character.name}"] if made else [])
        updated.append(character.model_copy(update={"reference_images": [sheet_path(character)]}))
    return fingerprinted(CharacterLibrary(characters=updated)), notes


def _sheet(provider: Provider, character: Character, folder: Path, style: str) -> bool:
    """Make (or reuse) one character's sheet; return True when a new one was generated."""
    from filmcrew.agents.storyboard import DEFAULT_STYLE, read_manifest, with_manifest
    from filmcrew.providers.base import ImageRequest

    rendered = render("characters/sheet", style=style or DEFAULT_STYLE, handle=character.handle,
                      name=character.name, look=describe_look(character))
    key = hashlib.sha256(f"{rendered.key}\n{rendered.text}".encode("utf-8")).hexdigest()[:16]
    target = inside(folder, sheet_path(character))
    if target.is_file() and (read_manifest(target.read_bytes()) or {}).get("key") == key:
        return False
    result = provider.image(ImageRequest(agent="characters", prompt=rendered.text, prompt_id=rendered.key,
                                         size="1536x1024", aspect="3:2"))
    atomic_write_bytes(target, with_manifest(result.png, {"key": key, "sheet": character.name}))
    log.info("sheet_generated", character=character.name)
    return True
