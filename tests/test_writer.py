"""The writer with a scripted model: parser feedback, bounded loops, rubric, scene-level revisions."""

from __future__ import annotations

import pytest

from filmcrew.agents.breakdown import scene_fingerprint
from filmcrew.agents.writer import DraftRejected, ModelRequired, draft, require_text_model, revise
from filmcrew.agents.writer_fountain import apply_edits, clean_reply, diff_scripts, problems_of, split_blocks
from filmcrew.agents.writer_models import SceneEdit, WriterOptions, WriterSpec
from filmcrew.agents.writer_rubric import measure, normalised, rubric_for, rule_issues
from filmcrew.agents.writer_season import balanced_cuts, split_into_episodes
from filmcrew.errors import InputError
from filmcrew.providers import ScriptedProvider
from filmcrew.providers.offline import OfflineProvider
from filmcrew.tools.fountain import parse
from tests import writer_recordings as authored

from .conftest import EXAMPLES

SHORT = EXAMPLES / "the-lighthouse-key.fountain"
SPEC = WriterSpec(logline=authored.SHORT_LOGLINE, format="short", minutes=1)


def fingerprints(text: str) -> list[str]:
    """Scene fingerprints of a screenplay text, in order."""
    sp = parse(text, "t")
    return [scene_fingerprint(sp, s) for s in sp.scenes if s.heading is not None]


def test_a_malformed_reply_goes_back_with_the_parsers_messages() -> None:
    answers = [authored.SHORT_OUTLINE, authored.SHORT_BEATS, authored.SHORT_MALFORMED, authored.SHORT_FOUNTAIN,
               authored.SHORT_CRITIQUE, authored.SHORT_EDITS]
    provider = ScriptedProvider(answers)
    result = draft(provider, SPEC)
    provider.assert_consumed()
    fix = provider.calls[3]
    assert fix.prompt_id.startswith("writer/fix@")
    assert "no scene headings" in fix.prompt and "text before the first scene heading" in fix.prompt
    assert "   1| **Scene 1" in fix.prompt  # the reply comes back with its line numbers
    text = result.screenplays[0].text
    sp = parse(text, "draft")
    assert [s.heading.text for s in sp.scenes if s.heading] == ["EXT. PIER - NIGHT", "INT. BAIT SHOP - NIGHT"]
    assert sp.title() == "Low Tide" and not sp.warnings
    assert "the other red SHOE" in text  # the critique's revision was applied
    assert any("critique round 1" in n for n in result.notes)


def test_fix_retries_are_bounded() -> None:
    bad = "Maya walks. No headings anywhere."
    provider = ScriptedProvider([authored.SHORT_OUTLINE, authored.SHORT_BEATS, bad, bad, bad])
    with pytest.raises(DraftRejected, match="no scene headings") as info:
        draft(provider, SPEC, WriterOptions(fix_retries=2, critique_rounds=1))
    assert info.value.exit_code == 3
    assert len(provider.calls) == 5  # outline, beats, the reply and two fixes; nothing more


def test_zero_critique_rounds_asks_no_critic() -> None:
    provider = ScriptedProvider([authored.SHORT_OUTLINE, authored.SHORT_BEATS, authored.SHORT_FOUNTAIN])
    result = draft(provider, SPEC, WriterOptions(critique_rounds=0))
    provider.assert_consumed()
    assert [c.prompt_id.split("@")[0] for c in provider.calls] == ["writer/outline", "writer/beats", "writer/scenes"]
    assert result.screenplays[0].measured is not None and result.screenplays[0].measured.scenes == 2


def test_outline_with_the_wrong_number_of_episodes_is_sent_back() -> None:
    one_part = {**authored.SEASON_OUTLINE, "parts": authored.SEASON_OUTLINE["parts"][:1]}
    provider = ScriptedProvider([one_part, authored.SEASON_OUTLINE])
    from filmcrew.agents import writer

    outline = writer._ask_outline(provider, normalised(WriterSpec(logline="x", format="microdrama", episodes=2)),
                                  rubric_for("microdrama"), WriterOptions())
    assert len(outline.parts) == 2
    assert "it needs exactly 2" in provider.calls[1].prompt


def test_without_a_text_model_writing_says_how_to_configure_one() -> None:
    with pytest.raises(ModelRequired) as info:
        require_text_model(OfflineProvider())
    assert info.value.exit_code == 2
    assert "OPENAI_API_KEY" in str(info.value) and "filmcrew providers" in str(info.value)
    with pytest.raises(ModelRequired):
        draft(OfflineProvider(), SPEC)


def test_revision_keeps_untouched_scenes_byte_for_byte() -> None:
    text = SHORT.read_text(encoding="utf-8")
    blocks = split_blocks(text)
    heading = blocks.scenes[2].split("\n")[0]
    new_scene = f"{heading}\n\nThe lamp room is silent. Isla sits, the key in her lap.\n"
    provider = ScriptedProvider([{"summary": "scene 3 is silent", "edits": [
        {"op": "replace", "scene": 3, "fountain": new_scene}]}])
    revision = revise(provider, text, "make scene 3 silent")
    before, after = fingerprints(text), fingerprints(revision.text)
    assert len(before) == len(after)
    assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == [2]
    assert [c.status for c in revision.diff.scenes].count("changed") == 1
    assert revision.diff.changed()[0].new == 3
    assert "+The lamp room is silent" in revision.diff.unified


