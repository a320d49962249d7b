"""The root `filmcrew` command: global options, command registration, and one error exit.

Every `FilmcrewError` is caught here once, printed as one line on stderr, and turned into its
exit code (2 bad input, 3 provider failure, 1 failed check); no traceback reaches a user.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("LANGGRAPH_STRICT_MSGPACK", "true")

import typer  # noqa: E402

from filmcrew import __version__  # noqa: E402
from typer.exceptions import TyperException  # noqa: E402

from filmcrew.errors import FilmcrewError  # noqa: E402

app = typer.Typer(
    name="filmcrew",
    help="An agentic film crew: screenplay → breakdown, characters, shot list, continuity, storyboard, animatic.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    """Print the version and stop."""
    if value:
        typer.echo(f"filmcrew {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    log_json: bool = typer.Option(False, "--log-json", help="Log JSON lines on stderr (for machines)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """An agentic film crew in your terminal.

    Example: filmcrew plan examples/the-lighthouse-key.fountain
    """
    from filmcrew.logs import configure

    default = "info" if log_json else "warning"  # people see warnings; machines get every event
    configure(json=log_json, level=os.environ.get("FILMCREW_LOG_LEVEL") or default)


def _register() -> None:
    """Attach every command module to the root app."""
    from filmcrew.cli import plan_cmd, runs_cmd

    app.command("plan")(plan_cmd.plan)
    app.command("runs")(runs_cmd.runs)
    app.command("resume")(runs_cmd.resume)
    app.command("history")(runs_cmd.history)
    app.command("fork")(runs_cmd.fork)
    _register_optional()


def _register_optional() -> None:
    """Attach the writer, chat, eval, export, providers and characters commands."""
    from filmcrew.cli.characters_cmd import characters_app
    from filmcrew.cli.chat_cmd import chat
    from filmcrew.cli.eval_cmd import eval_cmd
    from filmcrew.cli.export_cmd import export
    from filmcrew.cli.new_cmd import new
    from filmcrew.cli.providers_cmd import providers

    app.command("new")(new)
    app.command("chat")(chat)
    app.command("eval")(eval_cmd)
    app.command("export")(export)
    app.command("providers")(providers)
    app.add_typer(characters_app, name="characters")


_register()


def run(argv: list[str] | None = None) -> None:
    """Console entry point: run the app and map errors onto exit codes."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="filmcrew", standalone_mode=False)
    except FilmcrewError as exc:
        typer.echo(str(exc), err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except TyperException as exc:  # usage errors: click prints them, exit 2
        exc.show()
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("filmcrew: interrupted; `filmcrew resume RUN` continues where it stopped", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    run()
