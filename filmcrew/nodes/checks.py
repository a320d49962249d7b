"""Continuity node: the script supervisor checks script and shots, and sends fixable shot
findings back to the shot planner for a bounded number of rounds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from langgraph.config import get_config
from langgraph.runtime import Runtime
from langgraph.types import Command

from filmcrew.agents.continuity import (
    ask_model,
    check_script,
    check_shots,
    fixable_by_shots,
    merge_findings,
    write_continuity,
)
from filmcrew.artefacts import ref_for
from filmcrew.context import CrewContext
from filmcrew.domain import Finding
from filmcrew.files import canonical_digest
from filmcrew.nodes.common import breakdown_of, library_of, screenplay_of, shotlist_of
from filmcrew.nodes.shots import scene_tasks
from filmcrew.state import CrewState

def check_continuity(state: CrewState, runtime: Runtime[CrewContext]) -> Command[Any]:
    """Check continuity; route fixable shot findings back to the planner or go on to approval."""
    run_dir = str(runtime.context.run_dir)
    screenplay = screenplay_of(run_dir, state["screenplay"])
    sheet = breakdown_of(run_dir, state["breakdown"])
    library = library_of(run_dir, state["library"])
    shotlist = shotlist_of(run_dir, state["shotlist"])
    provider = runtime.context.provider_for("continuity")
    reviewed, events = ask_model(provider, screenplay, sheet, _concurrency())
    key = (run_dir, *(state[k].sha256 for k in ("screenplay", "breakdown", "library")),
           canonical_digest(events) if events is not None else "")
    script = _script_findings(key, lambda: check_script(screenplay, sheet, library, extra_events=events))
    findings = merge_findings(script, check_shots(shotlist, sheet), reviewed)
    write_continuity(findings, Path(run_dir))
    runtime.context.tick("continuity", 1)
    update: dict[str, Any] = {"continuity": ref_for(run_dir, "continuity.json")}
    rounds = state.get("continuity_round", 0)
    fixable = fixable_by_shots(findings)
    if fixable and rounds < state["settings"].continuity_rounds:
        update["continuity_round"] = rounds + 1
        return Command(update=update, goto=scene_tasks({**state, **update}, _hints(fixable)))
    return Command(update=update, goto="approve_continuity")


_SCRIPT_FINDINGS: dict[tuple[str, ...], list[Finding]] = {}


def _script_findings(key: tuple[str, ...], check: Callable[[], list[Finding]]) -> list[Finding]:
    """The script's findings, reused while script, breakdown, library and the model's state
    events are unchanged (the fix loop's later rounds change only shots)."""
    if key not in _SCRIPT_FINDINGS:
        while len(_SCRIPT_FINDINGS) >= 4:
            _SCRIPT_FINDINGS.pop(next(iter(_SCRIPT_FINDINGS)))
        _SCRIPT_FINDINGS[key] = check()
    return list(_SCRIPT_FINDINGS[key])


def _concurrency() -> int:
    """The run's parallelism for model calls (`Crew` sets it as LangGraph's `max_concurrency`)."""
    try:
        limit = get_config().get("max_concurrency")
    except RuntimeError:  # called outside a graph run
        limit = None
    return max(1, int(limit or 1))


def _hints(findings: list[Finding]) -> dict[int, list[str]]:
    """Group fixable findings by scene as JSON hints for the shot planner."""
    hints: dict[int, list[str]] = {}
    for finding in findings:
        if finding.scene is not None:
            hints.setdefault(finding.scene, []).append(finding.model_dump_json())
    return hints
