"""Deterministic long screenplays for the crew benchmarks, built from the example scripts.

`feature_text(n)` cycles through the scenes of `examples/*.fountain` (sorted by file name),
drops their `#n#` scene numbers so the script numbers scenes 1..n itself, and gives every
sentence line of every copy a distinct tail ("Beat 17."). Scene contents therefore differ
(no provider cache or per-text cache can serve a repeated scene as free), while the cast and
the props keep the examples' spelling, so the character library stays the examples' size.
`edit_scene(text, k)` changes one line of scene k (action or dialogue), the smallest edit a writer makes.

    from benchmarks.feature_script import write_feature, edit_scene
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

_HEADING = re.compile(r"^(?:INT|EXT|EST|I/E|INT\./EXT)[./ ].*$", re.M)
_NUMBER = re.compile(r"[ \t]*#[\w.\-]+#[ \t]*$", re.M)
_SENTENCE_LINE = re.compile(r"(?m)^([A-Z][a-z][^\n]*[.!?])$")


def example_scenes(folder: Path = EXAMPLES) -> list[str]:
    """Split every example script into scene texts (a heading up to the next heading)."""
    scenes: list[str] = []
    for path in sorted(folder.glob("*.fountain")):
        text = _NUMBER.sub("", path.read_text(encoding="utf-8"))
        starts = [m.start() for m in _HEADING.finditer(text)]
        ends = [*starts[1:], len(text)]
        scenes.extend(text[a:b].strip() + "\n" for a, b in zip(starts, ends, strict=True))
    if not scenes:
        raise FileNotFoundError(f"no scenes found in {folder}/*.fountain")
    return scenes


def feature_text(count: int, title: str = "Benchmark Feature") -> str:
    """Return a Fountain script of `count` scenes whose scenes all differ in text."""
    pool = example_scenes()
    parts = [f"Title: {title}\nCredit: Written by\nAuthor: filmcrew benchmarks\n"]
    for index in range(count):
        scene = pool[index % len(pool)]
        parts.append(_SENTENCE_LINE.sub(lambda m, i=index: f"{m.group(1)} Beat {i + 1}.", scene))
    return "\n".join(parts)


def write_feature(path: Path, count: int) -> Path:
    """Write `feature_text(count)` to `path` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(feature_text(count), encoding="utf-8")
    return path


def edit_scene(text: str, scene: int) -> str:
    """Change one line of scene `scene` (1-based): append a sentence to its first
    tagged sentence line. Raises ValueError when the scene has no such line."""
    marker = f" Beat {scene}."
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.rstrip("\n").endswith(marker):
            lines[number] = line.rstrip("\n") + " A gull cries somewhere outside.\n"
            return "".join(lines)
    raise ValueError(f"scene {scene} has no tagged action line to edit")
