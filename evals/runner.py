"""Run eval cases through the real crew graph and grade what it made.

For each case and each *variant* (a recording set to replay, or a provider/model to call) the
runner makes a private project in a temporary folder, builds provider settings where exactly the
case's `agents` use the variant's provider (every other agent runs its offline craft rules),
starts the crew on the case's script, and hands the run folder to the graders. With `replay`
(the default) nothing leaves the machine and the result is deterministic; a request with no
recording fails that case with the replay diff; recordings nobody asked for are counted.

Recording (`record=True`): a live provider answers and every answer is written to
`evals/recordings/<case>/<provider>--<model>/` (redacted, `"source": "recorded"`); the
`authored` provider answers from the case's hand-written answers instead (`filmcrew.evals.author`)
and marks its recordings `"source": "authored"`. A set is replaced only when its run succeeds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import structlog
from pydantic import BaseModel, Field

from filmcrew.errors import FilmcrewError, InputError
from filmcrew.evals.cases import Case
from filmcrew.evals.grading import grade_run
from filmcrew.evals.recording_sets import (
    AUTHORED,
    RecordingSet,
    describe,
    replace_set,
    set_name,
    sets_for,
)
from filmcrew.evals.scoring import CaseRun, Score
from filmcrew.evals.thumbs import Thumb, thumbnails

if TYPE_CHECKING:
    from filmcrew.config import AgentSettings, Settings
    from filmcrew.crew import Crew
    from filmcrew.state import RunSettings

log = structlog.get_logger(__name__)

REPLAY = "replay"
RULES_ONLY = "offline"


class CaseResult(BaseModel):
    """One case run with one variant: its scores, or the error that stopped it."""

    case: str
    title: str
    kind: str
    description: str = ""
    variant: str
    source: str
    status: str
    replayed: bool = False
    error: str = ""
    scores: list[Score] = Field(default_factory=list)
    recorded: int = 0
    seconds: float = Field(default=0.0, exclude=True)
    thumbs: list[Thumb] = Field(default_factory=list, exclude=True)

    @property
    def key(self) -> str:
        """The baseline key: `case/variant`."""
        return f"{self.case}/{self.variant}"


@dataclass
class Variant:
    """What answers a case's model calls: a recording set, a live provider, or the rules."""

    name: str
    provider: str
    model: str = ""
    recordings: RecordingSet | None = None

    def label(self) -> str:
        """Who answered, for tables and reports."""
        if self.recordings is not None:
            return self.recordings.label()
        if self.provider == RULES_ONLY:
            return "craft rules (offline)"
        return f"live {self.provider}" + (f"/{self.model}" if self.model else "")


@dataclass
class EvalOptions:
    """How to run the evals (the command's flags)."""

    evals_dir: Path
    provider: str = REPLAY
    models: list[str] = field(default_factory=list)
    record: bool = False
    concurrency: int = 4
    keep_dir: Path | None = None
    thumbnails: int = 8

    @property
    def recordings_dir(self) -> Path:
        """`evals/recordings/`."""
        return self.evals_dir / "recordings"


def variants_for(case: Case, options: EvalOptions) -> list[Variant]:
    """The variants one case runs with under these options."""
    if options.provider == REPLAY:
        sets = sets_for(options.recordings_dir, case.id)
        if not options.models:
            return [Variant(name=s.name, provider=REPLAY, recordings=s) for s in sets] or [
                Variant(name=AUTHORED, provider=REPLAY)]
        wanted = [(m, [s for s in sets if _matches(s, m)]) for m in options.models]
        return [Variant(name=s.name, provider=REPLAY, recordings=s) for _, found in wanted for s in found] + [
            Variant(name=m, provider=REPLAY, model=m) for m, found in wanted if not found]
    if options.provider in (AUTHORED, RULES_ONLY):
        return [Variant(name=options.provider, provider=options.provider)]
    if not options.models:  # the configured models answer; the set is named after the main one
        return [Variant(name=set_name(options.provider, _configured_model(options.provider, case)),
                        provider=options.provider)]
    return [Variant(name=set_name(options.provider, m), provider=options.provider, model=m) for m in options.models]


