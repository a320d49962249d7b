"""Eval graders on small hand-made run folders: each score, and the evidence behind it."""

from __future__ import annotations

import json
from pathlib import Path

from filmcrew.agents.breakdown import break_down
from filmcrew.agents.characters import build_library
from filmcrew.agents.storyboard import draw_frame, frame_path
from filmcrew.domain import ContinuityReport, Finding, RunInfo, Shot, ShotList
from filmcrew.evals.cases import Case, Expect
from filmcrew.evals.graders import artefacts, characters, coverage, expect, seeded, timing, writer
from filmcrew.evals.scoring import CaseRun, Score
from filmcrew.files import atomic_write_bytes, atomic_write_text, write_json
from filmcrew.tools.fountain import parse

SCRIPT = """INT. KITCHEN - NIGHT

MAYA (30s, red coat) comes in holding a KNIFE.

MAYA
Where is he?

JON (O.S.)
Out here.

MAYA
(quietly)
Stay there.

SMASH CUT TO BLACK.
"""


def shot(shot_id: str, lines: list[int], subjects: list[str], size: str = "MS", duration: float = 4.0,
         notes: str = "", kind: str = "single") -> Shot:
    """A shot of scene 1."""
    return Shot(shot_id=shot_id, scene=1, size=size, type=kind, subjects=subjects, lines=lines,
                duration_s=duration, notes=notes)


def make_run(tmp_path: Path, shots: list[Shot], findings: list[Finding] = (), *, frames: bool = True,
             **case: object) -> CaseRun:
    """Write a run folder as the crew would (screenplay, breakdown, library, shots, frames, report)."""
    script = tmp_path / "script.fountain"
    script.write_text(SCRIPT, encoding="utf-8")
    sp = parse(SCRIPT, str(script))
    run_dir = tmp_path / "run"
    sheet = break_down(sp)
    library = build_library(sp, sheet)
    write_json(run_dir / "work" / "screenplay.json", sp)
    write_json(run_dir / "breakdown.json", sheet)
    write_json(run_dir / "characters.json", library)
    write_json(run_dir / "shotlist.json", ShotList(shots=shots))
    write_json(run_dir / "continuity.json", ContinuityReport(findings=list(findings)))
    write_json(run_dir / "run.json", RunInfo(run_id="r1", status="done", calls=3, tokens=1200,
                                             notes=["scene 1: model answer repaired once"]))
    atomic_write_text(run_dir / "screenplay.fountain", SCRIPT)
    atomic_write_text(run_dir / "shotlist.csv", "scene,shot\n" + "".join(f"1,{s.shot_id}\n" for s in shots))
    if frames:
        for s in shots:
            atomic_write_bytes(frame_path(run_dir, s.shot_id), draw_frame(s, library, "16:9"))
    settings = {"title": "t", "script": "script.fountain", "formats": ["csv"], **case}
    return CaseRun(case=Case(id="t", folder=tmp_path, **settings), variant="authored", run_dir=run_dir)


def by_metric(scores: list[Score]) -> dict[str, Score]:
    """Scores keyed by metric."""
    return {s.metric: s for s in scores}


def test_coverage_counts_dialogue_lines_and_seen_speakers(tmp_path: Path) -> None:
    run = make_run(tmp_path, [shot("1A", [3, 5, 6], ["MAYA"], kind="master"), shot("1B", [8, 9], ["MAYA"]),
                              shot("1C", [11, 12, 13], [])])
    scores = by_metric(coverage.grade(run))
    assert scores["dialogue"].shown == "3/3"
    # JON (O.S.) is heard, not seen: only MAYA's two speeches count, and 1C (line 13) shows nobody
    assert scores["speakers"].shown == "1/2"
    assert scores["speakers"].evidence == ["scene 1 line 13: no covering shot shows MAYA"]
    run = make_run(tmp_path, [shot("1A", [3, 5, 6], ["MAYA"], kind="master")])
    scores = by_metric(coverage.grade(run))
    assert scores["dialogue"].shown == "1/3"
    assert scores["dialogue"].evidence == ["scene 1 line 9 (JON): no shot covers it",
                                           "scene 1 line 13 (MAYA): no shot covers it"]


def test_coverage_is_full_when_every_line_is_shot(tmp_path: Path) -> None:
    run = make_run(tmp_path, [shot("1A", [3, 5, 6, 8, 9, 11, 12, 13], ["MAYA"], kind="master")])
    scores = by_metric(coverage.grade(run))
    assert (scores["dialogue"].value, scores["speakers"].value) == (1.0, 1.0)


def test_timing_compares_shot_seconds_with_page_time(tmp_path: Path) -> None:
    run = make_run(tmp_path, [shot("1A", [3], ["MAYA"], duration=1.0)])
    page_s = run.breakdown.scenes[0].eighths * 7.5
    assert timing.grade(run)[0].value == 0.0
    run = make_run(tmp_path, [shot("1A", [3], ["MAYA"], duration=page_s)])
    score = timing.grade(run)[0]
    assert score.value == 1.0 and "ratio 1.00" in score.evidence[0]


