"""Plain language in `filmcrew chat`, answered from authored recordings (no live model).

The user asks for a quieter ending (the writer's first edit lacks a scene heading and the
parser's feedback repairs it), sees the screenplay diff, accepts; then dresses Nora in her red
coat for the whole day and accepts; then approves to the end. Only the changed scene is
re-planned, and the library and the saved run show the change.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pexpect

from filmcrew.chat.journal import load_journal
from filmcrew.config import load_settings
from filmcrew.crew import Crew
from tests import writer_recordings as authored
from tests.test_chat import FAST, PROMPT, SCRIPT, leave, say, spawn

RECORDINGS = Path(__file__).parent / "fixtures" / "recordings" / "writer" / "chat"


def test_plain_words_preview_then_change_the_run(tmp_path: Path) -> None:
    shutil.copy(SCRIPT, tmp_path / SCRIPT.name)
    (tmp_path / "filmcrew.toml").write_text(
        f'replay_dir = "{RECORDINGS}"\n\n[agents.writer]\nprovider = "replay"\n', encoding="utf-8")
    child = spawn(tmp_path, "--script", SCRIPT.name, "--formats", FAST)
    say(child, "/plan", "waiting for your approval of the characters")
    say(child, "/approve", "waiting for your approval of the shots")

    child.sendline(authored.CHAT_QUIETER)
    child.expect("make the last scene quieter")
    child.expect(r"Screenplay changes")
    child.expect(r"12\s+.\s+changed")
    child.expect(r"11 scene\(s\) unchanged")
    child.expect(r"\+She closes her hand around the KEY")
    child.expect_exact("apply this change? [y/N]")
    say(child, "y", r"script v2: revised: the last scene plays in silence", r"re-planned script v2",
        r"kept your approval of the characters", r"changed in scene\(s\) 12\b", "waiting for your approval of the shots")

    child.sendline(authored.CHAT_COAT)
    child.expect(r"NORA will wear red coat on story day 1")
    child.expect_exact("apply this change? [y/N]")
    say(child, "yes", r"NORA wears red coat on day 1", "waiting for your approval of the shots")
    say(child, "/characters", r"NORA .*day 1: red coat")
    say(child, "/approve all", r"run done")
    run_id = leave(child)

    crew = Crew(tmp_path, load_settings(tmp_path))
    run_dir = Path(crew.registry.get(run_id).run_dir)
    journal = load_journal(run_dir)
    assert journal is not None and [v.number for v in journal.versions] == [1, 2]
    assert [d.user for d in journal.dialogue] == [authored.CHAT_QUIETER, authored.CHAT_COAT]
    planned = (run_dir / "screenplay.fountain").read_text(encoding="utf-8")
    assert "She closes her hand around the KEY and says nothing." in planned
    nora = next(c for c in json.loads((run_dir / "characters.json").read_text())["characters"] if c["name"] == "NORA")
    assert all("red coat" in look["wardrobe"] for look in nora["looks"] if look["story_day"] == 1)


def test_declining_a_change_leaves_the_run_as_it_was(tmp_path: Path) -> None:
    shutil.copy(SCRIPT, tmp_path / SCRIPT.name)
    (tmp_path / "filmcrew.toml").write_text(
        f'replay_dir = "{RECORDINGS}"\n\n[agents.writer]\nprovider = "replay"\n', encoding="utf-8")
    child = spawn(tmp_path, "--script", SCRIPT.name)
    say(child, "/plan", "waiting for your approval of the characters")
    say(child, "/approve", "waiting for your approval of the shots")
    child.sendline(authored.CHAT_QUIETER)
    child.expect_exact("apply this change? [y/N]")
    say(child, "n", "left as it was")
    child.sendline("/history")
    child.expect(r"Session history")
    child.expect_exact(PROMPT)
    assert "revised" not in child.before
    child.sendline("/quit")
    child.expect(pexpect.EOF)
