"""Shot-list rules (film-grammar.md §4, camera logic) on hand-built shot lists."""

from __future__ import annotations

from typing import Any

from filmcrew.agents.continuity import check_shots

from filmcrew.domain import Breakdown, BreakdownScene, Finding, Shot, ShotList


def shot(shot_id: str, **fields: Any) -> Shot:
    """Build a shot of scene 1 with defaults a test can override."""
    base: dict[str, Any] = {"shot_id": shot_id, "scene": 1, "size": "MCU", "type": "single", "subjects": [],
                            "lines": [10], "duration_s": 3.0, "setup": shot_id}
    base.update(fields)
    return Shot(**base)


def sheet(*times: str) -> Breakdown:
    """A breakdown whose scenes have the given times of day."""
    return Breakdown(scenes=[
        BreakdownScene(number=i, label=str(i), heading="INT. ROOM", int_ext="INT", location="ROOM", time_of_day=t,
                       story_day=1, eighths=8, eighths_str="1", start_line=1, end_line=99)
        for i, t in enumerate(times or ("DAY",), start=1)])


def check(*shots: Shot, aspect: str = "16:9", breakdown: Breakdown | None = None) -> list[Finding]:
    """Run the shot rules over a list of shots."""
    return check_shots(ShotList(aspect=aspect, shots=list(shots)), breakdown or sheet())


def kinds(found: list[Finding]) -> list[tuple[str, str | None]]:
    """Return (kind, shot) pairs."""
    return [(f.kind, f.shot) for f in found]


A_LEFT = {"subjects": ["ANA"], "screen_side": "left", "direction": "screen right"}
B_RIGHT = {"subjects": ["BEN"], "screen_side": "right", "direction": "screen left"}


def test_a_subject_changing_side_crosses_the_line() -> None:
    found = check(shot("1A", **A_LEFT), shot("1B", **B_RIGHT),
                  shot("1C", subjects=["ANA"], screen_side="right", direction="screen left"))
    assert kinds(found) == [("axis_180", "1C")]
    assert found[0].severity == "error" and "1A" in found[0].message


def test_the_planner_line_note_on_a_master_sets_sides() -> None:
    master = shot("1A", size="WS", type="master", subjects=["ANA", "BEN"],
                  notes="line: ANA frame left, BEN frame right")
    found = check(master, shot("1B", subjects=["BEN"], screen_side="left", direction="screen left", size="MS"))
    assert ("axis_180", "1B") in kinds(found)


def test_an_on_axis_shot_or_a_crossing_move_resets_the_line() -> None:
    on_axis = shot("1B", subjects=["ANA"], screen_side="neutral", direction="toward camera", size="CU")
    assert check(shot("1A", **A_LEFT), on_axis, shot("1C", subjects=["ANA"], screen_side="right", size="MS")) == []
    move = shot("1B", subjects=["ANA"], size="MS", screen_side="right", movement="steadicam/gimbal",
                description="the camera arcs around her and crosses the line")
    assert kinds(check(shot("1A", **A_LEFT), move)) == []


def test_paired_singles_must_look_opposite_ways() -> None:
    found = check(shot("1A", **A_LEFT), shot("1B", subjects=["BEN"], screen_side="right", direction="screen right"))
    assert kinds(found) == [("eyeline", "1B")]
    assert check(shot("1A", **A_LEFT), shot("1B", **B_RIGHT)) == []


def test_eyelines_in_a_group_are_not_judged_pairwise() -> None:
    c_left = {"subjects": ["CY"], "screen_side": "left", "direction": "screen right"}
    assert check(shot("1A", **A_LEFT), shot("1B", size="CU", **B_RIGHT), shot("1C", **c_left),
                 shot("1D", size="MS", **A_LEFT)) == []


def test_same_subject_same_size_same_setup_is_a_jump_cut() -> None:
    found = check(shot("1A", setup="C", **A_LEFT), shot("1B", setup="C", type="reaction", **A_LEFT))
    assert kinds(found) == [("jump_cut", "1B")]
    assert check(shot("1A", setup="C", **A_LEFT), shot("1B", setup="C", size="CU", **A_LEFT)) == []


