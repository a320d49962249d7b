"""The offline breakdown: scenes, locations, story days, eighths, cast, aliases, props, wardrobe.

Facts about the two examples were counted by hand from the files (cue lines, headings), and
the hand-made screenplays isolate one rule each (film-grammar.md §1, §4, §5; formats.md §4).
"""

from __future__ import annotations

import json

import pytest

from filmcrew.agents.breakdown import break_down, character_key, scene_fingerprint
from filmcrew.domain import Breakdown, BreakdownScene, Element, Screenplay
from filmcrew.tools.fountain import parse
from filmcrew.tools.headings import group_scenes
from filmcrew.tools.pages import format_eighths, page_count, scene_eighths
from tests.conftest import EXAMPLES

_NO_GAP = {"parenthetical", "dialogue"}


def make_sp(*items: tuple[str, str] | tuple[str, str, dict[str, object]]) -> Screenplay:
    """Build a screenplay by hand: (kind, text[, fields]) with Fountain's blank lines between."""
    elements: list[Element] = []
    line = 1
    for item in items:
        kind, text = item[0], item[1]
        fields = item[2] if len(item) > 2 else {}
        if elements and kind not in _NO_GAP:
            line += 1
        end = line + text.count("\n")
        elements.append(Element(kind=kind, text=text, start_line=line, end_line=end, **fields))  # type: ignore[arg-type]
        line = end + 1
    return Screenplay(
        elements=elements, scenes=group_scenes(elements, line - 1), line_count=line - 1
    )


def fountain(text: str) -> Screenplay:
    """Parse Fountain text with the project's parser."""
    return parse(text, "test.fountain")


def example(name: str) -> Breakdown:
    """Break down one of the example screenplays."""
    path = EXAMPLES / name
    return break_down(parse(path.read_text(encoding="utf-8"), str(path)))


def scene(bd: Breakdown, number: int) -> BreakdownScene:
    """Return the breakdown row of one scene."""
    return next(s for s in bd.scenes if s.number == number)


# --- identity ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("DEV (CONT'D)", "dev"),
        ("MAYA (V.O.)(CONT'D)", "maya"),
        ("MAYA (V.O.) (CONT'D)", "maya"),
        ("@McCLANE", "mcclane"),
        ("STEEL ^", "steel"),
        ("O’BRIEN", "o'brien"),
        ("  NORA   VANCE ", "nora vance"),
        ("ana (on the phone)", "ana"),
    ],
)
def test_character_key_strips_markers_extensions_and_case(written: str, key: str) -> None:
    assert character_key(written) == key


def test_contd_and_extensions_never_make_a_new_character() -> None:
    sp = make_sp(
        ("scene_heading", "INT. OFFICE - DAY"),
        ("character", "DEV"),
        ("dialogue", "One."),
        ("action", "He waits."),
        ("character", "DEV (CONT'D)"),
        ("dialogue", "Two."),
        ("character", "DEV", {"extensions": ["V.O."]}),
        ("dialogue", "Three."),
    )
    bd = break_down(sp)
    assert [(c.name, c.dialogue_count, c.aliases) for c in bd.characters] == [("DEV", 3, [])]
    assert scene(bd, 1).speaking == ["DEV"]


# --- the two examples -------------------------------------------------------------------


def test_lighthouse_scenes_locations_and_story_days() -> None:
    bd = example("the-lighthouse-key.fountain")
    assert [s.label for s in bd.scenes] == [str(n) for n in range(1, 13)]
    assert [s.number for s in bd.scenes] == list(range(1, 13))
    assert [s.story_day for s in bd.scenes] == [1] * 9 + [2] * 3
    assert bd.story_days == 2
    first = scene(bd, 1)
    assert (first.heading, first.int_ext, first.location, first.time_of_day) == (
        "EXT. HARBOUR ROAD - DAWN",
        "EXT",
        "HARBOUR ROAD",
        "DAWN",
    )
    assert (first.start_line, first.end_line) == (11, 20)
    places = {loc.name: (loc.int_ext, loc.scenes) for loc in bd.locations}
    assert places == {
        "HARBOUR ROAD": (["EXT"], [1, 12]),
        "HARBOUR OFFICE": (["INT"], [2, 5, 11]),
        "LIGHTHOUSE": (["EXT"], [3, 10]),
        "LIGHTHOUSE - LAMP ROOM": (["INT"], [4, 7, 9]),
        "CAUSEWAY": (["EXT"], [6, 8]),
    }


