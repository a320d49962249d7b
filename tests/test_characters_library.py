"""The character library: read from the script, written byte-stable, edited, carried between projects."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from filmcrew.agents.breakdown import break_down
from filmcrew.agents.characters import (
    build_library,
    changed_characters,
    edit_character,
    export_library,
    import_library,
    library_fingerprints,
    load_library,
    refine_library,
    write_library,
)
from filmcrew.agents.sketch_figure import COLOUR_WORDS
from filmcrew.cli.characters_cmd import characters_app
from filmcrew.domain import CharacterLibrary
from filmcrew.errors import InputError
from filmcrew.providers.offline import OfflineProvider
from filmcrew.providers.scripted import ScriptedProvider
from filmcrew.tools.fountain import parse
from tests.conftest import EXAMPLES

SMALL = """INT. GARAGE - NIGHT

OLD SAM (70s, stocky, bald, a red SCARF) tinkers with a moped. His hands are cut and bloody.

SAM
(gruff)
Pass the wrench.

JUNO (9, tiny, hair in two braids, green WELLIES) hands it over.

JUNO
This one?

EXT. GARAGE - DAY

The next morning. Sam, in a blue BOILER SUIT now, wheels the moped out. Juno follows.

JUNO
It works!
"""


def _library(text: str, source: str = "script.fountain") -> tuple[CharacterLibrary, object, object]:
    sp = parse(text, source=source)
    sheet = break_down(sp)
    return build_library(sp, sheet), sp, sheet


@pytest.fixture(scope="module")
def lighthouse() -> CharacterLibrary:
    return _library((EXAMPLES / "the-lighthouse-key.fountain").read_text(encoding="utf-8"))[0]


def test_canonical_look_comes_from_the_introduction(lighthouse):
    nora = lighthouse.get("NORA")
    assert nora is not None and nora.handle == "@nora"
    assert (nora.age, nora.build, nora.pronouns) == ("60s", "wiry", "she/her")
    assert any("coat" in w and "rust" in w for w in nora.signature_wardrobe)
    isla = lighthouse.get("ISLA")
    assert (
        isla.age == "17"
        and "yellow raincoat" in isla.signature_wardrobe
        and "headphones" in isla.signature_wardrobe
    )
    assert lighthouse.get("NORA VANCE") is nora  # the introduced full name is an alias
    assert "to herself" in nora.voice


def test_wardrobe_per_story_day_follows_the_action(lighthouse):
    nora = lighthouse.get("NORA")
    by_scene = {n: look for look in nora.looks for n in look.scenes}
    assert "coat" in " ".join(by_scene[1].wardrobe) and by_scene[1].story_day == 1
    assert by_scene[7].wardrobe == ["fisherman's jumper"] and by_scene[7].story_day == 1
    assert "changes in scene 7" in by_scene[7].notes
    assert by_scene[10].story_day == 2 and by_scene[10].wardrobe == ["rust oilskin coat"]
    dev = lighthouse.get("DEV")
    assert not any(
        look.injuries for look in dev.looks if 9 not in look.scenes and look.story_day == 1
    )
    assert any("blistered" in i for look in dev.looks if 9 in look.scenes for i in look.injuries)


def test_handles_and_colours_are_unique(lighthouse):
    handles = [c.handle for c in lighthouse.characters]
    colours = [c.color for c in lighthouse.characters]
    assert len(set(handles)) == len(handles) and all(h.startswith("@") for h in handles)
    assert len(set(colours)) == len(colours) and "#888888" not in colours


def test_an_unseen_script_is_read_by_the_same_rules():
    library, _, _ = _library(SMALL)
    sam, juno = library.get("SAM"), library.get("JUNO")
    assert sam is not None and juno is not None
    assert (sam.age, sam.build, sam.hair, sam.pronouns) == ("70s", "stocky", "bald", "he/him")
    assert "red scarf" in sam.signature_wardrobe
    assert (
        juno.age == "9"
        and juno.hair == "hair in two braids"
        and "green wellies" in juno.signature_wardrobe
    )
    day2 = next(look for look in sam.looks if look.story_day == 2)
    assert day2.wardrobe[0] == "blue boiler suit"
    assert any("cut" in i for i in day2.injuries)  # a cut carries into the next day
    assert sam.color != juno.color


def test_write_library_is_byte_stable_with_cards(tmp_path, lighthouse):
    write_library(lighthouse, tmp_path / "a")
    write_library(lighthouse, tmp_path / "b")
    first = (tmp_path / "a" / "characters.json").read_bytes()
    assert first == (tmp_path / "b" / "characters.json").read_bytes()
    for character in lighthouse.characters:
        card = tmp_path / "a" / character.reference_images[0]
        assert card.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert card.read_bytes() == (tmp_path / "b" / character.reference_images[0]).read_bytes()
    data = json.loads(first)
    assert list(data) == ["characters"] and data["characters"][0]["fingerprint"]


def test_a_character_named_like_a_path_stays_inside(tmp_path):
    library = CharacterLibrary.model_validate(
        {"characters": [{"name": "../../EVIL", "handle": "@evil", "color": "#123456"}]}
    )
    write_library(library, tmp_path / "run")
    written = [p for p in tmp_path.rglob("*.png")]
    assert written and all((tmp_path / "run" / "characters") in p.parents for p in written)


def test_edits_change_only_the_edited_fingerprint(tmp_path, lighthouse):
    before = library_fingerprints(lighthouse)
    edited = edit_character(lighthouse, "nora", {"hair": "silver hair in a bun"})
    assert changed_characters(before, library_fingerprints(edited)) == ["NORA"]
    write_library(lighthouse, tmp_path)
    path = tmp_path / "characters.json"
    data = json.loads(path.read_text())
    data["characters"][2]["signature_wardrobe"] = [
        "green parka"
    ]  # a hand edit, fingerprint left stale
    path.write_text(json.dumps(data, indent=2))
    changed = changed_characters(before, library_fingerprints(load_library(path)))
    assert changed == [data["characters"][2]["name"]]
    with pytest.raises(InputError, match="cannot edit name"):
        edit_character(lighthouse, "NORA", {"name": "NORAH"})


def test_bad_library_files_name_file_and_line(tmp_path, lighthouse):
    path = tmp_path / "characters.json"
    path.write_text('{"characters": [\n  {"name": "A",\n  }\n]}\n')
    with pytest.raises(InputError) as caught:
        load_library(path)
    assert str(caught.value).startswith(f"{path}:3:")
    write_library(lighthouse, tmp_path)
    data = json.loads(path.read_text())
    data["characters"][1]["handle"] = data["characters"][0]["handle"]
    path.write_text(json.dumps(data, indent=2))
    with pytest.raises(InputError, match="handle .* must be unique") as caught:
        load_library(path)
    assert caught.value.line is not None and caught.value.line > 2


def test_export_and_import_carry_a_season_cast(tmp_path):
    ep1 = (EXAMPLES / "wrong-number-ep1.fountain").read_text(encoding="utf-8")
    library, _, _ = _library(ep1)
    run = tmp_path / "ep1.filmcrew"
    write_library(library, run)
    exported = export_library(run, tmp_path / "cast")
    assert (tmp_path / "cast" / "characters.json").is_file()
    for character in exported.characters:
        assert (tmp_path / "cast" / character.reference_images[0]).is_file()
    project = tmp_path / "ep2.filmcrew"
    imported = import_library(tmp_path / "cast", project)
    mia = imported.get("MIA")
    assert mia is not None and mia.looks == [] and (project / mia.reference_images[0]).is_file()
    ep2 = "INT. CAFE - DAY\n\nMia sits alone. RAFA (40s, tall, a white APRON) brings coffee.\n\nRAFA\nYou look tired.\n\nMIA\nLong night.\n"
    sp = parse(ep2, source="ep2.fountain")
    rebuilt = build_library(sp, break_down(sp), base=load_library(project / "characters.json"))
    again = rebuilt.get("MIA")
    assert (again.handle, again.color, again.signature_wardrobe) == (
        mia.handle,
        mia.color,
        mia.signature_wardrobe,
    )
    rafa = rebuilt.get("RAFA")
    assert rafa is not None and rafa.color not in {c.color for c in imported.characters}
    assert rebuilt.get("MAN") is not None  # the season cast stays whole


def _last_line(text: str) -> str:
    """The command's own output (structlog, unconfigured outside the root app, logs to stdout)."""
    return text.splitlines()[-1]


