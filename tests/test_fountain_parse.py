"""Unit tests of the Fountain parser: every element type, the formats.md §1.3 table of cases
where parsers disagree, source line numbers, line ends, BOM, tabs and boneyards."""

from __future__ import annotations

import gc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filmcrew.domain import Element, Scene, SceneHeading, Screenplay, TextRun
from filmcrew.tools.fountain import character_key, parse
from filmcrew.tools.fountain_lines import line_numbers
from filmcrew.tools.headings import _parse_any_heading, parse_heading, split_scene_number
from filmcrew.tools.model_build import many_builder, template


def kinds(sp: Screenplay) -> list[tuple[str, str]]:
    """Return (kind, text) of every element."""
    return [(e.kind, e.text) for e in sp.elements]


def only(sp: Screenplay, kind: str) -> list[Element]:
    """Return the elements of one kind."""
    return [e for e in sp.elements if e.kind == kind]


def messages(sp: Screenplay) -> str:
    """Return every warning as one string, for `in` checks."""
    return " | ".join(f"{w.line}: {w.message}" for w in sp.warnings)


# --- scene headings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "INT. HOUSE - DAY",
        "EXT. PARK - NIGHT",
        "EST. CITY - DAWN",
        "INT./EXT. CAR - DAY",
        "INT/EXT CAR",
        "I/E. CAR",
        "int. house - day",
        "EXT DOCKS--NIGHT",
    ],
)
def test_scene_heading_prefixes(line: str) -> None:
    sp = parse(f"{line}\n\nSomething happens.\n")
    assert kinds(sp)[0] == ("scene_heading", line)
    assert sp.elements[0].forced is False


@pytest.mark.parametrize(
    "line",
    ["INTERIOR DESIGN IS HARD", "Internal memo.", "ESTABLISHING the facts.", "EXTRA! EXTRA!"],
)
def test_words_that_start_like_headings_are_not_headings(line: str) -> None:
    sp = parse(f"{line}\n")
    assert sp.elements[0].kind == "action"


def test_forced_heading_drops_the_dot_and_keeps_case() -> None:
    sp = parse(".SNIPER SCOPE POV\n\n.somewhere in space\n\n...and then\n\n. NOT A HEADING\n")
    assert kinds(sp) == [
        ("scene_heading", "SNIPER SCOPE POV"),
        ("scene_heading", "somewhere in space"),
        ("action", "...and then"),
        ("action", ". NOT A HEADING"),
    ]
    assert sp.elements[0].forced is True


@pytest.mark.parametrize(
    ("line", "text", "number"),
    [
        ("INT. HOUSE - DAY #12A#", "INT. HOUSE - DAY", "12A"),
        ("EST BUCKET LIST #I-1-A#", "EST BUCKET LIST", "I-1-A"),
        ("INT. HOUSE #1.2#", "INT. HOUSE", "1.2"),
        (".FLASHBACK #7#", "FLASHBACK", "7"),
        ("INT. HOUSE #😆#", "INT. HOUSE #😆#", None),
    ],
)
def test_scene_numbers_are_cut_from_the_text(line: str, text: str, number: str | None) -> None:
    heading = parse(f"{line}\n\nAction.\n").elements[0]
    assert (heading.kind, heading.text, heading.scene_number) == ("scene_heading", text, number)


def test_heading_needs_a_blank_line_before_unless_it_is_unmistakable() -> None:
    sp = parse("Some action.\nint. kitchen - day\n\nMore.\n")
    assert kinds(sp)[0] == ("action", "Some action.\nint. kitchen - day")
    sp = parse("Some action.\nINT. KITCHEN - DAY\n\nMore.\n")
    assert kinds(sp)[:2] == [("action", "Some action."), ("scene_heading", "INT. KITCHEN - DAY")]
    assert "no blank line above" in messages(sp) or "without a blank line" in messages(sp)


