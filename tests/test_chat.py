"""`filmcrew chat` driven as a user would, in a terminal (pexpect), offline: slash commands only.

Load an example, plan, look at shots, reject a stage with a note, undo, quit, come back with
`--run`, approve to the end and export; then check the screen and the saved runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from filmcrew.chat.graphops import head
from filmcrew.chat.journal import load_journal
from filmcrew.config import load_settings
from filmcrew.crew import Crew

from .conftest import EXAMPLES, SECRET_VARS

ENTRY = Path(__file__).with_name("chat_entry.py")
SCRIPT = EXAMPLES / "the-lighthouse-key.fountain"
PROMPT = "filmcrew> "
FAST = "fountain,csv,json"


def spawn(project: Path, *args: str) -> pexpect.spawn:
    """Start `filmcrew chat ARGS` in a pseudo-terminal inside the project folder."""
    env = {k: v for k, v in os.environ.items() if k not in SECRET_VARS}
    env.update(NO_COLOR="1", TERM="dumb", COLUMNS="200", LINES="60", FILMCREW_LOG_LEVEL="WARNING",
               PYTHONPATH=str(ENTRY.parents[1]))
    child = pexpect.spawn(sys.executable, [str(ENTRY), "chat", *args], cwd=str(project), env=env,
                          encoding="utf-8", timeout=60, dimensions=(60, 200))
    child.expect_exact(PROMPT)
    return child


def say(child: pexpect.spawn, line: str, *expected: str) -> list[str]:
    """Type a line, wait for each expected pattern in order and the next prompt; return every group matched."""
    child.sendline(line)
    groups: list[str] = []
    for pattern in expected:
        child.expect(pattern)
        groups.extend(child.match.groups())
    child.expect_exact(PROMPT)
    return groups


def leave(child: pexpect.spawn) -> str:
    """Quit and return the run id the chat says to come back with."""
    child.sendline("/quit")
    child.expect(r"Continue with: filmcrew chat --run (\S+)")
    run_id = child.match.group(1)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return run_id


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder holding a copy of the example."""
    shutil.copy(SCRIPT, tmp_path / SCRIPT.name)
    return tmp_path


def test_a_session_plans_rejects_undoes_resumes_and_exports(project: Path) -> None:
    child = spawn(project, "--formats", FAST)
    say(child, f"/load {SCRIPT.name}", r"script v1: loaded the-lighthouse-key\.fountain", r"\b12\b.*(INT|EXT)\.")
    say(child, "/plan", r"planned script v1", r"characters\s+3 in the library", "waiting for your approval of the characters")
    say(child, "/approve", r"approved the characters", r"shots\s+\d+ shots", "waiting for your approval of the shots")
    say(child, "/shots 3", r"Shots of scene 3", r"3A")
    say(child, '/reject shots "too many inserts"', r"rejected the shots: too many inserts", "the run ended on a rejection")
    fork, original = say(child, "/undo", r"undid: /reject shots .*\(run (\S+), forked from (\S+)\)",
                         "waiting for your approval of the shots")
    say(child, "/approve continuity", r"waits for the shots, not the continuity")
    assert leave(child) == fork

    crew = Crew(project, load_settings(project))
    rejected = head(crew, original)
    assert rejected.status == "rejected" and rejected.values["approvals"]["shots"].note == "too many inserts"
    assert crew.registry.get(fork).parent.startswith(f"{original}@")
    resumed = head(crew, fork)
    assert resumed.status == "paused" and resumed.pending == "shots"
    old_journal = load_journal(Path(crew.registry.get(original).run_dir))
    new_journal = load_journal(Path(crew.registry.get(fork).run_dir))
    assert old_journal is not None and old_journal.continued_in == fork
    assert new_journal is not None and [t.said for t in new_journal.turns] == [
        f"/load {SCRIPT.name}", "/plan", "/approve"]

    child = spawn(project, "--run", original)  # the old id leads to where the user left off
    child.sendline("/history")
    child.expect(f"was undone into run {fork}|Session history")
    child.expect_exact(PROMPT)
    say(child, "/approve all", r"approved the shots, continuity", r"storyboard\s+\d+ frames",
        r"new frames \(\d+\) in \S+: storyboard/\w+\.png", "run done")
    say(child, "/export csv", r"csv\s+.*shotlist\.csv")
    assert leave(child) == fork

    run_dir = Path(crew.registry.get(fork).run_dir)
    shots = json.loads((run_dir / "shotlist.json").read_text())["shots"]
    assert len(list((run_dir / "storyboard").glob("*.png"))) == len(shots)
    assert json.loads((run_dir / "run.json").read_text())["status"] == "done"
    assert (run_dir / "shotlist.csv").is_file()


def test_offline_session_keeps_going_and_reopens_by_script(project: Path) -> None:
    child = spawn(project, "--script", SCRIPT.name)
    say(child, "make scene 3 handheld", r"need a text model: set OPENAI_API_KEY", r"Slash commands work without one")
    say(child, "/scene 3", r"Scene 3", r"LIGHTHOUSE")
    say(child, "/load missing.fountain", r"missing\.fountain: no such file")
    say(child, "/approv", r"unknown command /approv \(did you mean /approve\?\)")
    say(child, "/undo", r"nothing to undo")
    say(child, "/shots", r"no shot list yet")
    say(child, "/plan", "waiting for your approval of the characters")
    child.sendline("/quit")
    child.expect(r"Continue with: filmcrew chat --run (\S+)")
    run_id = child.match.group(1)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2  # plain words needed a model nobody configured

    child = spawn(project, "--script", SCRIPT.name)  # same file, same folder: the same session
    say(child, "/runs", re.escape(run_id) + " ←")
    say(child, "/plan", "nothing changed since the last plan", "waiting for your approval of the characters")
    assert leave(child) == run_id
