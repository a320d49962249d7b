"""Reading action lines: clauses, subjects, pronouns, negation, main verbs, noun phrases."""

from __future__ import annotations

from filmcrew.agents.continuity_names import build_names, same_people
from filmcrew.agents.continuity_text import Reader, infer_genders, read_paragraph
from filmcrew.agents.continuity_words import main_verb, negated, noun_phrase, singular

from filmcrew.domain import Breakdown, BreakdownCharacter


def people(*names: str, aliases: dict[str, list[str]] | None = None) -> Breakdown:
    """A breakdown with these characters."""
    aliases = aliases or {}
    return Breakdown(characters=[BreakdownCharacter(name=n, aliases=aliases.get(n, []), first_line=1, dialogue_count=1)
                                 for n in names])


def read(text: str, *names: str) -> list[tuple[tuple[str, ...], str, str]]:
    """Read one paragraph: (subjects, thing, clause text) per clause."""
    index = build_names(people(*names))
    infer_genders(index, [text])
    return [(c.subjects, c.thing, c.text) for c in read_paragraph(text, 1, 0, Reader(index))]


def test_subjects_carry_across_clauses_and_pronouns_resolve_by_gender() -> None:
    text = "Nora grabs her coat and leaves. Dev sighs. He sits. She comes back in."
    clauses = read("NORA (60s, her coat) waits. " + text, "NORA", "DEV")
    subjects = [s for s, _, _ in clauses if s]
    assert subjects[-4:] == [("nora",), ("dev",), ("dev",), ("nora",)]


def test_a_possessive_is_a_thing_subject_not_the_person() -> None:
    clauses = read("Tom's phone buzzes on the table.", "TOM")
    assert clauses[0][0] == () and clauses[0][1] == "phone"


def test_an_opening_participle_belongs_to_the_following_subject() -> None:
    clauses = read("Soaked to the skin, Ana staggers in.", "ANA")
    assert [s for s, _, _ in clauses] == [("ana",), ("ana",)]


def test_compound_subjects() -> None:
    clauses = read("Ana and Ben leave together.", "ANA", "BEN")
    assert clauses[0][0] == ("ana", "ben")


def test_negation_and_hypotheticals() -> None:
    assert negated(" doesn't leave", len(" doesn't leave"))
    assert negated(" almost drops the tray", 20)
    assert negated(" tries to break the door", 20)
    assert not negated(" breaks the door", 10)


def test_main_verb_skips_adverbs_and_opening_phrases() -> None:
    assert main_verb(" quickly pockets the key")[0] == "pockets"  # type: ignore[index]
    assert main_verb("after a minute of splashing fishes the keys out")[0] == "fishes"  # type: ignore[index]
    assert main_verb(" begins to tear the letter")[0] == "tears"  # type: ignore[index]


def test_noun_phrase_heads() -> None:
    assert noun_phrase(" the old brass lamp against the wall", 0)[0] == "lamp"
    assert noun_phrase(" a bottle of wine", 0)[0] == "bottle"
    assert noun_phrase(" the two wedding rings into it", 0)[0] == "ring"
    assert singular("keys") == "key" and singular("glasses") == "glasses"


def test_one_person_listed_twice_by_the_breakdown_is_one_person() -> None:
    sheet = people("PARK", "DET. PARK", "DETECTIVE MIN-JI PARK", "BRENNER")
    mapping = same_people(sheet)
    assert mapping["det. park"] == mapping["park"] == mapping["detective min-ji park"]
    assert mapping["brenner"] == "brenner"


def test_two_people_are_not_merged_through_a_bogus_joint_name() -> None:
    mapping = same_people(people("PRIYA", "OWEN", "PRIYA OWEN"))
    assert mapping["priya"] != mapping["owen"]
