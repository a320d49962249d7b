"""Saved runs: the registry in `project.db`, run ids, and the lock that keeps a run to one process.

A run is one LangGraph thread (checkpoints in `runs.sqlite`) plus one output folder. The lock
is an OS file lock: it is released when its process dies, even by `kill -9`, so a crashed run
can be resumed at once while a live one cannot be opened twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from filmcrew.errors import InputError, RunLocked
from filmcrew.state import RunSettings
from filmcrew.store import immediate, open_db


class RunRecord(BaseModel):
    """One row of the run registry."""

    run_id: str
    script: str
    script_sha256: str
    run_dir: str
    status: str
    stage: str
    created: str
    updated: str
    settings: RunSettings
    parent: str = ""
    pid: int = 0


class Registry:
    """The run registry of one project data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.db = open_db(data_dir / "project.db")

    @property
    def checkpoints(self) -> Path:
        """Path of the checkpoint database (`runs.sqlite`)."""
        return self.data_dir / "runs.sqlite"

    def add(self, record: RunRecord) -> None:
        """Register a new run."""
        with immediate(self.db):
            self.db["runs"].insert(_row(record), pk="run_id")

    def update(self, run_id: str, **fields: Any) -> None:
        """Change a run's status, stage or pid, stamping `updated`."""
        fields["updated"] = now()
        if "settings" in fields and isinstance(fields["settings"], RunSettings):
            fields["settings"] = fields["settings"].model_dump_json()
        with immediate(self.db):
            self.db["runs"].update(run_id, fields)

    def get(self, run_id: str) -> RunRecord:
        """Find a run by id (or a unique prefix of one)."""
        rows = list(self.db["runs"].rows_where("run_id = ? or run_id like ?", [run_id, f"{run_id}%"]))
        exact = [r for r in rows if r["run_id"] == run_id]
        if exact:
            rows = exact
        if not rows:
            raise InputError(f"no run {run_id!r} in {self.data_dir}; `filmcrew runs` lists them")
        if len(rows) > 1:
            raise InputError(f"run id {run_id!r} is ambiguous: {', '.join(r['run_id'] for r in rows)}")
        return _record(rows[0])

    def all(self) -> list[RunRecord]:
        """List every run, newest first."""
        return [_record(r) for r in self.db["runs"].rows_where(order_by="created desc, run_id")]

    def find_by_dir(self, run_dir: Path) -> RunRecord | None:
        """Find the run that writes into a given output folder, if any."""
        rows = list(self.db["runs"].rows_where("run_dir = ?", [str(run_dir.resolve())], order_by="created desc"))
        return _record(rows[0]) if rows else None


def _row(record: RunRecord) -> dict[str, Any]:
    """Flatten a record for sqlite."""
    row = record.model_dump()
    row["settings"] = record.settings.model_dump_json()
    return row


def _record(row: dict[str, Any]) -> RunRecord:
    """Rebuild a record from a sqlite row."""
    data = dict(row)
    data["settings"] = RunSettings.model_validate_json(data.get("settings") or "{}")
    data["parent"] = data.get("parent") or ""
    data["pid"] = data.get("pid") or 0
    return RunRecord.model_validate(data)


def now() -> str:
    """Return the current UTC time as ISO text (registry only; never inside artefacts)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_run_id(stem: str) -> str:
    """Make a short readable run id: initials of the script name, day+month, random hex."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", stem) if w]
    initials = "".join(w[0] for w in words[:3]).lower() or "run"
    return f"{initials}-{datetime.now(UTC):%d%m}-{secrets.token_hex(2)}"


@contextlib.contextmanager
def run_lock(data_dir: Path, run_id: str) -> Iterator[None]:
    """Hold the run's lock for a block; a second process gets `RunLocked` (exit 2) at once."""
    folder = data_dir / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run_id}.lock"
    handle = path.open("a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise RunLocked(f"run {run_id} is in use by {holder}; wait for it to finish or stop it") from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"filmcrew pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()


def is_locked(data_dir: Path, run_id: str) -> bool:
    """Say whether a live process holds a run's lock (to tell a crashed run from a running one)."""
    path = data_dir / "locks" / f"{run_id}.lock"
    if not path.exists():
        return False
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False
