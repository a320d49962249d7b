"""Eval cases as data, the feature-length generator, and the authored answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filmcrew.agents.breakdown import break_down
from filmcrew.agents.characters import build_library
from filmcrew.agents.shot_beats import read_scene
from filmcrew.agents.shot_model import build_request, check_answer
from filmcrew.agents.shot_planner import plan_scene_rules, resolve_style
from filmcrew.errors import InputError
from filmcrew.evals.author import Answers, AuthoredProvider, load_answers
from filmcrew.evals.author_shots import author_plan, read_request
from filmcrew.evals.cases import load_cases
from filmcrew.evals.feature_script import feature_script
from filmcrew.providers.base import TextRequest, TextResult
from filmcrew.tools.fountain import parse

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "evals" / "cases"


def write_case(folder: Path, toml: str, script: str | None = "INT. ROOM - DAY\n\nA room.\n") -> Path:
    """Make a case folder with a case file (and a script)."""
    folder.mkdir(parents=True)
    (folder / "case.toml").write_text(toml, encoding="utf-8")
    if script is not None:
        (folder / "script.fountain").write_text(script, encoding="utf-8")
    return folder


def test_built_in_cases_load_and_cover_the_kinds() -> None:
    cases = load_cases(CASES)
    assert len(cases) >= 10
    kinds = {c.kind for c in cases}
    assert {"short", "microdrama", "feature", "continuity", "logline"} <= kinds
    assert all(c.truth_path() and c.truth_path().is_file() for c in cases if c.kind == "continuity")
    assert all(c.title and c.description for c in cases)


def test_case_errors_name_the_file_and_line(tmp_path: Path) -> None:
    write_case(tmp_path / "bad-key", 'title = "x"\nscript = "script.fountain"\nexpectt = 3\n')
    with pytest.raises(InputError, match=r"bad-key/case.toml:3: expectt: Extra inputs"):
        load_cases(tmp_path, ["bad-key"])
    write_case(tmp_path / "no-script", 'title = "x"\nscript = "missing.fountain"\n', script=None)
    with pytest.raises(InputError, match=r"no-script/case.toml:2: script file 'missing.fountain' does not exist"):
        load_cases(tmp_path, ["no-script"])
    write_case(tmp_path / "broken", 'title = "x\n')
    with pytest.raises(InputError, match=r"broken/case.toml:1: not valid TOML"):
        load_cases(tmp_path, ["broken"])
    with pytest.raises(InputError, match=r"no eval case 'brokn' \(did you mean 'broken'\?\)"):
        load_cases(tmp_path, ["brokn"])


def test_a_case_needs_one_input_and_known_agents(tmp_path: Path) -> None:
    write_case(tmp_path / "two", 'title = "x"\nscript = "script.fountain"\n[generate]\npages = 2\n')
    with pytest.raises(InputError, match="exactly one of script"):
        load_cases(tmp_path, ["two"])
    write_case(tmp_path / "agent", 'title = "x"\nscript = "script.fountain"\nagents = ["director"]\n')
    with pytest.raises(InputError, match=r"agent/case.toml:3: unknown agent\(s\) director"):
        load_cases(tmp_path, ["agent"])
    write_case(tmp_path / "pitch", 'title = "x"\nagents = ["shot_planner"]\n[logline]\ntext = "A heist."\n', script=None)
    with pytest.raises(InputError, match=r"pitch/case.toml:2: a logline case needs the writer"):
        load_cases(tmp_path, ["pitch"])


def test_feature_script_is_long_deterministic_and_parses() -> None:
    text = feature_script(110, 7)
    assert text == feature_script(110, 7)
    assert text != feature_script(110, 8)
    sp = parse(text, "feature.fountain")
    assert len(sp.scenes) >= 100 and not sp.warnings
    sheet = break_down(sp)
    assert 90 <= sheet.pages <= 130
    assert len([c for c in sheet.characters if c.speaking]) == 8


def _scene_request(script: str, number: int, aspect: str = "16:9") -> tuple[TextRequest, object, object, object, object]:
    """The shot planner's real request for one scene, and what checking an answer needs."""
    sp = parse(script, "s.fountain")
    sheet = break_down(sp)
    library = build_library(sp, sheet)
    scene = sheet.scenes[number - 1]
    settings = resolve_style(None, aspect)
    draft = plan_scene_rules(sp, scene, library, settings)
    return build_request(sp, scene, library, settings, draft), sp, scene, settings, library


