"""The authored director of photography: a hand-written answer function for shot-plan requests.

Built-in eval cases need model answers without a live model, so the team writes them: some
scenes as plans typed into a case's `answers.json`, the rest by this function, which reads the
request the shot planner sends (the numbered scene text and the cast) and answers the way a
plain-spoken DP would: an establishing wide for exteriors, a master, an over-the-shoulder on
each speaker's first line and clean singles after, a listener's reaction to a voice off
screen, inserts on props written in CAPS, and for vertical episodes a hook shot first. It
never reads the crew's rule draft in the prompt, so the answers are a second opinion rather
than a copy of the rules.

Answers can be made deliberately flawed (`flaws` in answers.json) to exercise the crew's
repair path: the first answer breaks a rule, the repair answer is clean (or, for a `stubborn`
scene, broken again, so the crew keeps its rule draft).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ROW = re.compile(r"^\s*(\d+) \|(?: (.*))?$")
INDENTS = {20: "cue", 15: "paren", 10: "dialogue"}
OFFSCREEN = ("V.O.", "O.S.", "O.C.", "VOICE")
HEADING = re.compile(r"^(INT|EXT|EST|I/E|INT\./EXT)[ .]", re.IGNORECASE)
TRANSITION = re.compile(r"^>?\s*[^a-z]*\b(?:CUT|FADE|DISSOLVE|SMASH|WIPE|BLACK)\b[^a-z]*[:.]?$")
PROP = re.compile(r"\b[A-Z][A-Z'-]{2,}(?: [A-Z][A-Z'-]{2,})*\b")
NOT_PROPS = frozenset({"INT", "EXT", "DAY", "NIGHT", "CONTINUOUS", "LATER", "CUT", "FADE", "SMASH",
                       "BLACK", "V.O", "O.S", "CONT'D", "MOMENTS", "DAWN", "DUSK", "MORNING", "EVENING"})
FLAWS = ("skip_speech", "stranger", "bad_line", "off_vocab")


@dataclass
class Row:
    """One numbered line of the scene as the request shows it."""

    line: int
    kind: str
    text: str


@dataclass
class Speech:
    """A cue and the parenthetical and dialogue rows under it."""

    speaker: str
    offscreen: bool
    lines: list[int]
    text: str


@dataclass
class SceneAsk:
    """What a shot-plan request says about its scene."""

    heading: str
    aspect: str
    cast: list[str]
    voices: list[str]
    rows: list[Row]
    speeches: list[Speech] = field(default_factory=list)

    @property
    def vertical(self) -> bool:
        """Say whether the delivery is a vertical (phone) frame."""
        return self.aspect in ("9:16", "4:5")


def _section(prompt: str, start: str, end: str) -> str:
    """Return the text between two markers of the rendered prompt ('' when absent)."""
    _, found, rest = prompt.partition(start)
    if not found:
        return ""
    return rest.split(end, 1)[0].strip("\n")


def _rows(scene_text: str) -> list[Row]:
    """Read numbered rows; the indent tells cue, parenthetical and dialogue from action."""
    rows: list[Row] = []
    for raw in scene_text.split("\n"):
        match = ROW.match(raw)
        if not match or not (match.group(2) or "").strip():
            continue
        body = match.group(2)
        indent = len(body) - len(body.lstrip(" "))
        kind = INDENTS.get(indent, "action")
        if not rows and kind == "action" and HEADING.match(body.strip()):
            kind = "heading"
        elif kind == "action" and TRANSITION.match(body.strip()):
            kind = "transition"
        rows.append(Row(int(match.group(1)), kind, body.strip()))
    return rows


def _speeches(rows: list[Row], voices: list[str]) -> list[Speech]:
    """Group each cue with its parenthetical and dialogue rows."""
    speeches: list[Speech] = []
    for row in rows:
        if row.kind == "cue":
            name = re.sub(r"\s*\(.*?\)", "", row.text).strip()
            off = any(tag in row.text.upper() for tag in OFFSCREEN) or name.casefold() in {v.casefold() for v in voices}
            speeches.append(Speech(name, off, [row.line], ""))
        elif row.kind in ("paren", "dialogue") and speeches and speeches[-1].lines[-1] == row.line - 1:
            speeches[-1].lines.append(row.line)
            if row.kind == "dialogue":
                speeches[-1].text = f"{speeches[-1].text} {row.text}".strip()
    return speeches


def _cast(block: str) -> tuple[list[str], list[str]]:
    """Split the request's cast list into people on screen and voices only heard."""
    cast: list[str] = []
    voices: list[str] = []
    for line in block.split("\n"):
        if not line.startswith("- ") or line.startswith("- nobody"):
            continue
        name = re.split(r":| \(", line[2:], maxsplit=1)[0].strip()
        (voices if "(heard only" in line else cast).append(name)
    return cast, voices


