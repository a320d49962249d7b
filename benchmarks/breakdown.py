"""Breakdown benchmark: time `break_down` on a feature-length script (target: 190 scenes < 100 ms).

Builds a script of N scenes by cycling through the scenes of the example screenplays. Every
copy of an action paragraph gets a distinct tail ("Beat 7.") and every prop/character keeps its
spelling, so no per-text cache can serve a repeat and the cast stays the size of the examples'.
The breakdown module's caches are cleared before each timed run (a cold run, as in `plan`).
Run from the repository root:

    .venv/bin/python benchmarks/breakdown.py [--scenes 190] [--repeat 15]
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import time
from pathlib import Path

import structlog

from filmcrew.agents import breakdown_cast, breakdown_days, breakdown_scene, breakdown_text
from filmcrew.agents.breakdown import break_down
from filmcrew.domain import Screenplay
from filmcrew.tools.fountain import parse

ROOT = Path(__file__).resolve().parents[1]
_HEADING = re.compile(r"^(?:INT|EXT|EST|I/E)[./ ]", re.M)
_NUMBER = re.compile(r"\s*#[\w.\-]+#[ \t]*$", re.M)
_SENTENCE_LINE = re.compile(r"(?m)^([A-Z][a-z][^\n]*[.!?])$")


def scenes_of(path: Path) -> list[str]:
    """Split an example script into scene texts (heading to the next heading)."""
    text = _NUMBER.sub("", path.read_text(encoding="utf-8"))
    starts = [m.start() for m in _HEADING.finditer(text)]
    return [text[a:b].strip() + "\n" for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def build_script(count: int) -> Screenplay:
    """Build and parse a script of `count` scenes whose action paragraphs are all distinct."""
    pool = [s for path in sorted((ROOT / "examples").glob("*.fountain")) for s in scenes_of(path)]
    parts = ["Title: Benchmark\n"]
    for index in range(count):
        scene = pool[index % len(pool)]
        parts.append(_SENTENCE_LINE.sub(lambda m, i=index: f"{m.group(1)} Beat {i}.", scene))
    return parse("\n".join(parts), "benchmark.fountain")


def cold_run(sp: Screenplay) -> tuple[float, float]:
    """Clear the breakdown's text caches and time one breakdown: (wall, CPU) seconds.

    CPU time is reported too because wall time on a busy machine measures the neighbours.
    """
    breakdown_text.vocabulary.cache_clear()
    breakdown_text.skip_zones.cache_clear()
    breakdown_days.clauses.cache_clear()
    breakdown_scene.letter_runs.cache_clear()
    breakdown_cast.character_key.cache_clear()
    breakdown_cast.cue_name.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    break_down(sp)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    """Parse arguments, build the script, print median and best times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=190)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    sp = build_script(args.scenes)
    runs = [cold_run(sp) for _ in range(args.repeat)]
    words = sum(len(e.text.split()) for e in sp.elements)
    print(f"break_down: {len(sp.scenes)} scenes, {words} words, {len(sp.elements)} elements")  # noqa: T201
    for label, times in (("wall", [w for w, _ in runs]), ("cpu", [c for _, c in runs])):
        median, best = statistics.median(times) * 1000, min(times) * 1000
        print(f"  {label}: median {median:.1f} ms, best {best:.1f} ms")  # noqa: T201


if __name__ == "__main__":
    main()
