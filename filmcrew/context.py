"""What every node may use but never checkpoints: providers, the project, progress reporting.

LangGraph passes this to nodes as `runtime.context`; it is rebuilt on every invocation (a resume
builds a fresh one), so nothing here has to survive a crash.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmcrew.ahead import WorkAhead
from filmcrew.providers.base import Provider

ProgressHook = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    """Ignore progress (tests, Studio)."""


@dataclass
class CrewContext:
    """Run-scoped dependencies of the nodes."""

    project_dir: Path
    run_dir: Path
    provider_for: Callable[[str], Provider]
    progress: ProgressHook = _no_progress
    info: dict[str, Any] = field(default_factory=dict)
    ahead: WorkAhead = field(default_factory=lambda: WorkAhead(threads=4))
    """Calls a node starts for a later node (the continuity review during the character library)."""
    _counts: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def tick(self, stage: str, total: int) -> None:
        """Count one finished unit of a stage (thread-safe) and report it."""
        with self._lock:
            done = self._counts.get(stage, 0) + 1
            self._counts[stage] = done
        self.progress(stage, min(done, total), total)

    def start(self, stage: str, total: int) -> None:
        """Announce a stage with its number of units."""
        with self._lock:
            self._counts[stage] = 0
        self.progress(stage, 0, total)
