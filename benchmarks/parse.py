"""Parse benchmark: filmcrew's Fountain parser against screenplain, Jouvence and fountain-tools.

Builds a feature-length screenplay (about 150 KB) by cycling through the example scripts
(title pages dropped, every scene heading renumbered `#1#`, `#2#`, ...), then times each parser
on the same text in the same process and prints median times, scene counts and the ratio to the
fastest peer. Run from the repository root:

    .venv/bin/python benchmarks/parse.py [--size-kb 150] [--repeat 15] [--save script.fountain]

Peers that are not installed are reported and skipped (`pip install -e .[bench]`).
"""

from __future__ import annotations

import argparse
import gc
import io
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "conformance"
_HEADING_LINE = re.compile(r"^(?:(?:INT\.?/EXT|I/E|INT|EXT|EST)[. ]|\.[A-Za-z0-9])", re.IGNORECASE)
_NUMBER = re.compile(r"\s*#[\w.\-]+#\s*$")
_TITLE_LINE = re.compile(r"^[A-Za-z][A-Za-z ]*:")


def material() -> list[str]:
    """Return the bodies of the scripts to build from: examples, else conformance inputs."""
    files = sorted((ROOT / "examples").glob("*.fountain"))
    if sum(f.stat().st_size for f in files) < 4000:
        files += [
            SHARED / "screenplay-tools" / "TestFDX-FD.fountain",
            SHARED / "screenplain" / "simple.fountain",
        ]
    bodies = [_body(f.read_text(encoding="utf-8-sig")) for f in files if f.exists()]
    if not bodies:
        raise SystemExit("no material: need examples/*.fountain or ../shared/conformance")
    return bodies


def _body(text: str) -> str:
    """Drop a title page (leading `Key: value` block) from a script."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and _TITLE_LINE.match(lines[0]):
        while lines and lines[0].strip():
            lines.pop(0)
    return "\n".join(lines).strip("\n") + "\n"


def build_script(size_kb: int) -> str:
    """Concatenate material until the script is `size_kb` KB; renumber every heading."""
    bodies = material()
    parts = [
        "Title: Benchmark Feature\nCredit: Written by\nAuthor: filmcrew\nDraft date: 2026-01-01\n"
    ]
    total = len(parts[0])
    index = 0
    while total < size_kb * 1024:
        body = bodies[index % len(bodies)]
        parts.append(body)
        total += len(body.encode("utf-8")) + 1
        index += 1
    number = 0
    out: list[str] = []
    for line in "\n".join(parts).split("\n"):
        if _HEADING_LINE.match(line):
            number += 1
            line = f"{_NUMBER.sub('', line)} #{number}#"
        out.append(line)
    return "\n".join(out)


def _filmcrew(text: str) -> int:
    from filmcrew.tools.fountain import parse

    return len([s for s in parse(text).scenes if s.heading is not None])


def _screenplain(text: str) -> int:
    from screenplain.parsers.fountain import parse
    from screenplain.types import Slug

    return sum(isinstance(p, Slug) for p in parse(io.StringIO(text)).paragraphs)


def _jouvence(text: str) -> int:
    from jouvence.parser import JouvenceParser

    return sum(1 for s in JouvenceParser().parseString(text).scenes if s.header)


def _fountain_tools(text: str) -> int:
    from fountain_tools.fountain import ElementType
    from fountain_tools.parser import Parser

    parser = Parser()
    parser.add_text(text)
    parser.finalize()
    return sum(e.type == ElementType.HEADING for e in parser.script.elements)


PARSERS: dict[str, Callable[[str], int]] = {
    "filmcrew": _filmcrew,
    "screenplain": _screenplain,
    "jouvence": _jouvence,
    "fountain-tools": _fountain_tools,
}


def time_parser(func: Callable[[str], int], text: str, repeat: int) -> tuple[float, int]:
    """Return (median seconds, scene count) over `repeat` runs after one warm-up run.

    Time is the thread's CPU time, not the wall clock: on a shared machine other processes
    would otherwise decide the figures. Each run starts after a full garbage collection.
    """
    scenes = func(text)
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.thread_time()
        func(text)
        times.append(time.thread_time() - start)
    return statistics.median(times), scenes


def main(argv: list[str] | None = None) -> int:
    """Build the script, time every parser, print the table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--size-kb", type=int, default=150)
    args.add_argument("--repeat", type=int, default=15)
    args.add_argument("--save", type=Path, help="also write the generated script here")
    opts = args.parse_args(argv)
    text = build_script(opts.size_kb)
    if opts.save:
        opts.save.write_text(text, encoding="utf-8")
    print(f"script: {len(text.encode('utf-8')) / 1024:.0f} KB, {text.count(chr(10)) + 1} lines")
    results: dict[str, tuple[float, int]] = {}
    for name, func in PARSERS.items():
        try:
            results[name] = time_parser(func, text, opts.repeat)
        except ImportError as exc:
            print(f"{name:15s} skipped: {exc}")
    peers = [t for n, (t, _) in results.items() if n != "filmcrew"]
    fastest = min(peers) if peers else None
    for name, (seconds, scenes) in results.items():
        ratio = (
            f"{fastest / seconds:5.1f}x faster than the fastest peer"
            if name == "filmcrew" and fastest
            else ""
        )
        if name != "filmcrew" and fastest:
            ratio = f"{seconds / fastest:5.2f}x the fastest peer's time"
        print(f"{name:15s} median {seconds * 1000:8.2f} ms CPU  scenes {scenes:4d}  {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