def test_heading_with_text_right_under_it_is_heading_plus_action_and_warns() -> None:
    # formats.md §1.3: strictly a cue plus dialogue, but writers mean a heading.
    sp = parse("INT. PALACE HALLWAY - NIGHT\nYou can nest sections.\n")
    assert kinds(sp) == [
        ("scene_heading", "INT. PALACE HALLWAY - NIGHT"),
        ("action", "You can nest sections."),
    ]
    assert sp.warnings[0].line == 2
    assert "right under a scene heading" in sp.warnings[0].message


def test_heading_with_a_synopsis_under_it_does_not_warn() -> None:
    sp = parse("EXT. PATIO - DAY\n= Brick and Steel retire.\n\nA gorgeous day.\n")
    assert kinds(sp) == [
        ("scene_heading", "EXT. PATIO - DAY"),
        ("synopsis", "Brick and Steel retire."),
        ("action", "A gorgeous day."),
    ]
    assert sp.warnings == []


def test_whitespace_line_before_heading_is_blank() -> None:
    # formats.md §1.3: a line of one space or tab just before `INT.` is blank.
    for blank in (" ", "\t", "   "):
        sp = parse(f"Action.\n{blank}\nINT. HOUSE - DAY\n\nMore.\n")
        assert [e.kind for e in sp.elements] == ["action", "scene_heading", "action"]
        assert len(sp.scenes) == 2


# --- transitions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "CUT TO:",
        "SMASH CUT TO:",
        "FADE OUT.",
        "FADE TO BLACK.",
        "CUT TO BLACK.",
        "    DISSOLVE TO:",
    ],
)
def test_transitions(line: str) -> None:
    sp = parse(f"Action.\n\n{line}\n\nINT. HOUSE - DAY\n")
    assert kinds(sp)[1] == ("transition", line.strip())


def test_transition_rules() -> None:
    sp = parse(
        "CUT TO: \n\nboop boop TO:\n\n> fade to black\n\n>Another\n\n"
        "FADE IN:\n\nNOT ALONE TO:\nmore text\n"
    )
    assert kinds(sp) == [
        ("action", "CUT TO:"),  # a trailing space makes it action on purpose
        ("action", "boop boop TO:"),
        ("transition", "fade to black"),
        ("transition", "Another"),
        ("action", "FADE IN:"),
        ("action", "NOT ALONE TO:\nmore text"),
    ]
    assert [e.forced for e in only(sp, "transition")] == [True, True]


def test_fade_in_is_action_unless_forced_and_never_a_title_key() -> None:
    # formats.md §1.3: `FADE IN:` after the title page or as line 1.
    first = parse("FADE IN:\n\nINT. HOUSE - DAY\n\nHi.\n")
    assert first.title_page == []
    assert kinds(first)[0] == ("action", "FADE IN:")
    after_title = parse("Title: X\n\nFADE IN:\n\nINT. HOUSE - DAY\n")
    assert kinds(after_title)[0] == ("action", "FADE IN:")
    forced = parse("> FADE IN:\n\nINT. HOUSE - DAY\n")
    assert kinds(forced)[0] == ("transition", "FADE IN:")
    cut = parse("CUT TO:\n\nINT. HOUSE - DAY\n")
    assert cut.title_page == [] and kinds(cut)[0] == ("transition", "CUT TO:")


# --- cues and dialogue ------------------------------------------------------------------------


def test_cue_and_dialogue_with_line_breaks() -> None:
    sp = parse("\nNORA\nForty years.\nAnd they change the lock.\n")
    assert kinds(sp) == [
        ("character", "NORA"),
        ("dialogue", "Forty years.\nAnd they change the lock."),
    ]
    assert [(e.start_line, e.end_line) for e in sp.elements] == [(2, 2), (3, 4)]


