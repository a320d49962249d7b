"""Script rules of the continuity checker (film-grammar.md §4, story logic), on small scripts.

Each test writes a few scenes the way a writer would, seeds one kind of error (or a decoy that
only looks like one) and checks what the script supervisor reports.
"""

from __future__ import annotations

import logging

import pytest
import structlog
from filmcrew.agents.breakdown import break_down
from filmcrew.agents.continuity import check_script
from filmcrew.tools.fountain import parse

from filmcrew.domain import CharacterLibrary, Finding

structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def findings(text: str, library: CharacterLibrary | None = None) -> list[Finding]:
    """Parse, break down and check a script."""
    sp = parse(text, "test.fountain")
    return check_script(sp, break_down(sp), library)


def kinds(found: list[Finding]) -> list[str]:
    """Return the kinds of the findings, in order."""
    return [f.kind for f in found]


def line_of(text: str, quote: str) -> int:
    """Return the 1-based line of the only line holding `quote`."""
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if quote in line]
    assert len(hits) == 1, quote
    return hits[0]


# --- presence ---------------------------------------------------------------------------

LEAVES = """INT. KITCHEN - NIGHT

MARTA (40s, flour on her sleeves) kneads dough. Her son LUKE (15) does homework at the table.

LUKE
I'm going out.

MARTA
You are not.

Luke grabs his jacket and storms out.

Marta punches the dough.

LUKE
And I'm taking the car.
"""


def test_a_character_who_left_and_speaks_is_a_presence_error() -> None:
    found = findings(LEAVES)
    assert kinds(found) == ["presence"]
    assert found[0].severity == "error"
    assert found[0].line == 15
    assert "LUKE" in found[0].message and "line 11" in found[0].message
    assert found[0].fix


def test_leaving_and_coming_back_on_screen_is_no_error() -> None:
    text = LEAVES.replace("Marta punches the dough.", "Marta punches the dough. Luke comes back in for his keys.")
    assert findings(text) == []


def test_an_offscreen_voice_after_leaving_is_no_error() -> None:
    text = LEAVES.replace("LUKE\nAnd I'm", "LUKE (O.S.)\nAnd I'm")
    assert findings(text) == []


def test_a_negated_exit_keeps_the_character_in_the_scene() -> None:
    text = LEAVES.replace("Luke grabs his jacket and storms out.", "Luke grabs his jacket but doesn't leave.")
    assert findings(text) == []


DIES = """EXT. PIER - NIGHT

VERA (60s) and her brother OTTO (60s) argue at the rail. Otto slips, falls to the boards and dies there.

VERA
Otto!

INT. VERA'S HOUSE - KITCHEN - DAY

Vera sits alone. Otto pours himself a coffee.

OTTO
Morning.
"""


def test_the_dead_do_not_come_back_outside_a_flashback() -> None:
    found = findings(DIES)
    assert kinds(found) == ["presence"]
    assert found[0].scene == 2 and "died" in found[0].message


def test_the_dead_may_appear_in_a_flashback_or_as_a_voice() -> None:
    text = DIES.replace("INT. VERA'S HOUSE - KITCHEN - DAY", "INT. VERA'S HOUSE - KITCHEN - DAY (FLASHBACK)")
    assert findings(text) == []
    voice = DIES.replace("Vera sits alone. Otto pours himself a coffee.\n\nOTTO\n", "Vera sits alone.\n\nOTTO (V.O.)\n")
    assert findings(voice) == []


SAME_TIME = """EXT. FIELD - DUSK

NELL (30s) walks the fence with a bucket.

INT. FARMHOUSE - KITCHEN - SAME TIME

Her father ABE (70s) pours a drink. Nell comes in and sets down the bucket.

ABE
You're late.
"""


def test_one_person_cannot_be_in_two_places_at_the_same_time() -> None:
    found = findings(SAME_TIME)
    assert kinds(found) == ["presence"]
    assert found[0].scene == 2


def test_an_intercut_phone_call_is_not_two_places() -> None:
    text = """INT. OFFICE - DAY

KAI (30s) dials.

INTERCUT WITH:

INT. FLAT - DAY

ROSA (30s) answers.

ROSA
(into phone)
Hello?

KAI
(into phone)
It's me.
"""
    assert findings(text) == []


