"""The rule-based shot planner on hand-built scenes: one rule per test (film-grammar.md §2-§3)."""

from __future__ import annotations

import pytest
from filmcrew.agents.shot_beats import read_scene
from filmcrew.agents.shot_framing import letters, shooting_order, shot_id
from filmcrew.agents.shot_planner import (
    ShotSettings,
    plan_scene,
    plan_scene_rules,
    resolve_style,
    validate_shots,
)
from filmcrew.agents.shot_timing import text_seconds
from filmcrew.agents.shot_vocab import ANGLES, MOVEMENTS, SIZES, TYPES, WIDE_SIZES

from filmcrew.domain import BreakdownScene, Character, CharacterLibrary, Screenplay, Shot
from tests.shot_helpers import make_sp, row, speech, two_hander

CLASSIC = resolve_style(None, "16:9")


def plan(
    sp: Screenplay,
    scene: BreakdownScene,
    settings: ShotSettings = CLASSIC,
    previous: BreakdownScene | None = None,
    library: CharacterLibrary | None = None,
) -> list[Shot]:
    """Plan one hand-built scene by the rules."""
    return plan_scene_rules(sp, scene, library, settings, previous=previous)


def of_type(shots: list[Shot], kind: str) -> list[Shot]:
    return [s for s in shots if s.type == kind]


# --- establishing and master -------------------------------------------------------------


def test_new_location_gets_an_exterior_establishing_shot_first() -> None:
    sp, scene = two_hander()
    shots = plan(sp, scene)
    first = shots[0]
    assert first.type == "establishing" and first.size in WIDE_SIZES
    assert first.audio == "MOS" and first.subjects == []
    assert "EXT. HARBOUR OFFICE" in first.description  # an INT scene is established from outside
    assert first.lines == [1]  # the heading: the interior description belongs to the master


def test_continuous_action_in_the_same_place_is_not_re_established() -> None:
    sp = make_sp(
        ("scene_heading", "EXT. LIGHTHOUSE - NIGHT"),
        ("action", "Waves."),
        ("scene_heading", "INT. LIGHTHOUSE - LAMP ROOM - CONTINUOUS"),
        ("action", "ISLA climbs in."),
        ("scene_heading", "INT. LIGHTHOUSE - LAMP ROOM - LATER"),
        ("action", "Isla sleeps."),
    )
    first, second, third = (
        row(sp, n, characters=c) for n, c in ((1, []), (2, ["ISLA"]), (3, ["ISLA"]))
    )
    assert not of_type(
        plan(sp, second, previous=first), "establishing"
    )  # same building, continuous
    assert of_type(plan(sp, third, previous=second), "establishing")  # LATER is a new time


def test_running_on_into_another_interior_or_a_heading_without_a_place_is_not_established() -> None:
    sp = make_sp(
        ("scene_heading", "INT. BLOOM HOUSE - KITCHEN - NIGHT"),
        ("action", "ISLA drops the plate."),
        ("scene_heading", "INT. HALLWAY - CONTINUOUS"),
        ("action", "Isla runs."),
        ("scene_heading", ".OPENING TITLES"),
        ("action", "Names over black."),
        ("scene_heading", "INT. TAXI - NIGHT"),
        ("action", "Isla rides."),
    )
    kitchen, hallway, titles, taxi = (row(sp, n, characters=["ISLA"]) for n in (1, 2, 3, 4))
    assert not of_type(plan(sp, hallway, previous=kitchen), "establishing")
    assert not of_type(plan(sp, titles, previous=hallway), "establishing")
    ride = of_type(plan(sp, taxi, previous=titles), "establishing")
    assert ride and "the taxi from outside" in ride[0].description


def test_every_scene_with_people_gets_a_master_over_all_its_beats() -> None:
    sp, scene = two_hander()
    shots = plan(sp, scene)
    masters = of_type(shots, "master")
    assert len(masters) == 1
    reading = read_scene(sp, scene, None)
    assert masters[0].lines == reading.all_lines()
    assert masters[0].subjects == ["DEV", "NORA"]


