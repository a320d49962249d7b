"""`filmcrew eval`: run the eval cases through the crew against recorded model answers and grade them."""

from __future__ import annotations

import json
import logging
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from filmcrew.errors import CheckFailed, FilmcrewError, InputError

if TYPE_CHECKING:
    from filmcrew.evals.cases import Case
    from filmcrew.evals.graders.continuity import ContinuityScores
    from filmcrew.evals.report import EvalReport


WIDE = 220


class EvalFailed(FilmcrewError):
    """Some case runs failed; exits with the code of the first failure (3 for a replay miss)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def evals_root(explicit: Path | None) -> Path:
    """The evals folder: `--evals-dir`, else `./evals` when it has cases, else the packaged one."""
    if explicit is not None:
        if not (explicit / "cases").is_dir() and not (explicit / "continuity").is_dir():
            raise InputError("not an evals folder (no cases/ inside)", path=str(explicit))
        return explicit
    local = Path.cwd() / "evals"
    if (local / "cases").is_dir():
        return local
    return Path(str(resources.files("filmcrew.evals")))


def eval_cmd(
    cases: list[str] | None = typer.Argument(None, help="Cases to run (default: all, plus the continuity corpus); "
                                                         "`continuity` names the continuity corpus."),
    provider: str = typer.Option("replay", "--provider", help="replay (recorded answers, offline), offline (rules "
                                                              "only), authored (with --record), openai, gemini, ..."),
    model: list[str] | None = typer.Option(None, "--model", help="Model id; repeat to compare models side by side. "
                                                                 "With replay: only recording sets of that model."),
    record: bool = typer.Option(False, "--record", help="Record the provider's answers into evals/recordings/CASE/SET/ "
                                                        "(replacing that set); the continuity corpus's go to "
                                                        "evals/recordings/continuity/SET/."),
    update_baseline: bool = typer.Option(False, "--update-baseline", help="Store these scores as the new baseline "
                                                                          "(after you reviewed them)."),
    reason: str = typer.Option("", "--reason", help="Why the baseline changes (kept in baseline.json)."),
    report: list[Path] | None = typer.Option(None, "--report", help="Write a report: .md, .html or .json (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON instead of the table."),
    evals_dir: Path | None = typer.Option(None, "--evals-dir", help="The evals folder (default: ./evals, else the "
                                                                    "packaged one)."),
    keep: Path | None = typer.Option(None, "--keep", help="Keep every case's run folder in DIR/CASE/SET/."),
    concurrency: int = typer.Option(4, "--concurrency", min=1, max=64, help="Parallel model calls per case."),
) -> None:
    """Run the evals: each case through the real crew, graded against the baseline (exit 1 on a regression).

    Example: filmcrew eval --report out/eval.html
    """
    from filmcrew.evals.baseline import compare, load_baseline, save_baseline, updated
    from filmcrew.evals.corpus import CORPUS, run_corpus
    from filmcrew.evals.report import EvalReport
    from filmcrew.evals.report_files import write_report
    from filmcrew.evals.runner import EvalOptions, run_evals

    root = evals_root(evals_dir)
    want_corpus = not cases or CORPUS in cases
    selected = _cases_to_run(root, cases or [])
    options = EvalOptions(evals_dir=root, provider=provider, models=list(model or []), record=record,
                          concurrency=concurrency, keep_dir=keep.resolve() if keep else None)
    with _QuietLogs():
        results, errors = run_evals(selected, options)
    corpus = run_corpus(root, options) if want_corpus and provider != "authored" else None
    if corpus is not None:
        results += corpus.results
        errors += corpus.errors
    baseline_path = root / "baseline.json"
    baseline = load_baseline(baseline_path)
    outcome = EvalReport(results=results, baseline_name=baseline_path.name,
                         verdicts={r.key: compare(r.key, r.scores, baseline, strict=r.replayed)
                                   for r in results if r.status == "done"})
    _show(outcome, as_json, corpus.graded() if corpus and cases and CORPUS in cases else [])
    if corpus is not None and corpus.note:
        typer.echo(corpus.note, err=True)
    for path in report or []:
        for written in write_report(outcome, path):
            typer.echo(f"report: {written}", err=True)
    if update_baseline:
        done = {r.key: r.scores for r in results if r.status == "done"}
        save_baseline(baseline_path, updated(baseline, done, reason))
        typer.echo(f"baseline updated: {len(done)} case run(s) in {baseline_path}", err=True)
    _exit(outcome, errors, update_baseline)


def _cases_to_run(root: Path, names: list[str]) -> list[Case]:
    """The named cases (`continuity` is the corpus, not a case), or every case when none is named."""
    from filmcrew.evals.cases import load_cases
    from filmcrew.evals.corpus import CORPUS

    wanted = [n for n in names if n != CORPUS]
    if (names and not wanted) or not (root / "cases").is_dir():
        return []
    return load_cases(root / "cases", wanted or None)


class _QuietLogs:
    """Show only warnings while cases run (unless FILMCREW_LOG_LEVEL says otherwise)."""

    def __enter__(self) -> None:
        self.root = logging.getLogger()
        self.level = self.root.level
        if not os.environ.get("FILMCREW_LOG_LEVEL"):
            self.root.setLevel(max(self.level, logging.WARNING))

    def __exit__(self, *exc: object) -> None:
        self.root.setLevel(self.level)


def _show(outcome: EvalReport, as_json: bool, corpus_scores: list[ContinuityScores]) -> None:
    """Print the results on stdout: JSON, or the table(s) and the regression lines."""
    from filmcrew.evals.report import comparison_table, console_table, json_report

    if as_json:
        typer.echo(json.dumps(json_report(outcome), sort_keys=True, indent=2, ensure_ascii=False))
        return
    probe = Console()
    console = probe if probe.is_terminal else Console(width=WIDE)  # CI logs: no wrapping
    console.print(console_table(outcome))
    side = comparison_table(outcome)
    if side is not None:
        console.print(side)
    if corpus_scores:  # `filmcrew eval continuity`: the runs side by side, then per kind
        from filmcrew.evals.graders.continuity import continuity_table, runs_table

        if len(corpus_scores) > 1:
            console.print(runs_table(corpus_scores))
        console.print(continuity_table(*corpus_scores))
    for line in outcome.regressions():
        console.print(f"[bold red]▼[/] {line}")
    for line in outcome.improvements():
        console.print(f"[green]▲[/] {line}")


def _exit(outcome: EvalReport, errors: list[FilmcrewError], updated_baseline: bool) -> None:
    """Fail with the first case error (its exit code), else on a regression (exit 1)."""
    failed = outcome.errors()
    for result in failed:
        typer.echo(f"{result.key}: {result.error}", err=True)
    if failed:
        first = errors[0] if errors else None
        code = first.exit_code if first is not None else 1
        raise EvalFailed(f"eval: {len(failed)} case run(s) failed to run (first: {failed[0].key}); see above", code)
    regressions = outcome.regressions()
    if regressions and not updated_baseline:
        raise CheckFailed(f"eval: {len(regressions)} score(s) worse than the baseline (first: {regressions[0]}); "
                          "fix the regression, or review and run `filmcrew eval --update-baseline`")