def test_cli_export_and_import(tmp_path):
    library, _, _ = _library(SMALL)
    write_library(library, tmp_path / "run")
    runner = CliRunner()
    cast = tmp_path / "cast.json"
    out = runner.invoke(characters_app, ["export", str(tmp_path / "run"), str(cast)], catch_exceptions=False)
    assert (out.exit_code, _last_line(out.stdout)) == (0, f"exported 2 characters to {cast}")
    assert (tmp_path / "characters" / "SAM.png").is_file()  # images travel beside the .json
    out = runner.invoke(characters_app, ["import", str(cast), str(tmp_path / "next")], catch_exceptions=False)
    expected = f"imported into {tmp_path / 'next' / 'characters.json'} (2 characters)"
    assert (out.exit_code, _last_line(out.stdout)) == (0, expected)
    for command in ("export", "import"):
        help_text = runner.invoke(characters_app, [command, "--help"]).stdout
        assert "Example: filmcrew characters" in help_text
    with pytest.raises(InputError, match="no characters.json"):
        runner.invoke(characters_app, ["export", str(tmp_path), str(tmp_path / "x")], catch_exceptions=False)


def test_refine_fills_gaps_and_never_renames():
    library, sp, sheet = _library(SMALL)
    provider = ScriptedProvider(
        [
            {
                "characters": [
                    {"name": "JUNO", "face": "freckles", "age": "12", "pronouns": "she/her"},
                    {"name": "GHOST", "hair": "white"},
                ]
            }
        ]
    )
    refined, notes = refine_library(provider, sp, sheet, library)
    juno = refined.get("JUNO")
    assert juno.face == "freckles" and juno.age == "9"  # filled a gap, kept the script's age
    assert [c.name for c in refined.characters] == [c.name for c in library.characters]
    assert any("GHOST" in n for n in notes) and any("face" in n for n in notes)
    request = provider.calls[0]
    assert request.prompt_id == "characters/refine@1" and "OLD SAM" in request.prompt
    provider.assert_consumed()
    same, notes = refine_library(OfflineProvider(), sp, sheet, library)
    assert same == library and notes == []


