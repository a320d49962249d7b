"""Continuity nodes: the continuity model reads the script while the shots are planned, then
the script supervisor checks script and shots, and sends fixable shot findings back to the
shot planner for a bounded number of rounds."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from pathlib import Path
from typing import Any

from langgraph.config import get_config
from langgraph.runtime import Runtime
from langgraph.types import Command

from pydantic import BaseModel, Field

from filmcrew.agents.continuity import (
    StateEvent,
    ask_model,
    check_script,
    check_shots,
    fixable_by_shots,
    gather_review,
    merge_findings,
    review_jobs,
    review_version,
    write_continuity,
)
from filmcrew.artefacts import load_model, ref_for, save_model
from filmcrew.context import CrewContext
from filmcrew.domain import Finding
from filmcrew.files import canonical_digest
from filmcrew.nodes.common import answered_by, breakdown_of, key_of, library_of, screenplay_of, shotlist_of
from filmcrew.nodes.shots import scene_tasks
from filmcrew.providers.base import Provider, Unsupported
from filmcrew.state import CrewState


def check_continuity(state: CrewState, runtime: Runtime[CrewContext]) -> Command[Any]:
    """Check continuity; route fixable shot findings back to the planner or go on to approval."""
    run_dir = str(runtime.context.run_dir)
    screenplay = screenplay_of(run_dir, state["screenplay"])
    sheet = breakdown_of(run_dir, state["breakdown"])
    library = library_of(run_dir, state["library"])
    shotlist = shotlist_of(run_dir, state["shotlist"])
    review = _review_of(state, run_dir, runtime.context.provider_for("continuity"))
    events = review.events
    key = (run_dir, *(state[k].sha256 for k in ("screenplay", "breakdown", "library")),
           canonical_digest(events) if events is not None else "")
    script = _script_findings(key, lambda: check_script(screenplay, sheet, library, extra_events=events))
    findings = merge_findings(script, check_shots(shotlist, sheet), review.findings)
    write_continuity(findings, Path(run_dir))
    runtime.context.tick("continuity", 1)
    update: dict[str, Any] = {"continuity": ref_for(run_dir, "continuity.json")}
    rounds = state.get("continuity_round", 0)
    fixable = fixable_by_shots(findings)
    if fixable and rounds < state["settings"].continuity_rounds:
        update["continuity_round"] = rounds + 1
        return Command(update=update, goto=scene_tasks({**state, **update}, _hints(fixable)))
    return Command(update=update, goto="approve_continuity")


class ModelReview(BaseModel):
    """What the continuity model said about the script: its findings and the state changes it
    read per scene (`events` is None when no model reviewed)."""

    findings: list[Finding] = Field(default_factory=list)
    events: list[StateEvent] | None = None


def start_review(state: CrewState, runtime: Runtime[CrewContext]) -> None:
    """Start the continuity model's reading of the script in the background, so its calls use
    the slots the character library leaves idle; `model_review` collects the answers.

    Only when the run goes on to the shots without a pause (approvals automatic: nothing is
    paid for a run that may stop at a gate), with a model, and when this model has not read
    this script before.
    """
    if not state["settings"].auto_approve:
        return
    provider = runtime.context.provider_for("continuity")
    run_dir = str(runtime.context.run_dir)
    relative = _review_path(state, provider)
    if not provider.supports("structured") or (Path(run_dir) / relative).is_file():
        return
    screenplay = screenplay_of(run_dir, state["screenplay"])
    sheet = breakdown_of(run_dir, state["breakdown"])
    runtime.context.ahead.start(relative, review_jobs(provider, screenplay, sheet))


def model_review(state: CrewState, runtime: Runtime[CrewContext]) -> CrewState:
    """Have the continuity model read the script while the shot planner works: the review
    needs only the script and the breakdown, so its calls share the run's call slots with
    the shot planner's instead of waiting for the shots."""
    run_dir = str(runtime.context.run_dir)
    provider = runtime.context.provider_for("continuity")
    relative = _review_path(state, provider)
    if (Path(run_dir) / relative).is_file():
        return {"review": ref_for(run_dir, relative)}
    review = _collect(runtime.context.ahead.take(relative)) or _ask(state, run_dir, provider)
    return {"review": save_model(run_dir, relative, review)}


def _collect(started: list[Future[Any]] | None) -> ModelReview | None:
    """The review started ahead (`start_review`), or None when there is none to collect."""
    if started is None:
        return None
    try:
        answers = [future.result() for future in started]
    except Unsupported:
        return ModelReview()
    except CancelledError:
        return None
    findings, events = gather_review(answers)
    return ModelReview(findings=findings, events=events)


def _review_of(state: CrewState, run_dir: str, provider: Provider) -> ModelReview:
    """The model's review of this script: the one `model_review` stored, else asked now (a
    run resumed from before the review existed, or a provider without structured output)."""
    relative = _review_path(state, provider)
    if (Path(run_dir) / relative).is_file():
        return load_model(run_dir, ref_for(run_dir, relative), ModelReview)
    review = _ask(state, run_dir, provider)
    if review.events is not None:
        save_model(run_dir, relative, review)
    return review


def _ask(state: CrewState, run_dir: str, provider: Provider) -> ModelReview:
    """Ask the model for every scene's review and state log."""
    screenplay = screenplay_of(run_dir, state["screenplay"])
    sheet = breakdown_of(run_dir, state["breakdown"])
    findings, events = ask_model(provider, screenplay, sheet, _concurrency())
    return ModelReview(findings=findings, events=events)


def _review_path(state: CrewState, provider: Provider) -> str:
    """Where the review of this script by this model is stored: keyed by what it read."""
    key = key_of(state["screenplay"].sha256, state["breakdown"].sha256, answered_by(provider), review_version())
    return f"work/continuity/review-{key}.json"


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
    """Threads for the review's calls: the run's task parallelism (`Crew` sets LangGraph's
    `max_concurrency`; the provider's call slots bound the calls themselves)."""
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
