"""Running the crew graph as saved runs: start, resume, history, fork.

Each run is one LangGraph thread checkpointed in `runs.sqlite` and one output folder; the
registry in `project.db` names both. Every start or resume holds the run's lock, streams the
graph with progress, and finishes by writing `run.json`, so a crash at any point leaves a run
that `resume` continues without redoing finished work (and the provider cache means without
paying for it twice).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from filmcrew import workers
from filmcrew.ahead import WorkAhead
from filmcrew.context import CrewContext, ProgressHook
from filmcrew.domain import RunInfo
from filmcrew.errors import FilmcrewError, InputError
from filmcrew.files import sha256_file, write_json
from filmcrew.graph import build
from filmcrew.providers import run_state
from filmcrew.runs import Registry, RunRecord, new_run_id, now, run_lock
from filmcrew.state import CrewState, RunSettings

log = structlog.get_logger(__name__)

# Channel names LangGraph uses for interrupts and their answers in pending writes (private
# constants upstream; a fork that must drop an answer has to recognise them).
INTERRUPT = "__interrupt__"
RESUME = "__resume__"

# What the worker processes run (rule planning, sketching, the MP4): imported as a run starts.
WORKER_MODULES = ("filmcrew.agents.shot_planner", "filmcrew.agents.storyboard", "filmcrew.tools.export_animatic")
# Graph tasks in flight per allowed model call (see `Crew._config`).
TASKS_PER_CALL_SLOT = 2
NODE_STAGE = {
    "write_script": "write",
    "ingest": "parse",
    "breakdown": "breakdown",
    "build_characters": "characters",
    "approve_characters": "characters",
    "plan_shots": "shots",
    "collect_shots": "shots",
    "approve_shots": "shots",
    "model_review": "continuity",
    "check_continuity": "continuity",
    "approve_continuity": "continuity",
    "draw_frame": "storyboard",
    "check_frames": "storyboard",
    "export": "export",
}


@dataclass
class Outcome:
    """How a start or resume ended."""

    run: RunRecord
    status: str
    info: RunInfo
    pending: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


class Crew:
    """The entry point the CLI (and chat, and evals) use to run the graph."""

    def __init__(self, project_dir: Path, config: Any, *, concurrency: int = 4,
                 progress: ProgressHook | None = None) -> None:
        self.project_dir = project_dir
        self.config = config
        self.concurrency = max(1, concurrency)
        self.progress = progress
        self.registry = Registry(Path(config.data_dir))
        self._providers: dict[str, Any] = {}

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close provider clients and the cache (open SDK clients would leak sockets), and stop
        the drawing workers."""
        run_state(self.config).close()
        workers.shutdown()

    # --- providers ---------------------------------------------------------------------

    def provider_for(self, agent: str) -> Any:
        """Return (and keep) the provider stack configured for an agent."""
        from filmcrew.providers import for_agent

        if agent not in self._providers:
            self._providers[agent] = for_agent(self.config, agent)
        return self._providers[agent]

    def provider_names(self) -> dict[str, str]:
        """Describe the provider and model of every agent, for `run.json` and the summary."""
        return dict(self.config.provider_per_agent())

    # --- runs --------------------------------------------------------------------------

    def start(self, script: Path | None, run_dir: Path, settings: RunSettings, *,
              run_id: str | None = None) -> Outcome:
        """Start a new run of a script (or, with no script, of `settings.logline` through the
        writer), or re-plan an existing run (`run_id`) incrementally."""
        run_dir = run_dir.resolve()
        script_path = str(script.resolve()) if script else ""
        digest = sha256_file(script) if script else ""
        if run_id is None:
            record = self._register(script_path, digest, run_dir, settings)
        else:
            record = self.registry.get(run_id)
            self.registry.update(record.run_id, script=script_path, script_sha256=digest, settings=settings)
            record = self.registry.get(record.run_id)
        return self._execute(record, self._inputs(record))

    def resume(self, run_id: str, answer: Any = None) -> Outcome:
        """Continue a run after a crash, Ctrl-C, provider failure or pending approval."""
        record = self.registry.get(run_id)
        with self._graph() as graph:
            snapshot = graph.get_state(self._config(record.run_id))
        if snapshot.interrupts:
            if answer is None:
                raise InputError(f"run {record.run_id} waits for approval of the {_stage_of(snapshot)}; "
                                 "resume with --approve or --reject")
            resume = {i.id: answer for i in snapshot.interrupts}
            return self._execute(record, Command(resume=resume))
        if not snapshot.values:  # killed before the first checkpoint: start it over
            return self._execute(record, self._inputs(record))
        if not snapshot.next:
            return self._finish(record, "done", snapshot.values, [], {})
        return self._execute(record, None)

    def history(self, run_id: str, limit: int = 200) -> list[dict[str, Any]]:
        """List a run's checkpoints, newest first, with the stage each one follows."""
        record = self.registry.get(run_id)
        rows = []
        with self._graph() as graph:
            for snap in graph.get_state_history(self._config(record.run_id), limit=limit):
                meta = snap.metadata or {}
                writes = meta.get("writes") or {}
                nodes = sorted(writes) if isinstance(writes, dict) else []
                rows.append({
                    "checkpoint": snap.config["configurable"]["checkpoint_id"],
                    "step": meta.get("step"),
                    "source": meta.get("source"),
                    "after": ", ".join(nodes) or meta.get("source", ""),
                    "next": ", ".join(snap.next),
                    "stage": NODE_STAGE.get(snap.next[0], snap.next[0]) if snap.next else "done",
                    "created": snap.created_at,
                })
        return rows

    def fork(self, run_id: str, checkpoint: str, run_dir: Path | None = None, *, keep_answers: bool = True,
             new_id: str | None = None) -> RunRecord:
        """Make a new run that starts from one checkpoint of another (its folder copied).

        A checkpoint keeps the writes of the step after it, including the answer an approval
        gate got later: `keep_answers=False` drops those, so the fork waits for a new answer
        (what the chat's `/undo` needs), while a plain fork replays them.
        """
        source = self.registry.get(run_id)
        new_id = new_id or new_run_id(Path(source.script).stem)
        target_dir = (run_dir or Path(f"{source.run_dir}-{new_id}")).resolve()
        if target_dir.exists():
            raise InputError("fork target folder already exists", path=str(target_dir))
        with self._graph() as graph:  # its saver revives our state types under strict msgpack
            _copy_checkpoint(graph.checkpointer, source.run_id, checkpoint, new_id, keep_answers)
        shutil.copytree(source.run_dir, target_dir, ignore=shutil.ignore_patterns("run.json"))
        record = source.model_copy(update={"run_id": new_id, "run_dir": str(target_dir), "status": "forked",
                                           "created": now(), "updated": now(), "parent": f"{source.run_id}@{checkpoint}"})
        self.registry.add(record)
        return record

    # --- internals ---------------------------------------------------------------------

    def _inputs(self, record: RunRecord) -> CrewState:
        """The graph input that starts (or restarts) a registered run."""
        return {"run_id": record.run_id, "script_path": record.script, "settings": record.settings,
                "continuity_round": 0}

    def _register(self, script: str, digest: str, run_dir: Path, settings: RunSettings) -> RunRecord:
        """Add a new run to the registry."""
        stamp = now()
        stem = Path(script).stem if script else (settings.logline or run_dir.stem)
        record = RunRecord(run_id=new_run_id(stem), script=script, script_sha256=digest, run_dir=str(run_dir),
                           status="new", stage="", created=stamp, updated=stamp, settings=settings)
        self.registry.add(record)
        return record

    def _config(self, run_id: str) -> dict[str, Any]:
        """The LangGraph config of a run: its thread, a step budget and parallelism.

        The graph runs twice as many tasks as there are call slots (`_execute` sets those), so
        while `concurrency` calls wait on the network, other tasks do their CPU work and have
        their next call ready the moment a slot frees.
        """
        return {"configurable": {"thread_id": run_id}, "max_concurrency": TASKS_PER_CALL_SLOT * self.concurrency,
                "recursion_limit": 200}

    def _graph(self) -> Any:
        """Open the checkpointer and compile the graph with it (a context manager)."""
        return _compiled(self.registry.checkpoints)

    def _execute(self, record: RunRecord, inputs: Any) -> Outcome:
        """Run the graph under the run's lock until it ends, pauses or fails."""
        with run_lock(self.registry.data_dir, record.run_id):
            self.registry.update(record.run_id, status="running", pid=os.getpid())
            workers.warm(*WORKER_MODULES)
            run_state(self.config).slots.limit(self.concurrency)
            context = CrewContext(project_dir=self.project_dir, run_dir=Path(record.run_dir),
                                  provider_for=self.provider_for, progress=self.progress or _quiet,
                                  info={**_rule_versions(), "writer_options": _writer_options(self.config)},
                                  ahead=WorkAhead(threads=self.concurrency))
            timings: dict[str, float] = {}
            try:
                with self._graph() as graph:
                    shown = ""
                    for stage in _timed_stages(graph.stream(inputs, self._config(record.run_id), context=context,
                                                            stream_mode="updates"), timings):
                        if stage != shown:  # one registry write per stage, not per shot
                            self.registry.update(record.run_id, stage=stage)
                            shown = stage
                    snapshot = graph.get_state(self._config(record.run_id))
            except KeyboardInterrupt:
                self._finish(record, "interrupted", {}, [], timings)
                raise
            except FilmcrewError as exc:
                self._finish(record, "failed", {}, [], timings, error=str(exc))
                raise
            finally:
                context.ahead.close()
        pending = [dict(i.value) if isinstance(i.value, dict) else {"ask": str(i.value)} for i in snapshot.interrupts]
        status = "paused" if pending else ("done" if not snapshot.next else "stopped")
        if status == "done" and _rejected(snapshot.values):
            status = "rejected"
        return self._finish(record, status, snapshot.values, pending, timings)

    def _finish(self, record: RunRecord, status: str, values: dict[str, Any], pending: list[dict[str, Any]],
                timings: dict[str, float], error: str = "") -> Outcome:
        """Record the outcome in the registry and in `run.json`."""
        self.registry.update(record.run_id, status=status, pid=0)
        info = self._run_info(record, status, values, timings, error)
        run_dir = Path(record.run_dir)
        if run_dir.is_dir():
            write_json(run_dir / "run.json", info)
        return Outcome(run=self.registry.get(record.run_id), status=status, info=info, pending=pending, values=values)

    def _run_info(self, record: RunRecord, status: str, values: dict[str, Any], timings: dict[str, float],
                  error: str) -> RunInfo:
        """Collect what `run.json` reports: providers, usage, cost, cache hits, stage times."""
        from filmcrew.providers import ledger

        totals = ledger(self.config).as_run_json()
        notes = list(dict.fromkeys(values.get("notes", [])))
        if error:
            notes.append(error)
        return RunInfo(run_id=record.run_id, status=status, script=record.script, script_sha256=record.script_sha256,
                       aspect=record.settings.aspect, style=record.settings.style,
                       provider_per_agent=self.provider_names(), calls=totals["calls"], tokens=totals["tokens"],
                       cost_usd=totals["cost_usd"], cache_hits=totals["cache_hits"],
                       per_agent=totals["per_agent"], provider_summary=self.config.summary(),
                       consistency=dict(values.get("consistency") or {}),
                       stage_seconds={k: round(v, 3) for k, v in sorted(timings.items())}, notes=notes)