def _configured_model(provider: str, case: Case) -> str:
    """The text model a live provider would use for the case's first model agent (to name its set)."""
    from filmcrew.config import load_settings

    settings = load_settings(Path.cwd(), provider=provider)
    agent = next((a for a in case.agents if a != "storyboard"), "shot_planner")
    return str(settings.model_for(agent, "text"))


def _matches(recordings: RecordingSet, model: str) -> bool:
    """Say whether a recording set was made by a model (or is named after it)."""
    return recordings.name in (model, set_name(recordings.name.split("--")[0], model)) or any(
        p.endswith(f"/{model}") for p in recordings.providers)


def _agent_settings(settings: Settings, case: Case, provider: str) -> dict[str, AgentSettings]:
    """Per-agent providers: the case's model agents use `provider`, all others the rules."""
    from filmcrew.config import AGENTS, AgentSettings

    table: dict[str, AgentSettings] = {}
    for agent in AGENTS:
        own = settings.agents.get(agent, AgentSettings())
        table[agent] = own.model_copy(update={"provider": provider if agent in case.agents else RULES_ONLY})
    return table


def case_settings(case: Case, variant: Variant, work: Path, record_dir: Path | None) -> Settings:
    """Provider settings for one case run: hermetic for replay, the user's config for live runs."""
    from filmcrew.config import load_settings

    project = work / "project"
    project.mkdir(parents=True, exist_ok=True)
    if variant.provider == REPLAY:
        if variant.recordings is None:
            which = f"recordings of model {variant.model}" if variant.model else "recordings"
            raise InputError(f"case {case.id} has no {which} in evals/recordings/{case.id}/; author them with "
                             f"`filmcrew eval {case.id} --record --provider authored`, or record a live model with "
                             f"`filmcrew eval {case.id} --record --provider PROVIDER --model MODEL`")
        settings = load_settings(project, provider=REPLAY, replay_dir=variant.recordings.folder)
    elif variant.provider in (AUTHORED, RULES_ONLY):
        settings = load_settings(project, provider=RULES_ONLY)
    else:
        settings = load_settings(Path.cwd(), provider=variant.provider, model=variant.model or None,
                                 record=record_dir is not None)
    settings.data_dir = work / "data"
    if record_dir is not None:
        settings.record_dir = str(record_dir)
    settings.agents = _agent_settings(settings, case, variant.provider if variant.provider != AUTHORED else RULES_ONLY)
    settings.provider_reason = f"eval case {case.id}"
    return settings


def case_script(case: Case, work: Path) -> Path | None:
    """The script a case plans: its file, the generated feature, or None (the writer drafts it)."""
    script = case.script_path()
    if script is not None or case.generate is None:
        return script
    from filmcrew.evals.feature_script import feature_script

    target = work / f"{case.id}.fountain"
    target.write_text(feature_script(case.generate.pages, case.generate.seed), encoding="utf-8")
    return target


def _crew(case: Case, variant: Variant, settings: Settings, script: Path | None, run_dir: Path,
          record_dir: Path | None, concurrency: int) -> Crew:
    """Build the crew: the plain one, or one whose model agents answer from authored data."""
    from filmcrew.crew import Crew

    if variant.provider != AUTHORED:
        return Crew(settings.project_dir, settings, concurrency=concurrency)
    from filmcrew.evals.author import AuthoredProvider, load_answers
    from filmcrew.evals.authoring import AuthoringCrew
    from filmcrew.nodes.writer import DRAFT_FILE
    from filmcrew.tools.source import load_script

    screenplay = load_script(script) if script else None  # a logline case: the writer's draft, once written
    author = AuthoredProvider(load_answers(case.answers_path()), screenplay, draft=run_dir / DRAFT_FILE)
    return AuthoringCrew(settings.project_dir, settings, concurrency=concurrency, author=author,
                         agents=set(case.agents), record_dir=record_dir)


def _run_settings(case: Case) -> RunSettings:
    """The run settings of a case: its aspect, style, exports, logline; every approval automatic."""
    from filmcrew.state import RunSettings

    settings = RunSettings(aspect=case.aspect, style=case.style, auto_approve=True, formats=list(case.formats),
                           continuity_rounds=case.continuity_rounds)
    if case.logline is not None:
        settings = settings.model_copy(update={
            "logline": case.logline.text, "format": case.logline.format, "minutes": case.logline.minutes or 0.0,
            "episodes": case.logline.episodes or 0})
    return settings