@pytest.mark.parametrize(
    ("cue", "name", "extensions"),
    [
        ("MAYA (V.O.)(CONT'D)", "MAYA", ["V.O.", "CONT'D"]),
        ("MAYA (V.O.) (CONT’D)", "MAYA", ["V.O.", "CONT’D"]),
        ("NAME (CONT'D)", "NAME", ["CONT'D"]),
        ("ANA (on the phone)", "ANA", ["on the phone"]),
        ("DR. BENNET", "DR. BENNET", []),
        ("R2D2", "R2D2", []),
        ("3CPO", "3CPO", []),
        ("JIM😆", "JIM😆", []),
        ("@McCLANE", "McCLANE", []),
        ("@Han (O.S.)", "Han", ["O.S."]),
        ("      GUY", "GUY", []),
    ],
)
def test_cue_names_and_extensions(cue: str, name: str, extensions: list[str]) -> None:
    sp = parse(f"Action.\n\n{cue}\nA line.\n")
    character = sp.elements[1]
    assert (character.kind, character.text, character.extensions) == ("character", name, extensions)
    assert sp.elements[2].kind == "dialogue"


@pytest.mark.parametrize(
    "line", ["23", "Han (O. S.)", "BOB (test) and more", "AND ^ (Dual)", "CUT TO:", "山田"]
)
def test_not_cues(line: str) -> None:
    sp = parse(f"\n{line}\nA line.\n")
    assert sp.elements[0].kind == "action"


def test_cue_needs_a_line_after_it() -> None:
    sp = parse("BOB\n\nThis one should not work.\n")
    assert kinds(sp) == [("action", "BOB"), ("action", "This one should not work.")]


def test_contd_never_makes_a_new_character() -> None:
    sp = parse("STEEL\nOne.\n\nSTEEL (CONT'D)\nTwo.\n\nsteel (cont’d)\n@Steel (CONT’D)\nOK.\n")
    names = {character_key(e.text) for e in only(sp, "character")}
    assert names == {"steel"}
    assert character_key("McCLANE ") == character_key("MCCLANE") == "mcclane"
    assert character_key("O’BRIEN") == character_key("O'BRIEN")


def test_parentheticals_keep_parentheses_and_follow_cue_or_dialogue() -> None:
    sp = parse(
        "BOB\n(slowly)\nTrying this.\n    (loudly)  \n(bouncy)\nAlso this?\n\n(Jack)\nKnife.\n"
    )
    assert kinds(sp) == [
        ("character", "BOB"),
        ("parenthetical", "(slowly)"),
        ("dialogue", "Trying this."),
        ("parenthetical", "(loudly)"),
        ("dialogue", "(bouncy)\nAlso this?"),  # the spec: a parenthetical follows a cue or dialogue
        ("action", "(Jack)\nKnife."),
    ]
    assert "parenthetical right after another" in messages(sp)


def test_two_spaces_keep_a_speech_going_one_space_ends_it() -> None:
    sp = parse("DEALER\nTen.\n  \nHit or stand?\n\nDEALER\nFour.\n \nHit me.\n")
    assert kinds(sp) == [
        ("character", "DEALER"),
        ("dialogue", "Ten.\n\nHit or stand?"),
        ("character", "DEALER"),
        ("dialogue", "Four."),
        ("action", "Hit me."),
    ]
    assert (sp.elements[1].start_line, sp.elements[1].end_line) == (2, 4)


def test_lyrics_inside_and_outside_speeches() -> None:
    sp = parse(
        "ANNIE\nHere goes.\n~ The sun will come out\n~Tomorrow\n\n"
        "~ Bet your bottom dollar\nAnd more action.\n"
    )
    assert kinds(sp) == [
        ("character", "ANNIE"),
        ("dialogue", "Here goes."),
        ("lyric", "The sun will come out\nTomorrow"),
        ("lyric", "Bet your bottom dollar"),
        ("action", "And more action."),
    ]


def test_dual_dialogue_marks_both_speeches() -> None:
    sp = parse("GIRL\n(shouting)\nHey!\n\nGUY ^\nHello!\n\nLATER\nNo dual.\n")
    duals = [(e.kind, e.dual) for e in sp.elements]
    assert duals == [
        ("character", "left"),
        ("parenthetical", "left"),
        ("dialogue", "left"),
        ("character", "right"),
        ("dialogue", "right"),
        ("character", None),
        ("dialogue", None),
    ]
    assert sp.elements[3].text == "GUY"


