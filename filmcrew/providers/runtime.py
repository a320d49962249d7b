"""What the agents of one run share: the ledger, the result cache, the replay store and the
call slots that bound parallel model calls.

A `Runtime` hangs off the `Settings` object the run loaded, so every `for_agent(settings, ...)`
call of that run books into one ledger, one cache connection and one set of recordings (which
is what makes "no recording left unused" checkable across agents).
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from filmcrew.providers.base import Provider
from filmcrew.providers.cache import ResultCache
from filmcrew.providers.ledger import Ledger
from filmcrew.providers.replay import Replay
from filmcrew.providers.throttled import CallSlots

if TYPE_CHECKING:
    from filmcrew.config import Settings

_create_lock = threading.Lock()
_live: weakref.WeakSet[Runtime] = weakref.WeakSet()


class Runtime:
    """Shared state of one run's providers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.ledger = Ledger()
        self.slots = CallSlots()
        self.providers: dict[str, Provider] = {}
        self._cache: ResultCache | None = None
        self._replays: dict[Path, Replay] = {}
        self._lock = threading.RLock()

    def cache(self) -> ResultCache:
        """Open `cache.db` in the data folder on first use."""
        with self._lock:
            if self._cache is None:
                self._cache = ResultCache(self.settings.data_dir / "cache.db")
            return self._cache

    def replay(self, directory: Path) -> Replay:
        """Load a recordings folder once per run."""
        key = directory.resolve()
        with self._lock:
            if key not in self._replays:
                self._replays[key] = Replay(directory)
            return self._replays[key]

    def replays(self) -> list[Replay]:
        """The recordings folders this run has loaded."""
        with self._lock:
            return list(self._replays.values())

    def assert_replay_consumed(self) -> None:
        """Fail when any loaded recording was never requested."""
        for replay in self.replays():
            replay.assert_consumed()

    def close(self) -> None:
        """Close provider clients and the cache."""
        with self._lock:
            for provider in self.providers.values():
                provider.close()
            self.providers.clear()
            if self._cache is not None:
                self._cache.close()
                self._cache = None


def runtime(settings: Settings) -> Runtime:
    """Return the run's shared provider state, creating it on first use."""
    with _create_lock:
        if settings._runtime is None or settings._runtime.settings is not settings:  # a model_copy
            settings._runtime = Runtime(settings)
            _live.add(settings._runtime)
        return settings._runtime  # type: ignore[no-any-return]


def close_all() -> None:
    """Close every runtime still open (end of a CLI command or a test)."""
    for rt in list(_live):
        rt.close()