class _compiled:
    """Context manager: a SqliteSaver on the checkpoint file and the graph compiled with it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cm: Any = None

    def __enter__(self) -> Any:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._cm = SqliteSaver.from_conn_string(str(self.path))
        saver = self._cm.__enter__()
        # WAL without an fsync per commit: a killed process loses nothing (the WAL is in the OS
        # cache); only a power cut can drop the last few checkpoints, and a resume redoes those.
        saver.conn.execute("PRAGMA synchronous=NORMAL")
        return build().compile(checkpointer=saver)

    def __exit__(self, *exc: Any) -> None:
        self._cm.__exit__(*exc)


def _rule_versions() -> dict[str, Any]:
    """Versions of the craft-rule data, part of reuse keys so edited presets re-plan scenes."""
    from filmcrew.agents.shot_planner import rules_version

    return {"shot_rules": rules_version()}


def _writer_options(config: Any) -> Any:
    """The writer's loop bounds from the `[writer]` table of the configuration."""
    from filmcrew.agents.writer import writer_options

    return writer_options(config)


def _quiet(stage: str, done: int, total: int) -> None:
    """Report no progress."""


def _timed_stages(stream: Iterator[dict[str, Any]], timings: dict[str, float]) -> Iterator[str]:
    """Attribute wall time between graph updates to the stage of the node that produced them."""
    last = time.perf_counter()
    for chunk in stream:
        current = time.perf_counter()
        for node in chunk:
            if node.startswith("__"):
                continue
            stage = NODE_STAGE.get(node, node)
            timings[stage] = timings.get(stage, 0.0) + (current - last)
            last = current
            yield stage


