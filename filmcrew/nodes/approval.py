"""Approval gates: each in a node of its own, so a resume re-runs nothing that was paid for.

`interrupt()` re-runs its node from the first line on resume, so a gate does nothing before
it but read state. `plan` and `--yes` approve automatically; the chat session answers with
`{"approved": bool, "note": str}`. A rejection ends the run with the note kept in state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langgraph.graph import END
from langgraph.types import Command, Send, interrupt

from filmcrew.state import Approval, CrewState

Route = Callable[[CrewState], "str | list[Send] | list[Send | str]"]
GateNode = Callable[[CrewState], Command[Any]]


def make_gate(stage: str, route: Route) -> GateNode:
    """Build the approval node for one stage; `route` says where an approved run goes next."""

    def gate(state: CrewState) -> Command[Any]:
        if state["settings"].auto_approve:
            approval = Approval(stage=stage, approved=True, by="auto")
        else:
            answer = interrupt({"stage": stage, "ask": f"Approve the {stage.replace('_', ' ')}?"})
            approval = _approval_from(stage, answer)
        target = route(state) if approval.approved else END
        return Command(update={"approvals": {stage: approval}}, goto=target)

    gate.__name__ = f"approve_{stage}"
    gate.__doc__ = f"Pause for approval of the {stage.replace('_', ' ')}."
    return gate


def _approval_from(stage: str, answer: Any) -> Approval:
    """Read a resume value (`True`, or `{"approved": ..., "note": ...}`) as an Approval."""
    if isinstance(answer, dict):
        note = str(answer.get("note", ""))
        return Approval(stage=stage, approved=bool(answer.get("approved")), note=note, by="user")
    return Approval(stage=stage, approved=bool(answer), by="user")