def test_an_empty_exterior_states_why_it_has_no_master() -> None:
    sp = make_sp(
        ("scene_heading", "EXT. CAUSEWAY - NIGHT"),
        ("action", "Storm. Waves break over the empty causeway."),
    )
    shots = plan(sp, row(sp, 1, characters=[], eighths=1))
    assert not of_type(shots, "master")
    assert "no master:" in shots[0].notes


# --- dialogue coverage -------------------------------------------------------------------


def test_two_people_get_ots_and_clean_singles_on_their_own_lines() -> None:
    sp, scene = two_hander()
    shots = plan(sp, scene)
    singles = {s.subjects[0]: s for s in of_type(shots, "single")}
    assert set(singles) == {"DEV", "NORA"}
    assert singles["DEV"].lines == [8, 14] and singles["NORA"].lines == [11, 19]
    assert singles["DEV"].size == "MCU" and singles["DEV"].lens == "85"


def test_ots_come_in_pairs_when_the_scene_has_time_for_them() -> None:
    long_scene = make_sp(
        ("scene_heading", "INT. HARBOUR OFFICE - DAY"),
        *speech(
            "DEV",
            "Mrs Vance. You got my letter, the one about the light and the lease and the keys.",
        ),
        *speech(
            "NORA",
            "I got a letter. Whether it was yours I couldn't say. It didn't sound like anybody.",
        ),
        *speech(
            "DEV",
            "The trust is automating the light. It's not personal. It's a decision about money.",
        ),
        *speech(
            "NORA",
            "Everything's personal to the people it happens to. You'll find that out one day.",
        ),
    )
    shots = plan(long_scene, row(long_scene, 1, characters=["DEV", "NORA"]))
    ots = of_type(shots, "OTS")
    assert [s.subjects for s in ots] == [["DEV", "NORA"], ["NORA", "DEV"]]


def test_three_people_get_a_group_master_and_a_single_per_speaker() -> None:
    sp = make_sp(
        ("scene_heading", "INT. LAMP ROOM - NIGHT"),
        ("action", "Nora and Isla work the crank. Dev stumbles in."),
        *speech("ISLA", "Gran, the board's gone."),
        *speech("NORA", "Then we do it the old way."),
        *speech("DEV", "There's a trawler off the north rock."),
        *speech("NORA", "Then take that handle."),
        *speech("ISLA", "On three."),
    )
    shots = plan(sp, row(sp, 1, characters=["ISLA", "NORA", "DEV"]))
    master = of_type(shots, "master")[0]
    assert master.description.startswith("Group master") and len(master.subjects) == 3
    assert {s.subjects[0] for s in of_type(shots, "single")} >= {"ISLA", "NORA", "DEV"}


def test_a_line_that_lands_gets_a_reaction_on_the_listener() -> None:
    sp, scene = two_hander()
    reactions = of_type(plan(sp, scene), "reaction")
    assert reactions and reactions[0].subjects == ["NORA"]
    assert reactions[0].lines == [14, 16]  # Dev's line and "Nora stares at it."


def test_voice_over_lines_are_heard_over_the_listener_not_seen() -> None:
    sp = make_sp(
        ("scene_heading", "INT. BEDROOM - NIGHT"),
        ("action", "MIA wakes to her phone."),
        *speech("UNKNOWN", "Don't scream.", extensions=["V.O."]),
        ("action", "Mia freezes."),
        *speech("MIA", "Who is this?", paren="(whisper)"),
    )
    scene = row(sp, 1, characters=["MIA", "UNKNOWN"], speaking=["UNKNOWN", "MIA"])
    shots = plan(sp, scene)
    assert all("UNKNOWN" not in s.subjects for s in shots)
    alone = of_type(shots, "single")[0]
    assert alone.subjects == ["MIA"] and alone.lines == [
        6,
        12,
    ]  # she is alone: her single holds the voice
    vertical = plan(
        sp, scene, settings=resolve_style(None, "9:16")
    )  # cuts faster: room for the reaction
    reaction = of_type(vertical, "reaction")[0]
    assert reaction.subjects == ["MIA"] and reaction.lines == [6, 8] and reaction.audio == "V.O."


# --- inserts, movement, angle, lens ------------------------------------------------------


