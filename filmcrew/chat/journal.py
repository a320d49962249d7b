"""The chat session's journal: script versions, one turn per change, and file snapshots for undo.

The graph's checkpoints hold the crew's state; the journal (`chat/session.json` in the run
folder) holds what only the chat knows: which script version is in force, the user's
settings and wardrobe edits, which artefact each approval was given to, and the checkpoint
each turn ended on. Every turn also records the sha256 of the run's main files, whose bytes go
to a content-addressed store (`chat/blobs/`), so `/undo` can fork the run at an earlier
checkpoint and put the files back exactly as they were then.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pydantic import BaseModel, Field

from filmcrew.files import atomic_write_bytes, inside, sha256_file, write_json
from filmcrew.state import RunSettings

CHAT_DIR = "chat"
JOURNAL_FILE = "chat/session.json"
TRACKED = ("screenplay.fountain", "breakdown.json", "characters.json", "shotlist.json", "shotlist.csv",
           "continuity.json", "work/screenplay.json")
DIALOGUE_KEPT = 6


class WardrobeEdit(BaseModel):
    """A user's wardrobe decision, re-applied whenever the library is rebuilt."""

    character: str
    story_day: int = 0
    wardrobe: list[str]


class Version(BaseModel):
    """One version of the session's screenplay (immutable once written)."""

    number: int
    path: str
    origin: str
    sha256: str


class SessionState(BaseModel):
    """What the user decided so far; each turn keeps a copy, which is what `/undo` restores."""

    version: int = 0
    settings: RunSettings = Field(default_factory=lambda: RunSettings(auto_approve=False))
    approved: dict[str, str] = Field(default_factory=dict)
    library_edits: list[WardrobeEdit] = Field(default_factory=list)
    planned: str = ""


class Turn(BaseModel):
    """One change: what the user said, what happened, and where the run stood after it."""

    n: int
    said: str
    did: str
    checkpoint: str = ""
    status: str = ""
    pending: str = ""
    state: SessionState
    files: dict[str, str] = Field(default_factory=dict)


class Exchange(BaseModel):
    """One plain-language exchange, kept so the model sees the last few."""

    user: str
    reply: str


class Journal(BaseModel):
    """Everything `chat/session.json` holds."""

    run_id: str = ""
    run_dir: str
    versions: list[Version] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    dialogue: list[Exchange] = Field(default_factory=list)
    continued_in: str = ""

    def state(self) -> SessionState:
        """The state in force: the last turn's, or a fresh one."""
        return self.turns[-1].state.model_copy(deep=True) if self.turns else SessionState()

    def version(self, number: int) -> Version | None:
        """Find a script version by number."""
        return next((v for v in self.versions if v.number == number), None)

    def remember(self, user: str, reply: str) -> None:
        """Keep the last few plain-language exchanges."""
        self.dialogue = [*self.dialogue, Exchange(user=user, reply=reply)][-DIALOGUE_KEPT:]


def load_journal(run_dir: Path) -> Journal | None:
    """Read a run folder's journal, or None when the folder has none."""
    path = run_dir / JOURNAL_FILE
    if not path.is_file():
        return None
    journal = Journal.model_validate_json(path.read_bytes())
    return journal.model_copy(update={"run_dir": str(run_dir.resolve())})


def save_journal(journal: Journal) -> None:
    """Write the journal (byte-stable JSON)."""
    write_json(inside(Path(journal.run_dir), JOURNAL_FILE), journal)


def add_version(journal: Journal, text: str, origin: str, stem: str) -> Version:
    """Store a new script version as `chat/scripts/STEM.vNNN.fountain` and list it."""
    number = max((v.number for v in journal.versions), default=0) + 1
    relative = f"{CHAT_DIR}/scripts/{stem}.v{number:03d}.fountain"
    digest = atomic_write_bytes(inside(Path(journal.run_dir), relative), text.encode("utf-8"))
    version = Version(number=number, path=relative, origin=origin, sha256=digest)
    journal.versions.append(version)
    return version


# --- snapshots ---------------------------------------------------------------------------


def snapshot(run_dir: Path) -> dict[str, str]:
    """Hash the tracked files of a run folder and keep their bytes in the blob store."""
    files: dict[str, str] = {}
    for name in TRACKED:
        path = run_dir / name
        if path.is_file():
            digest = sha256_file(path)
            blob = run_dir / CHAT_DIR / "blobs" / digest
            if not blob.is_file():
                blob.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, blob)
            files[name] = digest
    return files


def restore(run_dir: Path, files: dict[str, str]) -> list[str]:
    """Put the tracked files back as a snapshot had them; return the names that changed."""
    changed: list[str] = []
    for name in TRACKED:
        path = run_dir / name
        want = files.get(name)
        have = sha256_file(path) if path.is_file() else None
        if want == have:
            continue
        if want is None:
            path.unlink()
        else:
            atomic_write_bytes(path, (run_dir / CHAT_DIR / "blobs" / want).read_bytes())
        changed.append(name)
    return changed
