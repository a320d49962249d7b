"""The read-eval-print loop of `filmcrew chat`: one line at a time, errors shown, never fatal.

A slash command runs without a model; anything else is plain language for the writer's text
model. A bad command or file prints one line and the session goes on; Ctrl-C during a step
leaves the run resumable and returns to the prompt; Ctrl-D, Ctrl-C at the prompt and `/quit`
save and leave, saying how to come back.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog
from rich.markup import escape

from filmcrew.chat import actions, commands, render
from filmcrew.chat.commands import Context
from filmcrew.errors import FilmcrewError
from filmcrew.providers.base import Provider

PROMPT = "filmcrew> "
log = structlog.get_logger(__name__)


def run_loop(ctx: Context, read: Callable[[str], str], provider: Callable[[], Provider | None]) -> int:
    """Run the session until the user leaves; return the exit code (2: plain words needed a model)."""
    render.status_line(ctx.console, ctx.session)
    while not ctx.quit:
        try:
            line = read(PROMPT).strip()
        except (EOFError, KeyboardInterrupt):
            ctx.console.print()
            break
        if line:
            _one(line, ctx, provider)
    _goodbye(ctx)
    return 2 if ctx.needed_model else 0


def _one(line: str, ctx: Context, provider: Callable[[], Provider | None]) -> None:
    """Handle one line, keeping the session alive whatever happens inside it."""
    try:
        if line.startswith("/"):
            commands.run(line, ctx)
        else:
            actions.converse(line, ctx, provider())
    except FilmcrewError as exc:
        ctx.console.print(f"[red]✗[/] {escape(str(exc))}", highlight=False)
    except KeyboardInterrupt:
        ctx.console.print("[yellow]interrupted[/]: the run is saved; /plan or /approve continues it")
    except Exception as exc:  # a crew bug must not lose the session: the run stays resumable
        log.exception("chat_step_failed", line=line)
        ctx.console.print(f"[red]✗ internal error[/] {escape(type(exc).__name__)}: {escape(str(exc))}; "
                          "the run is saved (see the log; /plan or /approve retries)", highlight=False)


def _goodbye(ctx: Context) -> None:
    """Say where the session is saved and how to come back."""
    run_id = ctx.session.run_id
    if run_id:
        ctx.console.print(f"saved. Continue with: filmcrew chat --run {run_id}", highlight=False)
    else:
        ctx.console.print("bye (nothing was planned, so no run was saved)")