def test_a_prop_in_caps_gets_an_insert_on_the_action_that_handles_it() -> None:
    sp, scene = two_hander()
    insert = of_type(plan(sp, scene), "insert")[0]
    assert insert.lines == [16] and "FORM" in insert.description
    assert insert.subjects == ["DEV"] and insert.audio == "MOS" and insert.size == "INSERT"


def test_a_prop_named_in_lower_case_is_set_dressing_not_an_insert() -> None:
    sp = make_sp(
        ("scene_heading", "INT. OFFICE - NIGHT"),
        ("action", "DEV works under a desk lamp."),
        *speech("DEV", "Late again."),
    )
    assert not of_type(plan(sp, row(sp, 1, characters=["DEV"], props=["LAMP"])), "insert")


def test_a_chase_moves_and_a_confession_holds() -> None:
    sp = make_sp(
        ("scene_heading", "EXT. DOCKS - NIGHT"),
        ("action", "MAYA sprints along the quay. KANE chases her, gaining."),
        *speech("KANE", "Stop!"),
        ("scene_heading", "INT. CAR - NIGHT"),
        ("action", "Maya and Kane sit in silence."),
        *speech("MAYA", "I did it. I let them in.", paren="(quietly)"),
        *speech("KANE", "I know."),
    )
    chase = plan(sp, row(sp, 1, characters=["MAYA", "KANE"]))
    moving = [
        s for s in chase if s.movement in ("steadicam/gimbal", "handheld", "truck", "dolly in")
    ]
    assert moving and moving[0].lines == [3]
    confession = plan(
        sp,
        row(sp, 2, characters=["MAYA", "KANE"]),
        previous=row(sp, 1, characters=["MAYA", "KANE"]),
    )
    maya = next(s for s in of_type(confession, "single") if s.subjects == ["MAYA"])
    assert maya.movement in ("static", "dolly in")
    assert maya.movement == CLASSIC.preset.intimate_movement


def test_lens_follows_frame_size() -> None:
    sp, scene = two_hander()
    lenses = {s.size: s.lens for s in plan(sp, scene)}
    assert int(lenses["EWS"]) < int(lenses["WS"]) < int(lenses["MCU"]) <= int(lenses["INSERT"])


def test_every_field_uses_the_vocabulary() -> None:
    sp, scene = two_hander()
    for shot in plan(sp, scene):
        assert shot.size in SIZES and shot.type in TYPES
        assert shot.angle in ANGLES and shot.movement in MOVEMENTS
        assert shot.audio in ("sync", "MOS", "V.O.")
        assert (
            shot.int_ext == "INT"
            and shot.location == "HARBOUR OFFICE"
            and shot.time_of_day == "DAY"
        )
    assert validate_shots(sp, scene, plan(sp, scene)) == []


# --- the 180-degree line, setups, ids ----------------------------------------------------


def test_speakers_keep_their_side_of_the_line_and_look_at_each_other() -> None:
    sp, scene = two_hander()
    singles = {s.subjects[0]: s for s in of_type(plan(sp, scene), "single")}
    assert (singles["DEV"].screen_side, singles["DEV"].direction) == ("left", "screen right")
    assert (singles["NORA"].screen_side, singles["NORA"].direction) == ("right", "screen left")


def test_setups_group_shots_by_camera_position_and_give_a_shooting_order() -> None:
    sp, scene = two_hander()
    shots = plan(sp, scene)
    by_id = {s.shot_id: s for s in shots}
    on_nora = {
        s.setup for s in shots if s.subjects[:1] == ["NORA"] and s.type in ("single", "reaction")
    }
    assert len(on_nora) == 1  # Nora's single and her reaction share a position
    order = [by_id[i] for i in shooting_order(shots)]
    assert order[0].type == "master"  # the wide is lit and shot first
    assert order[-1].type in ("establishing", "insert")
    assert sorted(shooting_order(shots)) == sorted(by_id)