PIER = """EXT. PIER - DAY

KAI (40s) fishes alone. KAI's orange BEANIE is pulled low.

KAI
Nothing biting.

EXT. PIER - NIGHT

Kai's orange beanie is soaked now. A long black GREATCOAT flaps around Kai.

KAI
Still nothing.
"""


def test_wardrobe_named_after_the_introduction_becomes_canonical():
    library, _, _ = _library(PIER, "pier.fountain")
    kai = library.get("KAI")
    assert kai.signature_wardrobe == ["orange beanie"]  # not "kai's orange beanie"
    assert kai.color == "#%02x%02x%02x" % COLOUR_WORDS["orange"]  # the beanie lends its colour
    night = next(look for look in kai.looks if 2 in look.scenes)
    assert "long black greatcoat" in night.wardrobe and "orange beanie" in night.wardrobe


def test_everyday_senses_of_injury_words_leave_a_look_unhurt():
    library, _, _ = _library("""
INT. BARBER SHOP - DAY

KARL (40s, huge, a leather apron) cuts his hair with hedge clippers. His shadow is cast big on the wall.

Karl sweeps up the broken glass and decides to burn the letter.

EXT. STREET - DAY

Karl walks out. A cut on his cheek bleeds a little; his left wrist is broken.
""")
    karl = library.get("KARL")
    assert karl is not None
    hurt = [i for look in karl.looks for i in look.injuries]
    assert not any("hair" in i or "shadow" in i or "letter" in i or "glass" in i for i in hurt), hurt
    assert any("cheek" in i for i in hurt) and any("wrist" in i for i in hurt), hurt


def test_an_abbreviated_title_does_not_cut_the_introduction():
    library, _, _ = _library("""
INT. HOSPITAL - DAY

DR. BENNETT (60s) leans in, a kind man with a grey beard and a bow tie.

DR. BENNETT
He is asleep.
""")
    bennett = library.get("DR. BENNETT")
    assert bennett is not None and "grey beard" in bennett.description