def test_dual_marker_without_a_speech_before_warns() -> None:
    sp = parse("Action first.\n\nGUY ^\nHello!\n")
    assert [e.dual for e in sp.elements] == [None, None, None]
    assert "dual dialogue" in messages(sp)


def test_comma_names_are_cues_only_when_cues_elsewhere() -> None:
    # formats.md §1.3: `NAME, 40 (or so), a tall…` above more text is action.
    sp = parse("MARA, 40 (or so), a tall woman\nwalks in.\n\nBOB, THE BUILDER\nCan we fix it?\n")
    assert [e.kind for e in sp.elements] == ["action", "action"]
    assert "has a comma" in messages(sp)
    known = parse("BOB, JR.\nHi.\n\n@BOB, JR.\nHello again.\n")
    assert kinds(known) == [
        ("character", "BOB, JR."),
        ("dialogue", "Hi."),
        ("character", "BOB, JR."),
        ("dialogue", "Hello again."),
    ]


# --- action, centred, page breaks, outline ----------------------------------------------


def test_action_keeps_indentation_and_line_breaks_and_forced_lines() -> None:
    sp = parse(
        "He reads the card.\n\n    Scott --\n    Jacob Billups\n\n"
        "!INT. NOT A SCENE\nStill action.\n\n!\n"
    )
    assert kinds(sp) == [
        ("action", "He reads the card."),
        ("action", "    Scott --\n    Jacob Billups"),
        ("action", "INT. NOT A SCENE\nStill action."),
        ("action", ""),
    ]
    assert sp.elements[2].forced is True


def test_forced_empty_line_inside_action() -> None:
    sp = parse("Line one.\n!\nLine three.\n")
    assert kinds(sp) == [("action", "Line one.\n\nLine three.")]


def test_centered_text_and_page_breaks() -> None:
    sp = parse(">THE END<\n\n> ACT TWO <\n\n===\n   ====\n\n>Not centred\n")
    assert kinds(sp) == [
        ("centered", "THE END"),
        ("centered", " ACT TWO "),  # the spaces the writer typed inside the markers stay
        ("page_break", ""),
        ("page_break", ""),
        ("transition", "Not centred"),
    ]


def test_sections_and_synopses() -> None:
    sp = parse("# Act One\n\n## Sequence\n\n###### Tiny\n\n= The setup.\n\n==not a synopsis\n")
    assert [(e.kind, e.text, e.depth) for e in sp.elements] == [
        ("section", "Act One", 1),
        ("section", "Sequence", 2),
        ("section", "Tiny", 6),
        ("synopsis", "The setup.", None),
        ("action", "==not a synopsis", None),
    ]


# --- emphasis ---------------------------------------------------------------------------------


def test_emphasis_becomes_runs_and_plain_text() -> None:
    action = parse("He *really* **means** it, ***truly***, _underlined_.\n").elements[0]
    assert action.text == "He really means it, truly, underlined."
    assert action.runs == [
        TextRun(text="He "),
        TextRun(text="really", italic=True),
        TextRun(text=" "),
        TextRun(text="means", bold=True),
        TextRun(text=" it, "),
        TextRun(text="truly", bold=True, italic=True),
        TextRun(text=", "),
        TextRun(text="underlined", underline=True),
        TextRun(text="."),
    ]


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("He dialed *69 and then *23.", "He dialed *69 and then *23."),
        ("Steel types \\*9765\\*", "Steel types *9765*"),
        ("snake_case_name", "snake_case_name"),
        ("*no closing", "*no closing"),
        ("Nothing __ inside ** here", "Nothing __ inside ** here"),
    ],
)
def test_emphasis_that_is_not_emphasis(line: str, text: str) -> None:
    action = parse(line + "\n").elements[0]
    assert (action.text, action.runs) == (text, [])


