"""Export benchmark: every format of a feature-length run, per-format wall time and file sizes.

Target (issue 5): the whole export stage (all formats, MP4 included) of the 190-scene run takes
at most 4 s wall on the 2-core machines — its share of `plan`'s 15 s.

The run is the fixture `/work/fixtures/run190.pristine` (copied, never touched) when it exists
(or `--run DIR`); otherwise the script plans one: `feature_script.feature_text(190)` through
`filmcrew plan --formats json` in a subprocess, offline. Then:

1. `export_run(run, ["all"], out)` (`--repeat` times, best kept), as `filmcrew export --to all`
   does: the MP4 renders in a worker process (`filmcrew.workers`) while this process writes the
   other formats. The first run also starts that worker (in `plan` it is already running);
2. unless `--no-split`, each format alone into a fresh folder, to show where the time goes
   (the MP4 alone renders in this process).

Wall times on the shared 2-core machine move with whatever else runs on it: read them with
`/proc/loadavg` in mind (printed), and compare runs taken side by side.

    .venv/bin/python benchmarks/export_feature.py [--run DIR] [--scenes 190] [--repeat 1] [--no-split] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from filmcrew import workers  # noqa: E402
from filmcrew.tools.exports import FORMATS, export_run  # noqa: E402

FIXTURE = Path("/work/fixtures/run190.pristine")
TARGET_S = 4.0


def prepare_run(source: Path | None, scenes: int, tmp: Path) -> Path:
    """Copy the given run (or the fixture) into `tmp`, or plan a fresh one when neither exists."""
    run = tmp / "run"
    origin = source or (FIXTURE if FIXTURE.is_dir() else None)
    if origin is not None:
        shutil.copytree(origin, run)
        return run
    from benchmarks.feature_script import write_feature

    script = write_feature(tmp / "feature.fountain", scenes)
    env = {**os.environ, "FILMCREW_HOME": str(tmp / "home")}
    command = [sys.executable, "-m", "filmcrew.cli.main", "plan", str(script), "--out", str(run),
               "--provider", "offline", "--formats", "json"]
    subprocess.run(command, cwd=tmp, env=env, check=True, capture_output=True, timeout=1800)
    return run


def timed_export(run: Path, formats: list[str], out: Path) -> tuple[float, dict[str, object]]:
    """Export into a fresh `out`; return wall seconds and what `export_run` reported."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    result = export_run(run, formats, out)
    return time.perf_counter() - started, result


def sizes(folder: Path) -> dict[str, int]:
    """Bytes of each file written into the output folder."""
    return {path.name: path.stat().st_size for path in sorted(folder.iterdir()) if path.is_file()}


def _load() -> str:
    """The 1-minute load average, where the OS reports one (other work on the machine)."""
    try:
        return Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", type=Path, help="a finished run folder (default: the 190-scene fixture)")
    parser.add_argument("--scenes", type=int, default=190, help="scenes to plan when there is no run folder")
    parser.add_argument("--repeat", type=int, default=1, help="time `all` this many times, report the best")
    parser.add_argument("--no-split", action="store_true", help="skip the one-format-at-a-time timings")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="filmcrew-export-bench.") as tmp:
        folder = Path(tmp)
        run = prepare_run(args.run, args.scenes, folder)
        shots = len(json.loads((run / "shotlist.json").read_text(encoding="utf-8"))["shots"])
        walls, result = [], {}
        try:
            for _ in range(max(1, args.repeat)):
                wall, result = timed_export(run, ["all"], folder / "out")
                walls.append(wall)
        finally:
            workers.shutdown()
        files = sizes(folder / "out")
        split = {} if args.no_split else {fmt: round(timed_export(run, [fmt], folder / f"out-{fmt}")[0], 2)
                                          for fmt in FORMATS}
    skipped = {fmt: why for fmt, why in result.items() if isinstance(why, str)}
    report = {"shots": shots, "all_seconds": round(min(walls), 2), "all_runs": [round(w, 2) for w in walls],
              "per_format_seconds": split, "bytes": files, "skipped": skipped, "target_s": TARGET_S,
              "met": min(walls) <= TARGET_S, "load": _load()}
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return 0 if report["met"] else 1
    print(f"export --to all, {shots} shots: {min(walls):.2f} s wall (runs: {report['all_runs']}) "
          f"target <= {TARGET_S:.0f} s: {'met' if report['met'] else 'MISSED'}   load {report['load']}")
    for fmt, took in split.items():
        print(f"  {fmt:<9} alone {took:7.2f} s")
    for name, size in files.items():
        print(f"  {name:<18} {size / 1e6:8.2f} MB")
    for fmt, why in skipped.items():
        print(f"  skipped {fmt}: {why}")
    return 0 if report["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