def read_request(prompt: str) -> SceneAsk:
    """Read the scene, aspect and cast out of a rendered shot-plan prompt."""
    cast, voices = _cast(_section(prompt, "Cast in this scene:\n", "\n\n"))
    rows = _rows(_section(prompt, "Scene text (source line numbers at the left):\n", "\n\nRule draft"))
    ask = SceneAsk(heading=_section(prompt, "\nScene: ", "\n"), aspect=_section(prompt, "Delivery aspect ratio: ", "\n"),
                   cast=cast, voices=voices, rows=rows)
    ask.speeches = _speeches(rows, voices)
    return ask


def _shot(size: str, kind: str, subjects: list[str], lines: list[int], description: str, *, setup: str,
          lens: str, movement: str = "static", audio: str = "sync", side: str = "neutral", direction: str = "",
          notes: str = "", angle: str = "eye level", custom: list[str] | None = None) -> dict[str, Any]:
    """One planned shot in the ShotPlan shape."""
    return {"size": size, "type": kind, "angle": angle, "movement": movement, "lens": lens,
            "subjects": subjects, "description": description, "lines": sorted(set(lines)), "audio": audio,
            "setup": setup, "screen_side": side, "direction": direction, "notes": notes, "custom": custom or []}


def _props(ask: SceneAsk) -> list[tuple[str, int]]:
    """Props written in CAPS in action rows (not the cast, not heading words), first mention each."""
    people = {n.casefold() for n in [*ask.cast, *ask.voices]}
    people |= {part.casefold() for n in ask.cast for part in n.split()}
    seen: dict[str, int] = {}
    for row in ask.rows:
        if row.kind != "action":
            continue
        for word in PROP.findall(row.text):
            key = word.strip()
            if key.casefold() in people or key in NOT_PROPS or any(p in key.casefold() for p in people):
                continue
            seen.setdefault(key, row.line)
    return sorted(seen.items(), key=lambda item: item[1])[:2]


def _opening(ask: SceneAsk, first_scene: bool) -> list[dict[str, Any]]:
    """A hook for a vertical episode's first scene, an establishing wide for an exterior."""
    action = [r.line for r in ask.rows if r.kind == "action"][:1] or [ask.rows[0].line]
    if ask.vertical and first_scene:
        who = ask.cast[:1]
        return [_shot("CU", "single" if who else "insert", who, action,
                      f"Hook: {who[0] if who else 'the place'} in the first beat, before anything is explained",
                      setup="H", lens="85", notes="HOOK: plays in the first 3 seconds")]
    if ask.heading.upper().startswith("EXT") and not ask.vertical:
        heading_line = [ask.rows[0].line] if ask.rows[0].kind == "heading" else []
        return [_shot("EWS", "establishing", [], heading_line + action, f"{ask.heading}: the place, wide",
                      setup="E", lens="18", audio="MOS")]
    return []


def _master(ask: SceneAsk, skip: set[int]) -> dict[str, Any]:
    """The master: every on-screen person, the whole scene (less any deliberately skipped lines)."""
    lines = [r.line for r in ask.rows if r.kind not in ("heading", "transition") and r.line not in skip]
    kind = "group" if len(ask.cast) >= 3 else ("two-shot" if ask.vertical and len(ask.cast) == 2 else "master")
    size = "MS" if ask.vertical else ("WS" if len(ask.cast) != 1 else "FS")
    long_take = len(ask.rows) >= 30 and not ask.vertical
    names = ", ".join(ask.cast) or "the empty set"
    return _shot(size, kind, list(ask.cast), lines or [ask.rows[0].line], f"Master: {names}, the whole blocking",
                 setup="A", lens="35" if ask.vertical else "24", movement="slow push-in" if long_take else "static",
                 custom=["movement"] if long_take else [])