def test_lighthouse_cast_uses_the_introduction_convention() -> None:
    bd = example("the-lighthouse-key.fountain")
    cast = {c.name: c for c in bd.characters}
    assert list(cast) == ["NORA", "DEV", "ISLA"]
    assert cast["NORA"].aliases == ["NORA VANCE"] and cast["DEV"].aliases == ["DEV PATEL"]
    # cue lines counted by hand in the file
    assert [cast[n].dialogue_count for n in cast] == [14, 11, 9]
    assert (
        cast["NORA"].first_line == 15
        and cast["DEV"].first_line == 25
        and cast["ISLA"].first_line == 55
    )
    assert cast["NORA"].scenes == [1, 2, 3, 4, 7, 9, 10, 12]
    assert cast["DEV"].scenes == [2, 5, 6, 7, 9, 10, 11]
    assert bd.alias_candidates == []
    assert [scene(bd, n).introduced for n in (1, 2, 3, 4)] == [["NORA"], ["DEV"], ["ISLA"], []]


def test_lighthouse_presence_follows_the_action() -> None:
    bd = example("the-lighthouse-key.fountain")
    assert scene(bd, 8).characters == []  # the trawler scene has nobody in it
    assert scene(bd, 11).characters == ["DEV"] and scene(bd, 11).speaking == []
    assert scene(bd, 12).characters == ["NORA"]  # "where Isla will find it": spoken of, absent
    assert scene(bd, 6).characters == ["DEV"]  # "Mrs Vance!" is dialogue, not presence
    assert set(scene(bd, 10).characters) == {"NORA", "DEV", "ISLA"}


def test_lighthouse_props_wardrobe_and_sounds() -> None:
    bd = example("the-lighthouse-key.fountain")
    assert {"KEY", "LOGBOOK", "LENS", "FORM", "TRAWLER", "TEA", "BAG"} <= set(bd.props)
    assert not {"NORA", "DEV", "ISLA", "NORA VANCE", "COAT", "RAINCOAT", "JUMPER"} & set(bd.props)
    assert [n for n in range(1, 13) if "KEY" in scene(bd, n).props] == [2, 3, 10, 12]
    assert "LOGBOOK" in scene(bd, 10).props  # "a new logbook": a known prop in lower case
    assert scene(bd, 1).wardrobe == ["oilskin COAT"]
    assert "yellow RAINCOAT" in scene(bd, 3).wardrobe
    assert scene(bd, 7).wardrobe == ["fisherman's JUMPER", "yellow raincoat"]
    assert scene(bd, 10).wardrobe == ["rust oilskin COAT"]
    assert "door bangs" in scene(bd, 2).sounds and scene(bd, 8).sounds == ["horn sounds"]


def test_lighthouse_eighths_pages_and_runtime() -> None:
    path = EXAMPLES / "the-lighthouse-key.fountain"
    sp = parse(path.read_text(encoding="utf-8"), str(path))
    bd = break_down(sp)
    assert [s.eighths for s in bd.scenes] == scene_eighths(sp)
    assert all(s.eighths >= 1 and s.eighths_str == format_eighths(s.eighths) for s in bd.scenes)
    assert bd.total_eighths == sum(s.eighths for s in bd.scenes)
    assert bd.runtime_s == round(bd.total_eighths * 60 / 8)
    assert bd.pages == pytest.approx(page_count(sp), abs=1e-3)


