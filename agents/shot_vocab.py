"""The shot-list vocabulary of film-grammar.md §2, and checks that a field uses it.

Size and type are closed lists: the storyboard, the continuity checker and the CSV reader all
branch on them. Angle, movement and lens take the listed words, and a custom value where a
cinematographer needs one (a model must say so explicitly; see `shot_model.PlannedShot`).
"""

from __future__ import annotations

import re
from typing import Literal, get_args

Size = Literal["EWS", "WS", "FS", "MWS", "MS", "MCU", "CU", "ECU", "INSERT"]
ShotType = Literal[
    "establishing",
    "master",
    "two-shot",
    "OTS",
    "single",
    "POV",
    "reaction",
    "insert",
    "cutaway",
    "group",
]
Audio = Literal["sync", "MOS", "V.O."]
ScreenSide = Literal["left", "right", "neutral", ""]
Direction = Literal["screen left", "screen right", "toward camera", "away from camera", ""]

SIZES: tuple[str, ...] = get_args(Size)
TYPES: tuple[str, ...] = get_args(ShotType)
AUDIO: tuple[str, ...] = get_args(Audio)
SCREEN_SIDES: tuple[str, ...] = get_args(ScreenSide)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
ANGLES: tuple[str, ...] = ("eye level", "high", "low", "overhead", "worm's eye", "dutch")
MOVEMENTS: tuple[str, ...] = (
    "static",
    "pan",
    "tilt",
    "dolly in",
    "dolly out",
    "truck",
    "pedestal",
    "crane/jib",
    "handheld",
    "steadicam/gimbal",
    "zoom",
    "drone",
    "whip pan",
)
LENS_CLASSES: tuple[str, ...] = ("14-24", "35", "50", "85", "100-135")

# Wide to tight: orders shots that start on the same beat, and tells wides from closes.
SIZE_RANK: dict[str, int] = {size: rank for rank, size in enumerate(SIZES)}
WIDE_SIZES = frozenset({"EWS", "WS"})
CLOSE_SIZES = frozenset({"MCU", "CU", "ECU", "INSERT"})
# Types that hold the whole room rather than one person or object.
WIDE_TYPES = frozenset({"establishing", "master", "group", "two-shot"})

_ANGLE_ALIASES = {
    "bird's eye": "overhead",
    "birds eye": "overhead",
    "eye-level": "eye level",
    "worms eye": "worm's eye",
}
_LENS = re.compile(r"^(\d{1,3})(?:\s*-\s*(\d{1,3}))?(?:\s*mm)?$")


def normalise_angle(value: str) -> str:
    """Map spelling variants (`bird's eye`) onto the vocabulary word."""
    key = value.strip().lower()
    return _ANGLE_ALIASES.get(key, key)


def is_vocab_angle(value: str) -> bool:
    """Say whether an angle is one of the vocabulary words."""
    return normalise_angle(value) in ANGLES


def is_vocab_movement(value: str) -> bool:
    """Say whether a movement is one of the vocabulary words."""
    return value.strip().lower() in MOVEMENTS


def is_vocab_lens(value: str) -> bool:
    """Say whether a lens reads as a 35 mm-equivalent focal length (`50`, `14-24`, `85mm`)."""
    match = _LENS.match(value.strip().lower())
    if match is None:
        return False
    low = int(match.group(1))
    high = int(match.group(2) or low)
    return 8 <= low <= high <= 800


def is_reasonable_custom(value: str) -> bool:
    """Say whether a custom value could be a word a crew writes (short, one line, not empty)."""
    text = value.strip()
    return 0 < len(text) <= 40 and "\n" not in text


def lines_label(lines: list[int]) -> str:
    """Write line numbers as ranges a person reads: `13, 15-17, 20`."""
    parts: list[str] = []
    ordered = sorted(set(lines))
    start = prev = None
    for number in ordered:
        if prev is not None and number == prev + 1:
            prev = number
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = number
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ", ".join(parts)
