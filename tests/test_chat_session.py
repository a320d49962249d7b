"""The chat session in process (offline): wardrobe edits, per-scene style, season split, the writer node."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from filmcrew.agents.writer import ModelRequired
from filmcrew.chat.journal import WardrobeEdit
from filmcrew.chat.session import Session
from filmcrew.config import load_settings
from filmcrew.crew import Crew
from filmcrew.errors import InputError
from filmcrew.nodes.writer import DRAFT_FILE, write_script
from filmcrew.providers import ScriptedProvider
from filmcrew.providers.offline import OfflineProvider
from filmcrew.state import RunSettings
from filmcrew.tools.fountain import parse
from tests import writer_recordings as authored

from .conftest import EXAMPLES

SCRIPT = EXAMPLES / "the-lighthouse-key.fountain"


def session_at_shots(tmp_path: Path) -> Session:
    """A session over a copy of the example, planned and paused at the shot list."""
    script = tmp_path / SCRIPT.name
    shutil.copy(SCRIPT, script)
    session, _ = Session.for_script(Crew(tmp_path, load_settings(tmp_path), concurrency=2), script)
    session.state.settings = session.state.settings.model_copy(update={"formats": ["csv"]})
    session.plan("/plan")
    session.approve("", "/approve")
    return session


def test_wardrobe_edit_redoes_only_that_characters_scenes(tmp_path: Path) -> None:
    session = session_at_shots(tmp_path)
    before = {k: v.key for k, v in session.head().values["scene_shots"].items()}
    sheet = session.breakdown()
    assert sheet is not None
    isla_scenes = {s.number for s in sheet.scenes if "ISLA" in s.characters}
    step = session.set_wardrobe(WardrobeEdit(character="isla", story_day=0, wardrobe=["red coat"]), "/wardrobe")
    assert step.auto == ["characters"] and step.pending == "shots"
    library = session.library()
    assert library is not None
    isla = library.get("ISLA")
    assert isla is not None and "red coat" in isla.signature_wardrobe
    assert all("red coat" in look.wardrobe for look in isla.looks)
    after = {k: v.key for k, v in session.head().values["scene_shots"].items()}
    redone = {int(k) for k in after if after[k] != before[k]}
    assert redone and redone <= isla_scenes  # shots of scenes without Isla are kept
    with pytest.raises(InputError, match="no character 'MAYA'"):
        session.set_wardrobe(WardrobeEdit(character="MAYA", wardrobe=["hat"]), "/wardrobe")


def test_a_replan_keeps_wardrobe_edits_and_unchanged_approvals(tmp_path: Path) -> None:
    session = session_at_shots(tmp_path)
    session.set_wardrobe(WardrobeEdit(character="NORA", story_day=1, wardrobe=["red coat"]), "/wardrobe")
    session.approve("", "/approve")  # the shots
    text = session.text().replace("Gulls argue over a capsized crate.", "Gulls scream over a capsized crate.")
    session.add_text(text, "edited by hand", "/load")
    step = session.plan("/plan")
    assert "characters" in step.auto  # the rebuilt library, edits laid over, is what was approved
    nora = session.library().get("NORA")  # type: ignore[union-attr]
    assert nora is not None and all("red coat" in look.wardrobe for look in nora.looks if look.story_day == 1)


def test_style_of_one_scene_replans_that_scene_only(tmp_path: Path) -> None:
    session = session_at_shots(tmp_path)
    before = session.shotlist()
    session.set_style(3, "handheld documentary", "/style 3 handheld documentary")
    after = session.shotlist()
    assert before is not None and after is not None
    old = {(s.scene, s.shot_id, s.size, s.movement) for s in before.shots}
    new = {(s.scene, s.shot_id, s.size, s.movement) for s in after.shots}
    assert {scene for scene, *_ in old ^ new} == {3}


def test_split_plans_a_season_with_one_cast(tmp_path: Path) -> None:
    from filmcrew.chat.commands import Context, run

    session = session_at_shots(tmp_path)
    printed: list[str] = []
    console = SimpleNamespace(print=lambda *a, **k: printed.append(" ".join(str(x) for x in a)))
    ctx = Context(session=session, console=console, ask=input, busy=lambda what: _null(),  # type: ignore[arg-type]
                  has_model=lambda: False)
    run("/split 3", ctx)
    folder = session.run_dir / "episodes"  # type: ignore[operator]
    season = json.loads((folder / "season.json").read_text())
    assert [e["status"] for e in season["episodes"]] == ["done"] * 3
    casts = [json.loads((Path(e["run_dir"]) / "characters.json").read_text())["characters"] for e in season["episodes"]]
    colours = [{c["name"]: c["color"] for c in cast} for cast in casts]
    for name in set(colours[0]) & set(colours[1]):
        assert colours[0][name] == colours[1][name]
    assert json.loads((Path(season["episodes"][0]["run_dir"]) / "shotlist.json").read_text())["aspect"] == "9:16"


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _runtime(run_dir: Path, provider: object) -> SimpleNamespace:
    """The bits of a LangGraph runtime the writer node reads."""
    context = SimpleNamespace(run_dir=run_dir, provider_for=lambda agent: provider, info={},
                              tick=lambda stage, total: None)
    return SimpleNamespace(context=context)


def test_write_script_node_drafts_once_per_request(tmp_path: Path) -> None:
    answers = [authored.SHORT_OUTLINE, authored.SHORT_BEATS, authored.SHORT_FOUNTAIN, {"issues": []}]
    provider = ScriptedProvider(list(answers))
    state = {"settings": RunSettings(logline=authored.SHORT_LOGLINE, format="short", minutes=1)}
    update = write_script(state, _runtime(tmp_path, provider))  # type: ignore[arg-type]
    provider.assert_consumed()
    assert update["script_path"] == str(tmp_path / DRAFT_FILE)
    assert len([s for s in parse((tmp_path / DRAFT_FILE).read_text(), "d").scenes if s.heading]) == 2
    again = write_script(state, _runtime(tmp_path, ScriptedProvider([])))  # type: ignore[arg-type]
    assert again == {"script_path": str(tmp_path / DRAFT_FILE)}  # reused: no model call
    with pytest.raises(ModelRequired):
        other = {"settings": RunSettings(logline="another story")}
        write_script(other, _runtime(tmp_path, OfflineProvider()))  # type: ignore[arg-type]
