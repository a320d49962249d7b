"""Storyboard benchmark: sketch a feature's ~1,000 frames offline and report ms per frame.

Builds a shot list of 1,000 shots cycling through every shot size, type, angle and camera move
of film-grammar.md §2, with 0-4 subjects from a six-character library, day and night, interior
and exterior. Times `draw_frame` (composition plus PNG encoding, the whole offline cost of one
frame) on one core, after one warm-up frame (fonts load once per process); it reports wall and
CPU time per frame and judges by CPU time, which other work on the machine does not inflate. Writing the files
is timed separately because it depends on the disk, not on the drawing. Target: at most 10 ms
per frame at 640x360 on the 2-core development machines. Run from the repo root:

    .venv/bin/python benchmarks/storyboard.py [--shots 1000] [--aspect 16:9] [--write] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from filmcrew.agents.storyboard import draw_frame, frame_path
from filmcrew.domain import Character, CharacterLibrary, Look, Shot
from filmcrew.files import atomic_write_bytes

TARGET_MS = 10.0
SIZES = ["EWS", "WS", "FS", "MWS", "MS", "MCU", "CU", "ECU", "INSERT"]
TYPES = ["establishing", "master", "two-shot", "OTS", "single", "POV", "reaction", "insert", "cutaway", "group"]
ANGLES = ["eye level", "eye level", "high", "low", "overhead", "worm's eye", "dutch"]
MOVES = ["static", "static", "pan", "tilt", "dolly in", "dolly out", "truck", "pedestal", "crane",
         "handheld", "steadicam", "zoom", "drone", "whip pan"]
TIMES = ["DAY", "NIGHT", "DUSK", "DAWN"]
LINES = ["We have to go. Now.", "NORA: Forty years and they change the lock.", "", "DEV: You got my letter?"]


def library() -> CharacterLibrary:
    """A cast of six with varied builds, hair and wardrobe, and a look change for one."""
    spec = [("NORA", "60s", "wiry", "grey hair in a bun", ["rust oilskin coat"], "#b7472a"),
            ("DEV", "30s", "", "short black hair", ["lanyard"], "#2e86ab"),
            ("ISLA", "17", "slim", "long red hair", ["headphones", "yellow raincoat"], "#8e5ea2"),
            ("SAM", "70s", "stocky", "bald, grey beard", ["red scarf"], "#3f9c5a"),
            ("JUNO", "9", "tiny", "hair in two braids", ["green wellies"], "#e0a100"),
            ("MIA", "20s", "", "hair in a messy bun", ["oversized grey hoodie"], "#c44569")]
    cast = [Character(name=n, handle=f"@{n.lower()}", age=a, build=b, hair=h, signature_wardrobe=w, color=c)
            for n, a, b, h, w, c in spec]
    cast[0] = cast[0].model_copy(update={"looks": [Look(story_day=1, wardrobe=["fisherman's jumper"], scenes=list(range(50, 90)))]})
    return CharacterLibrary(characters=cast)


def shots(count: int) -> list[Shot]:
    """A feature's worth of shots covering the whole vocabulary."""
    names = [c.name for c in library().characters]
    out = []
    for i in range(count):
        subjects = [names[(i + k) % len(names)] for k in range(i % 5)]
        out.append(Shot(shot_id=f"{i // 8 + 1}{chr(65 + i % 8)}", scene=i // 8 + 1, size=SIZES[i % len(SIZES)],
                        type=TYPES[i % len(TYPES)], angle=ANGLES[i % len(ANGLES)], movement=MOVES[i % len(MOVES)],
                        subjects=subjects, int_ext="EXT" if i % 3 == 0 else "INT", location=f"PLACE {i % 17}",
                        time_of_day=TIMES[(i // 8) % 4], description=f"Beat {i}: {' and '.join(subjects) or 'the place'}.",
                        dialogue=LINES[i % len(LINES)], screen_side=["left", "right", "neutral"][i % 3],
                        direction=["screen right", "screen left", ""][i % 3]))
    return out


def main() -> int:
    """Run the benchmark and print ms per frame (exit 1 when over target)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=1000)
    parser.add_argument("--aspect", default="16:9")
    parser.add_argument("--write", action="store_true", help="also time writing the frames to disk")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cast, plan = library(), shots(args.shots)
    draw_frame(plan[0], cast, args.aspect)  # warm-up: fonts load once per process
    times, pngs = [], []
    cpu_start = time.process_time()
    for shot in plan:
        start = time.perf_counter()
        pngs.append(draw_frame(shot, cast, args.aspect))
        times.append((time.perf_counter() - start) * 1000)
    cpu_ms = (time.process_time() - cpu_start) * 1000 / len(plan)
    result = {"shots": len(plan), "aspect": args.aspect, "ms_per_frame": round(statistics.fmean(times), 2),
              "cpu_ms_per_frame": round(cpu_ms, 2),
              "p95_ms": round(sorted(times)[int(len(times) * 0.95)], 2), "max_ms": round(max(times), 2),
              "kb_per_frame": round(sum(map(len, pngs)) / len(pngs) / 1024, 1), "target_ms": TARGET_MS}
    if args.write:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            for shot, png in zip(plan, pngs):
                atomic_write_bytes(frame_path(Path(tmp), shot.shot_id), png)
            result["write_ms_per_frame"] = round((time.perf_counter() - start) * 1000 / len(plan), 2)
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print(f"{result['shots']} frames at {args.aspect}: {result['ms_per_frame']} ms/frame "
              f"(CPU {result['cpu_ms_per_frame']} ms) "
              f"(p95 {result['p95_ms']} ms, max {result['max_ms']} ms, {result['kb_per_frame']} kB each); "
              f"target <= {TARGET_MS} ms" + (f"; writing {result['write_ms_per_frame']} ms/frame" if args.write else ""))
    # CPU time is the verdict: wall time also counts whatever else the 2 cores are running.
    return 0 if result["cpu_ms_per_frame"] <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