# --- time of day ------------------------------------------------------------------------


def test_continuous_cannot_open_a_script() -> None:
    found = findings("INT. HALL - CONTINUOUS\n\nBEA (20s) runs in.\n")
    assert kinds(found) == ["time_of_day"]
    assert found[0].line == 1


def test_continuous_after_night_cannot_be_day() -> None:
    text = "EXT. ROAD - NIGHT\n\nIDA (20s) drives.\n\nEXT. PETROL STATION - MOMENTS LATER - DAY\n\nIda parks.\n"
    assert kinds(findings(text)) == ["time_of_day"]


def test_sunlight_in_a_night_scene_and_moonlight_at_noon() -> None:
    night = "EXT. BEACH - NIGHT\n\nThe midday sun beats down on JO (20s).\n"
    noon = "EXT. BEACH - NOON\n\nMoonlight silvers the sand around JO (20s).\n"
    assert kinds(findings(night)) == ["time_of_day"]
    assert kinds(findings(noon)) == ["time_of_day"]


def test_stars_at_dusk_and_a_denied_sun_are_fine() -> None:
    assert findings("EXT. HILL - DUSK\n\nStars glitter overhead. JO (20s) watches.\n") == []
    assert findings("EXT. HILL - NIGHT\n\nNo sunlight for hours. JO (20s) shivers.\n") == []


def test_a_continuous_scene_cannot_jump_days() -> None:
    text = "INT. SHOP - DAY\n\nLEN (50s) sweeps.\n\nINT. SHOP - CONTINUOUS\n\nThree days later. Len sweeps again.\n"
    found = findings(text)
    assert kinds(found) == ["time_of_day"]
    assert "Three days later" in found[0].message


# --- props ------------------------------------------------------------------------------

VASE = """INT. GALLERY - DAY

PIA (30s, curator) lifts a blue VASE from its plinth. It slips and shatters on the floor.

PIA
Oh no.

Pia {later} the vase on the plinth.
"""


def test_a_broken_prop_used_as_whole_the_same_day() -> None:
    found = findings(VASE.format(later="sets"))
    assert kinds(found) == ["prop_state"]
    assert "shattered" in found[0].message and found[0].severity == "error"


def test_a_broken_prop_described_as_broken_is_fine() -> None:
    assert findings(VASE.format(later="sets the broken pieces of")) == []


def test_a_broken_prop_on_a_new_story_day_is_fine() -> None:
    text = VASE.replace("Pia {later} the vase", "INT. GALLERY - DAY\n\nThe next day. Pia {later} the vase")
    assert findings(text.format(later="sets")) == []


def test_a_lost_prop_found_again_is_fine_but_not_unfound() -> None:
    text = """EXT. CREEK - DAY

ROY (40s) wades across. His KEYS drop into the water and vanish.

{middle}

Roy starts the truck with the keys.
"""
    assert kinds(findings(text.format(middle=""))) == ["prop_state"]
    assert findings(text.format(middle="Roy fishes the keys out of the mud.")) == []


def test_a_prop_handed_over_is_not_used_by_the_giver() -> None:
    text = """INT. TRAIN - NIGHT

FAY (30s) slides a BRIEFCASE across to NED (40s). He takes it.

INT. TRAIN - CORRIDOR - CONTINUOUS

Fay opens the briefcase.
"""
    found = findings(text)
    assert kinds(found) == ["prop_state"]
    assert found[0].severity == "warning"


# --- wardrobe, injuries, makeup -----------------------------------------------------------


def test_a_coat_changes_colour_within_a_day() -> None:
    text = """INT. CAFE - DAY

MAYA (30s, red COAT) orders.

EXT. STREET - DAY

Maya, in her blue coat, hails a cab.
"""
    found = findings(text)
    assert kinds(found) == ["wardrobe"]
    assert "blue coat" in found[0].message and "red" in found[0].message


def test_a_costume_change_shown_on_screen_is_fine() -> None:
    text = """INT. CAFE - DAY

MAYA (30s, red COAT) orders.

EXT. STREET - DAY

Maya, in a blue coat now, hails a cab.
"""
    assert findings(text) == []


