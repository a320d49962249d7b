"""Drafted shots before framing and timing, and the text helpers every coverage rule shares.

A `Draft` is a shot row plus how much the scene needs it (`priority`, used when a short scene
holds fewer shots than the rules draft) and the rule that made it (`role`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from filmcrew.agents.lexicon import ABBREVIATION_END
from filmcrew.agents.shot_beats import Beat, SceneReading, caps_mention

from filmcrew.domain import Shot

RESERVE = 9.0  # drafts kept only when a speech would otherwise go uncovered
# What a short scene keeps first when its screen time holds fewer shots than the rules draft
# (below 2 is always kept): the opening and master, a moving two-shot, the writer's CAPS props,
# singles, then OTS, reactions the text calls for, the two-shot, moves, POVs, buttons.
PRIORITY: dict[str, float] = {
    "walk": 1.5,
    "insert": 1.8,
    "chase": 1.9,
    "single": 2.0,
    "ots": 2.5,
    "reaction": 2.8,
    "two-shot": 3.0,
    "follow": 3.2,
    "image": 3.3,
    "pov": 3.4,
    "button": 3.5,
    "entrance": 3.6,
    "punch": 3.7,
    "close": 3.8,
    "cliffhanger": 1.9,
}
CLOSE_ROLES = frozenset({"reaction", "punch", "close"})


@dataclass
class Draft:
    """A shot before ids, framing and durations, and how much the scene needs it (0: must keep)."""

    shot: Shot
    priority: float
    role: str  # what the rule made it for: hook, establishing, master, ots, single, ...
    movement: str = ""  # a camera move the script itself writes (`we CRANE UP`), kept as written


def draft_shot(
    reading: SceneReading,
    size: str,
    kind: str,
    subjects: list[str],
    lines: list[int],
    description: str,
) -> Shot:
    """Build a draft shot row for this scene."""
    scene = reading.scene
    return Shot(
        shot_id="",
        scene=scene.number,
        size=size,
        type=kind,
        subjects=subjects,
        lines=sorted(set(lines)),
        description=description,
        int_ext=scene.int_ext,
        location=scene.location,
        time_of_day=scene.time_of_day,
    )


def first_sentence(text: str, limit: int = 110) -> str:
    """Return a beat's first sentence without asides in brackets, trimmed for a shot-list cell."""
    text = " ".join(re.sub(r"\s*\([^)]*\)", "", text).split()) or text
    ends = (m.end() for m in re.finditer(r"[.!?](?=\s|$)", text) if not ABBREVIATION_END.search(text[: m.end()]))
    sentence = text[: next(ends, len(text))].strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def quoted(text: str, limit: int = 60) -> str:
    """Quote a line's first sentence for a description (quotes inside the line dropped)."""
    return '"' + first_sentence(text.replace('"', "").strip(), limit) + '"'


def sentence_with(text: str, word: str) -> str:
    """Return the sentence of a beat that mentions a word (the prop an insert shows)."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", sentence, re.I):
            return first_sentence(sentence)
    return first_sentence(text)


def lines_of(beats: list[Beat]) -> list[int]:
    """Return the source lines of some beats."""
    return sorted({n for b in beats for n in b.lines})


def handler(beat: Beat, prop: str) -> list[str]:
    """Return who handles a prop: the first person its sentence involves."""
    if beat.kind != "action":
        return []
    who = next((who for text, who in beat.sentences if caps_mention(text, prop)), [])
    return who[:1]
