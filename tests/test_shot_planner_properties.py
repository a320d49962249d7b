"""Properties every offline shot list must have, over the examples and the conformance scripts.

- Every dialogue line is covered by a shot, and every shot covers lines of its own scene.
- A scene's shots add up to its page time (eighths x 7.5 s) within 15 %, or the shot list says why.
- Offline output is byte-identical across runs; the vertical preset visibly differs.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path

import pytest
from filmcrew.agents.breakdown import break_down
from filmcrew.agents.shot_beats import shot_label
from filmcrew.agents.shot_checks import dialogue_lines
from filmcrew.agents.shot_output import CSV_COLUMNS, shotlist_csv
from filmcrew.agents.shot_planner import (
    plan_shotlist,
    resolve_style,
    shotlist_schema,
    shotlist_table,
    validate_shots,
    write_shotlist,
)
from filmcrew.agents.shot_vocab import WIDE_SIZES
from filmcrew.tools.fountain import parse
from rich.console import Console

from filmcrew.domain import Breakdown, Screenplay, ShotList
from tests.conftest import EXAMPLES, SHARED

STYLES = [
    (None, "16:9"),
    (None, "9:16"),
    ("handheld documentary", "2.39:1"),
    ("classic coverage, but handheld and intimate", "4:5"),
]


def scripts() -> list[Path]:
    """Every example plus every conformance script (when the shared folder is present)."""
    found = sorted(EXAMPLES.glob("*.fountain"))
    conformance = SHARED / "conformance"
    if conformance.exists():
        found += sorted(conformance.rglob("*.fountain"))
    return found


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@cache
def load(path: Path) -> tuple[Screenplay, Breakdown]:
    text = path.read_bytes().decode("utf-8-sig")
    sp = parse(text, source=str(path))
    return sp, break_down(sp)


@cache
def planned(path: Path, style: str | None, aspect: str) -> ShotList:
    sp, sheet = load(path)
    return plan_shotlist(sp, sheet, None, resolve_style(style, aspect))


def test_shot_ids_are_unique_even_where_the_script_repeats_a_scene_number() -> None:
    for path in scripts():
        ids = [s.shot_id for s in planned(path, None, "16:9").shots]
        assert len(ids) == len(set(ids)), _id(path)


def test_conformance_scripts_are_present_or_skipped() -> None:
    if not (SHARED / "conformance").exists():
        pytest.skip(f"conformance scripts not found under {SHARED} (set FILMCREW_SHARED)")
    assert len(scripts()) > 30


@pytest.mark.parametrize(("style", "aspect"), STYLES)
@pytest.mark.parametrize("path", scripts(), ids=_id)
def test_every_dialogue_line_is_covered_and_every_shot_stays_in_its_scene(
    path: Path, style: str | None, aspect: str
) -> None:
    sp, sheet = load(path)
    shotlist = planned(path, style, aspect)
    for scene in sheet.scenes:
        shots = [s for s in shotlist.shots if s.scene == scene.number]
        covered = {n for s in shots for n in s.lines}
        assert set(dialogue_lines(sp, scene)) <= covered, f"scene {scene.label}"
        assert validate_shots(sp, scene, shots) == []


@pytest.mark.parametrize(("style", "aspect"), STYLES)
@pytest.mark.parametrize("path", scripts(), ids=_id)
def test_scene_time_is_page_time_or_the_shot_list_says_why(
    path: Path, style: str | None, aspect: str
) -> None:
    sp, sheet = load(path)
    shotlist = planned(path, style, aspect)
    for scene in sheet.scenes:
        total = sum(s.duration_s for s in shotlist.shots if s.scene == scene.number)
        page = scene.eighths * 60 / 8
        if abs(total - page) > 0.15 * page:
            label = shot_label(sp, scene)
            said = [n for n in shotlist.notes if n.startswith(f"scene {label}: shots add up to")]
            assert said, f"scene {label}: {total:.1f} s against {page:.1f} s and no note"
            assert "; " in said[0] and f"{total:.1f} s" in said[0]


def test_most_example_scenes_land_within_fifteen_percent_of_page_time() -> None:
    within = total = 0
    for path in sorted(EXAMPLES.glob("*.fountain")):
        _, sheet = load(path)
        shotlist = planned(path, None, "16:9")
        for scene in sheet.scenes:
            seconds = sum(s.duration_s for s in shotlist.shots if s.scene == scene.number)
            total += 1
            within += abs(seconds - scene.eighths * 7.5) <= 0.15 * scene.eighths * 7.5
    assert within / total >= 0.6, f"only {within} of {total} scenes within 15 % of page time"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.fountain")), ids=_id)
def test_offline_output_is_byte_identical_across_runs(path: Path, tmp_path: Path) -> None:
    sp, sheet = load(path)
    outputs = []
    for run in ("one", "two"):
        shotlist = plan_shotlist(sp, sheet, None, resolve_style(None, "16:9"))
        write_shotlist(shotlist, tmp_path / run, sheet)
        outputs.append(
            (
                (tmp_path / run / "shotlist.json").read_bytes(),
                (tmp_path / run / "shotlist.csv").read_bytes(),
            )
        )
    assert outputs[0] == outputs[1]


def test_shotlist_files_have_the_production_columns_and_the_stable_json_shape(
    tmp_path: Path,
) -> None:
    path = EXAMPLES / "the-lighthouse-key.fountain"
    sp, sheet = load(path)
    shotlist = planned(path, None, "16:9")
    write_shotlist(shotlist, tmp_path, sheet)
    data = json.loads((tmp_path / "shotlist.json").read_text(encoding="utf-8"))
    assert data["aspect"] == "16:9" and data["shots"]
    first = data["shots"][0]
    for key in (
        "shot_id",
        "scene",
        "size",
        "type",
        "angle",
        "movement",
        "lens",
        "subjects",
        "description",
        "lines",
        "duration_s",
        "audio",
        "setup",
        "notes",
    ):
        assert key in first
    rows = list(csv.reader(io.StringIO((tmp_path / "shotlist.csv").read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(data["shots"]) + 1
    assert rows[1][:5] == ["1", "1A", "EXT", "HARBOUR ROAD", "DAWN"]
    assert shotlist_csv(shotlist, sheet) == (tmp_path / "shotlist.csv").read_text(encoding="utf-8")
    assert shotlist_schema()["title"] == "ShotList" and "shots" in shotlist_schema()["properties"]


def test_summary_table_has_a_row_per_scene_and_a_total() -> None:
    path = EXAMPLES / "the-lighthouse-key.fountain"
    _, sheet = load(path)
    table = shotlist_table(planned(path, None, "16:9"))
    assert table.row_count == len(sheet.scenes) + 1
    console = Console(width=120, record=True)
    console.print(table)
    assert "HARBOUR OFFICE" in console.export_text()


def test_vertical_preset_visibly_differs_on_the_micro_drama() -> None:
    path = EXAMPLES / "wrong-number-ep1.fountain"
    wide = planned(path, None, "16:9").shots
    tall = planned(path, None, "9:16").shots
    assert planned(path, None, "9:16").style == "vertical micro-drama"
    first = tall[0]
    assert "HOOK" in first.notes and first.duration_s <= 3.0  # a hook in the first 3 seconds
    assert not [s for s in tall if s.type == "establishing"] and [
        s for s in wide if s.type == "establishing"
    ]
    assert sum(s.size in WIDE_SIZES for s in tall) < sum(
        s.size in WIDE_SIZES for s in wide
    )  # fewer wides
    closes = ("MCU", "CU", "ECU")
    assert sum(s.size in closes for s in tall) > sum(
        s.size in closes for s in wide
    )  # more singles and closes
    assert any(s.notes.startswith("stacked:") or "; stacked:" in s.notes for s in tall)
    assert all("phone framing" in s.notes for s in tall if s.type == "insert")
    assert "CLIFFHANGER" in tall[-1].notes
