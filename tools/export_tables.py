"""The breakdown as a spreadsheet: one row per scene, the columns a breakdown sheet carries.

Lists (characters, props, wardrobe) are joined with `; ` so a row stays one row. A cell that a
spreadsheet would run as a formula (text starting with `=`, `+`, `-`, `@`, tab or carriage
return, e.g. a character called `=HYPERLINK(...)`) is prefixed with `'`, the usual guard
against CSV injection; numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from filmcrew.domain import Breakdown, BreakdownScene
from filmcrew.files import atomic_write_text

BREAKDOWN_COLUMNS = (
    "number", "label", "heading", "int_ext", "location", "time_of_day", "story_day", "eighths", "pages",
    "start_line", "end_line", "characters", "speaking", "introduced", "props", "wardrobe", "sounds", "qualifiers",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_breakdown_csv(breakdown: Breakdown, path: Path) -> None:
    """Write `breakdown.csv`: a header row, then one row per scene in script order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(BREAKDOWN_COLUMNS)
    for scene in breakdown.scenes:
        writer.writerow(_row(scene))
    atomic_write_text(path, buffer.getvalue())


def _row(scene: BreakdownScene) -> list[object]:
    """One scene's cells, in BREAKDOWN_COLUMNS order."""
    return [
        scene.number, cell(scene.label), cell(scene.heading), scene.int_ext, cell(scene.location),
        cell(scene.time_of_day), scene.story_day, scene.eighths, cell(scene.eighths_str),
        scene.start_line, scene.end_line, cell("; ".join(scene.characters)), cell("; ".join(scene.speaking)),
        cell("; ".join(scene.introduced)), cell("; ".join(scene.props)), cell("; ".join(scene.wardrobe)),
        cell("; ".join(scene.sounds)), cell(scene.qualifiers),
    ]


def cell(text: str) -> str:
    """Neutralise text a spreadsheet would evaluate as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text
