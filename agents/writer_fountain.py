"""Fountain the writer can trust: a model's reply is cleaned, checked by filmcrew's own parser,
split into scene blocks, spliced by scene edits, and compared scene by scene.

Models are good at screenplays and loose about format: they wrap answers in code fences, add
title pages, forget the time of day or the blank line after a heading. `problems_of` turns
every such slip into a sentence the model can act on (with the line number in its own reply),
which is what the writer's bounded feedback loop sends back. Scene edits are spliced into the
source text block by block, so a scene nobody touched keeps its exact text, hence its
fingerprint, and later stages reuse everything planned for it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from filmcrew.agents.breakdown import scene_fingerprint
from filmcrew.agents.writer_models import SceneChange, SceneEdit, ScriptDiff
from filmcrew.domain import Screenplay
from filmcrew.tools.fountain import parse

_FENCE = re.compile(r"\A```[\w-]*[ \t]*\n(.*?)\n?```\s*\Z", re.S)
_PREAMBLE_OK = frozenset({"section", "synopsis", "note", "page_break", "transition", "centered"})
_OPENERS = frozenset({"FADE IN:", "FADE IN.", "FADE IN"})


@dataclass(frozen=True)
class Blocks:
    """A screenplay's source text cut into what precedes the first scene and one block per scene."""

    head: str
    scenes: list[str]


def clean_reply(text: str) -> str:
    """Drop a code fence and stray whitespace around a model's Fountain answer."""
    body = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    match = _FENCE.match(body)
    if match:
        body = match.group(1).strip()
    return body + "\n" if body else ""


def numbered(text: str) -> str:
    """Prefix every line with its number, so parser messages can point into the text."""
    return "\n".join(f"{i:>4}| {line}" for i, line in enumerate(text.split("\n"), start=1))


def problems_of(text: str, *, expect_scenes: int | None = None) -> tuple[Screenplay, list[str]]:
    """Parse scenes-only Fountain and list every problem a writer must fix, one sentence each."""
    sp = parse(text, "reply")
    problems: list[str] = []
    headed = [s for s in sp.scenes if s.heading is not None]
    if not headed:
        problems.append("no scene headings: every scene must start with a line such as `INT. KITCHEN - NIGHT` "
                        "or `EXT. ROOF - DAY`, with a blank line before and after it")
    if sp.title_page:
        problems.append("line 1: a title page (`Key: value` lines); answer with the scenes only")
    problems.extend(_preamble_problems(sp))
    problems.extend(f"line {w.line}: {w.message}" for w in sp.warnings)
    problems.extend(_heading_problems(sp))
    if expect_scenes is not None and headed and len(headed) != expect_scenes:
        problems.append(f"found {len(headed)} scenes but the beat sheet has {expect_scenes} beats: "
                        "write exactly one scene per beat, in order")
    return sp, problems


def _preamble_problems(sp: Screenplay) -> list[str]:
    """Flag story text before the first scene heading (it would belong to no scene)."""
    loose = [s for s in sp.scenes if s.heading is None]
    if not loose:
        return []
    for element in sp.scene_elements(loose[0]):
        if element.kind in _PREAMBLE_OK or element.text.strip().upper() in _OPENERS:
            continue
        first = element.text.strip().split("\n")[0][:60]
        return [f"line {element.start_line}: text before the first scene heading (`{first}`); "
                "start with a scene heading"]
    return []


def _heading_problems(sp: Screenplay) -> list[str]:
    """Flag headings without a location or a time of day, and scenes with nothing in them."""
    problems: list[str] = []
    for scene in sp.scenes:
        if scene.heading is None:
            continue
        text = scene.heading.text
        if not scene.heading.location:
            problems.append(f"line {scene.start_line}: scene heading `{text}` has no location")
        elif not scene.heading.time_of_day:
            problems.append(f"line {scene.start_line}: scene heading `{text}` has no time of day; "
                            "end it with ` - DAY` or ` - NIGHT`")
        if scene.end_element - scene.first_element <= 1:
            problems.append(f"line {scene.start_line}: scene `{text}` is empty")
    return problems


# --- scene blocks ------------------------------------------------------------------------


def split_blocks(text: str) -> Blocks:
    """Cut source text at its scene headings; the head keeps the title page and anything before."""
    sp = parse(text, "draft")
    lines = text.split("\n")
    starts = [s.start_line for s in sp.scenes if s.heading is not None]
    if not starts:
        return Blocks(head=text, scenes=[])
    bounds = [*starts, len(lines) + 1]
    scenes = ["\n".join(lines[a - 1:b - 1]) for a, b in zip(bounds, bounds[1:])]
    return Blocks(head="\n".join(lines[:starts[0] - 1]), scenes=scenes)


