"""The project database (`project.db`): the run registry, moved forward by migrations only.

Checkpoints live in their own file (`runs.sqlite`): the two grow and vacuum apart and share
no lock. Every write takes the write lock up front (`BEGIN IMMEDIATE`): a deferred transaction
that upgrades to a write in WAL mode fails with SQLITE_BUSY without waiting.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlite_utils import Database

Migration = Callable[[Database], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register a migration; released migrations are never edited or reordered."""
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_runs(db: Database) -> None:
    """Create the run registry."""
    db["runs"].create(
        {
            "run_id": str,
            "script": str,
            "script_sha256": str,
            "run_dir": str,
            "status": str,
            "stage": str,
            "created": str,
            "updated": str,
            "settings": str,
            "parent": str,
            "pid": int,
        },
        pk="run_id",
        if_not_exists=True,
    )


def open_db(path: Path) -> Database:
    """Open (and migrate) the project database with WAL and a busy timeout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False))
    db.conn.execute("PRAGMA busy_timeout = 10000")
    if db.journal_mode != "wal":
        db.enable_wal()
    _migrate(db)
    return db


def _migrate(db: Database) -> None:
    """Run the migrations that have not run yet, each recorded by name."""
    db["_migrations"].create({"name": str}, pk="name", if_not_exists=True)
    done = {row["name"] for row in db["_migrations"].rows}
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with immediate(db):
            fn(db)
            db["_migrations"].insert({"name": fn.__name__})


@contextlib.contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """Run a block as one write transaction that takes the lock before reading."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")
