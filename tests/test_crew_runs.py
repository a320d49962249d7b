"""Saved runs through the real graph (offline): approvals, resume, history, fork, lock, re-plan."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from filmcrew.config import load_settings
from filmcrew.crew import Crew
from filmcrew.errors import InputError, RunLocked
from filmcrew.runs import run_lock
from filmcrew.state import RunSettings

from .conftest import EXAMPLES

SHORT = EXAMPLES / "the-lighthouse-key.fountain"
VERTICAL = EXAMPLES / "wrong-number-ep1.fountain"
FAST = ["fountain", "csv", "json"]


def make_crew(project: Path) -> Crew:
    """A crew over a private project folder with the offline provider."""
    return Crew(project, load_settings(project), concurrency=2)


def copy_script(tmp_path: Path, source: Path = SHORT) -> Path:
    """Copy an example next to the test's project so edits do not touch the original."""
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


def test_plan_offline_writes_every_stage(tmp_path: Path) -> None:
    crew = make_crew(tmp_path)
    outcome = crew.start(copy_script(tmp_path), tmp_path / "out", RunSettings(formats=FAST))
    assert outcome.status == "done"
    out = tmp_path / "out"
    sheet = json.loads((out / "breakdown.json").read_text())
    assert len(sheet["scenes"]) == 12
    shots = json.loads((out / "shotlist.json").read_text())["shots"]
    assert len(shots) >= 24
    assert {s["scene"] for s in shots} == set(range(1, 13))
    frames = sorted(p.stem for p in (out / "storyboard").glob("*.png"))
    assert len(frames) == len(shots)
    run = json.loads((out / "run.json").read_text())
    assert run["status"] == "done" and run["run_id"] == outcome.run.run_id
    assert set(run["provider_per_agent"].values()) == {"offline"}
    assert {"parse", "breakdown", "shots", "continuity", "storyboard"} <= set(run["stage_seconds"])


def test_approvals_pause_and_resume(tmp_path: Path) -> None:
    crew = make_crew(tmp_path)
    outcome = crew.start(copy_script(tmp_path), tmp_path / "out", RunSettings(auto_approve=False, formats=FAST))
    assert outcome.status == "paused" and outcome.pending[0]["stage"] == "characters"
    assert (tmp_path / "out" / "characters.json").is_file()
    assert not (tmp_path / "out" / "shotlist.json").exists()
    with pytest.raises(InputError, match="approval"):
        crew.resume(outcome.run.run_id)
    outcome = crew.resume(outcome.run.run_id, {"approved": True, "note": ""})
    assert outcome.pending[0]["stage"] == "shots"
    outcome = crew.resume(outcome.run.run_id, {"approved": True, "note": "good coverage"})
    assert outcome.pending[0]["stage"] == "continuity"
    outcome = crew.resume(outcome.run.run_id, {"approved": True, "note": ""})
    assert outcome.status == "done"
    approvals = outcome.values["approvals"]
    assert approvals["shots"].note == "good coverage" and approvals["shots"].by == "user"


def test_reject_ends_the_run_with_the_note(tmp_path: Path) -> None:
    crew = make_crew(tmp_path)
    outcome = crew.start(copy_script(tmp_path), tmp_path / "out", RunSettings(auto_approve=False, formats=FAST))
    outcome = crew.resume(outcome.run.run_id, {"approved": False, "note": "Nora is older"})
    assert outcome.status == "rejected"
    assert outcome.values["approvals"]["characters"].note == "Nora is older"
    assert crew.registry.get(outcome.run.run_id).status == "rejected"


def test_history_and_fork_from_a_middle_checkpoint(tmp_path: Path) -> None:
    crew = make_crew(tmp_path)
    outcome = crew.start(copy_script(tmp_path), tmp_path / "out", RunSettings(formats=FAST))
    rows = crew.history(outcome.run.run_id)
    assert rows[0]["stage"] == "done"
    middle = next(r for r in rows if r["next"] == "approve_shots")
    record = crew.fork(outcome.run.run_id, middle["checkpoint"])
    assert record.parent.startswith(outcome.run.run_id)
    forked = crew.resume(record.run_id)
    assert forked.status == "done"
    original = json.loads((tmp_path / "out" / "shotlist.json").read_text())
    copy = json.loads((Path(record.run_dir) / "shotlist.json").read_text())
    assert copy == original
    assert len(crew.history(record.run_id)) < len(rows)


def test_a_run_in_use_cannot_be_opened_twice(tmp_path: Path) -> None:
    crew = make_crew(tmp_path)
    outcome = crew.start(copy_script(tmp_path), tmp_path / "out", RunSettings(auto_approve=False, formats=FAST))
    with run_lock(crew.registry.data_dir, outcome.run.run_id):
        with pytest.raises(RunLocked) as info:
            crew.resume(outcome.run.run_id, {"approved": True})
    assert info.value.exit_code == 2
    assert crew.resume(outcome.run.run_id, {"approved": True}).status == "paused"


def test_replan_after_an_edit_redoes_only_the_changed_scene(tmp_path: Path) -> None:
    crew = make_crew(tmp_path)
    script = copy_script(tmp_path)
    first = crew.start(script, tmp_path / "out", RunSettings(formats=FAST))
    before = {k: v.key for k, v in first.values["scene_shots"].items()}
    text = script.read_text().replace("Gulls argue over a capsized crate.", "Gulls scream over a capsized crate.")
    script.write_text(text)
    second = crew.start(script, tmp_path / "out", RunSettings(formats=FAST), run_id=first.run.run_id)
    after = second.values["scene_shots"]
    changed = sorted(int(k) for k, v in after.items() if not v.reused)
    assert changed == [1, 2]  # the edited scene, and the next one (its previous-scene context)
    assert {k: v.key for k, v in after.items() if k not in ("1", "2")} == {
        k: v for k, v in before.items() if k not in ("1", "2")}


def test_vertical_plan_uses_the_run_aspect(tmp_path: Path) -> None:
    crew = make_crew(tmp_path)
    outcome = crew.start(copy_script(tmp_path, VERTICAL), tmp_path / "out", RunSettings(aspect="9:16", formats=FAST))
    assert outcome.status == "done"
    shotlist = json.loads((tmp_path / "out" / "shotlist.json").read_text())
    assert shotlist["aspect"] == "9:16"
    from PIL import Image

    frame = next((tmp_path / "out" / "storyboard").glob("*.png"))
    with Image.open(frame) as image:
        assert image.height > image.width


def test_resume_of_a_run_killed_before_its_first_checkpoint_starts_it(tmp_path: Path) -> None:
    crew = make_crew(tmp_path)
    script = copy_script(tmp_path, VERTICAL)
    from filmcrew.files import sha256_file

    record = crew._register(str(script), sha256_file(script), (tmp_path / "out").resolve(),  # noqa: SLF001
                            RunSettings(formats=FAST))
    outcome = crew.resume(record.run_id)
    assert outcome.status == "done"
    assert (tmp_path / "out" / "shotlist.json").is_file()