def test_bad_edits_go_back_with_their_problems() -> None:
    text = SHORT.read_text(encoding="utf-8")
    good = {"summary": "cut scene 5", "edits": [{"op": "delete", "scene": 5, "fountain": ""}]}
    provider = ScriptedProvider([{"summary": "x", "edits": [{"op": "replace", "scene": 99, "fountain": "INT. X - DAY\n\nY.\n"}]},
                                 good])
    revision = revise(provider, text, "cut scene 5")
    assert "the draft has scenes 1 to 12" in provider.calls[1].prompt
    assert len(fingerprints(revision.text)) == 11
    assert [c.status for c in revision.diff.changed()] == ["removed"]


def test_edits_are_checked_by_the_parser() -> None:
    text = SHORT.read_text(encoding="utf-8")
    kept, problems = apply_edits(text, [SceneEdit(op="insert_after", scene=0, fountain="Just words, no heading.")])
    assert kept == text
    assert problems and "edit 1 (insert_after scene 0): no scene headings" in problems[0]
    added, problems = apply_edits(text, [SceneEdit(op="insert_after", scene=0,
                                                   fountain="```fountain\nEXT. CLIFF - DAWN\n\nWind.\n```")])
    assert not problems and fingerprints(added)[1:] == fingerprints(text)


def test_parser_problems_name_lines() -> None:
    _, problems = problems_of(clean_reply("INT. KITCHEN\nShe cooks."), expect_scenes=2)
    assert any("line 1" in p and "no time of day" in p for p in problems)
    assert any("found 1 scenes but the beat sheet has 2 beats" in p for p in problems)
    _, clean = problems_of("INT. KITCHEN - DAY\n\nShe cooks.\n", expect_scenes=1)
    assert clean == []


def test_diff_pairs_changed_added_and_removed_scenes() -> None:
    old = "INT. A - DAY\n\nOne.\n\nINT. B - DAY\n\nTwo.\n\nINT. C - DAY\n\nThree.\n"
    new = "INT. A - DAY\n\nOne.\n\nINT. B - DAY\n\nTwo, louder.\n\nINT. D - DAY\n\nFour.\n\nINT. C - DAY\n\nThree.\n"
    statuses = [(c.status, c.old, c.new) for c in diff_scripts(old, new).scenes]
    assert statuses == [("unchanged", 1, 1), ("changed", 2, 2), ("added", None, 3), ("unchanged", 3, 4)]


def test_microdrama_rubric_measures_episode_length_and_cast() -> None:
    rubric = rubric_for("microdrama")
    spec = normalised(WriterSpec(logline="x", format="microdrama"))
    assert spec.minutes == 1.5 and rubric.aspect == "9:16"
    short = measure("INT. ROOM - NIGHT\n\nMIA (20s) wakes.\n")
    issues = rule_issues(short, rubric, spec)
    assert [i.rule for i in issues] == ["60-120 s per episode"]
    episode = measure((EXAMPLES / "wrong-number-ep1.fountain").read_text(encoding="utf-8"))
    assert 60 <= episode.seconds <= 120 and rule_issues(episode, rubric, spec) == []
    crowded = episode.model_copy(update={"cast": [f"P{i}" for i in range(8)]})
    assert "cast size" in [i.rule for i in rule_issues(crowded, rubric, spec)]
    assert "cast per scene" in [i.rule for i in rule_issues(episode, rubric, spec, reference_limit=2)]


def test_bad_specs_are_input_errors() -> None:
    with pytest.raises(InputError, match="--episodes needs --format microdrama"):
        normalised(WriterSpec(logline="x", format="short", episodes=3))
    with pytest.raises(InputError, match="outside"):
        normalised(WriterSpec(logline="x", format="microdrama", minutes=5))
    with pytest.raises(InputError, match="unknown format"):
        rubric_for("sitcom")


@pytest.mark.parametrize(("sizes", "parts", "cuts"), [
    ([5, 5, 5, 5], 2, [0, 2]), ([1, 1, 10, 1], 3, [0, 2, 3]), ([3, 9, 2, 7, 4, 4, 8], 3, [0, 2, 5]),
    ([1, 1, 1], 3, [0, 1, 2]),
])
def test_balanced_cuts_minimise_the_longest_episode(sizes: list[int], parts: int, cuts: list[int]) -> None:
    assert balanced_cuts(sizes, parts) == cuts


def test_split_into_episodes_keeps_every_scene_as_written() -> None:
    text = SHORT.read_text(encoding="utf-8")
    episodes = split_into_episodes(text, 3)
    assert len(episodes) == 3
    assert sum((fingerprints(e) for e in episodes), []) == fingerprints(text)
    for number, episode in enumerate(episodes, start=1):
        assert parse(episode, "ep").title_page[1].value == f"{number} of 3"
    with pytest.raises(InputError, match="cannot make 20 episodes"):
        split_into_episodes(text, 20)
