"""Parse benchmark: filmcrew's Fountain parser against screenplain, Jouvence and fountain-tools.

Builds a feature-length screenplay (about 150 KB and 190 scenes, the shape of a feature) by
cycling through the example and eval scripts (title pages dropped, scene headings renumbered
`#1#`, `#2#`, ...; `--scenes 0` keeps every heading of that material: about 380), then times
each parser on the same text in the same process, in interleaved rounds, and prints median and
minimum CPU times, scene counts and how much faster filmcrew is than the fastest peer (each of
filmcrew's parses keeps every element's source lines and also splits every heading). Run from
the repository root:

    .venv/bin/python benchmarks/parse.py [--size-kb 150] [--scenes 190] [--repeat 15]
        [--save script.fountain]
        [--instructions]   # also count instructions with valgrind (load-independent)

Peers that are not installed are reported and skipped (`pip install -e .[bench]`).
"""

from __future__ import annotations

import argparse
import gc
import io
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "conformance"
_HEADING_LINE = re.compile(r"^(?:(?:INT\.?/EXT|I/E|INT|EXT|EST)[. ]|\.[A-Za-z0-9])", re.IGNORECASE)
_NUMBER = re.compile(r"\s*#[\w.\-]+#\s*$")
_TITLE_LINE = re.compile(r"^[A-Za-z][A-Za-z ]*:")


def material() -> list[str]:
    """Return the bodies of the scripts to build from: the examples and the eval scripts,
    else (in a bare checkout) two conformance inputs."""
    files = sorted((ROOT / "examples").glob("*.fountain")) + sorted(
        (ROOT / "evals").glob("**/*.fountain")
    )
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


def build_script(size_kb: int, scenes: int = 0) -> str:
    """Concatenate material until the script is `size_kb` KB; renumber every heading.

    With `scenes`, keep only that many headings, spread evenly: a dropped heading (and the
    blank line under it) lets its scene run on into the one before, which gives the longer
    scenes of a real feature (about 190 in 150 KB) from the same text. Without it every
    heading of the material stays (about 380 in 150 KB: the examples' scenes are short).
    """
    bodies = material()
    parts = [
        "Title: Benchmark Feature\nCredit: Written by\nAuthor: filmcrew\nDraft date: 2026-01-01\n"
    ]
    total = len(parts[0])
    while total < size_kb * 1024:  # the material's size, before any heading is dropped
        body = bodies[(len(parts) - 1) % len(bodies)]
        parts.append(body)
        total += len(body.encode("utf-8")) + 1
    text = _numbered(parts, scenes)
    while len(text.encode("utf-8")) < size_kb * 1024:  # dropped headings made it short
        parts.append(bodies[(len(parts) - 1) % len(bodies)])
        text = _numbered(parts, scenes)
    return text


def _numbered(parts: list[str], scenes: int) -> str:
    """Join the parts, keep `scenes` headings (all if 0) and number them `#1#`, `#2#`, ..."""
    lines = "\n".join(parts).split("\n")
    headings = sum(1 for line in lines if _HEADING_LINE.match(line))
    keep = scenes if 0 < scenes < headings else headings
    seen = number = 0
    out: list[str] = []
    skip_blank = False
    for line in lines:
        if skip_blank and not line.strip():
            skip_blank = False
            continue
        skip_blank = False
        if _HEADING_LINE.match(line):
            seen += 1
            # Heading k (0-based) is kept when k * keep / headings reaches a new whole
            # number: the first one always, `keep` in all, evenly spread.
            k = seen - 1
            if (k * keep) // headings == ((k - 1) * keep) // headings:
                skip_blank = True
                continue
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


def _cpu_time(func: Callable[[str], int], text: str) -> float:
    """Return the thread CPU time of one parse, after a full garbage collection."""
    gc.collect()
    start = time.thread_time()
    func(text)
    return time.thread_time() - start


def run_rounds(
    parsers: dict[str, Callable[[str], int]], text: str, rounds: int
) -> dict[str, list[float]]:
    """Time every parser once per round, one after another, for `rounds` rounds.

    CPU time, not the wall clock, and interleaved rounds: on a shared machine the load
    changes by the second, and a parser timed in a quiet moment would look faster.
    """
    times: dict[str, list[float]] = {name: [] for name in parsers}
    for _ in range(rounds):
        for name, func in parsers.items():
            times[name].append(_cpu_time(func, text))
    return times


