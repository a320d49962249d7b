"""`filmcrew plan`: the whole pipeline on one script, without questions."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from filmcrew.cli.options import ConcurrencyOpt, ModelOpt, ProviderOpt, RecordOpt, ReplayOpt, make_crew
from filmcrew.cli.progress import StageProgress
from filmcrew.cli.summary import print_summary
from filmcrew.errors import CheckFailed, InputError
from filmcrew.state import RunSettings

ASPECTS = ("16:9", "2.39:1", "1.85:1", "9:16", "4:5")


def plan(
    script: Path = typer.Argument(..., help="Screenplay: .fountain, .fdx or .txt."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default: SCRIPT_STEM.filmcrew/ beside it)."),
    provider: str | None = ProviderOpt,
    model: str | None = ModelOpt,
    aspect: str = typer.Option("16:9", "--aspect", help="Frame: 16:9, 2.39:1, 1.85:1, 9:16 (vertical) or 4:5."),
    style: str = typer.Option("", "--style", help='Coverage style: "classic coverage", "handheld documentary", '
                              '"vertical micro-drama", or your own words.'),
    run: str | None = typer.Option(None, "--run", help="Re-plan this run: only scenes whose text changed are redone."),
    yes: bool = typer.Option(True, "--yes/--ask", help="Approve every stage automatically (default for plan)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when continuity errors remain."),
    formats: str = typer.Option("", "--formats", help="Comma-separated exports (default: all)."),
    concurrency: int = ConcurrencyOpt,
    record: bool = RecordOpt,
    replay_dir: Path | None = ReplayOpt,
) -> None:
    """Plan a screenplay end to end: breakdown, characters, shots, continuity, storyboard, exports.

    Example: filmcrew plan examples/the-lighthouse-key.fountain --aspect 16:9
    """
    from filmcrew.tools.source import load_script

    if aspect not in ASPECTS:
        raise InputError(f"unknown aspect {aspect!r}; use one of {', '.join(ASPECTS)}")
    load_script(script)  # fail on bad input before anything is written
    run_dir = out or script.resolve().parent / f"{script.stem}.filmcrew"
    settings = RunSettings(aspect=aspect, style=style, auto_approve=yes, strict=strict,
                           provider=provider or "", model=model or "",
                           formats=[f.strip() for f in formats.split(",") if f.strip()])
    console = Console()
    with StageProgress() as progress:
        with make_crew(provider, model, record=record, replay_dir=replay_dir, concurrency=concurrency,
                       progress=progress) as crew:
            settings.continuity_rounds = crew.config.crew.continuity_rounds
            outcome = crew.start(script, run_dir, settings, run_id=run)
    print_summary(console, outcome)
    if strict and outcome.status == "done" and _continuity_errors(Path(outcome.run.run_dir)):
        raise CheckFailed(f"continuity errors remain in run {outcome.run.run_id} (--strict)")


def _continuity_errors(run_dir: Path) -> int:
    """Count error-severity continuity findings of a finished run."""
    from filmcrew.domain import ContinuityReport

    path = run_dir / "continuity.json"
    if not path.is_file():
        return 0
    report = ContinuityReport.model_validate_json(path.read_bytes())
    return sum(1 for f in report.findings if f.severity == "error")
