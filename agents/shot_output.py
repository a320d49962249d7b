r"""Shot-list outputs: `shotlist.json`, `shotlist.csv` and the per-scene summary table.

The CSV carries the columns a production reads (film-grammar.md §2): printed scene number,
shot, INT/EXT, location, time, size, type, angle, movement, lens, subjects, description,
lines, duration, audio, setup, notes. Both files are byte-stable: sorted JSON keys, fixed
column order, `\\n` line ends, no timestamps.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from filmcrew.agents.shot_vocab import CLOSE_SIZES, WIDE_SIZES, lines_label
from rich.table import Table

from filmcrew.domain import Breakdown, BreakdownScene, Shot, ShotList
from filmcrew.files import atomic_write_text, write_json

CSV_COLUMNS = (
    "scene",
    "shot",
    "INT/EXT",
    "location",
    "time",
    "size",
    "type",
    "angle",
    "movement",
    "lens",
    "subjects",
    "description",
    "lines",
    "duration",
    "audio",
    "setup",
    "notes",
)


def shotlist_schema() -> dict[str, Any]:
    """Return the JSON Schema of `shotlist.json` (for other tools and the docs)."""
    schema: dict[str, Any] = ShotList.model_json_schema()
    return schema


def _row(shot: Shot, scene: BreakdownScene | None) -> list[str]:
    """Build one CSV row; the scene's printed label, heading parts from the breakdown when known."""
    return [
        scene.label if scene else str(shot.scene),
        shot.shot_id,
        (scene.int_ext if scene else shot.int_ext) or shot.int_ext,
        (scene.location if scene else shot.location) or shot.location,
        (scene.time_of_day if scene else shot.time_of_day) or shot.time_of_day,
        shot.size,
        shot.type,
        shot.angle,
        shot.movement,
        shot.lens,
        ", ".join(shot.subjects),
        shot.description,
        lines_label(shot.lines),
        f"{shot.duration_s:.1f}",
        shot.audio,
        shot.setup,
        shot.notes,
    ]


def shotlist_csv(shotlist: ShotList, breakdown: Breakdown) -> str:
    """Render the shot list as CSV text with the production columns."""
    scenes = {s.number: s for s in breakdown.scenes}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for shot in shotlist.shots:
        writer.writerow(_row(shot, scenes.get(shot.scene)))
    return buffer.getvalue()


def write_shotlist(shotlist: ShotList, folder: Path, breakdown: Breakdown) -> None:
    """Write `shotlist.json` and `shotlist.csv` into a run folder, each atomically."""
    write_json(folder / "shotlist.json", shotlist)
    atomic_write_text(folder / "shotlist.csv", shotlist_csv(shotlist, breakdown))


def _mix(shots: list[Shot]) -> str:
    """Summarise frame sizes: wides / mediums / closes / inserts."""
    wide = sum(s.size in WIDE_SIZES for s in shots)
    inserts = sum(s.type == "insert" for s in shots)
    close = sum(s.size in CLOSE_SIZES for s in shots) - inserts
    medium = len(shots) - wide - close - inserts
    return f"{wide}/{medium}/{close}/{inserts}"


def _seconds(value: float) -> str:
    """Write seconds as `1 min 05 s` or `42.5 s`."""
    if value < 60:
        return f"{value:.1f} s"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes} min {seconds:02d} s"


def scene_label(shot_id: str) -> str:
    """Recover the scene label from a shot id (`12B` -> `12`, `12A-B` -> `12A`)."""
    dashed = re.fullmatch(r"(.+[A-Za-z])-([A-Z]+)", shot_id)  # `12A-B`
    plain = re.fullmatch(r"(.+?)([A-Z]+)", shot_id)
    match = dashed or plain
    return match.group(1) if match else ""


def shotlist_table(shotlist: ShotList) -> Table:
    """Build the per-scene summary: shots, setups, size mix, movement, duration."""
    table = Table(title=f"Shot list · {shotlist.aspect} · {shotlist.style}".rstrip(" ·"))
    table.add_column("scene", justify="right")
    table.add_column("location")
    for name in ("shots", "setups"):
        table.add_column(name, justify="right")
    table.add_column("wide/med/close/ins", justify="center")
    for name in ("moving", "duration"):
        table.add_column(name, justify="right")
    order = list(dict.fromkeys(s.scene for s in shotlist.shots))
    for number in order:
        shots = [s for s in shotlist.shots if s.scene == number]
        first = shots[0]
        label = scene_label(first.shot_id) or str(number)
        moving = sum(s.movement != "static" for s in shots)
        place = " ".join(p for p in (first.int_ext, first.location, first.time_of_day) if p)
        table.add_row(
            label,
            place,
            str(len(shots)),
            str(len({s.setup for s in shots})),
            _mix(shots),
            str(moving),
            _seconds(sum(s.duration_s for s in shots)),
        )
    total = sum(s.duration_s for s in shotlist.shots)
    table.add_section()
    table.add_row(
        "", "total", str(len(shotlist.shots)), "", _mix(shotlist.shots), "", _seconds(total)
    )
    return table
