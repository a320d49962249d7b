"""`filmcrew chat`: an interactive session over a saved run (slash commands always, plain words with a model)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import typer
from rich.console import Console

from filmcrew.cli.options import ConcurrencyOpt, ModelOpt, ProviderOpt, RecordOpt, ReplayOpt, make_crew
from filmcrew.errors import FilmcrewError


def chat(
    run: str | None = typer.Option(None, "--run", help="Continue this saved run (id or unique prefix)."),
    script: Path | None = typer.Option(None, "--script", help="Load this screenplay (.fountain, .fdx, .txt)."),
    formats: str = typer.Option("", "--formats", help="Comma-separated exports a finished run writes (default: all)."),
    provider: str | None = ProviderOpt,
    model: str | None = ModelOpt,
    concurrency: int = ConcurrencyOpt,
    record: bool = RecordOpt,
    replay_dir: Path | None = ReplayOpt,
) -> None:
    """Chat through a screenplay-to-shot-list session: load or pitch, plan, approve or reject
    each stage, ask for changes, undo, export. Every change is a checkpoint of a saved run;
    quit and come back with --run. Slash commands (/help) work without a model; plain words
    ("make scene 3 handheld") need a text model.

    Example: filmcrew chat --script examples/the-lighthouse-key.fountain
    """
    from filmcrew.chat.commands import Context
    from filmcrew.chat.loop import run_loop
    from filmcrew.chat.session import Session
    from filmcrew.logs import configure
    from filmcrew.providers.base import Provider

    configure(level=os.environ.get("FILMCREW_LOG_LEVEL") or "WARNING")
    console = Console(highlight=False)
    crew = make_crew(provider, model, record=record, replay_dir=replay_dir, concurrency=concurrency)
    notes: list[str] = []
    if run:
        session, notes = Session.open_run(crew, run)
        if script is not None:
            notes.append(session.load(script, f"--script {script}").did)
    elif script is not None:
        session, notes = Session.for_script(crew, script)
    else:
        session = Session(crew)
    for note in notes:
        console.print(note)
    if formats:
        chosen = [f.strip() for f in formats.split(",") if f.strip()]
        session.state.settings = session.state.settings.model_copy(update={"formats": chosen})

    def writer() -> Provider | None:
        try:
            return crew.provider_for("writer")
        except FilmcrewError:
            return None

    def busy(what: str) -> AbstractContextManager[object]:
        return console.status(what) if console.is_terminal else nullcontext()

    def has_model() -> bool:
        found = writer()
        return bool(found is not None and found.supports("structured"))

    ctx = Context(session=session, console=console, ask=_reader(), busy=busy, has_model=has_model)
    raise typer.Exit(run_loop(ctx, ctx.ask, writer))


def _reader() -> Callable[[str], str]:
    """`input`, with line editing when a person is typing."""
    if sys.stdin.isatty():
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (gives input() history and editing)
    return input
