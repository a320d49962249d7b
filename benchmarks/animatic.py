"""Animatic benchmark: render a feature-length animatic MP4 and report how fast it encodes.

Builds a plan of about 1,000 shots over 2 hours (durations 2-12 s, dialogue on half of them),
draws one 640x360 storyboard still per shot (the storyboard artist's size; drawing is not timed),
then times `render_mp4` (by default at the stills' own size, as the exporter does; `--height`
forces one) and decodes the result to check it.

Reported: timeline frames per second (24 fps frames of screen time produced per second of wall
time), the real-time factor, and frames actually encoded per second. The MP4 holds each still
as one frame, re-sent every `MAX_HOLD_S` (10 s) of a longer shot (variable frame durations, every
frame a keyframe; see `filmcrew.tools.export_animatic`), so ~1,250 frames are encoded for 172,800
frames of screen time. Target: at least 20x real time, i.e. 480 timeline frames/s (the export of a
190-scene run has its own benchmark, `benchmarks/export_feature.py`). Run from the repo root:

    .venv/bin/python benchmarks/animatic.py [--shots 1000] [--minutes 120] [--height 720] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from filmcrew.domain import Shot, ShotList
from filmcrew.files import safe_name
from filmcrew.tools.export_animatic import encoded_frame_count, render_mp4

FPS = 24
TARGET_REALTIME = 20.0
LINES = ["We have to go. Now.", "The key was never yours to keep, Nora.", "Not tonight.",
         "Forty years and they change the lock.", "You got my letter?", "Then you've got till Friday."]


def plan(shots: int, minutes: float, seed: int = 7) -> ShotList:
    """A shot list of `shots` shots whose durations (2-12 s) add up to `minutes`."""
    rng = random.Random(seed)
    raw = [rng.uniform(2.0, 12.0) for _ in range(shots)]
    scale = minutes * 60 / sum(raw)
    listed = [Shot(shot_id=f"{i // 8 + 1}{chr(65 + i % 8)}", scene=i // 8 + 1, size=rng.choice(["WS", "MS", "CU", "OTS"]),
                   type="single", description="bench", duration_s=round(d * scale, 3),
                   dialogue=rng.choice(LINES) if i % 2 else "") for i, d in enumerate(raw)]
    return ShotList(aspect="16:9", shots=listed)


def draw_stills(shots: ShotList, folder: Path, seed: int = 7) -> None:
    """Draw a line-art still per shot, each different, so the encoder sees real cuts."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for shot in shots.shots:
        image = Image.new("RGB", (640, 360), (238, 236, 228))
        draw = ImageDraw.Draw(image)
        draw.line((0, rng.randint(150, 260), 640, rng.randint(150, 260)), fill=(60, 60, 60), width=2)
        for _ in range(rng.randint(2, 5)):
            x, y, r = rng.randint(40, 600), rng.randint(60, 300), rng.randint(20, 90)
            draw.ellipse((x - r, y - r, x + r, y + r), outline=(20, 20, 20), width=3)
            draw.line((x, y + r, x + rng.randint(-40, 40), 360), fill=(20, 20, 20), width=3)
        draw.rectangle((rng.randint(0, 300), 20, rng.randint(340, 640), 120), outline=(90, 90, 90), width=2)
        image.save(folder / f"{safe_name(shot.shot_id)}.png")


def decoded_frames(path: Path) -> tuple[int, float]:
    """Decode the MP4 and return (video frames, stream duration in seconds)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        count = sum(1 for _ in container.decode(video=0))
        return count, float(stream.duration * stream.time_base)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shots", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=120.0)
    parser.add_argument("--height", type=int, default=None, help="video lines (default: the stills' own size)")
    parser.add_argument("--preset", default="ultrafast", help="x264 preset (default: the exporter's)")
    parser.add_argument("--keep", type=Path, help="keep the MP4 at this path")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    shots = plan(args.shots, args.minutes)
    with tempfile.TemporaryDirectory(prefix="filmcrew-animatic-bench.") as tmp:
        folder = Path(tmp)
        draw_stills(shots, folder / "storyboard")
        target = args.keep or folder / "animatic.mp4"
        started = time.perf_counter()
        info = render_mp4(shots, folder / "storyboard", target, "16:9", FPS, args.height, preset=args.preset)
        wall = time.perf_counter() - started
        decoded, seconds = decoded_frames(target)
        size = target.stat().st_size
    result = {
        "shots": len(shots.shots), "screen_seconds": round(info.seconds, 2), "timeline_frames": info.frames,
        "encoded_frames": info.encoded_frames, "size": f"{info.width}x{info.height}", "preset": args.preset,
        "wall_seconds": round(wall, 2), "timeline_fps": round(info.frames / wall), "encoded_fps": round(info.encoded_frames / wall, 1),
        "realtime_factor": round(info.seconds / wall, 1), "mp4_mb": round(size / 1e6, 1),
        "decoded_frames": decoded, "decoded_seconds": round(seconds, 3),
        "checks": decoded == info.encoded_frames == encoded_frame_count(shots) and abs(seconds - info.seconds) < 1e-3,
    }
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print(f"animatic {result['size']} {result['shots']} shots, {info.seconds / 60:.1f} min ({info.frames} frames at {FPS} fps)")
        print(f"  wall {wall:.1f} s   {result['timeline_fps']} timeline frames/s   {result['realtime_factor']}x real time")
        print(f"  encoded {info.encoded_frames} frames ({result['encoded_fps']}/s)   mp4 {result['mp4_mb']} MB")
        print(f"  decoded {decoded} frames, {seconds:.3f} s   checks {'ok' if result['checks'] else 'FAILED'}")
        print(f"  target >= {TARGET_REALTIME:.0f}x real time: {'met' if info.seconds / wall >= TARGET_REALTIME else 'MISSED'}")
    return 0 if result["checks"] else 1


if __name__ == "__main__":
    sys.exit(main())
