"""Saved runs: `runs`, `resume`, `history`, `fork`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from filmcrew.cli.options import ConcurrencyOpt, ModelOpt, ProviderOpt, make_crew, run_settings
from filmcrew.cli.progress import StageProgress
from filmcrew.cli.summary import print_summary
from filmcrew.errors import InputError
from filmcrew.runs import is_locked

if TYPE_CHECKING:
    from filmcrew.crew import Crew

JsonOpt = typer.Option(False, "--json", help="Print JSON instead of a table.")


def runs(as_json: bool = JsonOpt) -> None:
    """List the saved runs of this project (newest first).

    Example: filmcrew runs
    """
    with make_crew(None, None) as crew:
        rows = [{"run_id": r.run_id, "status": _live_status(crew, r.run_id, r.status), "stage": r.stage,
                 "script": r.script, "run_dir": r.run_dir, "created": r.created, "updated": r.updated,
                 "parent": r.parent} for r in crew.registry.all()]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, sort_keys=True))
        return
    table = Table("run", "status", "stage", "script", "updated")
    for row in rows:
        table.add_row(row["run_id"], row["status"], row["stage"], Path(row["script"]).name, row["updated"])
    Console().print(table if rows else "no runs yet: filmcrew plan SCRIPT")


def _live_status(crew: Crew, run_id: str, status: str) -> str:
    """Report a 'running' run whose process is gone as crashed (resumable)."""
    if status == "running" and not is_locked(crew.registry.data_dir, run_id):
        return "crashed"
    return status


def resume(
    run: str = typer.Argument(..., help="Run id (or a unique prefix)."),
    approve: bool = typer.Option(False, "--approve", "--yes", help="Approve the stage the run waits on."),
    reject: bool = typer.Option(False, "--reject", help="Reject the stage the run waits on (ends the run)."),
    note: str = typer.Option("", "--note", help="Why you approve or reject."),
    provider: str | None = ProviderOpt,
    model: str | None = ModelOpt,
    concurrency: int = ConcurrencyOpt,
) -> None:
    """Continue a run after a crash, Ctrl-C, a provider failure or a pending approval.

    Finished work is neither redone nor paid for again.
    Example: filmcrew resume ltk-2811-7f3a --approve
    """
    if approve and reject:
        raise InputError("use --approve or --reject, not both")
    answer = None
    if approve or reject:
        answer = {"approved": approve, "note": note}
    started = run_settings(run)
    with StageProgress() as progress:
        with make_crew(provider or started.provider or None, model or started.model or None,
                       concurrency=concurrency, progress=progress) as crew:
            outcome = crew.resume(run, answer)
    print_summary(Console(), outcome)


def history(run: str = typer.Argument(..., help="Run id."), as_json: bool = JsonOpt) -> None:
    """Show a run's checkpoints (newest first) with the stage each one leads to.

    Example: filmcrew history ltk-2811-7f3a
    """
    with make_crew(None, None) as crew:
        rows = crew.history(run)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, sort_keys=True, default=str))
        return
    table = Table("checkpoint", "step", "after", "next", "created")
    for row in rows:
        table.add_row(row["checkpoint"], str(row["step"]), row["after"], row["next"], str(row["created"]))
    Console().print(table)


def fork(
    run: str = typer.Argument(..., help="Run id to branch from."),
    at: str = typer.Option(..., "--at", help="Checkpoint id (see `filmcrew history RUN`)."),
    out: Path | None = typer.Option(None, "--out", help="Folder for the new run (default: beside the old one)."),
) -> None:
    """Start a new run from a checkpoint of another; `filmcrew resume NEW` continues it.

    Example: filmcrew fork ltk-2811-7f3a --at 1f0c2e4a-...
    """
    with make_crew(None, None) as crew:
        record = crew.fork(run, at, out)
    typer.echo(f"forked {run} at {at} → run {record.run_id} in {record.run_dir}")
    typer.echo(f"continue it with: filmcrew resume {record.run_id}")
