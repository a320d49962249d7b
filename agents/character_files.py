"""The character library on disk: fingerprints, loading and checking, export and import.

A user may edit `characters.json` by hand; `load_library` checks it and names the file and line
of a mistake. Fingerprints are computed from content, so an edit shows up even when the stored
`fingerprint` field is left stale. Export and import carry a cast between projects with its
reference images, refusing any path that would leave the folder it belongs in.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import structlog
from pydantic import ValidationError

from filmcrew.domain import Character, CharacterLibrary
from filmcrew.errors import InputError
from filmcrew.files import atomic_write_bytes, inside, safe_name, write_json

log = structlog.get_logger(__name__)

LIBRARY_FILE = "characters.json"
CARDS_DIR = "characters"
# Fields the fingerprint leaves out: derived files and the fingerprint itself.
NOT_FINGERPRINTED = {"fingerprint", "reference_images"}


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
