"""`filmcrew new` end to end through authored recordings: a short film, a micro-drama season,
and the clear exit 2 without a model. The writer answers from `tests/fixtures/recordings/writer/`;
every other agent runs offline on its craft rules.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filmcrew.tools.fountain import parse
from tests import chat_entry
from tests import writer_recordings as authored

RECORDINGS = Path(__file__).parent / "fixtures" / "recordings" / "writer"
FAST = "fountain,csv,json"


def use_recordings(project: Path, case: str) -> None:
    """Configure the project so the writer replays a case and every other agent stays offline."""
    (project / "filmcrew.toml").write_text(
        f'replay_dir = "{RECORDINGS / case}"\n\n[agents.writer]\nprovider = "replay"\n', encoding="utf-8")


def invoke(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the real entry point (with `new` attached); return exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as info:
        chat_entry.main.run(argv)
    out, err = capsys.readouterr()
    code = info.value.code
    return int(code) if isinstance(code, int) else 1, out, err


def test_new_short_from_recordings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    use_recordings(tmp_path, "short")
    code, out, err = invoke(["new", authored.SHORT_LOGLINE, "--format", "short", "--minutes", "1",
                             "--formats", FAST], capsys)
    assert code == 0, err
    assert "Draft · Low Tide" in out and "critique round 1" in out
    run_dir = tmp_path / "low-tide.filmcrew"
    draft = (run_dir / "screenplay.draft.fountain").read_text(encoding="utf-8")
    sp = parse(draft, "draft")
    assert [s.heading.text for s in sp.scenes if s.heading] == ["EXT. PIER - NIGHT", "INT. BAIT SHOP - NIGHT"]
    assert "the other red SHOE" in draft  # the critique's revision made it into the planned draft
    run = json.loads((run_dir / "run.json").read_text())
    assert run["status"] == "done"
    assert run["calls"] == len(list((RECORDINGS / "short").glob("*.json")))  # every recording used once
    assert run["provider_per_agent"]["writer"] == "replay"
    shots = json.loads((run_dir / "shotlist.json").read_text())["shots"]
    assert {s["scene"] for s in shots} == {1, 2}


def test_new_microdrama_season_shares_one_cast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    use_recordings(tmp_path, "season")
    code, out, err = invoke(["new", authored.SEASON_LOGLINE, "--format", "microdrama", "--episodes", "2",
                             "--formats", FAST], capsys)
    assert code == 0, err
    folder = tmp_path / "bed-nine-season"
    season = json.loads((folder / "season.json").read_text())
    assert [e["episode"] for e in season["episodes"]] == [1, 2]
    assert {e["status"] for e in season["episodes"]} == {"done"}
    libraries = []
    for number in (1, 2):
        script = folder / f"ep{number:02d}.fountain"
        assert parse(script.read_text(encoding="utf-8"), "ep").title_page[1].value.startswith(f"{number} - ")
        run_dir = folder / f"ep{number:02d}.filmcrew"
        assert json.loads((run_dir / "shotlist.json").read_text())["aspect"] == "9:16"
        libraries.append({c["name"]: (c["handle"], c["color"])
                          for c in json.loads((run_dir / "characters.json").read_text())["characters"]})
    shared = set(libraries[0]) & set(libraries[1])
    assert {"JUNE", "DR. HALE"} <= shared
    assert all(libraries[0][name] == libraries[1][name] for name in shared)  # same faces, handles, colours


def test_new_without_a_model_exits_2_saying_how(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke(["new", "A heist on a night train"], capsys)
    assert code == 2
    assert "needs a text model" in err and "OPENAI_API_KEY" in err and "filmcrew providers" in err
    assert not list(tmp_path.glob("*.filmcrew"))


def test_new_rejects_a_bad_format_before_anything_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke(["new", "x", "--format", "sitcom"], capsys)
    assert code == 2 and "unknown format 'sitcom'" in err