def _speech_shots(ask: SceneAsk, skip: set[int]) -> list[dict[str, Any]]:
    """Coverage of each speech: OTS on a speaker's first line, singles after, reactions to voices."""
    shots: list[dict[str, Any]] = []
    sides = {name: ("left", "screen right") if i == 0 else ("right", "screen left") for i, name in enumerate(ask.cast[:2])}
    setups = {name: chr(ord("B") + i) for i, name in enumerate(ask.cast)}
    spoken: set[str] = set()
    for speech in ask.speeches:
        if skip & set(speech.lines):
            continue
        quote = " ".join(speech.text.split()[:8])
        listener = next((c for c in ask.cast if c.casefold() != speech.speaker.casefold()), "")
        own = next((c for c in ask.cast if c.casefold() == speech.speaker.casefold()), "")
        if speech.offscreen or not own:
            if ask.cast:
                who = own or listener or ask.cast[0]
                shots.append(_shot("MCU", "reaction", [who], speech.lines, f"{who} hears {speech.speaker}: \"{quote}\"",
                                   setup=setups.get(who, "R"), lens="85", audio="V.O."))
            continue
        side, direction = sides.get(own, ("neutral", ""))
        if own not in spoken and listener and len(ask.cast) == 2:
            shots.append(_shot("MS", "OTS", [own, listener], speech.lines, f"Over {listener}'s shoulder: {own}, \"{quote}\"",
                               setup=setups[own], lens="50", side=side, direction=direction))
        else:
            size = "CU" if speech.text.rstrip().endswith(("?", "!")) else "MCU"
            shots.append(_shot(size, "single", [own], speech.lines, f"{own}: \"{quote}\"", setup=setups[own],
                               lens="85", side=side, direction=direction))
        spoken.add(own)
    return shots


def _inserts(ask: SceneAsk) -> list[dict[str, Any]]:
    """Inserts on the first two props the action writes in CAPS."""
    return [_shot("INSERT", "insert", [], [line], f"The {prop.lower()}", setup="I", lens="100", audio="MOS")
            for prop, line in _props(ask)]


def _flawed(shots: list[dict[str, Any]], ask: SceneAsk, flaw: str) -> list[dict[str, Any]]:
    """Break one rule on purpose (the crew must notice and ask for a repair)."""
    if flaw == "stranger" and shots:
        shots[-1] = {**shots[-1], "subjects": [*shots[-1]["subjects"], "STRANGER"]}
    elif flaw == "bad_line" and shots:
        shots[-1] = {**shots[-1], "lines": [*shots[-1]["lines"], ask.rows[-1].line + 40]}
    elif flaw == "off_vocab" and shots:
        shots[0] = {**shots[0], "movement": "slow push-in", "custom": []}
    return shots


def author_plan(ask: SceneAsk, *, first_scene: bool, flaw: str = "") -> dict[str, Any]:
    """Answer one shot-plan request as the authored DP (with one deliberate flaw when asked)."""
    if not ask.rows:
        raise ValueError("the request shows no scene text")
    onscreen = [s for s in ask.speeches if not s.offscreen]
    skip = set(onscreen[-1].lines) if flaw == "skip_speech" and onscreen else set()
    body = [_master(ask, skip), *_speech_shots(ask, skip), *_inserts(ask)]
    body.sort(key=lambda s: (min(s["lines"]), s["type"] not in ("master", "group", "two-shot")))  # stable
    shots = _flawed([*_opening(ask, first_scene), *body], ask, flaw)
    notes = "Authored plan: master first, an over-the-shoulder on each speaker's first line, singles after."
    return {"notes": notes, "shots": shots}
