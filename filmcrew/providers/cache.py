"""A result cache so a re-run or a resumed run never pays for the same request twice.

Rows live in `cache.db` (sqlite-utils) in the project's data folder, keyed by the request
fingerprint plus the provider and model that answered (switching models must not reuse an
answer). Media sits beside the database in `media/`, named by sha256. Writes take the lock up
front (`BEGIN IMMEDIATE`): a deferred transaction in WAL mode fails with "database is locked"
instead of waiting. Identical requests made at the same moment by parallel nodes wait for the
first one instead of paying twice.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from filmcrew.providers.base import Provider, Wrapper, canonical_json, fingerprint, sha256_bytes
from filmcrew.providers.codec import record_to_result, result_to_record

TABLE = "results"
COLUMNS = ("fingerprint", "provider", "model", "kind", "agent", "response")
_UPSERT = (f"INSERT OR REPLACE INTO {TABLE} (key, {', '.join(COLUMNS)}) "
           f"VALUES ({', '.join('?' * (len(COLUMNS) + 1))})")


class ResultCache:
    """The sqlite store behind `Cached`; one per data folder, shared by every agent."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.media_dir = path.parent / "media"
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.db = sqlite_utils.Database(conn)
        self._lock = threading.RLock()
        self._inflight: dict[str, threading.Lock] = {}
        with self._lock:
            self.db.conn.execute("PRAGMA busy_timeout = 10000")
            if self.db.journal_mode != "wal":
                self.db.enable_wal()
            # WAL + NORMAL never corrupts; a power cut may lose the last answers, which only
            # means paying for them again. FULL would fsync every answer (~3 ms each).
            self.db.conn.execute("PRAGMA synchronous = NORMAL")
            self._create()

    def _create(self) -> None:
        """Create the table once."""
        if TABLE in self.db.table_names():
            return
        with self.immediate():
            self.db[TABLE].create(  # type: ignore[union-attr]
                {"key": str, "fingerprint": str, "provider": str, "model": str, "kind": str,
                 "agent": str, "response": str},
                pk="key",
                if_not_exists=True,
            )

    @contextlib.contextmanager
    def immediate(self) -> Iterator[None]:
        """Run a write transaction that takes the write lock before reading."""
        with self._lock:
            self.db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.conn.execute("ROLLBACK")
                raise
            self.db.conn.execute("COMMIT")

    def get(self, key: str) -> dict[str, Any] | None:
        """Return the stored response record for a key, or None."""
        with self._lock:
            row = self.db.conn.execute(f"SELECT response FROM {TABLE} WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, row: dict[str, Any]) -> None:
        """Store (or replace) one response (plain SQL: this runs on every paid call)."""
        values = [key] + [row[c] for c in COLUMNS]
        with self.immediate():
            self.db.conn.execute(_UPSERT, values)

    def lock_for(self, key: str) -> threading.Lock:
        """Return the lock that makes concurrent identical requests wait for the first."""
        with self._lock:
            return self._inflight.setdefault(key, threading.Lock())

    def count(self) -> int:
        """Number of cached responses."""
        with self._lock:
            return int(self.db[TABLE].count)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self.db.conn.close()


def cache_key(fp: str, provider: str, model: str) -> str:
    """Key a response by request fingerprint and by who answered it."""
    return sha256_bytes(canonical_json([fp, provider, model]).encode("utf-8"))


class Cached(Wrapper):
    """Answer from the cache when the same request was answered before by the same model."""

    name = "cached"

    def __init__(self, inner: Provider, cache: ResultCache) -> None:
        super().__init__(inner)
        self.cache = cache

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Serve a hit, or call once (even under concurrency) and store the answer."""
        fp = fingerprint(kind, req)
        model = self.resolved_model(kind, req)
        key = cache_key(fp, self.vendor, model)
        with self.cache.lock_for(key):
            hit = self.cache.get(key)
            if hit is not None:
                result = record_to_result(kind, hit["record"], self.cache.media_dir, str(self.cache.path))
                return result.model_copy(update={"cached": True, "fingerprint": fp,
                                                 "provider": hit["provider"], "model": hit["model"]})
            result = call(req)
            record = result_to_record(kind, result, self.cache.media_dir)
            stored = {"record": record, "provider": result.provider, "model": result.model}
            self.cache.put(key, {"fingerprint": fp, "provider": self.vendor, "model": model,
                                 "kind": kind, "agent": req.agent, "response": canonical_json(stored)})
        return result.model_copy(update={"fingerprint": fp})
