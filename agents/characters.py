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
from pydantic import BaseModel, Field, ValidationError

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
)
from filmcrew.agents.sketch_figure import COLOUR_WORDS
from filmcrew.domain import Breakdown, BreakdownCharacter, Character, CharacterLibrary, Look, Screenplay
from filmcrew.errors import InputError
from filmcrew.files import atomic_write_bytes, inside, safe_name, write_json
from filmcrew.prompts import render
from filmcrew.providers.base import InvalidOutput, Provider, TextRequest, Unsupported

log = structlog.get_logger(__name__)

LIBRARY_FILE = "characters.json"
CARDS_DIR = "characters"
PALETTE = ["#d1495b", "#2e86ab", "#e0a100", "#3f9c5a", "#8e5ea2", "#f26419", "#00798c", "#c44569",
           "#6b8f23", "#3d5a80", "#a0522d", "#e07a5f", "#5c4d7d", "#1b998b", "#b56576", "#7a7a2e"]
# Fields the fingerprint leaves out: derived files and the fingerprint itself.
NOT_FINGERPRINTED = {"fingerprint", "reference_images"}
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
    _assign_handles(merged)
    _assign_colours(merged, sp, breakdown)
    final = [c.model_copy(update={"reference_images": c.reference_images or [card_path(c)]}) for c in merged]
    return fingerprinted(build_looks(sp, breakdown, CharacterLibrary(characters=final)))


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
    updated = []
    for character in library.characters:
        if character.looks:
            updated.append(character)
            continue
        looks = looks_for(character, breakdown, {n: m.get(character.name) for n, m in per_scene.items()})
        updated.append(character.model_copy(update={"looks": looks}))
    return CharacterLibrary(characters=updated)


def looks_for(character: Character, breakdown: Breakdown, mentions: dict[int, Mentions | None]) -> list[Look]:
    """Walk a character's scenes in order, starting each story day in the canonical wardrobe.

    Within a day an item replaces the one in its slot (a new coat replaces the coat); a
    change marker (`now`, `back in`, `changes into`) replaces the whole outfit. Injuries carry
    forward: a cut does not heal overnight.
    """
    keys = {character.name.casefold(), *(a.casefold() for a in character.aliases)}
    scenes = [s for s in breakdown.scenes if keys & {c.casefold() for c in s.characters}]
    looks: list[Look] = []
    outfit, injuries, hair, makeup, day = list(character.signature_wardrobe), [], "", "", None
    for scene in scenes:
        seen = mentions.get(scene.number) or Mentions()
        new_day = scene.story_day != day
        if new_day:
            outfit, hair, makeup, day = list(character.signature_wardrobe), "", "", scene.story_day
        outfit = _dress(outfit, seen.wardrobe, seen.changed or (new_day and bool(seen.wardrobe) and bool(looks)))
        injuries = _dedupe([*injuries, *seen.injuries])
        hair, makeup = seen.hair or hair, seen.makeup or makeup
        last = looks[-1] if looks else None
        if last and last.story_day == day and (last.wardrobe, last.injuries, last.hair, last.makeup) == (outfit, injuries, hair, makeup):
            last.scenes.append(scene.number)
            continue
        note = _change_note(last, outfit, injuries, scene.number) if last and last.story_day == day else ""
        if looks and not seen.wardrobe and outfit == character.signature_wardrobe and outfit:
            note = note or "canonical wardrobe (the script names none this day)"
        looks.append(Look(story_day=day, wardrobe=list(outfit), hair=hair, makeup=makeup,
                          injuries=list(injuries), notes=note, scenes=[scene.number]))
    return looks if any(look.wardrobe or look.injuries or look.hair for look in looks) else []


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


# --- fingerprints and edits ------------------------------------------------------------------


