"""A user's wardrobe decision applied to the character library ("Maya wears the red coat all day").

The library's per-day looks are where wardrobe lives: the storyboard draws them and the
continuity checker compares scenes against them. An edit puts the named items on for every
look of the story day (or every day, and the signature outfit, when no day is named),
replacing what sat in the same slot: a new coat replaces the old coat, a scarf is added.
"""

from __future__ import annotations

from filmcrew.agents.character_looks import garment_noun, garment_slot
from filmcrew.agents.characters import edit_character
from filmcrew.chat.journal import WardrobeEdit
from filmcrew.domain import Breakdown, Character, CharacterLibrary, Look
from filmcrew.errors import InputError

_LOOSE_SLOTS = ("accessory", "other")


def _same_place(worn: str, new: str) -> bool:
    """Say whether a new item takes the place of one already worn."""
    if garment_noun(worn).casefold() == garment_noun(new).casefold():
        return True
    slot = garment_slot(new)
    return slot not in _LOOSE_SLOTS and garment_slot(worn) == slot


def put_on(outfit: list[str], items: list[str]) -> list[str]:
    """Dress an outfit in new items, dropping what they replace."""
    kept = [worn for worn in outfit if not any(_same_place(worn, item) for item in items)]
    seen: set[str] = set()
    result = []
    for piece in [*items, *kept]:
        if piece.casefold() not in seen:
            seen.add(piece.casefold())
            result.append(piece)
    return result


def apply_wardrobe(library: CharacterLibrary, sheet: Breakdown, edit: WardrobeEdit) -> CharacterLibrary:
    """Return the library with one wardrobe edit applied (InputError naming what is wrong)."""
    character = library.get(edit.character)
    if character is None:
        names = ", ".join(c.name for c in library.characters) or "nobody yet"
        raise InputError(f"no character {edit.character!r} in the library ({names})")
    items = [w.strip() for w in edit.wardrobe if w.strip()]
    if not items:
        raise InputError(f"say what {character.name} wears")
    looks = _dressed_looks(character, sheet, edit.story_day, items)
    changes: dict[str, object] = {"looks": looks}
    if not edit.story_day:
        changes["signature_wardrobe"] = put_on(character.signature_wardrobe, items)
    return edit_character(library, character.name, changes)


def _days_of(character: Character, sheet: Breakdown) -> dict[int, list[int]]:
    """Map each story day to the scenes the character is in that day."""
    days: dict[int, list[int]] = {}
    for scene in sheet.scenes:
        if character.name in scene.characters:
            days.setdefault(scene.story_day, []).append(scene.number)
    return days


def _dressed_looks(character: Character, sheet: Breakdown, day: int, items: list[str]) -> list[Look]:
    """Put the items on in every look of the day (or of every day), adding a look where none is."""
    days = _days_of(character, sheet)
    if day and day not in days:
        raise InputError(f"{character.name} is in no scene of story day {day} "
                         f"(days with {character.name}: {', '.join(map(str, sorted(days))) or 'none'})")
    looks = [look.model_copy(deep=True) for look in character.looks]
    note = f"wardrobe set in chat: {', '.join(items)}"
    for number in [day] if day else sorted(days):
        of_day = [look for look in looks if look.story_day == number]
        if not of_day:
            of_day = [Look(story_day=number, wardrobe=list(character.signature_wardrobe), scenes=days[number])]
            looks.extend(of_day)
        for look in of_day:
            look.wardrobe = put_on(look.wardrobe, items)
            look.notes = note
    return sorted(looks, key=lambda look: (look.story_day or 0, look.scenes[:1]))
