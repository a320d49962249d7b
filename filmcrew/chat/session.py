"""A chat session over a saved run: load, plan, approve, reject, edit, undo, one turn at a time.

The session drives `Crew` with approvals switched on, so the run pauses after the character
library, the shot list and the continuity report. Every change is a turn in the journal
(`chat/session.json`) pointing at the checkpoint it ended on, so quitting and coming back with
`filmcrew chat --run RUN` continues where the user left off, and `/undo` forks the run at the
previous turn's checkpoint with the files restored as they were. After a re-plan, a stage whose
artefact is byte-identical to the one the user approved is approved again on their behalf
(and said so), and the user's wardrobe edits are laid over the rebuilt library, so a change to
scene 3 asks again only about what it changed.

Library code: the session returns `Step`s; `filmcrew.chat.render` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from filmcrew.agents.characters import load_library, write_library
from filmcrew.agents.writer_fountain import diff_scripts
from filmcrew.agents.writer_models import ScriptDiff
from filmcrew.artefacts import ref_for
from filmcrew.chat.graphops import Head, fork_run, head, replace_library
from filmcrew.chat.journal import (
    Journal,
    SessionState,
    Turn,
    Version,
    WardrobeEdit,
    add_version,
    load_journal,
    restore,
    save_journal,
    snapshot,
)
from filmcrew.chat.wardrobe import apply_wardrobe
from filmcrew.crew import Crew
from filmcrew.domain import Breakdown, CharacterLibrary, ContinuityReport, Screenplay, ShotList
from filmcrew.errors import InputError
from filmcrew.files import sha256_file
from filmcrew.state import RunSettings
from filmcrew.tools.fountain import parse
from filmcrew.tools.fountain import write as write_fountain

STAGE_FILES = {"characters": "characters.json", "shots": "shotlist.json", "continuity": "continuity.json"}
ASPECTS = ("16:9", "2.39:1", "1.85:1", "9:16", "4:5")
SETTLE_LIMIT = 12
M = TypeVar("M", bound=BaseModel)


@dataclass
class Step:
    """What one change did, for the screen."""

    did: str
    changed: bool = True
    status: str = ""
    pending: str = ""
    auto: list[str] = field(default_factory=list)
    diff: ScriptDiff | None = None
    shots_before: ShotList | None = None
    new_frames: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def default_run_dir(script: Path) -> Path:
    """The run folder `filmcrew plan` would use: `STEM.filmcrew/` beside the script."""
    return (script.resolve().parent / f"{script.stem}.filmcrew").resolve()


def script_text(path: Path) -> tuple[str, Screenplay]:
    """Read a screenplay file as Fountain text (FDX converted), refusing what the parser refuses."""
    from filmcrew.tools.source import load_script

    screenplay = load_script(path)
    if path.suffix.casefold() == ".fdx":
        return write_fountain(screenplay), screenplay
    return path.read_text(encoding="utf-8-sig"), screenplay


class Session:
    """One user's session over one run (or over no run yet, before the first `/load`)."""

    def __init__(self, crew: Crew, journal: Journal | None = None) -> None:
        self.crew = crew
        self.journal = journal
        self.state: SessionState = journal.state() if journal else SessionState()

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open_run(cls, crew: Crew, run_id: str) -> tuple[Session, list[str]]:
        """Open a saved run (following undo forks to the newest), adopting runs made outside chat."""
        record = crew.registry.get(run_id)
        journal = load_journal(Path(record.run_dir))
        notes: list[str] = []
        while journal is not None and journal.continued_in:
            notes.append(f"run {journal.run_id} was undone into run {journal.continued_in}; continuing there")
            record = crew.registry.get(journal.continued_in)
            journal = load_journal(Path(record.run_dir))
        session = cls(crew, journal)
        if journal is None:
            session._adopt(record.run_id, Path(record.run_dir), Path(record.script), record.settings)
            notes.append(f"opened run {record.run_id}, made outside the chat")
        else:
            session._catch_up()
        return session, notes

    @classmethod
    def for_script(cls, crew: Crew, script: Path) -> tuple[Session, list[str]]:
        """Open the session of a script's run folder (or start one) and load the script."""
        run_dir = default_run_dir(script)
        notes: list[str] = []
        journal = load_journal(run_dir)
        record = crew.registry.find_by_dir(run_dir) if journal is None else None
        if record is not None:
            session, notes = cls.open_run(crew, record.run_id)
        elif journal is not None and journal.run_id:
            session, notes = cls.open_run(crew, journal.run_id)
        else:
            session = cls(crew, journal)
        step = session.load(script, f"--script {script}")
        notes.append(step.did)
        return session, notes

    def _adopt(self, run_id: str, run_dir: Path, script: Path, settings: RunSettings) -> None:
        """Start a journal for a run made by `plan` or `new`, its script as version 1."""
        self.journal = Journal(run_id=run_id, run_dir=str(run_dir))
        text, _ = script_text(script)
        version = add_version(self.journal, text, f"the script of run {run_id}", script.stem.split(".v")[0])
        settings = settings.model_copy(update={"auto_approve": False})
        self.state = SessionState(version=version.number, settings=settings, planned=_plan_key(version, settings))
        current = self.head()
        for stage, approval in (current.values.get("approvals") or {}).items():
            if approval.approved and self._artefact_sha(stage):
                self.state.approved[stage] = self._artefact_sha(stage)
        self._record("(opened)", f"opened run {run_id}")

    def _catch_up(self) -> None:
        """Record a turn when the run moved outside the chat (e.g. `filmcrew resume --approve`)."""
        journal = self.journal
        if journal and self.run_id and journal.turns and self.head().checkpoint != journal.turns[-1].checkpoint:
            self._record("(outside the chat)", "the run changed outside the chat")

    # --- where things are ----------------------------------------------------------------

    @property
    def run_id(self) -> str:
        """The run this session drives ('' before the first plan)."""
        return self.journal.run_id if self.journal else ""

    @property
    def run_dir(self) -> Path | None:
        """The run folder (known once a script is loaded)."""
        return Path(self.journal.run_dir) if self.journal else None

    def head(self) -> Head:
        """Where the run stands now."""
        return head(self.crew, self.run_id) if self.run_id else Head()

    def version(self) -> Version | None:
        """The script version in force."""
        return self.journal.version(self.state.version) if self.journal else None

    def text(self) -> str:
        """The current script's text ('' before a script is loaded)."""
        version = self.version()
        if version is None or self.run_dir is None:
            return ""
        return (self.run_dir / version.path).read_text(encoding="utf-8")

    def screenplay(self) -> Screenplay:
        """The current script, parsed."""
        text = self.text()
        if not text:
            raise InputError("no script loaded yet: /load FILE (or pitch a logline when a model is configured)")
        version = self.version()
        screenplay: Screenplay = parse(text, version.path if version else None)
        return screenplay

    def _read(self, name: str, cls: type[M]) -> M | None:
        """Load a JSON artefact of the run folder, or None when the stage has not written it."""
        path = self.run_dir / name if self.run_dir else None
        return cls.model_validate_json(path.read_bytes()) if path and path.is_file() else None

    def breakdown(self) -> Breakdown | None:
        """The run's breakdown, if written."""
        return self._read("breakdown.json", Breakdown)

    def shotlist(self) -> ShotList | None:
        """The run's shot list, if written."""
        return self._read("shotlist.json", ShotList)

    def library(self) -> CharacterLibrary | None:
        """The run's character library, if written."""
        return self._read("characters.json", CharacterLibrary)

    def continuity(self) -> ContinuityReport | None:
        """The run's continuity report, if written."""
        return self._read("continuity.json", ContinuityReport)

    def _artefact_sha(self, stage: str) -> str:
        """The sha256 of the file a stage's approval is about ('' when missing)."""
        name = STAGE_FILES.get(stage)
        path = self.run_dir / name if name and self.run_dir else None
        return sha256_file(path) if path and path.is_file() else ""

    def frames(self) -> dict[str, str]:
        """Storyboard frames of the run and their hashes."""
        folder = self.run_dir / "storyboard" if self.run_dir else None
        if folder is None or not folder.is_dir():
            return {}
        return {f"storyboard/{p.name}": sha256_file(p) for p in sorted(folder.glob("*.png"))}

    # --- turns ---------------------------------------------------------------------------

    def _record(self, said: str, did: str) -> None:
        """Append a turn: the state in force, the run's head, the files' hashes; save."""
        assert self.journal is not None
        current = self.head()
        files = snapshot(self.run_dir) if self.run_dir and self.run_dir.is_dir() else {}
        self.journal.turns.append(Turn(n=len(self.journal.turns) + 1, said=said, did=did,
                                       checkpoint=current.checkpoint, status=current.status,
                                       pending=current.pending, state=self.state.model_copy(deep=True), files=files))
        save_journal(self.journal)

    def _finish(self, said: str, step: Step, frames_before: dict[str, str]) -> Step:
        """Fill in where the run stands, which frames are new, and record the turn."""
        current = self.head()
        step.status, step.pending = current.status, current.pending
        step.new_frames = [name for name, sha in self.frames().items() if frames_before.get(name) != sha]
        self._record(said, step.did)
        return step

    # --- script versions -----------------------------------------------------------------

    def load(self, path: Path, said: str) -> Step:
        """Make a screenplay file the next script version (the run is re-planned by `/plan`)."""
        if not path.is_file():
            raise InputError("no such file", path=str(path))
        text, screenplay = script_text(path)
        if self.journal is None:
            self.journal = Journal(run_dir=str(default_run_dir(path)))
            self.state.settings = _settings_for(screenplay, self.state.settings)
        return self.add_text(text, f"loaded {path.name}", said, stem=path.stem)

    def add_text(self, text: str, origin: str, said: str, *, stem: str = "script", run_dir: Path | None = None) -> Step:
        """Make a text (a draft, a revision, a file) the next script version."""
        if self.journal is None:
            if run_dir is None:
                raise InputError("no session folder yet: /load FILE first")
            self.journal = Journal(run_dir=str(run_dir.resolve()))
        current = self.text()
        if current == text:
            return Step(did="the script is unchanged", changed=False)
        if self.journal.versions:
            stem = Path(self.journal.versions[0].path).name.split(".v")[0]
        version = add_version(self.journal, text, origin, stem)
        self.state.version = version.number
        step = Step(did=f"script v{version.number}: {origin}", diff=diff_scripts(current, text) if current else None)
        self._record(said, step.did)
        return step

    # --- planning and approvals --------------------------------------------------------

    def plan(self, said: str) -> Step:
        """Start the run, or re-plan it with the script and settings in force (only changes redo)."""
        version = self.version()
        if version is None or self.run_dir is None:
            raise InputError("no script loaded yet: /load FILE (or pitch a logline when a model is configured)")
        settings = self.state.settings.model_copy(update={"auto_approve": False})
        key = _plan_key(version, settings)
        current = self.head()
        if self.run_id and self.state.planned == key and current.status in ("paused", "done"):
            return Step(did="nothing changed since the last plan", changed=False, status=current.status,
                        pending=current.pending)
        before, frames_before = self.shotlist(), self.frames()
        first = not self.run_id
        outcome = self.crew.start(self.run_dir / version.path, self.run_dir, settings, run_id=self.run_id or None)
        assert self.journal is not None
        self.journal.run_id = outcome.run.run_id
        self.state.planned = key
        step = Step(did=f"{'planned' if first else 're-planned'} script v{version.number}", shots_before=before,
                    notes=list(outcome.info.notes) if first else [])
        self._settle(step)
        return self._finish(said, step, frames_before)

    def _settle(self, step: Step) -> None:
        """Lay wardrobe edits over a rebuilt library and re-approve stages that did not change."""
        for _ in range(SETTLE_LIMIT):
            current = self.head()
            if current.status != "paused":
                return
            if current.pending == "characters" and self._apply_library_edits():
                self.crew.resume(self.run_id)
                continue
            sha = self._artefact_sha(current.pending)
            if not sha or self.state.approved.get(current.pending) != sha:
                return
            self.crew.resume(self.run_id, {"approved": True, "note": "unchanged since approved in chat"})
            step.auto.append(current.pending)

    def _apply_library_edits(self) -> bool:
        """Apply the session's wardrobe edits to `characters.json`; say whether anything changed."""
        if not self.state.library_edits or self.run_dir is None:
            return False
        library, sheet = load_library(self.run_dir / "characters.json"), self.breakdown()
        if sheet is None:
            return False
        edited = library
        for edit in self.state.library_edits:
            edited = apply_wardrobe(edited, sheet, edit)
        if edited == library:
            return False
        write_library(edited, self.run_dir)
        replace_library(self.crew, self.run_id, ref_for(self.run_dir, "characters.json"))
        return True

    def _paused_at(self, stage: str, verb: str) -> str:
        """Check that the run waits for `stage` (or any stage when '') and return that stage."""
        current = self.head()
        if current.status != "paused":
            what = "not planned yet: /plan" if not self.run_id else f"{current.status}"
            raise InputError(f"the run is not waiting for an approval ({what})")
        if stage and stage != current.pending:
            raise InputError(f"the run waits for the {current.pending}, not the {stage}; /{verb} {current.pending}")
        return current.pending

    def approve(self, stage: str, said: str, note: str = "") -> Step:
        """Approve the stage the run waits on (`all`: every stage until the run ends)."""
        every = stage == "all"
        pending = self._paused_at("" if every else stage, "approve")
        before, frames_before = self.shotlist(), self.frames()
        approved: list[str] = []
        while True:
            self.state.approved[pending] = self._artefact_sha(pending)
            self.crew.resume(self.run_id, {"approved": True, "note": note})
            approved.append(pending)
            current = self.head()
            if not every or current.status != "paused":
                break
            pending = current.pending
        step = Step(did=f"approved the {', '.join(approved)}", shots_before=before)
        self._settle(step)
        return self._finish(said, step, frames_before)

    def reject(self, stage: str, note: str, said: str) -> Step:
        """Reject the stage the run waits on; the run ends with the note kept."""
        if not stage:
            raise InputError('say which stage: /reject STAGE "why"')
        self._paused_at(stage, "reject")
        self.state.approved.pop(stage, None)
        self.crew.resume(self.run_id, {"approved": False, "note": note})
        why = f": {note}" if note else ""
        return self._finish(said, Step(did=f"rejected the {stage}{why}"), self.frames())

    # --- edits ---------------------------------------------------------------------------

    def set_style(self, scene: int, style: str, said: str) -> Step:
        """Set the coverage style of one scene (or of every scene) and re-plan."""
        style = style.strip()
        if not style:
            raise InputError("say which style, e.g. handheld documentary")
        settings = self.state.settings.model_copy(deep=True)
        if scene:
            self._check_scene(scene)
            settings.scene_styles[str(scene)] = style
        else:
            settings.style = style
            settings.scene_styles = {}
        self.state.settings = settings
        where = f"scene {scene}" if scene else "every scene"
        return self._replan_or_record(said, f"style of {where}: {style}")

    def set_aspect(self, aspect: str, said: str) -> Step:
        """Change the frame and re-plan."""
        if aspect not in ASPECTS:
            raise InputError(f"unknown aspect {aspect!r}; use one of {', '.join(ASPECTS)}")
        self.state.settings = self.state.settings.model_copy(update={"aspect": aspect})
        return self._replan_or_record(said, f"aspect {aspect}")

    def set_wardrobe(self, edit: WardrobeEdit, said: str) -> Step:
        """Record a wardrobe decision and lay it over the library; shots and frames follow."""
        library, sheet = self.library(), self.breakdown()
        if library is not None and sheet is not None:
            apply_wardrobe(library, sheet, edit)  # refuse a bad edit before keeping it
        kept = [e for e in self.state.library_edits
                if (e.character.casefold(), e.story_day) != (edit.character.casefold(), edit.story_day)]
        self.state.library_edits = [*kept, edit]
        day = f" on day {edit.story_day}" if edit.story_day else ""
        did = f"{edit.character} wears {', '.join(edit.wardrobe)}{day}"
        if library is None or not self.run_id:
            self._record(said, did)
            return Step(did=f"{did} (applied when the library is built)")
        before, frames_before = self.shotlist(), self.frames()
        was_approved = "characters" in self.state.approved
        if self._apply_library_edits():
            if was_approved:
                self.state.approved["characters"] = self._artefact_sha("characters")
            self.crew.resume(self.run_id)
        step = Step(did=did, shots_before=before)
        self._settle(step)
        return self._finish(said, step, frames_before)

    def _check_scene(self, scene: int) -> None:
        """Refuse a scene number the current script does not have."""
        count = sum(1 for s in self.screenplay().scenes if s.heading is not None)
        if not 1 <= scene <= count:
            raise InputError(f"there is no scene {scene}; the script has scenes 1 to {count}")

    def _replan_or_record(self, said: str, did: str) -> Step:
        """Re-plan when the run exists; otherwise keep the setting for the first plan."""
        if not self.run_id:
            self._record(said, did)
            return Step(did=f"{did} (used by /plan)")
        step = self.plan(said)
        step.did = f"{did}; {step.did}"
        return step

    # --- undo ----------------------------------------------------------------------------

    def undo(self, said: str) -> Step:
        """Go back to the previous turn: a fork of the run at its checkpoint, files restored."""
        journal = self.journal
        if journal is None or len(journal.turns) < 2:
            raise InputError("nothing to undo yet")
        last, target = journal.turns[-1], journal.turns[-2]
        if target.checkpoint == last.checkpoint:
            journal.turns.pop()
            self.state = target.state.model_copy(deep=True)
            if self.run_dir:
                restore(self.run_dir, target.files)
            save_journal(journal)
            return Step(did=f"undid: {last.said}", status=target.status, pending=target.pending)
        if not target.checkpoint:
            raise InputError("the previous turn came before the run started; /load and /plan again instead")
        record = fork_run(self.crew, self.run_id, target.checkpoint)
        fork_dir = Path(record.run_dir)
        restore(fork_dir, target.files)
        _restore_frames(fork_dir, head(self.crew, record.run_id).values)
        journal.continued_in = record.run_id
        save_journal(journal)
        self.journal = journal.model_copy(update={"run_id": record.run_id, "run_dir": str(fork_dir),
                                                  "turns": journal.turns[:-1], "continued_in": ""}, deep=True)
        self.state = target.state.model_copy(deep=True)
        save_journal(self.journal)
        current = self.head()
        return Step(did=f"undid: {last.said} (run {record.run_id}, forked from {journal.run_id})",
                    status=current.status, pending=current.pending)

    def remember(self, user: str, reply: str) -> None:
        """Keep a plain-language exchange for the model's next turn."""
        if self.journal is not None:
            self.journal.remember(user, reply)
            save_journal(self.journal)


def _plan_key(version: Version, settings: RunSettings) -> str:
    """What a plan was made from: the script version and the settings."""
    return f"{version.number}:{settings.model_dump_json()}"


def _settings_for(screenplay: Screenplay, settings: RunSettings) -> RunSettings:
    """Take the frame from the title page when it names one (`Format: ... 9:16`)."""
    for entry in screenplay.title_page:
        for aspect in ASPECTS:
            if aspect in entry.value:
                return settings.model_copy(update={"aspect": aspect})
    return settings


def _restore_frames(run_dir: Path, values: dict[str, object]) -> None:
    """Put back the storyboard frames a checkpoint refers to (from the frame store)."""
    frames = values.get("frames") or {}
    wanted: set[str] = set()
    for ref in frames.values():  # type: ignore[attr-defined]
        wanted.add(ref.ref.path)
        stored = run_dir / "work" / "frames" / f"{ref.key}.png"
        target = run_dir / ref.ref.path
        if stored.is_file() and (not target.is_file() or sha256_file(target) != ref.ref.sha256):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(stored.read_bytes())
    folder = run_dir / "storyboard"
    if folder.is_dir():
        for png in folder.glob("*.png"):
            if f"storyboard/{png.name}" not in wanted:
                png.unlink()
