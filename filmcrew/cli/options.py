"""Options several commands share, and building the crew from them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from filmcrew.state import RunSettings
from filmcrew.cli.progress import StageProgress

if TYPE_CHECKING:  # the crew loads LangGraph: only commands that run it pay for that
    from filmcrew.crew import Crew

ProviderOpt = typer.Option(None, "--provider", help="Provider for every agent: offline, openai, gemini, replay, ...")
ModelOpt = typer.Option(None, "--model", help="Model id for every agent (overrides filmcrew.toml).")
ConcurrencyOpt = typer.Option(4, "--concurrency", min=1, max=64, help="Model calls in flight at once, across all agents.")
RecordOpt = typer.Option(False, "--record", help="Record every model response under .filmcrew/recordings/.")
ReplayOpt = typer.Option(None, "--replay-dir", help="Recordings folder the replay provider answers from.")


def make_crew(provider: str | None, model: str | None, *, record: bool = False, replay_dir: Path | None = None,
              concurrency: int = 4, progress: StageProgress | None = None) -> Crew:
    """Load the configuration (file, environment, flags) and build a crew over it."""
    from filmcrew.config import load_settings

    project_dir = Path.cwd()
    config = load_settings(project_dir, provider=provider, model=model, record=record, replay_dir=replay_dir)
    from filmcrew.crew import Crew

    return Crew(project_dir, config, concurrency=concurrency, progress=progress.update if progress else None)


def run_settings(run_id: str) -> RunSettings:
    """Read the settings a saved run started with (its provider and model flags among them)."""
    from filmcrew.config import load_settings
    from filmcrew.runs import Registry

    return Registry(load_settings(Path.cwd()).data_dir).get(run_id).settings