def test_wrong_number_offscreen_voice_and_screen_text() -> None:
    bd = example("wrong-number-ep1.fountain")
    assert len(bd.scenes) == 4 and bd.story_days == 1
    assert [s.time_of_day for s in bd.scenes] == ["NIGHT", "CONTINUOUS", "CONTINUOUS", "CONTINUOUS"]
    cast = {c.name: c for c in bd.characters}
    assert list(cast) == ["MIA", "UNKNOWN", "MAN"]
    assert cast["MIA"].aliases == ["MIA CHEN"] and cast["UNKNOWN"].dialogue_count == 4
    assert [scene(bd, n).offscreen for n in (1, 2, 3, 4)] == [
        ["UNKNOWN"],
        ["UNKNOWN"],
        [],
        ["UNKNOWN"],
    ]
    assert scene(bd, 2).introduced == ["MAN"]  # "A MAN in a dark JACKET", cued MAN later
    assert bd.props == ["PHONE", "TORCH", "ENVELOPE"]  # not JAKE or MISSED CALL: screen text
    assert scene(bd, 1).wardrobe == ["oversized grey HOODIE"]
    assert "dark JACKET" in scene(bd, 2).wardrobe
    assert "MIA" in scene(bd, 4).characters and scene(bd, 4).speaking == ["UNKNOWN"]


def test_alias_map_renames_a_voice() -> None:
    path = EXAMPLES / "wrong-number-ep1.fountain"
    bd = break_down(parse(path.read_text(encoding="utf-8"), str(path)), aliases={"UNKNOWN": "JAKE"})
    jake = next(c for c in bd.characters if c.name == "JAKE")
    assert (jake.aliases, jake.dialogue_count, jake.scenes) == (["UNKNOWN"], 4, [1, 2, 4])
    assert scene(bd, 1).speaking == ["JAKE", "MIA"]


def test_breakdown_is_byte_stable() -> None:
    text = (EXAMPLES / "the-lighthouse-key.fountain").read_text(encoding="utf-8")
    dumps = [json.dumps(break_down(fountain(text)).model_dump(), sort_keys=True) for _ in range(2)]
    assert dumps[0] == dumps[1]


# --- headings, locations, numbering -------------------------------------------------------


def test_text_before_the_first_heading_is_an_unheaded_scene() -> None:
    bd = break_down(
        make_sp(
            ("action", "BOB sits alone."),
            ("character", "BOB"),
            ("dialogue", "Hello?"),
            ("scene_heading", "INT. LIBRARY - DAY"),
            ("action", "Bob reads."),
        )
    )
    first = scene(bd, 1)
    assert (first.label, first.heading, first.location, first.int_ext, first.story_day) == (
        "1",
        "",
        "",
        "",
        1,
    )
    assert first.characters == ["BOB"] and [loc.name for loc in bd.locations] == ["LIBRARY"]


def test_spellings_of_one_location_merge_and_int_ext_is_kept() -> None:
    bd = break_down(
        make_sp(
            ("scene_heading", "INT. LIBRARY--DAY", {"scene_number": "7A"}),
            ("action", "Shelves."),
            ("scene_heading", "EXT. LIBRARY - NIGHT"),
            ("action", "Steps."),
            ("scene_heading", "INT./EXT. BOB'S CAR - NIGHT"),
            ("action", "Driving."),
        )
    )
    assert [s.label for s in bd.scenes] == ["7A", "2", "3"]
    assert [s.number for s in bd.scenes] == [1, 2, 3]
    assert [s.int_ext for s in bd.scenes] == ["INT", "EXT", "INT/EXT"]
    places = {loc.name: (loc.int_ext, loc.scenes) for loc in bd.locations}
    assert places == {"LIBRARY": (["EXT", "INT"], [1, 2]), "BOB'S CAR": (["INT/EXT"], [3])}


