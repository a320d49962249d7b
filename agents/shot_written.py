"""Shots the writer asked for: `CLOSE ON`, `INSERT:`, `EXTREME CLOSE-UP`, `WIDE ON` opening an
action paragraph, and camera moves written into it (`we CRANE UP`, `TILT UP`, `PUSH IN`).

A spec script rarely directs the camera, so when it does the direction is part of the story:
the shot list carries it as written, at the priority of a shot the scene cannot lose, and the
rest of the coverage is planned around it.
"""

from __future__ import annotations

import re

from filmcrew.agents.shot_beats import Beat, SceneReading
from filmcrew.agents.shot_drafts import Draft, draft_shot, first_sentence
from filmcrew.agents.shot_styles import ShotSettings

# A direction opening a paragraph, and the size it asks for.
_OPENERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:EXTREME\s+CLOSE[\s-]?UP|ECU|EXTREME\s+CLOSE)(?:\s+(?:ON|OF))?\b[\s:.-]*"), "ECU"),
    (re.compile(r"^(?:CLOSE[\s-]?UP|CLOSE|TIGHT)(?:\s+(?:ON|OF|SHOT))\b[\s:.-]*|^CLOSE[\s-]?UP\b[\s:.-]+"), "CU"),
    (re.compile(r"^INSERT\b(?:\s+(?:ON|OF))?[\s:.-]+"), "INSERT"),
    (re.compile(r"^(?:WIDE|WIDE\s+SHOT|WIDE\s+ANGLE)(?:\s+(?:ON|OF))?\b[\s:.-]+"), "WS"),
    (re.compile(r"^(?:MEDIUM\s+SHOT|MEDIUM)(?:\s+(?:ON|OF))?\b[\s:.-]+"), "MS"),
)
# Camera moves written in capitals, said of the camera (`we CRANE UP`, `CAMERA PANS`) or with
# their direction (`TILT DOWN`); a lone `CRANE` or `PAN` may be a bird or a frying pan.
_BY_CAMERA = r"(?:\b[Ww][Ee]\s+|\bCAMERA\s+|\b[Tt]he\s+camera\s+)"
_OPENS = r"(?:^|(?<=[.!?] )|(?<=[.!?]  ))"  # a move that opens a sentence is the camera's
_MOVES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"{_BY_CAMERA}(?:CRANE|BOOM)S?\b|\b(?:CRANE|BOOM|JIB)S?\s+(?:UP|DOWN|OVER|ABOVE)\b"), "crane/jib"),
    (re.compile(rf"{_BY_CAMERA}TILTS?\b|\bTILTS?\s+(?:UP|DOWN)\b"), "tilt"),
    (re.compile(r"\bWHIP[\s-]PANS?\b"), "whip pan"),
    (re.compile(rf"{_BY_CAMERA}PANS?\b|\bPANS?\s+(?:TO|WITH|ACROSS|LEFT|RIGHT|UP|DOWN|OVER)\b"), "pan"),
    (re.compile(rf"(?:{_BY_CAMERA}|{_OPENS})(?:PUSH|DOLLY|MOVE|TRACK)(?:ES|S)?\s+IN\b"), "dolly in"),
    (re.compile(rf"(?:{_BY_CAMERA}|{_OPENS})(?:PULL|DOLLY|TRACK)S?\s+(?:BACK|OUT)\b"), "dolly out"),
    (re.compile(rf"{_BY_CAMERA}ZOOMS?\b|\bZOOMS?\s+(?:IN|OUT)\b"), "zoom"),
    (re.compile(r"\b(?:TRACK|TRACKING|FOLLOW)S?\s+(?:WITH|ALONGSIDE)\b"), "steadicam/gimbal"),
)
WRITTEN_PRIORITY = 0.5


def written_shots(reading: SceneReading, settings: ShotSettings) -> list[Draft]:
    """Draft a shot for every action paragraph that opens with a camera direction or writes
    a camera move."""
    drafts: list[Draft] = []
    for beat in reading.beats:
        if beat.kind != "action":
            continue
        size, rest = _opening(beat.text)
        move = written_move(beat.text)
        if size or move:
            drafts.append(_draft(reading, settings, beat, size, rest, move))
    return drafts


def written_move(text: str) -> str:
    """The camera move a paragraph writes in capitals (`we CRANE UP`), or ''."""
    return next((move for pattern, move in _MOVES if pattern.search(text)), "")


def _opening(text: str) -> tuple[str, str]:
    """The size a paragraph's opening direction asks for and the text after it, or ('', text)."""
    stripped = text.lstrip()
    for pattern, size in _OPENERS:
        found = pattern.match(stripped)
        if found and stripped[found.end():].strip():
            return size, stripped[found.end():].strip()
    return "", text


def _draft(reading: SceneReading, settings: ShotSettings, beat: Beat, size: str, what: str, move: str) -> Draft:
    """One written shot. A direction (`size`) frames the people it names (`CLOSE ON Edward`) or,
    naming no one, the thing it shows; a written move alone frames the paragraph's people."""
    if size:
        subjects = list(dict.fromkeys(_named_in(first_sentence(what), [*beat.characters, *reading.cast])))
    else:
        size, subjects = "WS", list(beat.characters)
    if subjects and size != "INSERT":
        kind = {1: "single", 2: "two-shot"}.get(len(subjects), "group")
    elif size in ("INSERT", "CU", "ECU"):  # a thing seen close: the style's insert size
        kind, size, subjects = "insert", settings.preset.insert_size, []
    else:  # a wider view of no one in particular
        kind, subjects = "cutaway", []
    label = "As written" + (f", {move}" if move else "")
    shot = draft_shot(reading, size, kind, subjects, beat.lines, f"{label}: {first_sentence(what)}")
    return Draft(shot, WRITTEN_PRIORITY, "written", movement=move)


def _named_in(text: str, people: list[str]) -> list[str]:
    """The people whose name (or its first word) the text holds, in the paragraph's order."""
    folded = text.casefold()
    return [p for p in people if re.search(rf"\b{re.escape(p.casefold().split()[0])}\b", folded)]
