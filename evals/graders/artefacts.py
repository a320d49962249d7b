"""Schema validity of every artefact a run writes, as other tools would read them.

Each check is one artefact or one promise about it: the file parses into its model, carries
every key PRODUCT.md declares stable, has sorted keys (byte-stable output), and agrees with the
others (shots belong to scenes that exist, cite lines the script has, have unique ids and a
positive duration; the CSV has one row per shot; every shot has a PNG frame; the normalised
screenplay parses back into as many scenes). The score is the share of checks that pass.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from PIL import Image

from filmcrew.agents.storyboard import frame_path
from filmcrew.evals.scoring import CaseRun, Score, ratio
from filmcrew.tools.fountain import parse

STABLE_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "breakdown.json": {
        "": ("scenes", "characters", "locations"),
        "scenes": ("number", "label", "heading", "int_ext", "location", "time_of_day", "story_day", "eighths",
                   "start_line", "end_line", "characters", "props"),
        "characters": ("name", "aliases", "scenes", "first_line", "dialogue_count"),
    },
    "shotlist.json": {
        "": ("aspect", "shots"),
        "shots": ("shot_id", "scene", "size", "type", "angle", "movement", "lens", "subjects", "description",
                  "lines", "duration_s", "audio", "setup", "notes"),
    },
    "continuity.json": {
        "": ("findings",),
        "findings": ("id", "kind", "severity", "scene", "shot", "line", "message", "fix"),
    },
    "run.json": {
        "": ("run_id", "status", "provider_per_agent", "calls", "tokens", "cost_usd", "cache_hits", "stage_seconds"),
    },
    "characters.json": {"": ("characters",)},
}

Check = Callable[[CaseRun], str]


def _unsorted(value: Any, where: str = "") -> str:
    """Name the first object whose keys are not in sorted order ('' when all are)."""
    if isinstance(value, dict):
        keys = list(value)
        if keys != sorted(keys):
            return where or "(top level)"
        return next((w for k, v in value.items() if (w := _unsorted(v, f"{where}.{k}" if where else k))), "")
    if isinstance(value, list):
        return next((w for i, v in enumerate(value) if (w := _unsorted(v, f"{where}[{i}]"))), "")
    return ""


def _shape(run: CaseRun, name: str) -> str:
    """Check one JSON file: present, stable keys present, keys sorted."""
    data = run.raw(name)
    if not isinstance(data, dict):
        return f"{name}: missing or not a JSON object"
    for field, keys in STABLE_KEYS[name].items():
        rows = [data] if not field else data.get(field) or []
        for index, row in enumerate(rows):
            missing = [k for k in keys if k not in row]
            if missing:
                where = f"{field}[{index}]" if field else "top level"
                return f"{name}: {where} lacks stable key(s) {', '.join(missing)}"
    where = _unsorted(data)
    return f"{name}: keys not sorted at {where}" if where else ""


def _models(run: CaseRun) -> str:
    """Every JSON artefact validates into its model."""
    bad = [name for name, value in (("breakdown.json", run.breakdown), ("characters.json", run.library),
                                    ("shotlist.json", run.shotlist), ("continuity.json", run.continuity),
                                    ("run.json", run.info)) if value is None]
    return f"does not validate: {', '.join(bad)}" if bad else ""


def _shots_agree(run: CaseRun) -> str:
    """Shots name scenes that exist and lines the script has, with unique ids and positive durations."""
    if run.shotlist is None or run.breakdown is None or run.screenplay is None:
        return "shot list, breakdown or screenplay missing"
    scenes = {s.number for s in run.breakdown.scenes}
    ids = [s.shot_id for s in run.shotlist.shots]
    for shot in run.shotlist.shots:
        if shot.scene not in scenes:
            return f"shot {shot.shot_id} names scene {shot.scene}, which the breakdown lacks"
        if any(not 1 <= n <= run.screenplay.line_count for n in shot.lines):
            return f"shot {shot.shot_id} cites lines outside the script (1-{run.screenplay.line_count})"
        if shot.duration_s <= 0:
            return f"shot {shot.shot_id} has duration {shot.duration_s}"
    repeated = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) != len(ids) else []
    return f"shot ids used twice: {', '.join(repeated[:5])}" if repeated else ""


def _findings_agree(run: CaseRun) -> str:
    """Findings point at scenes that exist."""
    if run.continuity is None or run.breakdown is None:
        return "continuity report or breakdown missing"
    scenes = {s.number for s in run.breakdown.scenes}
    stray = [f.id for f in run.continuity.findings if f.scene is not None and f.scene not in scenes]
    return f"findings name missing scenes: {', '.join(stray[:5])}" if stray else ""


def _csv(run: CaseRun) -> str:
    """`shotlist.csv` has a header and one row per shot."""
    if "csv" not in run.case.formats:
        return ""
    try:
        rows = list(csv.reader(io.StringIO(run.path("shotlist.csv").read_text(encoding="utf-8"))))
    except OSError:
        return "shotlist.csv missing"
    shots = len(run.shotlist.shots) if run.shotlist else 0
    return "" if rows and len(rows) - 1 == shots else f"shotlist.csv has {max(len(rows) - 1, 0)} rows for {shots} shots"


def _frames(run: CaseRun) -> str:
    """Every shot has a storyboard frame that opens as a PNG."""
    if run.shotlist is None:
        return "shot list missing"
    for shot in run.shotlist.shots:
        path = frame_path(run.run_dir, shot.shot_id)
        try:
            with Image.open(path) as image:
                image.verify()
        except (OSError, SyntaxError):
            return f"frame for shot {shot.shot_id} missing or not a PNG ({path.name})"
    return ""


def _fountain(run: CaseRun) -> str:
    """The normalised screenplay parses back into the same number of scenes."""
    try:
        text = run.path("screenplay.fountain").read_text(encoding="utf-8")
    except OSError:
        return "screenplay.fountain missing"
    again = parse(text, "screenplay.fountain")
    want = len(run.breakdown.scenes) if run.breakdown else -1
    return "" if len(again.scenes) == want else f"screenplay.fountain parses into {len(again.scenes)} scenes, not {want}"


def _checks() -> list[tuple[str, Check]]:
    """Name every check (the name shows in the evidence when it fails)."""
    shapes: list[tuple[str, Check]] = [(n, lambda run, n=n: _shape(run, n)) for n in STABLE_KEYS]  # type: ignore[misc]
    return [*shapes, ("models", _models), ("shots", _shots_agree), ("findings", _findings_agree),
            ("csv", _csv), ("frames", _frames), ("fountain", _fountain)]


def grade(run: CaseRun) -> list[Score]:
    """Score the share of artefact checks that pass."""
    if run.status != "done":
        return []
    failures = [problem for _, check in _checks() if (problem := check(run))]
    total = len(_checks())
    return [ratio("schema", total - len(failures), total, failures)]