def _instructions(name: str, script: Path, count: int) -> int:
    """Return the instructions valgrind counts for `count` parses by one parser (plus start-up)."""
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, __file__, "--one", name, "--count", str(count), "--script", str(script),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    match = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if match is None:
        raise SystemExit(f"valgrind gave no instruction count:\n{result.stderr[-500:]}")
    return int(match.group(1).replace(",", ""))


def count_instructions(names: list[str], text: str, parses: int) -> dict[str, float]:
    """Instructions per parse, by difference of runs with 1 and 1 + `parses` parses.

    Unlike time, an instruction count does not depend on what else the machine is doing.
    """
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "script.fountain"
        script.write_text(text, encoding="utf-8")
        return {
            name: (_instructions(name, script, 1 + parses) - _instructions(name, script, 1))
            / parses
            for name in names
        }


def _one(name: str, script: Path, count: int) -> int:
    """Parse a script `count` times with one parser (the child process of `--instructions`)."""
    text = script.read_text(encoding="utf-8")
    for _ in range(count):
        PARSERS[name](text)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Build the script, time every parser, print the table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--size-kb", type=int, default=150)
    args.add_argument(
        "--scenes",
        type=int,
        default=190,
        help="scene headings to keep (190: a feature's shape); 0 keeps all of the material's",
    )
    args.add_argument("--repeat", type=int, default=15, help="rounds (each parser once per round)")
    args.add_argument("--save", type=Path, help="also write the generated script here")
    args.add_argument(
        "--instructions", action="store_true", help="also count instructions with valgrind"
    )
    args.add_argument("--one", help=argparse.SUPPRESS)
    args.add_argument("--count", type=int, default=1, help=argparse.SUPPRESS)
    args.add_argument("--script", type=Path, help=argparse.SUPPRESS)
    opts = args.parse_args(argv)
    if opts.one:
        return _one(opts.one, opts.script, opts.count)
    text = build_script(opts.size_kb, opts.scenes)
    if opts.save:
        opts.save.write_text(text, encoding="utf-8")
    print(
        f"script: {len(text.encode('utf-8')) / 1024:.0f} KB, {text.count(chr(10)) + 1} lines, "
        f"{sum(1 for line in text.split(chr(10)) if _HEADING_LINE.match(line))} headings"
    )
    parsers: dict[str, Callable[[str], int]] = {}
    scenes: dict[str, int] = {}
    for name, func in PARSERS.items():
        try:
            scenes[name] = func(text)  # also the warm-up run
        except ImportError as exc:
            print(f"{name:15s} skipped: {exc}")
            continue
        parsers[name] = func
    times = run_rounds(parsers, text, opts.repeat)
    for name, values in times.items():
        print(
            f"{name:15s} median {statistics.median(values) * 1000:8.2f} ms CPU"
            f"  min {min(values) * 1000:8.2f} ms  scenes {scenes[name]:4d}"
        )
    peers = [name for name in times if name != "filmcrew"]
    if "filmcrew" in times and peers:
        rounds = range(len(times["filmcrew"]))
        ratios = [min(times[p][r] for p in peers) / times["filmcrew"][r] for r in rounds]
        fastest = min(peers, key=lambda p: statistics.median(times[p]))
        by_medians = statistics.median(times[fastest]) / statistics.median(times["filmcrew"])
        print(
            f"filmcrew is {statistics.median(ratios):.1f}x faster than the fastest peer "
            f"(median over {len(ratios)} rounds; by medians {by_medians:.1f}x {fastest})"
        )
    if opts.instructions:
        if shutil.which("valgrind") is None:
            print("instructions: skipped, valgrind is not installed")
            return 0
        counts = count_instructions(list(parsers), text, parses=3)
        for name, value in counts.items():
            print(f"{name:15s} {value / 1e6:8.1f} M instructions per parse")
        if "filmcrew" in counts and len(counts) > 1:
            fewest = min(v for n, v in counts.items() if n != "filmcrew")
            ratio = fewest / counts["filmcrew"]
            print(f"filmcrew needs {ratio:.1f}x fewer instructions than the leanest peer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
