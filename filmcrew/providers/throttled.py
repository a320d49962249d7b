"""At most N model calls in flight across all agents of a run: what `--concurrency N` promises.

The crew runs more graph tasks than that at once, so one task's CPU work (drafting by the
rules, parsing an answer) overlaps other tasks' waiting on the network; only the calls are
bounded here. A slot is held for one attempt: `Retrying`'s backoff sleeps and `Cached` hits
sit outside this wrapper and hold none. `Deadline` sits inside, so a call waiting for a slot
is not timed out for the wait. Calls made ahead of the node that needs them (`filmcrew.ahead`)
give way to calls the graph is waiting on.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
from typing import Any

from filmcrew.providers.base import Provider, Wrapper

# Set in threads doing work ahead of the node that needs it (`filmcrew.ahead`): their calls
# yield a free slot to any call the graph is waiting on.
BACKGROUND: ContextVar[bool] = ContextVar("filmcrew_background_call", default=False)


class CallSlots:
    """The run's call slots; unlimited until the crew sets a limit. A call made in the
    background takes a slot only when no foreground call is waiting for one."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.limit_value = 0
        self._in_use = 0
        self._waiting = 0  # foreground calls waiting for a slot

    def limit(self, calls: int) -> None:
        """Allow `calls` calls at once from now on (0 = unlimited)."""
        with self._changed:
            self.limit_value = max(0, calls)
            self._changed.notify_all()

    def run(self, call: Any, req: Any) -> Any:
        """Make one call inside a slot."""
        background = BACKGROUND.get()
        with self._changed:
            self._waiting += 0 if background else 1
            try:
                self._changed.wait_for(lambda: self._room_for(background))
            finally:
                self._waiting -= 0 if background else 1
            self._in_use += 1
            if not background and not self._waiting:
                self._changed.notify_all()  # background calls held back for this one may take a free slot
        try:
            return call(req)
        finally:
            with self._changed:
                self._in_use -= 1
                self._changed.notify_all()

    def _room_for(self, background: bool) -> bool:
        """Say whether a call may start now (call with the condition held)."""
        if not self.limit_value:
            return True
        return self._in_use < self.limit_value and not (background and self._waiting)


class Throttled(Wrapper):
    """Hold one of the run's call slots while the inner provider calls out."""

    name = "throttled"

    def __init__(self, inner: Provider, slots: CallSlots) -> None:
        super().__init__(inner)
        self.slots = slots

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Wait for a slot, then call."""
        return self.slots.run(call, req)