def test_a_flashback_qualifier_in_the_location_is_not_a_new_place() -> None:
    bd = break_down(
        make_sp(
            ("scene_heading", "INT. KITCHEN - DAY"),
            ("action", "Now."),
            ("scene_heading", "INT. KITCHEN (FLASHBACK) - NIGHT"),
            ("action", "Then."),
        )
    )
    assert [(s.location, s.qualifiers) for s in bd.scenes] == [
        ("KITCHEN", ""),
        ("KITCHEN", "(FLASHBACK)"),
    ]
    assert [(loc.name, loc.scenes) for loc in bd.locations] == [("KITCHEN", [1, 2])]


# --- story days ---------------------------------------------------------------------------


def days(*headings_and_actions: str) -> list[int]:
    """Return the story days of scenes given as `HEADING` or `HEADING | opening action`."""
    items: list[tuple[str, str]] = []
    for spec in headings_and_actions:
        heading, _, action = spec.partition(" | ")
        items.append(("scene_heading", heading))
        items.append(("action", action or "Something happens."))
    return [s.story_day for s in break_down(make_sp(*items)).scenes]


def test_a_night_then_a_morning_is_the_next_day() -> None:
    assert days("INT. A - DAY", "INT. A - NIGHT", "EXT. B - DAWN", "INT. C - MORNING") == [
        1,
        1,
        2,
        2,
    ]
    assert days("INT. A - NIGHT", "INT. A - DAY") == [1, 2]


def test_day_covers_the_afternoon_so_day_afternoon_day_is_one_day() -> None:
    assert days("INT. A - DAY", "INT. A - AFTERNOON", "INT. B - DAY") == [1, 1, 1]
    assert days("INT. A - AFTERNOON", "INT. A - MORNING") == [1, 2]


def test_relative_times_keep_the_day() -> None:
    assert (
        days(
            "INT. A - NIGHT",
            "INT. B - CONTINUOUS",
            "INT. A - MOMENTS LATER",
            "INT. A - LATER",
            "INT. A - SAME",
            "INT. A - LATER THAT NIGHT",
        )
        == [1] * 6
    )


def test_flashbacks_neither_advance_nor_break_the_clock() -> None:
    assert days("INT. A - NIGHT", "INT. A - DAY - FLASHBACK", "INT. A - NIGHT") == [1, 1, 1]
    assert days("INT. A - DAY", "INT. A (DREAM) - NIGHT", "INT. A - DAY") == [1, 1, 1]


def test_next_day_markers_advance_once() -> None:
    assert days("INT. A - DAY", "INT. A - THE NEXT MORNING") == [1, 2]
    assert days("INT. A - DAY", "INT. B - DAY | THREE DAYS LATER. The house is empty.") == [1, 2]
    assert days("INT. A - NIGHT", "EXT. B - DAWN | The next morning, fog.") == [1, 2]  # not 3
    assert days("INT. A - DAY", "INT. A - DAY | She will call the next day.") == [
        1,
        1,
    ]  # not opening


def test_counted_days_are_taken_at_their_word() -> None:
    assert days("INT. A - NIGHT", "EXT. B - DAWN | Day two. Calm sea.") == [1, 2]
    assert days("INT. A - DAY", "INT. A - DAY | SUPER: DAY 4") == [1, 4]
    sp = make_sp(
        ("scene_heading", "INT. A - DAY"),
        ("action", "Breakfast."),
        ("centered", "DAY FIVE"),
        ("scene_heading", "INT. A - DAY"),
        ("action", "Lunch."),
    )
    assert [s.story_day for s in break_down(sp).scenes] == [1, 5]


# --- cast and aliases ---------------------------------------------------------------------