def character_fingerprint(character: Character) -> str:
    """Hash everything about a character that shapes a frame or a prompt."""
    data = character.model_dump(mode="json", exclude=NOT_FINGERPRINTED)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fingerprinted(library: CharacterLibrary) -> CharacterLibrary:
    """Return the library with every character's `fingerprint` field up to date."""
    return CharacterLibrary(characters=[c.model_copy(update={"fingerprint": character_fingerprint(c)}) for c in library.characters])


def library_fingerprints(library: CharacterLibrary) -> dict[str, str]:
    """Map each character's name to a fingerprint computed from its content (not the stored field),
    so a hand edit of `characters.json` shows up even when the user leaves `fingerprint` alone."""
    return {c.name: character_fingerprint(c) for c in library.characters}


def changed_characters(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Name the characters added, removed or edited between two fingerprint maps."""
    return sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))


def edit_character(library: CharacterLibrary, name: str, changes: dict[str, Any]) -> CharacterLibrary:
    """Apply a user's edit (from chat or a tool) to one character, validated, re-fingerprinted."""
    character = library.get(name)
    if character is None:
        raise InputError(f"no character called {name!r} in the library")
    locked = {"name", "fingerprint"} & set(changes)
    if locked:
        raise InputError(f"cannot edit {', '.join(sorted(locked))} of {character.name}; add an alias instead")
    try:
        edited = Character.model_validate({**character.model_dump(), **changes})
    except ValidationError as exc:
        raise InputError(f"bad edit for {character.name}: {exc.errors()[0]['msg']}") from exc
    others = [edited if c.name == character.name else c for c in library.characters]
    return fingerprinted(validate_library(CharacterLibrary(characters=others), LIBRARY_FILE))


# --- files -----------------------------------------------------------------------------------


def card_path(character: Character) -> str:
    """Return the card's path relative to the run folder: `characters/<safe name>.png`."""
    return f"{CARDS_DIR}/{safe_name(character.name, 'character')}.png"


def write_library(library: CharacterLibrary, folder: Path) -> None:
    """Write `characters.json` and a card per character in `characters/` (byte-stable)."""
    from filmcrew.agents.sketch_card import draw_card

    library = fingerprinted(library)
    for character in library.characters:
        atomic_write_bytes(inside(folder, card_path(character)), draw_card(character))
    write_json(inside(folder, LIBRARY_FILE), library)
    log.info("library_written", characters=len(library.characters), folder=str(folder))


def load_library(path: Path) -> CharacterLibrary:
    """Read and check a library file; a bad file is an InputError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read character library: {exc.strerror}", path=str(path)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=str(path), line=exc.lineno) from exc
    try:
        library = CharacterLibrary.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise InputError(f"{where}: {error['msg']}", path=str(path), line=_line_of(text, error["loc"])) from exc
    return validate_library(library, str(path), text)


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Find the line of the n-th character entry a validation error points at."""
    if len(loc) < 2 or loc[0] != "characters" or not isinstance(loc[1], int):
        return None
    starts = [m.start() for m in re.finditer(r'"name"\s*:', text)]
    return text.count("\n", 0, starts[loc[1]]) + 1 if loc[1] < len(starts) else None


def validate_library(library: CharacterLibrary, where: str, text: str = "") -> CharacterLibrary:
    """Refuse duplicate names or handles, handles without `@`, and colours that are not `#rrggbb`."""
    names: set[str] = set()
    handles: set[str] = set()
    for character in library.characters:
        line = _name_line(text, character.name)
        if character.name.casefold() in names:
            raise InputError(f"character {character.name} is listed twice", path=where, line=line)
        if not re.fullmatch(r"@[\w.\-]+", character.handle) or character.handle.casefold() in handles:
            raise InputError(f"{character.name}: handle {character.handle!r} must be unique and look like @name", path=where, line=line)
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", character.color):
            raise InputError(f"{character.name}: colour {character.color!r} must look like #rrggbb", path=where, line=line)
        names.add(character.name.casefold())
        handles.add(character.handle.casefold())
    return library


def _name_line(text: str, name: str) -> int | None:
    """Return the line where a character's name entry is, when the file text is known."""
    match = re.search(r'"name"\s*:\s*' + re.escape(json.dumps(name)), text) if text else None
    return text.count("\n", 0, match.start()) + 1 if match else None


def _library_file(src: Path) -> Path:
    """Accept a run folder, a bundle folder or the JSON file itself."""
    if src.is_dir():
        path = src / LIBRARY_FILE
        if not path.is_file():
            raise InputError(f"no {LIBRARY_FILE} in this folder", path=str(src))
        return path
    if not src.is_file():
        raise InputError("no such character library", path=str(src))
    return src


def _copy_references(library: CharacterLibrary, src_root: Path, dest_root: Path) -> CharacterLibrary:
    """Copy each reference image that exists under the source into the destination's `characters/`."""
    updated = []
    for character in library.characters:
        refs = []
        for ref in character.reference_images:
            source = _resolve(src_root, ref)
            if source is None:
                continue
            rel = f"{CARDS_DIR}/{safe_name(Path(ref).name, 'reference.png')}"
            target = inside(dest_root, rel)
            if source.resolve() != target:
                atomic_write_bytes(target, source.read_bytes())
            refs.append(rel)
        updated.append(character.model_copy(update={"reference_images": refs}))
    return CharacterLibrary(characters=updated)


def _resolve(root: Path, ref: str) -> Path | None:
    """Find a reference image relative to a library's folder (or its `characters/`)."""
    for candidate in (root / ref, root / CARDS_DIR / Path(ref).name):
        try:
            inside(root, str(candidate.relative_to(root)))
        except (InputError, ValueError):
            continue
        if candidate.is_file():
            return candidate
    return None


def export_library(src_run_or_file: Path, dest: Path) -> CharacterLibrary:
    """Copy a library and its reference images out of a run, as a folder or a `.json` file.

    `dest` ending in `.json` writes that file with the images in `characters/` beside it;
    any other `dest` is a folder that gets `characters.json` and `characters/`.
    """
    path = _library_file(src_run_or_file)
    library = load_library(path)
    root, target = (dest.parent, dest) if dest.suffix.casefold() == ".json" else (dest, dest / LIBRARY_FILE)
    root.mkdir(parents=True, exist_ok=True)
    exported = fingerprinted(_copy_references(library, path.parent, root))
    write_json(target, exported)
    log.info("library_exported", characters=len(exported.characters), dest=str(target))
    return exported


def import_library(src: Path, project_dir: Path) -> CharacterLibrary:
    """Bring a library into a project folder, merged over the one there (imported entries win).

    The cast's canonical looks, handles, colours and reference images come along; per-day looks
    stay behind, because story days belong to the script they were read from. The next
    `filmcrew plan --out PROJECT_DIR` builds on this library (see `build_library(base=...)`).
    """
    path = _library_file(src)
    incoming = _copy_references(load_library(path), path.parent, project_dir)
    incoming = CharacterLibrary(characters=[c.model_copy(update={"looks": []}) for c in incoming.characters])
    existing_path = project_dir / LIBRARY_FILE
    existing = load_library(existing_path) if existing_path.is_file() else CharacterLibrary()
    names = {c.name.casefold() for c in incoming.characters}
    kept = [c for c in existing.characters if c.name.casefold() not in names]
    merged = fingerprinted(validate_library(CharacterLibrary(characters=[*incoming.characters, *kept]), str(path)))
    write_json(inside(project_dir, LIBRARY_FILE), merged)
    log.info("library_imported", characters=len(incoming.characters), project=str(project_dir))
    return merged


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

    Only empty or thin fields are filled; per-day looks stay the script's. Returns notes on what
    changed (or why nothing did) for `run.json`.
    """
    library = build_looks(sp, breakdown, library)
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
