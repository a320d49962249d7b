"""`filmcrew new`: the writer drafts a screenplay (or a micro-drama season) from a logline, then plans it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, cast

import typer
from rich.console import Console
from rich.table import Table

from filmcrew.cli.options import ConcurrencyOpt, ModelOpt, ProviderOpt, RecordOpt, ReplayOpt, make_crew
from filmcrew.cli.progress import StageProgress
from filmcrew.cli.summary import print_summary
from filmcrew.agents.writer_models import FORMATS, Draft, Format
from filmcrew.errors import InputError
from filmcrew.state import RunSettings

if TYPE_CHECKING:
    from filmcrew.crew import Crew


def new(
    logline: str = typer.Argument(..., help="The story in a sentence."),
    fmt: str = typer.Option("short", "--format", help="feature, short or microdrama (vertical episodes)."),
    minutes: float = typer.Option(0, "--minutes", help="Screen time (per episode for microdrama); 0 = the format's default."),
    episodes: int = typer.Option(1, "--episodes", min=1, help="Episodes of a micro-drama season (--format microdrama)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default: TITLE.filmcrew/, or TITLE-season/)."),
    aspect: str | None = typer.Option(None, "--aspect", help="Frame (default: 9:16 for microdrama, else 16:9)."),
    style: str = typer.Option("", "--style", help="Coverage style, as for `filmcrew plan`."),
    yes: bool = typer.Option(True, "--yes/--ask", help="Approve every stage automatically (default)."),
    formats: str = typer.Option("", "--formats", help="Comma-separated exports (default: all)."),
    critique_rounds: int | None = typer.Option(None, "--critique-rounds", min=0, max=5,
                                               help="Rubric critique rounds (default: [writer] in filmcrew.toml, else 1)."),
    provider: str | None = ProviderOpt,
    model: str | None = ModelOpt,
    concurrency: int = ConcurrencyOpt,
    record: bool = RecordOpt,
    replay_dir: Path | None = ReplayOpt,
) -> None:
    """Write a screenplay from a logline (outline → beat sheet → scenes in Fountain, parsed and
    critiqued against the format's rubric), then plan it like `filmcrew plan`. Needs a text model.

    Example: filmcrew new "A night-shift nurse finds her patient is her missing brother" --format microdrama --episodes 3
    """
    from filmcrew.agents.writer import draft, require_text_model, writer_options
    from filmcrew.agents.writer_models import WriterSpec
    from filmcrew.agents.writer_rubric import normalised, rubric_for

    spec = normalised(WriterSpec(logline=logline, format=_format(fmt), minutes=minutes, episodes=episodes))
    rubric = rubric_for(spec.format)
    console = Console(highlight=False)
    with StageProgress() as progress:
        crew = make_crew(provider, model, record=record, replay_dir=replay_dir, concurrency=concurrency,
                         progress=progress)
        writer = crew.provider_for("writer")
        require_text_model(writer)
        options = writer_options(crew.config)
        if critique_rounds is not None:
            options = options.model_copy(update={"critique_rounds": critique_rounds})
        result = draft(writer, spec, options, reference_limit=_reference_limit(crew))
        settings = RunSettings(aspect=aspect or rubric.aspect, style=style or rubric.style, auto_approve=yes,
                               formats=[f.strip() for f in formats.split(",") if f.strip()], logline=spec.logline,
                               format=spec.format, minutes=spec.minutes, episodes=spec.episodes)
        _show_draft(console, result)
        if len(result.screenplays) == 1:
            _plan_one(console, crew, result, settings, out)
        else:
            _plan_season(console, crew, result, settings, out)


def _format(fmt: str) -> Format:
    """Check the --format value."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return cast(Format, fmt)


def _reference_limit(crew: Crew) -> int:
    """How many character references the storyboard's image model takes (0: no image model)."""
    storyboard = crew.provider_for("storyboard")
    return storyboard.capability_info("image").max_reference_images if storyboard.supports("image") else 0


def _slug(text: str) -> str:
    """A folder-friendly name for a title."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:48] or "draft"


def _show_draft(console: Console, result: Draft) -> None:
    """Print what the writer wrote: title, scenes and screen time per screenplay, and its notes."""
    table = Table("episode", "scenes", "seconds", "cast", title=f"Draft · {result.outline.title}",
                  title_justify="left")
    for script in result.screenplays:
        m = script.measured
        table.add_row(str(script.episode or "-"), str(m.scenes if m else "?"), str(m.seconds if m else "?"),
                      ", ".join(m.cast) if m else "")
    console.print(table)
    for note in result.notes:
        console.print(f"  note  {note}")


def _plan_one(console: Console, crew: Crew, result: Draft, settings: RunSettings, out: Path | None) -> None:
    """Save the draft into its run folder and plan it."""
    from filmcrew.nodes.writer import save_draft

    run_dir = (out or Path.cwd() / f"{_slug(result.outline.title)}.filmcrew").resolve()
    paths = save_draft(run_dir, result)
    console.print(f"screenplay → {paths[0]}")
    outcome = crew.start(paths[0], run_dir, settings)
    print_summary(console, outcome)


def _plan_season(console: Console, crew: Crew, result: Draft, settings: RunSettings, out: Path | None) -> None:
    """Write one screenplay per episode and plan the season with one shared cast."""
    from filmcrew.chat.season import plan_season, season_settings
    from filmcrew.files import atomic_write_text

    folder = (out or Path.cwd() / f"{_slug(result.outline.title)}-season").resolve()
    paths = []
    for script in result.screenplays:
        path = folder / f"ep{script.episode:02d}.fountain"
        atomic_write_text(path, script.text)
        paths.append(path)
    season, outcomes = plan_season(crew, paths, season_settings(settings))
    for outcome in outcomes:
        print_summary(console, outcome)
    table = Table("episode", "screenplay", "run", "status", title=f"Season → {folder}/", title_justify="left")
    for row in season.episodes:
        table.add_row(str(row.episode), row.script, row.run_id, row.status)
    console.print(table)