def test_emphasis_never_crosses_a_line_break() -> None:
    action = parse("Brick and Steel *share a look.\nThis is going to be BAD.*\n").elements[0]
    assert action.runs == []
    assert "*share" in action.text


def test_emphasis_in_dialogue_nests() -> None:
    dialogue = parse("DAN\n_Steel's *Leupold* scope_.\n").elements[1]
    assert dialogue.text == "Steel's Leupold scope."
    assert TextRun(text="Leupold", italic=True, underline=True) in dialogue.runs


# --- notes and boneyards ---------------------------------------------------------------


def test_inline_notes_leave_the_text_and_stay_on_the_element() -> None:
    sp = parse("Before1 [[some notes]]After1\n\nMultiple [[notes]]on one[[line]]\n")
    assert kinds(sp) == [("action", "Before1 After1"), ("action", "Multiple on one")]
    assert sp.elements[1].notes == ["notes", "line"]


def test_multiline_note_with_two_space_line_joins_its_text() -> None:
    sp = parse("He waits.[[This needs work.\nEither that,\n  \nor coffee.]] He looks around.\n")
    action = sp.elements[0]
    assert action.text == "He waits. He looks around."
    assert action.notes == ["This needs work.\nEither that,\n\nor coffee."]
    assert (action.start_line, action.end_line) == (1, 4)


def test_note_with_an_empty_line_is_plain_text_and_warns() -> None:
    sp = parse("This is not [[\na proper note\n\nbecause it has a blank line\n]]\n")
    assert kinds(sp) == [
        ("action", "This is not [[\na proper note"),
        ("action", "because it has a blank line\n]]"),
    ]
    assert "no ']]'" in messages(sp)


def test_standalone_note_is_its_own_element() -> None:
    sp = parse("Before.\n\n[[A note\non two lines]]\n\nAfter.\n")
    assert kinds(sp) == [
        ("action", "Before."),
        ("note", "A note\non two lines"),
        ("action", "After."),
    ]
    assert (sp.elements[1].start_line, sp.elements[1].end_line) == (3, 4)


def test_note_alone_on_a_line_inside_a_paragraph_joins_the_paragraph() -> None:
    sp = parse("He walks.\n[[about the walk]]\nShe runs.\n")
    assert kinds(sp) == [("action", "He walks.\nShe runs.")]
    assert sp.elements[0].notes == ["about the walk"]


def test_tagged_note_on_a_cue_line() -> None:
    sp = parse("NORA [[SHOT: CU on the key]]\nThen you've got till Friday.\n")
    assert sp.elements[0].text == "NORA"
    assert sp.elements[0].notes == ["SHOT: CU on the key"]


def test_boneyard_keeps_source_line_numbers() -> None:
    text = "INT. A - DAY\n\n/*\nINT. CUT - DAY\n\nGone.\n*/\n\nStill here.\n\nEXT. B - NIGHT\n"
    sp = parse(text)
    assert kinds(sp) == [
        ("scene_heading", "INT. A - DAY"),
        ("action", "Still here."),
        ("scene_heading", "EXT. B - NIGHT"),
    ]
    assert [e.start_line for e in sp.elements] == [1, 9, 11]
    assert [(b.start_line, b.end_line) for b in sp.boneyard] == [(3, 7)]
    assert sp.boneyard[0].text == "\nINT. CUT - DAY\n\nGone.\n"


def test_boneyard_inside_a_paragraph_leaves_it_whole() -> None:
    sp = parse("This is something.\n/*\nnope\nnope\n*/\nOK.\n\nHe walks /* slowly */ away.\n")
    assert kinds(sp) == [("action", "This is something.\nOK."), ("action", "He walks away.")]
    assert (sp.elements[0].start_line, sp.elements[0].end_line) == (1, 6)