def test_alias_candidates_are_reported_not_merged() -> None:
    sp = make_sp(
        ("scene_heading", "INT. LAB - DAY"),
        ("character", "BOB"),
        ("dialogue", "Hi."),
        ("character", "CYBER BOB"),
        ("dialogue", "Hello."),
        ("character", "JON"),
        ("dialogue", "Yo."),
        ("character", "JOHN"),
        ("dialogue", "Hey."),
        ("character", "NORA"),
        ("dialogue", "Me."),
        ("character", "NORA VANCE"),
        ("dialogue", "Also me."),
        ("character", "GUARD 1"),
        ("dialogue", "Halt."),
        ("character", "GUARD 2"),
        ("dialogue", "Halt!"),
    )
    bd = break_down(sp)
    pairs = {tuple(c.names): c.reason for c in bd.alias_candidates}
    assert set(pairs) == {("BOB", "CYBER BOB"), ("JON", "JOHN"), ("NORA", "NORA VANCE")}
    assert "first name" in pairs[("NORA", "NORA VANCE")] and "one letter" in pairs[("JON", "JOHN")]
    assert len(bd.characters) == 8


def test_alias_map_merges_and_the_target_is_canonical() -> None:
    sp = make_sp(
        ("scene_heading", "INT. LAB - DAY"),
        ("character", "JON"),
        ("dialogue", "Yo."),
        ("scene_heading", "INT. HALL - DAY"),
        ("character", "JOHN"),
        ("dialogue", "Hey."),
        ("character", "JOHN (CONT'D)"),
        ("dialogue", "Again."),
    )
    bd = break_down(sp, aliases={"JON": "JOHN"})
    assert [(c.name, c.aliases, c.dialogue_count, c.scenes) for c in bd.characters] == [
        ("JOHN", ["JON"], 3, [1, 2])
    ]
    assert bd.alias_candidates == []
    assert scene(bd, 1).speaking == ["JOHN"]


def test_full_name_in_action_joins_the_cue_that_is_part_of_it() -> None:
    sp = make_sp(
        ("scene_heading", "INT. CLINIC - DAY"),
        ("action", "DR. SARAH KIM (40s, tweed BLAZER) reads a chart."),
        ("character", "DR. KIM"),
        ("dialogue", "Next."),
        ("scene_heading", "EXT. STREET - DAY"),
        ("action", "Kim walks past."),
    )
    bd = break_down(sp)
    assert [(c.name, c.aliases, c.scenes) for c in bd.characters] == [
        ("DR. KIM", ["DR. SARAH KIM"], [1, 2])
    ]
    assert scene(bd, 1).introduced == ["DR. KIM"] and scene(bd, 1).wardrobe == ["tweed BLAZER"]


def test_who_counts_as_a_person_in_action() -> None:
    sp = make_sp(
        ("scene_heading", "INT. BAR - NIGHT"),
        (
            "action",
            "BOB enters with a KEY. TWO COPS drink. A SECURITY GUARD yawns. She SLAMS the door.",
        ),
        ("character", "MAYA"),
        ("dialogue", "Hi."),
        ("action", "Maya looks at Bob. A loud BANG outside."),
    )
    bd = break_down(sp)
    row = scene(bd, 1)
    assert row.characters == ["BOB", "SECURITY GUARD", "MAYA"]
    assert {c.name: c.speaking for c in bd.characters} == {
        "BOB": False,
        "SECURITY GUARD": False,
        "MAYA": True,
    }
    assert row.extras == ["TWO COPS"] and row.props == ["KEY"]
    assert row.sounds == ["SLAMS", "loud BANG"]


def test_descriptions_make_people_and_stressed_words_are_not_props() -> None:
    sp = make_sp(
        ("scene_heading", "EXT. PATIO - DAY"),
        ("action", "BRICK BRADDOCK, retired police detective, sits. This is going to be BAD."),
        ("action", "His face FILLS the frame. A brass LAMP (old, dented) glows."),
    )
    bd = break_down(sp)
    assert [(c.name, c.speaking) for c in bd.characters] == [("BRICK BRADDOCK", False)]
    assert bd.props == ["LAMP"]


