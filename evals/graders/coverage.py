"""Dialogue-line coverage: every line of dialogue is in some shot, and that shot sees the speaker.

Read from the screenplay itself (not from the planner's own checks): each dialogue element of
each scene, under its cue. `dialogue` is the share of dialogue lines some shot of the same scene
lists in `lines`. `speakers` is the share of on-screen speeches covered by at least one shot
whose subjects include the speaker (names folded through the character library, so an alias
counts); speeches marked V.O. / O.S. / O.C. are heard, not seen, and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from filmcrew.domain import CharacterLibrary, Screenplay, Shot
from filmcrew.evals.scoring import CaseRun, Score, ratio

OFFSCREEN = frozenset({"V.O.", "O.S.", "O.C.", "VO", "OS", "OC"})


@dataclass(frozen=True)
class Speech:
    """One speech: who says it, where, and whether they are seen."""

    scene: int
    speaker: str
    lines: tuple[int, ...]
    offscreen: bool


def speeches(sp: Screenplay) -> list[Speech]:
    """List every speech of the script with its dialogue lines, scene by scene."""
    found: list[Speech] = []
    for scene in sp.scenes:
        cue, off = "", False
        for element in sp.scene_elements(scene):
            if element.kind == "character":
                cue = element.text.strip()
                off = any(e.strip().upper() in OFFSCREEN for e in element.extensions)
            elif element.kind in ("dialogue", "lyric") and element.text.strip() and cue:
                lines = tuple(range(element.start_line, element.end_line + 1))
                found.append(Speech(scene.number, cue, lines, off))
    return found


def _key(name: str, library: CharacterLibrary | None) -> str:
    """Fold a name onto its character (aliases included), case-insensitively."""
    character = library.get(name) if library else None
    return (character.name if character else name).casefold()


def _covering(speech: Speech, shots: list[Shot]) -> list[Shot]:
    """The shots of the speech's scene that list any of its lines."""
    wanted = set(speech.lines)
    return [s for s in shots if s.scene == speech.scene and wanted & set(s.lines)]


def grade(run: CaseRun) -> list[Score]:
    """Score dialogue-line coverage and speakers seen."""
    if run.status != "done" or run.screenplay is None or run.shotlist is None:
        return []
    shots, library = run.shotlist.shots, run.library
    all_lines, covered, missed = 0, 0, []
    seen, onscreen, unseen = 0, 0, []
    for speech in speeches(run.screenplay):
        by_line = {n: any(n in s.lines for s in shots if s.scene == speech.scene) for n in speech.lines}
        all_lines += len(by_line)
        covered += sum(by_line.values())
        missed += [f"scene {speech.scene} line {n} ({speech.speaker}): no shot covers it"
                   for n, ok in by_line.items() if not ok]
        if speech.offscreen:
            continue
        onscreen += 1
        who = _key(speech.speaker, library)
        if any(who in {_key(n, library) for n in s.subjects} for s in _covering(speech, shots)):
            seen += 1
        else:
            unseen.append(f"scene {speech.scene} line {speech.lines[0]}: no covering shot shows {speech.speaker}")
    return [ratio("dialogue", covered, all_lines, missed), ratio("speakers", seen, onscreen, unseen)]