def test_transition_above_a_cut_scene_stays_a_transition() -> None:
    sp = parse(
        "Action.\n\nCUT TO:\n/*\nINT. GARAGE - DAY\n\nThey speed off.\n*/\n"
        "EXT. MANSION - DAY\n\nA beer.\n"
    )
    assert kinds(sp) == [
        ("action", "Action."),
        ("transition", "CUT TO:"),
        ("scene_heading", "EXT. MANSION - DAY"),
        ("action", "A beer."),
    ]
    assert sp.elements[2].start_line == 9


def test_unclosed_boneyard_is_text() -> None:
    sp = parse("He types /* and stops.\n")
    assert kinds(sp) == [("action", "He types /* and stops.")]
    assert sp.boneyard == []


# --- title page -----------------------------------------------------------------------------------


def test_title_page_with_continuations_holding_colons() -> None:
    # formats.md §1.3: a tab-indented title value holding a colon is a continuation.
    sp = parse(
        "Title:\n\tWRONG NUMBER\n\tEPISODE 1: PILOT\nAuthor: Ana\ndraft date: 1/20/2012\n"
        "Contact:\n    Studio\n    Phone: 555\n\nINT. X - DAY\n"
    )
    assert [(t.key, t.value, t.start_line, t.end_line) for t in sp.title_page] == [
        ("Title", "WRONG NUMBER\nEPISODE 1: PILOT", 1, 3),
        ("Author", "Ana", 4, 4),
        ("draft date", "1/20/2012", 5, 5),
        ("Contact", "Studio\nPhone: 555", 6, 8),
    ]
    assert sp.title() == "WRONG NUMBER\nEPISODE 1: PILOT"
    assert kinds(sp) == [("scene_heading", "INT. X - DAY")]
    assert sp.elements[0].start_line == 10


def test_title_page_without_blank_line_after_it_warns() -> None:
    sp = parse("Title: X\nNot a title entry.\nStill: Not a title entry.\n")
    assert [t.key for t in sp.title_page] == ["Title"]
    assert kinds(sp) == [("action", "Not a title entry.\nStill: Not a title entry.")]
    assert "title page ends without a blank line" in messages(sp)


def test_a_sentence_with_a_colon_is_not_a_title_page() -> None:
    sp = parse("He opens the card. A simple little number inside of which is written:\n\nMore.\n")
    assert sp.title_page == []
    assert sp.elements[0].kind == "action"


# --- line numbers, line ends, encodings ---------------------------------------------------------