def replay_fit(settings: Settings) -> tuple[int, list[str]]:
    """How many recordings the run's replay folders held, and which were never asked for."""
    from filmcrew.providers import run_state

    replays = run_state(settings).replays()
    return sum(len(r.recordings) for r in replays), [p.name for r in replays for p in r.unused()]


def _execute(case: Case, variant: Variant, work: Path, record_dir: Path | None,
             options: EvalOptions) -> tuple[CaseRun, FilmcrewError | None]:
    """Run the crew on a case and describe the run for the graders."""
    run_dir = work / "run"
    script = case_script(case, work)
    settings = case_settings(case, variant, work, record_dir)
    run = CaseRun(case=case, variant=variant.name, run_dir=run_dir, replayed=variant.provider == REPLAY)
    failure: FilmcrewError | None = None
    with _crew(case, variant, settings, script, run_dir, record_dir, options.concurrency) as crew:
        try:
            outcome = crew.start(script, run_dir, _run_settings(case))
            run.status = outcome.status
        except FilmcrewError as exc:
            run.status, run.error, failure = "error", str(exc), exc
        if run.replayed:
            run.recordings_total, run.recordings_unused = replay_fit(settings)
    return run, failure


def run_case(case: Case, variant: Variant, options: EvalOptions) -> tuple[CaseResult, FilmcrewError | None]:
    """Run and grade one case with one variant; the error is returned, not raised, so others run."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"filmcrew-eval-{case.id}-") as tmp:
        work = _work_dir(options, case, variant, Path(tmp))
        record_dir = work / "recorded" if options.record else None
        try:
            run, failure = _execute(case, variant, work, record_dir, options)
        except FilmcrewError as exc:  # bad case data, no recordings: this case fails, the others run
            run = CaseRun(case=case, variant=variant.name, run_dir=work / "run", status="error", error=str(exc))
            failure = exc
        scores = grade_run(run)
        recorded = keep_recordings(case, variant, options, record_dir) if run.status == "done" else 0
        thumbs = thumbnails(run, options.thumbnails) if run.status == "done" else []
    source = variant.label() if not recorded else describe(case.id, options.recordings_dir / case.id / variant.name).label()
    result = CaseResult(case=case.id, title=case.title, kind=case.kind, description=case.description,
                        variant=variant.name, source=source, replayed=run.replayed,
                        status=run.status, error=run.error, scores=scores, recorded=recorded,
                        seconds=round(time.perf_counter() - started, 2), thumbs=thumbs)
    log.info("eval_case_done", case=case.id, variant=variant.name, status=run.status, seconds=result.seconds)
    return result, failure


def _work_dir(options: EvalOptions, case: Case, variant: Variant, tmp: Path) -> Path:
    """Where a case runs: a temporary folder, or `--keep DIR/<case>/<variant>` (emptied first)."""
    if options.keep_dir is None:
        return tmp
    work = options.keep_dir / case.id / variant.name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    return work


def keep_recordings(case: Case, variant: Variant, options: EvalOptions, record_dir: Path | None) -> int:
    """Replace the case's recording set with what this run recorded; return how many files."""
    if record_dir is None or not record_dir.is_dir():
        return 0
    files = len(list(record_dir.glob("*.json")))
    if files:
        replace_set(options.recordings_dir / case.id / variant.name, record_dir)
    return files


def check_options(options: EvalOptions) -> None:
    """Refuse flag combinations that cannot work, before any case runs."""
    if options.record and options.provider in (REPLAY, RULES_ONLY):
        raise InputError(f"--record needs a provider that answers (authored, openai, gemini, ...), not {options.provider}")
    if options.provider == AUTHORED and options.models:
        raise InputError("--model does not apply to authored answers")


def run_evals(cases: list[Case], options: EvalOptions) -> tuple[list[CaseResult], list[FilmcrewError]]:
    """Run every case with every variant, in order; return the results and the errors met."""
    os.environ.setdefault("LANGGRAPH_STRICT_MSGPACK", "true")
    check_options(options)
    results: list[CaseResult] = []
    errors: list[FilmcrewError] = []
    for case in cases:
        for variant in variants_for(case, options):
            result, failure = run_case(case, variant, options)
            results.append(result)
            if failure is not None:
                errors.append(failure)
    return results, errors
