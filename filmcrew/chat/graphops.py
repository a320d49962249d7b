"""Reading a run's graph state and writing a user's edit into it, for the chat session.

`Crew` offers start, resume, history and fork; the chat also needs the head of a run (its
checkpoint, the stage it waits on, its values) and, for an edit of the character library, a
new checkpoint "as if the library node had written this" so the run goes on from there with
only the affected shots and frames redone; and for `/undo`, a fork at a paused checkpoint
without the answer it later got. All open the crew's checkpointer the way `Crew` does; the
edit holds the run's lock like every other write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmcrew.crew import Crew
from filmcrew.runs import RunRecord, new_run_id, run_lock
from filmcrew.state import ArtefactRef

# LangGraph's channel names for interrupts and their answers (its constants are private since 1.0).


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
    """Fork a run at a turn's checkpoint as it stood then: paused and not yet answered, so the
    fork waits for a new answer instead of replaying the one an undo takes back."""
    source = crew.registry.get(run_id)
    new_id = new_run_id(Path(source.script).stem.split(".v")[0])
    base = source.run_dir.removesuffix(f"-{source.run_id}") if source.parent else source.run_dir
    return crew.fork(run_id, checkpoint, Path(f"{base}-{new_id}"), keep_answers=False, new_id=new_id)