SCRIPT = (
    "Title: T\n\nINT. A - DAY\n\nNORA\n(quietly)\nHello.\n\nShe leaves.\n\tSlowly.\n\nCUT TO:\n"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_survive_any_line_end(newline: str) -> None:
    sp = parse(SCRIPT.replace("\n", newline))
    assert [(e.kind, e.start_line, e.end_line) for e in sp.elements] == [
        ("scene_heading", 3, 3),
        ("character", 5, 5),
        ("parenthetical", 6, 6),
        ("dialogue", 7, 7),
        ("action", 9, 10),
        ("transition", 12, 12),
    ]
    assert sp.line_count == 12
    assert sp.elements[4].text == "She leaves.\n    Slowly."  # a tab is four spaces


def test_bom_is_dropped_and_non_ascii_kept() -> None:
    sp = parse("\ufeffEXT. CAFÉ – DAY\n\n“Quotes” stay curly — always.\n")
    assert kinds(sp) == [
        ("scene_heading", "EXT. CAFÉ – DAY"),
        ("action", "“Quotes” stay curly — always."),
    ]


def test_line_count_and_scene_spans() -> None:
    sp = parse("FADE IN:\n\nINT. A - DAY\n\nOne.\n\nEXT. B - NIGHT\n\nTwo.\n\n\n")
    assert sp.line_count == 11
    assert [
        (s.number, s.label, s.start_line, s.end_line, s.first_element, s.end_element)
        for s in sp.scenes
    ] == [
        (1, "1", 3, 6, 1, 3),
        (2, "2", 7, 11, 3, 5),
    ]
    assert sp.scenes[0].heading is not None and sp.scenes[0].heading.location == "A"


def test_text_before_the_first_heading_is_an_implicit_scene() -> None:
    sp = parse("A man waits.\n\nINT. A - DAY #4#\n\nOne.\n")
    assert [(s.number, s.label, s.heading is None) for s in sp.scenes] == [
        (1, "1", True),
        (2, "4", False),
    ]


def test_script_without_headings_is_one_scene_and_warns() -> None:
    sp = parse("BOB\nHello.\n\nHe leaves.\n")
    assert len(sp.scenes) == 1 and sp.scenes[0].heading is None
    assert sp.scenes[0].end_element == 3
    assert "no scene heading" in messages(sp)


def test_empty_and_blank_input() -> None:
    for text in ("", "\n\n", "   \n\t\n"):
        sp = parse(text)
        assert sp.elements == [] and sp.scenes == [] and sp.title_page == []


def test_every_element_equals_a_validated_model() -> None:
    # Elements are built without validation for speed; they must be what validation gives.
    sp = parse(
        SCRIPT + "\nGIRL\nHey *you*!\n\nGUY ^\n[[note]]Hi.\n\n# Act\n\n= Syn.\n\n===\n\n>END<\n"
    )
    for element in sp.elements:
        assert Element.model_validate(element.model_dump()) == element
        assert (
            Element.model_validate_json(element.model_dump_json()).model_dump()
            == element.model_dump()
        )
    assert Screenplay.model_validate(sp.model_dump()) == sp
    copy = sp.elements[0].model_copy(update={"text": "changed"})
    assert copy.text == "changed" and sp.elements[0].text == "INT. A - DAY"


def test_models_built_in_bulk_equal_validated_ones() -> None:
    heading = {
        "text": "INT. A - DAY",
        "int_ext": "INT",
        "location": "A",
        "time_of_day": "DAY",
        "qualifiers": "",
    }
    fields = ("text", "int_ext", "location", "time_of_day", "qualifiers")
    made = many_builder(SceneHeading, fields)([dict(heading), template(heading).copy()])
    assert made == [SceneHeading(**heading)] * 2
    assert [m.model_dump_json() for m in made] == [SceneHeading(**heading).model_dump_json()] * 2
    # Fields the caller leaves out get their defaults; a required one missing is refused.
    short = many_builder(SceneHeading, ("text",))([{"text": "X"}])
    assert short == [SceneHeading(text="X")]
    with pytest.raises(KeyError, match="required"):
        many_builder(Scene, ("number",))


def test_a_template_copy_is_an_ordinary_dict() -> None:
    values = {"kind": "action", "text": "", "notes": None}
    copy = template(values).copy()
    copy["text"] = "x"
    copy["extra"] = 1  # a new key turns it into a plain dict; nothing else changes
    assert copy == {"kind": "action", "text": "x", "notes": None, "extra": 1}
    assert list(copy) == ["kind", "text", "notes", "extra"]
    assert template(values) == values


def test_line_numbers() -> None:
    for count in (0, 1, 7, 3, 5000, 12):
        numbers = line_numbers(count)
        assert numbers == list(range(1, count + 1))
        numbers.append(-1)  # a fresh list each time: changing it changes no other
    assert line_numbers(3) == [1, 2, 3]


# --- the cycle collector ------------------------------------------------------------------------


def test_parse_leaves_the_collector_as_it_found_it() -> None:
    script = SCRIPT * 20
    was_enabled = gc.isenabled()
    try:
        gc.enable()
        sp = parse(script)
        assert gc.isenabled() and gc.get_freeze_count() == 0
        # The result was moved to the oldest generation rather than left for a young
        # collection to walk.
        assert any(o is sp for o in gc.get_objects(generation=2))
        gc.disable()
        parse(script)
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()


def test_parse_keeps_objects_someone_else_froze_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        sp = parse(SCRIPT)
        assert gc.get_freeze_count() == frozen
        assert sp.elements and gc.isenabled()
    finally:
        gc.unfreeze()


def test_parse_restores_the_collector_when_it_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from filmcrew.tools import fountain

    def broken(lines: object, markup: bool) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(fountain, "build_elements", broken)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        parse(SCRIPT)
    assert gc.isenabled() and gc.get_freeze_count() == 0


# --- headings.py ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "int_ext", "location", "time", "qualifiers"),
    [
        ("INT. HOUSE - KITCHEN - NIGHT", "INT", "HOUSE - KITCHEN", "NIGHT", ""),
        ("EXT. DOCKS--NIGHT", "EXT", "DOCKS", "NIGHT", ""),
        ("EXT. PARK - NIGHT - FLASHBACK (1944)", "EXT", "PARK", "NIGHT", "FLASHBACK (1944)"),
        ("INT. HOUSE - DAY (FLASHBACK)", "INT", "HOUSE", "DAY", "(FLASHBACK)"),
        ("I/E. CAR - MOVING - DAY", "INT/EXT", "CAR - MOVING", "DAY", ""),
        ("EXT./INT. BUS - LATER THAT NIGHT", "INT/EXT", "BUS", "LATER THAT NIGHT", ""),
        ("EST. CITY – DAWN", "EXT", "CITY", "DAWN", ""),
        ("INT. NIGHT CLUB", "INT", "NIGHT CLUB", "", ""),
        ("SNIPER SCOPE POV", "", "SNIPER SCOPE POV", "", ""),
        ("INT.  WILL'S BEDROOM - DAY  [FLASHBACK]", "INT", "WILL'S BEDROOM", "DAY", "[FLASHBACK]"),
        ("EXT. FARM - NIGHT (1973)", "EXT", "FARM", "NIGHT", "(1973)"),
        ("INT. CAR - DAY / DRIVING", "INT", "CAR", "DAY", "DRIVING"),
        ("EXT. BY THE RIVER - NIGHT - CONTINUOUS", "EXT", "BY THE RIVER", "CONTINUOUS", "NIGHT"),
        ("EXT. BIG-TOP TENT - DUSK", "EXT", "BIG-TOP TENT", "DUSK", ""),
    ],
)
def test_parse_heading(text: str, int_ext: str, location: str, time: str, qualifiers: str) -> None:
    heading = parse_heading(text)
    assert (heading.int_ext, heading.location, heading.time_of_day, heading.qualifiers) == (
        int_ext,
        location,
        time,
        qualifiers,
    )