def test_empty_and_caseless_scripts() -> None:
    empty = break_down(Screenplay())
    assert (empty.scenes, empty.characters, empty.story_days, empty.total_eighths) == ([], [], 1, 0)
    sp = make_sp(
        ("scene_heading", "INT. 家 - DAY"),
        ("character", "小明", {"forced": True}),
        ("dialogue", "你好。"),
        ("scene_heading", "INT. 店 - DAY"),
        ("action", "小明走进商店。"),
    )
    bd = break_down(sp)
    assert [(c.name, c.scenes, c.dialogue_count) for c in bd.characters] == [("小明", [1, 2], 1)]


def test_mentions_need_a_capital_and_roles_need_caps() -> None:
    sp = make_sp(
        ("scene_heading", "INT. A - DAY"),
        ("character", "NORA"),
        ("dialogue", "Hi."),
        ("character", "MAN"),
        ("dialogue", "Hey."),
        ("scene_heading", "INT. B - DAY"),
        ("action", "A man waits. The nora plant wilts."),
        ("scene_heading", "INT. C - DAY"),
        ("action", "Nora's bag falls. The MAN catches it."),
    )
    bd = break_down(sp)
    assert scene(bd, 2).characters == []
    assert scene(bd, 3).characters == ["NORA", "MAN"]


def test_dual_dialogue_counts_both_speeches() -> None:
    bd = break_down(fountain("INT. ROOM - DAY\n\nBRICK\nScrew you!\n\nSTEEL ^\nNo, you!\n"))
    assert {c.name: c.dialogue_count for c in bd.characters} == {"BRICK": 1, "STEEL": 1}


# --- props, wardrobe, screen grammar ------------------------------------------------------


def test_screen_text_transitions_and_places_are_not_props() -> None:
    bd = break_down(
        fountain(
            "INT. HARBOUR OFFICE - DAY\n\n"
            "The screen reads: JAKE - MISSED CALL (3). A CAR horn blares.\n\n"
            "They leave the HARBOUR OFFICE with the LOGBOOK.\n\nSMASH CUT TO BLACK.\n"
        )
    )
    assert bd.props == ["CAR", "LOGBOOK"]
    assert [c.name for c in bd.characters] == []
    assert scene(bd, 1).sounds == ["horn blares"]


def test_plural_and_lower_case_mentions_are_one_prop() -> None:
    bd = break_down(
        make_sp(
            ("scene_heading", "INT. A - DAY"),
            ("action", "She finds the KEY."),
            ("scene_heading", "INT. B - DAY"),
            ("action", "Two KEYS on a ring."),
            ("scene_heading", "INT. C - DAY"),
            ("action", "He pockets the key."),
        )
    )
    assert bd.props == ["KEY"]
    assert [scene(bd, n).props for n in (1, 2, 3)] == [["KEY"], ["KEY"], ["KEY"]]


def test_wardrobe_keeps_adjectives_and_skips_verbs_and_compounds() -> None:
    bd = break_down(
        make_sp(
            ("scene_heading", "INT. WARD - DAY"),
            (
                "action",
                "She scrubs the floor. A nurse in blue scrubs, a coat rack, and a yellow RAINCOAT.",
            ),
        )
    )
    assert scene(bd, 1).wardrobe == ["blue scrubs", "yellow RAINCOAT"]


# --- fingerprints -------------------------------------------------------------------------


def test_fingerprint_ignores_line_numbers_and_changes_with_one_scene() -> None:
    text = (EXAMPLES / "the-lighthouse-key.fountain").read_text(encoding="utf-8")
    before = [s.fingerprint for s in break_down(fountain(text)).scenes]
    shifted = [
        s.fingerprint
        for s in break_down(fountain(text.replace("FADE IN:\n", "FADE IN:\n\n\n\n"))).scenes
    ]
    edited = [
        s.fingerprint
        for s in break_down(fountain(text.replace("Of course she has.", "Of course."))).scenes
    ]
    assert len(set(before)) == len(before)
    assert shifted == before
    assert [i for i, (a, b) in enumerate(zip(before, edited, strict=True)) if a != b] == [4]


