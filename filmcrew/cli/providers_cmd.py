"""`filmcrew providers`: which providers exist, which are configured, which models they serve."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table


def _console() -> Console:
    """A console on stdout that does not wrap tables narrowly when not on a terminal."""
    width = int(os.environ.get("COLUMNS", "0") or 0) or 140
    return Console(width=width, soft_wrap=False, highlight=False, emoji=False)


def _models_text(models: dict[str, str]) -> str:
    """`text gpt-x · image gpt-image-y`, skipping empty slots."""
    return " · ".join(f"{slot} {model}" for slot, model in models.items() if model) or "-"


def _provider_table(rows: list[dict[str, Any]]) -> Table:
    """The providers table."""
    table = Table(title="Providers", title_justify="left")
    for column in ("provider", "configured", "why", "models", "capabilities"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["provider"], "yes" if row["configured"] else "no", row["why"],
                      _models_text(row["models"]), row["capabilities"])
    return table


def _agent_table(rows: list[dict[str, Any]]) -> Table:
    """The per-agent table."""
    table = Table(title="Models per agent", title_justify="left")
    for column in ("agent", "provider", "models", "capabilities"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["agent"], row["provider"], _models_text(row["models"]), row["capabilities"])
    return table


def providers(
    json_output: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    provider: str | None = typer.Option(None, "--provider", help="Preview with this provider for every agent."),
    model: str | None = typer.Option(None, "--model", help="Preview with this text model for every agent."),
    project: Path | None = typer.Option(
        None, "--project", help="Folder holding filmcrew.toml (default: the current folder)."
    ),
) -> None:
    """List providers, whether each is configured (and why not), the model each agent uses,
    and what those models can do. Reads filmcrew.toml, the environment and the flags; calls no
    model.

    Example:

        $ filmcrew providers
        $ OPENAI_BASE_URL=http://localhost:11434/v1 filmcrew providers --model llama3.1 --json
    """
    from filmcrew.config import load_settings
    from filmcrew.providers.status import report

    settings = load_settings(project, provider=provider, model=model)
    data = report(settings)
    if json_output:
        typer.echo(json.dumps(data, sort_keys=True, indent=2))
        return
    console = _console()
    console.print(_provider_table(data["providers"]))
    console.print(_agent_table(data["agents"]))
    where = data["config_file"] or "no filmcrew.toml"
    console.print(f"default: {data['summary']} · config: {where}")