def test_split_scene_number() -> None:
    assert split_scene_number("INT. X #12A# ") == ("INT. X", "12A")
    assert split_scene_number("INT. X ##") == ("INT. X ##", None)
    assert split_scene_number("INT. X") == ("INT. X", None)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["INT. ", "EXT. ", "EST. ", "INT ", "EXT ", "INT./EXT. ", "I/E "]),
    st.text(alphabet="ABCÉ .-–()/1", max_size=14),
    st.sampled_from(
        [
            "",
            " - DAY",
            " - NIGHT",
            " -- DAWN",
            "--NIGHT",
            " - day",
            " - LATER THAT NIGHT",
            " - DAY (RAIN)",
            " - CONTINUOUS",
            " - B - NIGHT",
            " - - DAY",
        ]
    ),
)
def test_heading_fast_path_agrees_with_the_general_one(prefix: str, place: str, time: str) -> None:
    text = (prefix + place + time).strip()
    assert parse_heading(text) == _parse_any_heading(text)


def test_a_hyphen_inside_a_word_is_not_a_separator() -> None:
    from filmcrew.tools.headings import normalise_location

    assert normalise_location("HALF-DARK ROOM") == "HALF-DARK ROOM"
    assert normalise_location("LIBRARY--STACKS") == normalise_location("LIBRARY - STACKS") == "LIBRARY - STACKS"
    assert normalise_location("LIBRARY — STACKS") == "LIBRARY - STACKS"
