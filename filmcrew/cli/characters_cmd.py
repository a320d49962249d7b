"""`filmcrew characters export|import`: carry a character library from one project to another.

A micro-drama season is one screenplay per episode sharing one cast: export the library from
the first episode's run and import it into the next episode's output folder before planning it,
and every episode draws the same faces, handles and colours.
"""

from __future__ import annotations

from pathlib import Path

import typer

from filmcrew.agents.characters import export_library, import_library

characters_app = typer.Typer(
    help="Export or import a character library (a season shares one cast).\n\n"
    "Example: filmcrew characters export ep1.filmcrew season-cast/",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@characters_app.command("export")
def export_cmd(
    source: Path = typer.Argument(..., help="A run folder (or its characters.json)."),
    dest: Path = typer.Argument(..., help="A folder to create, or a .json file (images go to characters/ beside it)."),
) -> None:
    """Export a run's character library with its reference images.

    Example: filmcrew characters export wrong-number-ep1.filmcrew/ season-cast/
    """
    library = export_library(source, dest)
    target = dest if dest.suffix.casefold() == ".json" else dest / "characters.json"
    typer.echo(f"exported {len(library.characters)} characters to {target}")


@characters_app.command("import")
def import_cmd(
    source: Path = typer.Argument(..., help="An exported library folder, a run folder or a characters.json."),
    project: Path = typer.Argument(..., help="The output folder of the project to plan next (created if needed)."),
) -> None:
    """Import a character library into a project folder, merged over the one there.

    Example: filmcrew characters import season-cast/ wrong-number-ep2.filmcrew/
    """
    project.mkdir(parents=True, exist_ok=True)
    library = import_library(source, project)
    typer.echo(f"imported into {project / 'characters.json'} ({len(library.characters)} characters)")
