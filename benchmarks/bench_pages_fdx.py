"""Time page eighths and FDX write/read on a feature-length script (190 scenes).

Run: `.venv/bin/python benchmarks/bench_pages_fdx.py`. The script is built in code (the same
mix of action, cues, parentheticals and dialogue for every scene, with varied lengths), so the
numbers do not depend on any file. Target: eighths for 190 scenes in a few milliseconds.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from filmcrew.domain import Element, Screenplay
from filmcrew.tools.fdx import read_fdx, write_fdx
from filmcrew.tools.headings import group_scenes
from filmcrew.tools.pages import page_count, scene_eighths

WORDS = (
    "the light turns slowly over black water while she counts the seconds between flashes"
).split()


def _sentence(seed: int, words: int) -> str:
    """A deterministic sentence of `words` words."""
    return " ".join(WORDS[(seed + i * 7) % len(WORDS)] for i in range(words)).capitalize() + "."


def build_script(scenes: int = 190) -> Screenplay:
    """A screenplay of `scenes` scenes, about 20 elements each."""
    elements: list[Element] = []
    line = 1

    def add(kind: str, text: str) -> None:
        nonlocal line
        elements.append(Element(kind=kind, text=text, start_line=line, end_line=line))  # type: ignore[arg-type]
        line += 2

    for n in range(scenes):
        add("scene_heading", f"INT. ROOM {n} - {'DAY' if n % 2 else 'NIGHT'}")
        for beat in range(4):
            add("action", _sentence(n + beat, 12 + (n * beat) % 40))
            add("character", "NORA" if beat % 2 else "DEV")
            if beat == 2:
                add("parenthetical", "(not looking up)")
            add("dialogue", _sentence(n * 3 + beat, 5 + (n + beat) % 30))
        add("transition", "CUT TO:")
    return Screenplay(elements=elements, scenes=group_scenes(elements, line))


def best_ms(func: Callable[[], object], repeat: int = 20) -> tuple[float, float]:
    """Return (best, median) wall time of `func` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> int:
    """Print the timings; exit 1 if eighths take longer than 20 ms (a generous ceiling)."""
    sp = build_script()
    data = write_fdx(sp)
    rows = {
        "scene_eighths": best_ms(lambda: scene_eighths(sp)),
        "page_count": best_ms(lambda: page_count(sp)),
        "write_fdx": best_ms(lambda: write_fdx(sp), 5),
        "read_fdx": best_ms(lambda: read_fdx(data), 5),
    }
    size = f"{len(sp.scenes)} scenes, {len(sp.elements)} elements, {page_count(sp):.1f} pages"
    sys.stdout.write(size + "\n")
    for name, (best, median) in rows.items():
        sys.stdout.write(f"{name:14s} best {best:7.2f} ms  median {median:7.2f} ms\n")
    return 0 if rows["scene_eighths"][0] < 20 else 1


if __name__ == "__main__":
    raise SystemExit(main())