@pytest.mark.parametrize(
    ("index", "expected"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA")]
)
def test_shot_letters_continue_after_z(index: int, expected: str) -> None:
    assert letters(index) == expected


def test_shot_ids_use_the_scene_label_and_keep_forced_numbers_apart() -> None:
    assert shot_id("12", 1) == "12B"
    assert shot_id("12A", 0) == "12A-A"  # "12AA" would collide with scene 12's 27th shot
    sp = make_sp(
        ("scene_heading", "INT. ROOM - DAY", {"scene_number": "7B"}), ("action", "ANA waits.")
    )
    scene = row(sp, 1, characters=["ANA"])
    assert scene.label == "7B"
    assert [s.shot_id for s in plan(sp, scene)][:2] == ["7B-A", "7B-B"]


# --- durations -----------------------------------------------------------------------------


def test_shot_durations_share_out_the_scene_text_time() -> None:
    sp, scene = two_hander()
    shots = plan(sp, scene)
    reading = read_scene(sp, scene, None)
    assert sum(s.duration_s for s in shots) == pytest.approx(
        text_seconds(reading), abs=0.05 * len(shots)
    )
    assert min(s.duration_s for s in shots) >= CLASSIC.preset.floor_s - 0.05


def test_a_longer_speech_plays_longer() -> None:
    words = "No. " + "I will not go back there again, not tonight, not ever. " * 3
    short = make_sp(("scene_heading", "INT. ROOM - DAY"), *speech("ANA", "No."))
    long = make_sp(("scene_heading", "INT. ROOM - DAY"), *speech("ANA", words))
    t_short = text_seconds(read_scene(short, row(short, 1, characters=["ANA"]), None))
    t_long = text_seconds(read_scene(long, row(long, 1, characters=["ANA"]), None))
    # 14 characters a second; a one-word line still takes the 1 s minimum
    assert t_long - t_short == pytest.approx(len(words.strip()) / 14 - 1.0, abs=0.01)


def test_a_scene_far_from_its_page_time_carries_a_note_saying_why() -> None:
    sp = make_sp(("scene_heading", "INT. ROOM - DAY"), ("action", "ANA waits."))
    scene = row(sp, 1, characters=["ANA"], eighths=8)  # a whole page for one line: far off
    shots, notes = plan_scene(sp, scene, None, CLASSIC, None)
    assert notes and notes[0].startswith("scene 1: shots add up to")
    scene_ok = row(sp, 1, characters=["ANA"], eighths=1)
    shots, notes = plan_scene(sp, scene_ok, None, CLASSIC, None)
    assert abs(sum(s.duration_s for s in shots) - 7.5) <= 0.15 * 7.5 and notes == []


# --- names, pronouns, library ------------------------------------------------------------


def test_library_aliases_and_pronouns_find_who_an_action_involves() -> None:
    sp = make_sp(
        ("scene_heading", "INT. KITCHEN - DAY"),
        ("action", "Mo burns the toast. She swears quietly."),
        *speech("MAUREEN", "Not again."),
    )
    library = CharacterLibrary(
        characters=[Character(name="MAUREEN", handle="maureen", aliases=["MO"], pronouns="she/her")]
    )
    reading = read_scene(sp, row(sp, 1, characters=["MAUREEN"]), library)
    beat = reading.action_beats()[0]
    assert beat.characters == ["MAUREEN"]
    assert "intimate" in beat.moods_for("MAUREEN")  # "She swears quietly."


def test_a_voice_through_a_device_or_on_the_other_end_of_a_call_is_heard_not_framed() -> None:
    from filmcrew.agents.breakdown import break_down
    from filmcrew.tools.fountain import parse

    sp = parse("""
INT. KITCHEN - NIGHT

KATE plays the messages on the answering machine.

MESSAGE MACHINE
Mrs. Randolph, please call me back.

She dials the number.

BURTON
Hello?

KATE
This is Kate Randolph.

BURTON
I have news about your husband.

INT. OFFICE - DAY

MIKE hits the button on the intercom.

INTERCOM
How ya doing, Mike?

MIKE
Good morning, sir.
""")
    sheet = break_down(sp)
    assert sheet.scenes[0].offscreen == ["MESSAGE MACHINE", "BURTON"]
    for scene, seen in ((sheet.scenes[0], {"KATE"}), (sheet.scenes[1], {"MIKE"})):
        shots = plan(sp, scene)
        assert {name for shot in shots for name in shot.subjects} == seen
        heard = {line for shot in shots for line in shot.lines}
        assert all(e.start_line in heard for e in sp.scene_elements(sp.scenes[scene.number - 1])
                   if e.kind == "dialogue")


def test_in_a_phone_scene_everyone_named_in_the_action_stays_on_screen() -> None:
    from filmcrew.agents.breakdown import break_down
    from filmcrew.tools.fountain import parse

    sp = parse("""
INT. KITCHEN - NIGHT

KATE hangs up the phone. DEV walks in.

DEV
Who was it?

KATE
Nobody.
""")
    shots = plan(sp, break_down(sp).scenes[0])
    assert {name for shot in shots for name in shot.subjects} == {"KATE", "DEV"}


def test_the_writers_own_camera_directions_are_shot_as_written() -> None:
    from filmcrew.agents.breakdown import break_down
    from filmcrew.tools.fountain import parse

    sp = parse("""
INT. LIBRARY - NIGHT

EDWARD pulls a heavy book from the shelf.

INSERT: The encyclopedia article about the giant catfish.

CLOSE ON Edward as he reads.

EDWARD
It's real.

As the crowd cheers, we CRANE UP above the battlefield.

He PULLS OUT a pen. A CRANE flies past the window.
""")
    shots = plan(sp, break_down(sp).scenes[0])
    written = [s for s in shots if s.description.startswith("As written")]
    assert [(s.size, s.type, s.subjects, s.lines) for s in written] == [
        ("INSERT", "insert", [], [6]),
        ("CU", "single", ["EDWARD"], [8]),
        ("WS", "cutaway", [], [13]),
    ]
    assert written[2].movement == "crane/jib"
    assert written[0].description == "As written: The encyclopedia article about the giant catfish."
    assert not any(15 in s.lines for s in written)  # a man pulling out a pen, a bird: no camera move


def test_a_shot_description_does_not_stop_at_a_title() -> None:
    from filmcrew.agents.shot_drafts import first_sentence

    assert first_sentence("Mr. Soggybottom waves from the porch. Then he leaves.") == (
        "Mr. Soggybottom waves from the porch.")
    assert first_sentence("DR. BENNETT checks the chart! Will waits.") == "DR. BENNETT checks the chart!"


def test_a_narrator_the_action_shows_is_framed_and_a_voice_on_the_line_is_not() -> None:
    from filmcrew.agents.breakdown import break_down
    from filmcrew.tools.fountain import parse

    sp = parse("""
EXT. SORORITY HOUSE - DAY

EDWARD walks away from the house.

EDWARD (V.O.)
There's a time when a man needs to fight.

Edward steps back INTO FRAME, looking at the house.

EXT. ALLEY - NIGHT

MIA runs to the blue car, exactly where he said.

JAKE (V.O.)
Drive to the pier.

MIA
Whose car is this?
""")
    sheet = break_down(sp)
    narrated, called = (plan(sp, scene) for scene in sheet.scenes)
    assert "EDWARD" in {name for shot in narrated for name in shot.subjects}
    assert {name for shot in called for name in shot.subjects} == {"MIA"}


def test_a_pov_belongs_to_the_one_who_looks() -> None:
    from filmcrew.agents.breakdown import break_down
    from filmcrew.agents.shot_action import povs
    from filmcrew.tools.fountain import parse

    sp = parse("""
INT. LIVING ROOM - NIGHT

HARRY stands by the door. Later, KATE peers through the window at the street below.

KATE
He's there.

HARRY
I know.
""")
    drafts = povs(read_scene(sp, break_down(sp).scenes[0], None), CLASSIC)
    assert [d.shot.description for d in drafts] == [
        "KATE's POV: Later, KATE peers through the window at the street below."]
    assert drafts[0].shot.subjects == ["HARRY"]


@pytest.mark.parametrize(("action", "walks"), [
    ("KATE and BETTY walk down the long hall.", True),
    ("KATE and BETTY walk into the kitchen. They sit at the table with their coffee.", False),
])
def test_a_walk_and_talk_needs_a_pair_that_keeps_walking(action: str, walks: bool) -> None:
    from filmcrew.agents.breakdown import break_down
    from filmcrew.tools.fountain import parse

    sp = parse(f"""
INT. HOUSE - DAY

{action}

KATE
You came.

BETTY
Of course I did.

KATE
Thank you.
""")
    shots = plan(sp, break_down(sp).scenes[0])
    assert any(s.description.startswith("Walk-and-talk") for s in shots) is walks