def test_schema_passes_a_sound_run_and_names_what_breaks(tmp_path: Path) -> None:
    run = make_run(tmp_path, [shot("1A", [3, 6], ["MAYA"]), shot("1B", [13], ["MAYA"])])
    score = artefacts.grade(run)[0]
    assert score.value == 1.0, score.evidence
    data = json.loads((run.run_dir / "shotlist.json").read_text())
    del data["shots"][1]["lines"]
    (run.run_dir / "shotlist.json").write_text(json.dumps(data, sort_keys=True))
    (run.run_dir / "storyboard" / "1B.png").unlink()
    broken = CaseRun(case=run.case, variant="authored", run_dir=run.run_dir)
    score = artefacts.grade(broken)[0]
    assert score.value < 1.0
    assert any("shots[1] lacks stable key(s) lines" in e for e in score.evidence)
    assert any("frame for shot 1B" in e for e in score.evidence)


def test_schema_flags_unsorted_keys(tmp_path: Path) -> None:
    run = make_run(tmp_path, [shot("1A", [3], ["MAYA"])])
    (run.run_dir / "continuity.json").write_text('{"findings": [{"severity": "note", "id": "x", "kind": "name", '
                                                 '"scene": 1, "shot": null, "line": 3, "message": "m", "fix": ""}]}')
    score = artefacts.grade(run)[0]
    assert any("keys not sorted at findings[0]" in e for e in score.evidence)


def test_frames_and_subjects_catch_a_wrong_person(tmp_path: Path) -> None:
    run = make_run(tmp_path, [shot("1A", [3], ["MAYA"]), shot("1B", [6], ["MAYA"])])
    assert by_metric(characters.grade(run))["frames"].value == 1.0
    # the frame of 1B was drawn for MAYA, but the shot list now says a stranger is in it
    data = json.loads((run.run_dir / "shotlist.json").read_text())
    data["shots"][1]["subjects"] = ["STRANGER"]
    (run.run_dir / "shotlist.json").write_text(json.dumps(data, sort_keys=True, indent=2))
    scores = by_metric(characters.grade(CaseRun(case=run.case, variant="a", run_dir=run.run_dir)))
    assert scores["frames"].shown == "1/2" and "1B" in scores["frames"].evidence[0]
    assert scores["subjects"].shown == "1/2" and "STRANGER" in scores["subjects"].evidence[0]


def test_seeded_precision_and_recall_use_script_findings_only(tmp_path: Path) -> None:
    truth = {"errors": [{"kind": "prop_state", "scene": 1, "line": 3, "quote": "KNIFE"},
                        {"kind": "name", "scene": 1, "line": 8}],
             "decoys": [{"kind": "presence", "scene": 1, "line": 8, "quote": "JON (O.S.)"}]}
    (tmp_path / "truth.json").write_text(json.dumps(truth))
    findings = [
        Finding(id="a", kind="prop_state", severity="error", scene=1, line=3, message="knife"),
        Finding(id="b", kind="presence", severity="error", scene=1, line=8, message="JON is not here"),
        Finding(id="c", kind="jump_cut", severity="warning", scene=1, shot="1A", line=3, message="own shots"),
    ]
    run = make_run(tmp_path, [shot("1A", [3], ["MAYA"])], findings, truth="truth.json")
    scores = by_metric(seeded.grade(run))
    assert scores["continuity_precision"].shown == "1/2"
    assert scores["continuity_precision"].evidence == ["decoy presence scene 1 line 8: JON is not here"]
    assert scores["continuity_recall"].shown == "1/2"
    assert scores["continuity_recall"].evidence[0].startswith("missed name scene 1 line 8")


def test_writer_checks_hook_and_cliffhanger(tmp_path: Path) -> None:
    hooked = make_run(tmp_path, [shot("1A", [3], ["MAYA"], size="CU", duration=2.0), shot("1B", [6], ["MAYA"])],
                      kind="microdrama")
    score = writer.grade(hooked)[0]
    assert score.value == 1.0, score.evidence
    assert any("cliffhanger: line 15: SMASH CUT TO BLACK." in e for e in score.evidence)
    slow = make_run(tmp_path, [shot("1A", [3], [], size="WS", duration=4.0, kind="establishing"),
                               shot("1B", [6], ["MAYA"], size="CU")], kind="microdrama")
    score = writer.grade(slow)[0]
    assert score.shown == "2/3" and any(e.startswith("FAILED hook") for e in score.evidence)


def test_cliffhanger_needs_an_unresolved_ending() -> None:
    resolved = parse("INT. ROOM - DAY\n\nANA\nGood night.\n\nShe sleeps.\n")
    assert writer.ends_on_cliffhanger(resolved)[0] is False
    asked = parse("INT. ROOM - DAY\n\nANA\nWho is at the door?\n")
    assert writer.ends_on_cliffhanger(asked)[0] is True


def test_expect_reports_each_property(tmp_path: Path) -> None:
    run = make_run(tmp_path, [shot("1A", [3], ["MAYA"])],
                   expect=Expect(scenes=1, characters=["MAYA", "ZED"], min_shots=2,
                                 notes_mention=["repaired once"]))
    score = expect.grade(run)[0]
    assert score.shown == "3/5"
    assert score.evidence[:2] == ["FAILED character ZED in the library", "FAILED shots: 1 (at least 2)"]