def join_blocks(head: str, scenes: list[str]) -> str:
    """Put a head and scene blocks back together with one blank line between blocks."""
    parts = [head.strip("\n")] if head.strip() else []
    parts.extend(block.strip("\n") for block in scenes if block.strip())
    return "\n\n".join(parts) + "\n"


def scene_outline(text: str) -> str:
    """Lay a screenplay out with a marker line before each scene, for prompts that cite scenes."""
    blocks = split_blocks(text)
    return "\n\n".join(f"----- scene {i} -----\n{block.strip()}" for i, block in enumerate(blocks.scenes, start=1))


# --- edits -------------------------------------------------------------------------------


def apply_edits(text: str, edits: list[SceneEdit]) -> tuple[str, list[str]]:
    """Splice scene edits into a screenplay; return the new text, or the old one and the problems."""
    blocks = split_blocks(text)
    count = len(blocks.scenes)
    problems: list[str] = []
    touched: set[int] = set()
    for index, edit in enumerate(edits, start=1):
        problems.extend(_edit_problems(index, edit, count, touched))
    if problems:
        return text, problems
    result = join_blocks(blocks.head, _spliced(blocks.scenes, edits))
    if not split_blocks(result).scenes:
        return text, ["the edits leave no scene at all; keep at least one scene"]
    return result, []


def _edit_problems(index: int, edit: SceneEdit, count: int, touched: set[int]) -> list[str]:
    """Check one edit: its scene number, that it does not clash, and its Fountain."""
    where = f"edit {index} ({edit.op} scene {edit.scene})"
    low = 0 if edit.op == "insert_after" else 1
    if not low <= edit.scene <= count:
        return [f"{where}: the draft has scenes 1 to {count}"]
    if edit.op != "insert_after":
        if edit.scene in touched:
            return [f"{where}: scene {edit.scene} is already replaced or deleted by an earlier edit"]
        touched.add(edit.scene)
    if edit.op == "delete":
        return []
    _, problems = problems_of(clean_reply(edit.fountain))
    return [f"{where}: {p}" for p in problems]


def _spliced(scenes: list[str], edits: list[SceneEdit]) -> list[str]:
    """Build the new scene list: kept blocks verbatim, replacements and inserts cleaned."""
    replaced = {e.scene: clean_reply(e.fountain) for e in edits if e.op == "replace"}
    deleted = {e.scene for e in edits if e.op == "delete"}
    inserts: dict[int, list[str]] = {}
    for edit in edits:
        if edit.op == "insert_after":
            inserts.setdefault(edit.scene, []).append(clean_reply(edit.fountain))
    out: list[str] = list(inserts.get(0, []))
    for number, block in enumerate(scenes, start=1):
        if number not in deleted:
            out.append(replaced.get(number, block))
        out.extend(inserts.get(number, []))
    return out


# --- diff --------------------------------------------------------------------------------


def _fingerprints(sp: Screenplay) -> list[tuple[str, int, str]]:
    """Fingerprint, number and heading of every scene with a heading."""
    return [(scene_fingerprint(sp, s), s.number, s.heading.text if s.heading else "")
            for s in sp.scenes if s.heading is not None]


def diff_scripts(old: str, new: str) -> ScriptDiff:
    """Compare two versions scene by scene (by content fingerprint) and as unified text."""
    before = _fingerprints(parse(old, "before"))
    after = _fingerprints(parse(new, "after"))
    matcher = difflib.SequenceMatcher(None, [f for f, _, _ in before], [f for f, _, _ in after], autojunk=False)
    changes: list[SceneChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changes.extend(_changes(tag, before[i1:i2], after[j1:j2]))
    unified = "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                           "before", "after", n=2))
    return ScriptDiff(scenes=changes, unified=unified)


def _changes(tag: str, old: list[tuple[str, int, str]], new: list[tuple[str, int, str]]) -> list[SceneChange]:
    """Turn one opcode of the scene matcher into scene changes."""
    if tag == "equal":
        return [SceneChange(status="unchanged", old=o[1], new=n[1], heading=n[2]) for o, n in zip(old, new)]
    paired = min(len(old), len(new)) if tag == "replace" else 0
    out = [SceneChange(status="changed", old=o[1], new=n[1], heading=n[2]) for o, n in zip(old[:paired], new[:paired])]
    out.extend(SceneChange(status="removed", old=o[1], heading=o[2]) for o in old[paired:])
    out.extend(SceneChange(status="added", new=n[1], heading=n[2]) for n in new[paired:])
    return out