def test_fingerprint_covers_extensions_and_notes() -> None:
    base = make_sp(("scene_heading", "INT. A - DAY"), ("character", "BOB"), ("dialogue", "Hi."))
    voiced = make_sp(
        ("scene_heading", "INT. A - DAY"),
        ("character", "BOB", {"extensions": ["V.O."]}),
        ("dialogue", "Hi."),
    )
    noted = make_sp(
        ("scene_heading", "INT. A - DAY", {"notes": ["SHOT: CU"]}),
        ("character", "BOB"),
        ("dialogue", "Hi."),
    )
    prints = {scene_fingerprint(sp, sp.scenes[0]) for sp in (base, voiced, noted)}
    assert len(prints) == 3


def test_caps_that_are_camera_sounds_actions_or_people_are_not_props() -> None:
    bd = break_down(fountain("""
INT. KITCHEN - DAY

NORA (30) opens NORA'S TOOLBOX and takes out a WRENCH. KARL THE GIANT ducks in. The crowd APPLAUDS.

PTEW! The printer spits. KRUMF. CAMERA PUSHES IN towards the great KEY.

NORA
Hello, Karl.

KARL
Hi.

A YOUNG NORA runs past. The ECONOMICS PROFESSOR waves. Karl SWEEPS. The door BURSTS OPEN.

Nora is GRABBING THE SNAKE from UNDER THE TABLE, the dog CHEERING. She grabs the FLASHLIGHT.
"""))
    assert bd.props == ["TOOLBOX", "WRENCH", "KEY", "FLASHLIGHT"]
    assert "ECONOMICS PROFESSOR" in [c.name for c in bd.characters]


def test_a_description_by_role_or_relation_gives_no_partial_name() -> None:
    bd = break_down(fountain("""
INT. DINER - NIGHT

WILL (30) and WILL'S DATE (28) share fries. An ASIAN WOMAN pours coffee.

WILL'S DATE
Fries are cold.

ASIAN WOMAN
More coffee?

EXT. PARKING LOT - NIGHT

Will's rental car will not start. He reads an Asian phrasebook.

WILL
Great.
"""))
    assert scene(bd, 2).characters == ["WILL"]


def test_a_joint_cue_credits_each_speaker() -> None:
    bd = break_down(fountain("""
INT. PORCH - DAY

NORA
Ready?

DEV
Ready.

NORA AND DEV
Three, two, one!

SALT AND PEPPER
We are one act.
"""))
    assert scene(bd, 1).speaking == ["NORA", "DEV", "SALT AND PEPPER"]
    counts = {c.name: c.dialogue_count for c in bd.characters}
    assert counts == {"NORA": 2, "DEV": 2, "SALT AND PEPPER": 1}


def test_a_zero_typed_for_the_o_still_makes_a_voice_over() -> None:
    bd = break_down(fountain("""
INT. HOSPITAL ROOM - NIGHT

WILL sits by the bed.

EDWARD (V.0.)
There are some fish that cannot be caught.

WILL
Dad?
"""))
    assert scene(bd, 1).offscreen == ["EDWARD"]


def test_a_heading_naming_another_year_is_another_story_day() -> None:
    bd = break_down(fountain("""
INT. BEDROOM - NIGHT (1977)

Will sleeps.

INT. HALLWAY - NIGHT (1977)

Edward walks.

EXT. WEDDING - DAY [1987]

A party.

INT. KITCHEN - DAY - 1987

Cake.

INT. HOSPITAL - DAY (1998)

Beeping.
"""))
    assert [s.story_day for s in bd.scenes] == [1, 1, 2, 2, 3]