def test_a_taken_off_garment_worn_again_at_once() -> None:
    text = """INT. FERRY - NIGHT

PAVEL (50s, yellow SWEATER) takes off his sweater and drapes it over a sleeping child.

Pavel pulls his yellow sweater tighter against the draught.
"""
    assert kinds(findings(text)) == ["wardrobe"]


def test_an_injury_switches_side() -> None:
    text = """INT. KITCHEN - NIGHT

COLE (20s) cuts his left hand on a knife.

INT. KITCHEN - LATER

Cole eats with his bandaged right hand.
"""
    found = findings(text)
    assert kinds(found) == ["injury"]
    assert "left hand" in found[0].message


def test_running_on_a_sprained_ankle_is_flagged_but_limping_is_not() -> None:
    text = """EXT. WOODS - DAY

DEB (40s) twists her ankle on a root.

Deb {moves} to the car.
"""
    assert kinds(findings(text.format(moves="sprints"))) == ["injury"]
    assert findings(text.format(moves="limps")) == []


def test_soaked_then_bone_dry_in_a_continuous_scene() -> None:
    text = """EXT. YARD - NIGHT

LOU (30s) slips in a puddle and gets up soaked to the skin.

INT. HOUSE - CONTINUOUS

Lou walks in, her hair bone dry.
"""
    assert kinds(findings(text)) == ["makeup"]


def test_drying_off_first_is_fine() -> None:
    text = """EXT. YARD - NIGHT

LOU (30s) slips in a puddle and gets up soaked to the skin.

INT. HOUSE - CONTINUOUS

Lou towels off. Lou sits down, her hair bone dry.
"""
    assert findings(text) == []


# --- names ------------------------------------------------------------------------------


def test_a_misspelt_cue_is_a_name_warning_not_a_new_person() -> None:
    text = """INT. GARAGE - DAY

KIERAN (19) unloads a van. BRIDGET (50s) counts boxes.

KIERAN
Where d'you want these?

BRIDGET
Anywhere.

KIERAN
Right.

KIRAN
Same time Thursday!
"""
    found = findings(text)
    assert kinds(found) == ["name"]
    assert "KIRAN" in found[0].message and "KIERAN" in found[0].message


def test_two_introduced_people_with_similar_names_are_two_people() -> None:
    text = """INT. OFFICE - DAY

DANA (30s) and her colleague DINA (40s) share a desk.

DANA
Coffee?

DINA
Please.

DANA
Milk?
"""
    assert findings(text) == []


def test_a_location_spelled_two_ways() -> None:
    text = """INT. GOLDEN FRYER - NIGHT

ROSE (50s) fries chips.

INT. GOLDEN FRYER - NIGHT

Rose wipes the counter.

INT. GOLDEN FRIER - KITCHEN - NIGHT

Rose peels potatoes.
"""
    found = findings(text)
    assert kinds(found) == ["location_name"]
    assert found[0].scene == 3


def test_numbered_rooms_are_different_places() -> None:
    text = ("INT. HOTEL - ROOM 212 - NIGHT\n\nAL (30s) sleeps.\n\n"
            "INT. HOTEL - ROOM 214 - NIGHT\n\nAl's sister BEA (30s) reads.\n")
    assert findings(text) == []


def test_a_speaker_never_introduced_is_a_note() -> None:
    text = "INT. BAR - NIGHT\n\nSAL (60s) polishes a glass.\n\nSAL\nUsual?\n\nBARMAID\nHe's gone.\n"
    found = findings(text)
    assert kinds(found) == ["unintroduced"]
    assert found[0].severity == "note"


def test_library_look_contradicting_the_script() -> None:
    library = CharacterLibrary.model_validate({"characters": [
        {"name": "MAYA", "handle": "maya", "looks": [{"story_day": 1, "wardrobe": ["green coat"]}]}]})
    found = findings("INT. CAFE - DAY\n\nMAYA (30s, red COAT) orders.\n", library)
    assert kinds(found) == ["look"]


@pytest.mark.parametrize("path", ["examples/the-lighthouse-key.fountain", "examples/wrong-number-ep1.fountain"])
def test_clean_example_scripts_raise_nothing(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        assert findings(handle.read()) == []