def _stage_of(snapshot: Any) -> str:
    """Name the stage an interrupted run waits on."""
    for interrupt in snapshot.interrupts:
        if isinstance(interrupt.value, dict) and "stage" in interrupt.value:
            return str(interrupt.value["stage"])
    return "next stage"


def _rejected(values: dict[str, Any]) -> bool:
    """Say whether the run ended because someone rejected a stage."""
    return any(not a.approved for a in (values.get("approvals") or {}).values())


def _copy_checkpoint(saver: Any, run_id: str, checkpoint: str, new_id: str, keep_answers: bool = True) -> None:
    """Copy one checkpoint (and its pending writes) into a new thread, the fork's start."""
    source = saver.get_tuple({"configurable": {"thread_id": run_id, "checkpoint_ns": "", "checkpoint_id": checkpoint}})
    if source is None:
        raise InputError(f"run {run_id} has no checkpoint {checkpoint!r}; `filmcrew history {run_id}` lists them")
    target = {"configurable": {"thread_id": new_id, "checkpoint_ns": ""}}
    saved = saver.put(target, source.checkpoint, {**source.metadata, "source": "fork"},
                      dict(source.checkpoint.get("channel_versions", {})))
    writes = source.pending_writes or []
    answered = set() if keep_answers else {task for task, channel, _ in writes if channel == RESUME}
    by_task: dict[str, list[tuple[str, Any]]] = {}
    for task_id, channel, value in writes:
        if task_id not in answered or channel == INTERRUPT:
            by_task.setdefault(task_id, []).append((channel, value))
    for task_id, kept in by_task.items():
        saver.put_writes(saved, kept, task_id)
