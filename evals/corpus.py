"""The continuity corpus (`evals/continuity/`) as eval runs, so it shares the baseline.

The corpus grader (`filmcrew.evals.graders.continuity`, the continuity checker's own eval) runs
the checker over hand-seeded scripts and shot lists. Each way of running it becomes a result of
the case `continuity`, with the misses and false alarms as evidence:

    continuity/rules               the craft rules alone (always)
    continuity/<set>               rules + a model: the recording set `recordings/continuity/<set>/`
                                   replayed (the default), or a live provider (`--provider openai`,
                                   which `--record` saves into that set)

The model answers the requests the crew's continuity node sends (per scene: a review and a
state log), through the same provider stack as any eval case: replay is strict (a request with
no recording fails the run, naming it), and recordings nobody asked for lower `recordings`.
With no recording set the corpus runs on the rules and says, in one note, how to record one.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from filmcrew.errors import FilmcrewError
from filmcrew.evals.cases import Case
from filmcrew.evals.graders.continuity import ContinuityScores, grade_continuity
from filmcrew.evals.recording_sets import AUTHORED, describe
from filmcrew.evals.runner import (
    REPLAY,
    RULES_ONLY,
    CaseResult,
    EvalOptions,
    Variant,
    case_settings,
    keep_recordings,
    replay_fit,
    variants_for,
)
from filmcrew.evals.scoring import Score, clip, ratio

CORPUS = "continuity"
RULES = "rules"
TITLE = "Continuity corpus (seeded scripts and shot lists)"
RECORD_HINT = f"filmcrew eval {CORPUS} --provider openai --model MODEL --record"


@dataclass
class CorpusRun:
    """One way the corpus ran: its result row, and its per-kind scores when it finished."""

    result: CaseResult
    scores: ContinuityScores | None = None


@dataclass
class CorpusOutcome:
    """Every run of the corpus, the errors that stopped some, and a note for people."""

    runs: list[CorpusRun] = field(default_factory=list)
    errors: list[FilmcrewError] = field(default_factory=list)
    note: str = ""

    @property
    def results(self) -> list[CaseResult]:
        """The result rows, rules first."""
        return [run.result for run in self.runs]

    def graded(self) -> list[ContinuityScores]:
        """The scores of the runs that finished, rules first (for the per-kind table)."""
        return [run.scores for run in self.runs if run.scores is not None]


def corpus_case(evals_dir: Path) -> Case:
    """The corpus as a case whose only model agent is the continuity checker."""
    return Case(id=CORPUS, folder=evals_dir / CORPUS, title=TITLE, kind="continuity", agents=["continuity"],
                description="The continuity checker's own corpus in evals/continuity/: planted script and camera "
                            "errors and decoys, checked by the craft rules, then by the rules with a model's "
                            "per-scene review and state log.")


def corpus_result(scores: ContinuityScores, variant: str = RULES, source: str = "craft rules (corpus)") -> CaseResult:
    """Turn the corpus scores into a case result (precision and recall, with their evidence)."""
    overall = scores.overall
    alarms = [f"{m.case}: {m.kind} scene {m.scene} line {m.line}{' shot ' + m.shot if m.shot else ''}: {m.text}"
              for m in scores.false_alarms]
    missed = [f"{m.case}: {m.kind} scene {m.scene} line {m.line}{' shot ' + m.shot if m.shot else ''}: {m.text}"
              for m in scores.missed]
    decoys = [f"decoys flagged: {scores.decoys_flagged} of {scores.decoys}"]
    how = "the craft rules alone" if variant == RULES else "the craft rules with a model's review and state log"
    return CaseResult(
        case=CORPUS, title=TITLE, kind="continuity",
        description=f"The continuity checker's own corpus in evals/continuity/: planted script and camera errors "
                    f"and decoys, checked by {how}.",
        variant=variant, source=source, status="done", replayed=True,
        scores=[Score(metric="precision", value=overall.precision, shown=f"{overall.tp}/{overall.tp + overall.fp}",
                      evidence=clip(decoys + alarms)),
                Score(metric="recall", value=overall.recall, shown=f"{overall.tp}/{overall.tp + overall.fn}",
                      evidence=clip(missed))])


def run_corpus(evals_dir: Path, options: EvalOptions | None = None) -> CorpusOutcome | None:
    """Grade the corpus when the evals folder has one: the rules, then each model variant the
    options ask for (recording sets to replay, or live models); None without a corpus."""
    case = corpus_case(evals_dir)
    if not case.folder.is_dir():
        return None
    outcome = CorpusOutcome(runs=[_rules_run(case)])
    if options is None:
        return outcome
    variants, outcome.note = model_variants(case, options)
    for variant in variants:
        run, failure = run_model(case, variant, options)
        outcome.runs.append(run)
        if failure is not None:
            outcome.errors.append(failure)
    return outcome


def _rules_run(case: Case) -> CorpusRun:
    """The corpus checked by the craft rules alone."""
    started = time.perf_counter()
    scores = grade_continuity(case.folder)
    scores.label = RULES
    result = corpus_result(scores)
    result.seconds = round(time.perf_counter() - started, 2)
    return CorpusRun(result=result, scores=scores)


def model_variants(case: Case, options: EvalOptions) -> tuple[list[Variant], str]:
    """The model runs the options ask for, and a note when replay has no recordings to run.

    Replay runs every recording set of `recordings/continuity/` (or those of `--model`); a live
    provider runs its configured model (or each `--model`). Rules-only and authored runs add none:
    nobody writes model answers for the corpus by hand.
    """
    if options.provider in (RULES_ONLY, AUTHORED):
        return [], ""
    variants = variants_for(case, options)
    if options.provider != REPLAY:
        return variants, ""
    found = [v for v in variants if v.recordings is not None]
    absent = [v.model for v in variants if v.recordings is None]
    where = options.recordings_dir / CORPUS
    if not absent:
        return found, ""
    if not any(absent):
        return found, (f"continuity corpus: no recorded model answers in {where}/, so rules only; record a "
                       f"model once with `{RECORD_HINT}`")
    models = [m for m in absent if m]
    return found, (f"continuity corpus: no recordings of model {', '.join(models)} in {where}/; record them with "
                   f"`filmcrew eval {CORPUS} --provider PROVIDER --model {models[0]} --record`")


def run_label(variant: Variant, recording: bool) -> str:
    """How a model run is named in tables: `rules + model (replay openai--gpt-5.4)`."""
    if variant.provider == REPLAY:
        return f"{RULES} + model (replay {variant.name})"
    return f"{RULES} + model (live {variant.name}{', recording' if recording else ''})"


def run_model(case: Case, variant: Variant, options: EvalOptions) -> tuple[CorpusRun, FilmcrewError | None]:
    """Grade the corpus with one model variant; the error is returned, not raised, so others run.

    A live run with `--record` replaces `recordings/continuity/<set>/` only when it finished.
    """
    started = time.perf_counter()
    scores: ContinuityScores | None = None
    failure: FilmcrewError | None = None
    extra: list[Score] = []
    with tempfile.TemporaryDirectory(prefix="filmcrew-eval-continuity-") as tmp:
        record_dir = Path(tmp) / "recorded" if options.record else None
        try:
            scores, extra = _graded(case, variant, options, Path(tmp), record_dir)
        except FilmcrewError as exc:  # a replay miss, a provider that gave up, a broken recording
            failure = exc
        recorded = keep_recordings(case, variant, options, record_dir) if scores is not None else 0
    source = variant.label()
    if recorded:
        source = describe(CORPUS, options.recordings_dir / CORPUS / variant.name).label()
    if scores is None:
        result = CaseResult(case=CORPUS, title=TITLE, kind="continuity", variant=variant.name, source=source,
                            status="error", replayed=variant.provider == REPLAY, error=str(failure))
    else:
        scores.label = run_label(variant, record_dir is not None)
        result = corpus_result(scores, variant.name, source)
        result.replayed = variant.provider == REPLAY
        result.scores += extra
        result.recorded = recorded
    result.seconds = round(time.perf_counter() - started, 2)
    return CorpusRun(result=result, scores=scores), failure


def _graded(case: Case, variant: Variant, options: EvalOptions, work: Path,
            record_dir: Path | None) -> tuple[ContinuityScores, list[Score]]:
    """Build the continuity agent's provider stack for the variant and grade the corpus with it;
    also score the replay fit and the model usage, as the eval cases do."""
    from filmcrew.providers import for_agent, ledger, run_state

    settings = case_settings(case, variant, work, record_dir)
    try:
        provider = for_agent(settings, "continuity")
        scores = grade_continuity(case.folder, provider, options.concurrency)
        extra: list[Score] = []
        if variant.provider == REPLAY:
            total, unused = replay_fit(settings)
            never = [f"never requested: {name}" for name in unused]
            extra.append(ratio("recordings", total - len(unused), total, never))
        usage = ledger(settings).totals()
        extra += [Score(metric="calls", value=usage["calls"], better="lower", shown=str(usage["calls"])),
                  Score(metric="tokens", value=usage["tokens"], better="lower", shown=str(usage["tokens"]))]
    finally:
        run_state(settings).close()
    return scores, extra