def test_four_shots_at_one_size_is_a_monotony_note() -> None:
    found = check(shot("1A", **A_LEFT), shot("1B", **B_RIGHT), shot("1C", **A_LEFT), shot("1D", **B_RIGHT))
    assert kinds(found) == [("monotony", "1D")]
    assert found[0].severity == "note"


def test_a_shot_shorter_than_its_speech() -> None:
    speech = "ANA: I told you twice already, the train leaves at nine and not a minute later."
    found = check(shot("1A", duration_s=2.0, dialogue=speech, **A_LEFT))
    assert kinds(found) == [("duration", "1A")]
    assert "15 words" in found[0].message
    assert check(shot("1A", duration_s=6.0, dialogue=speech, **A_LEFT)) == []


def test_a_reaction_under_someone_elses_line_may_be_short() -> None:
    speech = "ANA: I told you twice already, the train leaves at nine and not a minute later."
    assert check(shot("1A", duration_s=1.5, type="reaction", dialogue=speech, **B_RIGHT)) == []


def test_side_by_side_close_ups_do_not_fit_a_vertical_frame() -> None:
    pair = shot("1A", type="two-shot", subjects=["ANA", "BEN"])
    trio = shot("1B", size="MS", type="group", subjects=["ANA", "BEN", "CY"])
    assert kinds(check(pair, trio, aspect="9:16")) == [("framing", "1A"), ("framing", "1B")]
    assert check(pair, trio, aspect="16:9") == []
    stacked = shot("1A", type="two-shot", subjects=["ANA", "BEN"],
                   notes="stacked: ANA foreground low, BEN background high")
    assert check(stacked, aspect="9:16") == []


def test_screen_direction_holds_within_a_scene_and_into_a_continuous_one() -> None:
    walk = {"subjects": ["ANA"], "size": "WS", "type": "master", "movement": "dolly"}
    found = check(shot("1A", direction="screen right", **walk), shot("1B", direction="screen left", **walk))
    assert kinds(found) == [("screen_direction", "1B")]
    turn = shot("1B", direction="screen left", description="Ana turns back", **walk)
    assert check(shot("1A", direction="screen right", **walk), turn) == []
    later = shot("2A", scene=2, direction="screen left", **walk)
    assert check(shot("1A", direction="screen right", **walk), later, breakdown=sheet("DAY", "DAY")) == []
    assert kinds(check(shot("1A", direction="screen right", **walk), later, breakdown=sheet("DAY", "CONTINUOUS"))) == [
        ("screen_direction", "2A")]


def test_a_reversal_is_fixed_to_the_way_the_subject_last_travelled() -> None:
    from filmcrew.agents.shot_revision import revise_shots

    walk = {"size": "WS", "type": "master", "movement": "dolly"}
    shots = [shot("1A", subjects=["ANA"], direction="screen right", **walk),
             shot("1B", subjects=["ANA"], direction="screen right", size="CU", type="single"),  # a look: no travel
             shot("1C", subjects=["ANA"], direction="screen left", **{**walk, "size": "MWS"})]
    found = check(*shots)
    revised, notes = revise_shots(shots, found)
    assert notes == ["shot 1C: movement kept screen right (continuity screen_direction)"]
    assert check(*revised) == []


def test_a_reversal_it_cannot_fix_is_left_for_a_person_not_claimed_fixed() -> None:
    from filmcrew.agents.shot_revision import revise_shots

    walk = {"size": "WS", "type": "master", "movement": "dolly"}
    apart = [shot("1A", subjects=["ANA"], direction="screen right", **walk),
             shot("1B", subjects=["BEN"], direction="screen left", **walk),
             shot("1C", subjects=["ANA", "BEN"], direction="screen left", **{**walk, "type": "two-shot"})]
    found = check(*apart)
    assert kinds(found) == [("screen_direction", "1C")]
    assert revise_shots(apart, found) == (apart, [])  # one way would reverse the other subject
    into = [shot("2A", scene=2, subjects=["ANA"], direction="screen left", **walk)]
    before = [shot("1A", subjects=["ANA"], direction="screen right", **walk), *into]
    found = check(*before, breakdown=sheet("DAY", "CONTINUOUS"))
    assert kinds(found) == [("screen_direction", "2A")]
    assert revise_shots(into, found) == (into, [])  # the earlier travel is in the scene before