def _problems(plan: dict, sp: object, scene: object, settings: object, library: object) -> list[str]:
    """What the crew's own check says about an authored plan."""
    result = TextResult(text=json.dumps(plan), parsed=plan)
    return check_answer(result, sp, read_scene(sp, scene, library), settings, library)[1]


def test_authored_dp_answers_the_real_request_validly() -> None:
    script = (CASES / "lighthouse-key" / "script.fountain").read_text(encoding="utf-8")
    req, sp, scene, settings, library = _scene_request(script, 2)
    ask = read_request(req.prompt)
    assert ask.cast == ["DEV", "NORA"] or sorted(ask.cast) == ["DEV", "NORA"]
    assert [s.speaker for s in ask.speeches][:2] == ["DEV", "NORA"]
    plan = author_plan(ask, first_scene=False)
    assert plan["shots"][0]["type"] == "master"
    assert _problems(plan, sp, scene, settings, library) == []
    flawed = author_plan(ask, first_scene=False, flaw="skip_speech")
    assert any("covered by no shot" in p for p in _problems(flawed, sp, scene, settings, library))


def test_authored_dp_opens_a_vertical_episode_on_a_hook() -> None:
    script = (CASES / "wrong-number-ep1" / "script.fountain").read_text(encoding="utf-8")
    req, sp, scene, settings, library = _scene_request(script, 1, "9:16")
    plan = author_plan(read_request(req.prompt), first_scene=True)
    assert plan["shots"][0]["notes"].startswith("HOOK") and plan["shots"][0]["size"] == "CU"
    assert _problems(plan, sp, scene, settings, library) == []


def test_authored_provider_uses_hand_written_answers_and_repairs(tmp_path: Path) -> None:
    script = (CASES / "lighthouse-key" / "script.fountain").read_text(encoding="utf-8")
    req, sp, *_ = _scene_request(script, 3)
    answers = Answers.model_validate({"shot_planner": {"flaws": {"3": "stranger"}}})
    author = AuthoredProvider(answers, sp)
    first = author.text(req.model_copy(update={"prompt_id": "shot_planner/plan_scene@1"}))
    assert any("STRANGER" in s["subjects"] for s in first.parsed["shots"])
    repair = author.text(req.model_copy(update={"prompt_id": "shot_planner/plan_scene@1#repair"}))
    assert not any("STRANGER" in s["subjects"] for s in repair.parsed["shots"])
    assert first.usage.input_tokens == len(req.prompt) // 4
    with pytest.raises(InputError, match="cannot answer prompt 'storyboard/judge@1'"):
        author.text(TextRequest(agent="storyboard", prompt="x", prompt_id="storyboard/judge@1"))
    with pytest.raises(InputError, match="authored answers have no outline for part 1"):
        author.text(TextRequest(agent="writer", prompt="x", prompt_id="writer/outline@1"))
    (tmp_path / "answers.json").write_text('{"shot_planner": {"flaws": {"1": "typo"}}}')
    with pytest.raises(InputError, match="unknown flaw 'typo'"):
        load_answers(tmp_path / "answers.json")


def test_every_built_in_case_has_readable_recordings() -> None:
    from filmcrew.evals.recording_sets import sets_for
    from filmcrew.providers.replay import load_recordings

    for case in load_cases(CASES):
        sets = sets_for(REPO / "evals" / "recordings", case.id)
        assert sets, f"{case.id} has no recordings"
        for found in sets:
            loaded = load_recordings(found.folder)  # valid files, one per request
            assert len(loaded) == found.files and found.source in ("authored", "recorded")
            assert {r.agent for r in loaded.values()} <= set(case.agents), case.id
