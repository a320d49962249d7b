"""Reading a run's graph state and writing a user's edit into it, for the chat session.

`Crew` offers start, resume, history and fork; the chat also needs the head of a run (its
checkpoint, the stage it waits on, its values) and, for an edit of the character library, a
new checkpoint "as if the library node had written this" so the run goes on from there with
only the affected shots and frames redone. Both open the crew's checkpointer the way
`Crew` does; the edit holds the run's lock like every other write.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from filmcrew.crew import Crew, _copy_checkpoint
from filmcrew.runs import RunRecord, run_lock
from filmcrew.state import ArtefactRef


@dataclass
class Head:
    """Where a run stands now."""

    checkpoint: str = ""
    status: str = "new"
    pending: str = ""
    values: dict[str, Any] = field(default_factory=dict)


def head(crew: Crew, run_id: str) -> Head:
    """Read a run's newest checkpoint: status, the stage it waits on, its values."""
    with crew._graph() as graph:  # noqa: SLF001 - see module docstring
        snap = graph.get_state(crew._config(run_id))  # noqa: SLF001
    if not snap.config or "checkpoint_id" not in snap.config.get("configurable", {}):
        return Head()
    pending = next((str(i.value.get("stage", "")) for i in snap.interrupts if isinstance(i.value, dict)), "")
    values = dict(snap.values or {})
    if pending:
        status = "paused"
    elif snap.next:
        status = "stopped"
    else:
        approvals = values.get("approvals") or {}
        status = "rejected" if any(not a.approved for a in approvals.values()) else "done"
    return Head(checkpoint=str(snap.config["configurable"]["checkpoint_id"]), status=status, pending=pending,
                values=values)


def replace_library(crew: Crew, run_id: str, library: ArtefactRef) -> None:
    """Record an edited `characters.json` as the library node's output; the run re-checks from there."""
    with run_lock(crew.registry.data_dir, run_id), crew._graph() as graph:  # noqa: SLF001
        graph.update_state(crew._config(run_id), {"library": library, "continuity_round": 0},  # noqa: SLF001
                           as_node="build_characters")


def fork_run(crew: Crew, run_id: str, checkpoint: str) -> RunRecord:
    """Fork a run at a checkpoint, its values intact under strict msgpack.

    `Crew.fork` copies the checkpoint through a bare saver, which under
    `LANGGRAPH_STRICT_MSGPACK` reads filmcrew's state types back as plain dicts; copying the
    same checkpoint again through the compiled graph's saver (which allows those types)
    overwrites it with the real values. Harmless once `Crew.fork` does the same itself.
    """
    serde_log = logging.getLogger("langgraph.checkpoint.serde.jsonplus")
    level = serde_log.level
    serde_log.setLevel(logging.ERROR)  # the bare saver's "blocked type" warnings are repaired below
    try:
        record = crew.fork(run_id, checkpoint)
    finally:
        serde_log.setLevel(level)
    with crew._graph() as graph:  # noqa: SLF001
        _copy_checkpoint(graph.checkpointer, run_id, checkpoint, record.run_id)
    return record
