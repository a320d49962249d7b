"""Slash commands: every one works without a model.

`run(line, ctx)` parses one `/command args` line (quotes group words: `/reject shots "too
many inserts"`), calls the session and renders what happened. Bad input raises `InputError`,
which the loop prints without ending the session.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from filmcrew.agents.writer_season import split_into_episodes
from filmcrew.chat import render
from filmcrew.chat.journal import WardrobeEdit
from filmcrew.chat.season import plan_season, season_settings
from filmcrew.chat.session import Session
from filmcrew.errors import InputError
from filmcrew.files import atomic_write_text


@dataclass
class Context:
    """What a command needs besides its arguments."""

    session: Session
    console: Console
    ask: Callable[[str], str]
    busy: Callable[[str], AbstractContextManager[object]]
    has_model: Callable[[], bool]
    quit: bool = False
    needed_model: bool = False


Handler = Callable[[list[str], str, Context], None]


def run(line: str, ctx: Context) -> None:
    """Run one slash command line."""
    try:
        words = shlex.split(line[1:])
    except ValueError as exc:
        raise InputError(f"cannot read the command: {exc}") from exc
    if not words:
        render.help_table(ctx.console, ctx.has_model())
        return
    name, args = words[0].casefold(), words[1:]
    handler = COMMANDS.get(name)
    if handler is None:
        close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.5)
        hint = f" (did you mean /{close[0]}?)" if close else ""
        raise InputError(f"unknown command /{name}{hint}; /help lists them")
    handler(args, line, ctx)


def _number(text: str, what: str) -> int:
    """Read a positive whole number or say what was expected."""
    if not text.isdigit() or int(text) < 1:
        raise InputError(f"{what} must be a number from 1, not {text!r}")
    return int(text)


def _one(args: list[str], usage: str) -> str:
    """The single argument of a command, or its usage."""
    if len(args) != 1:
        raise InputError(f"usage: {usage}")
    return args[0]


# --- commands ----------------------------------------------------------------------------


def _help(args: list[str], line: str, ctx: Context) -> None:
    render.help_table(ctx.console, ctx.has_model())


def _load(args: list[str], line: str, ctx: Context) -> None:
    path = Path(" ".join(args)).expanduser() if args else None
    if path is None:
        raise InputError("usage: /load FILE")
    done = ctx.session.load(path, line)
    render.step(ctx.console, ctx.session, done)
    render.scenes_table(ctx.console, ctx.session.screenplay(), None)
    render.status_line(ctx.console, ctx.session)


def _plan(args: list[str], line: str, ctx: Context) -> None:
    with ctx.busy("the crew is planning…"):
        done = ctx.session.plan(line)
    render.step(ctx.console, ctx.session, done)


def _scenes(args: list[str], line: str, ctx: Context) -> None:
    render.scenes_table(ctx.console, ctx.session.screenplay(), ctx.session.breakdown())


def _scene(args: list[str], line: str, ctx: Context) -> None:
    number = _number(_one(args, "/scene N"), "the scene")
    render.scene_text(ctx.console, ctx.session.screenplay(), ctx.session.text(), number, ctx.session.breakdown())


def _shots(args: list[str], line: str, ctx: Context) -> None:
    shotlist = ctx.session.shotlist()
    if shotlist is None:
        raise InputError("no shot list yet: /plan, then /approve the characters")
    scene = _number(args[0], "the scene") if args else None
    render.shots_table(ctx.console, shotlist, scene)


def _continuity(args: list[str], line: str, ctx: Context) -> None:
    report = ctx.session.continuity()
    if report is None:
        raise InputError("no continuity report yet: it follows the approved shot list")
    render.continuity_table(ctx.console, report)


def _characters(args: list[str], line: str, ctx: Context) -> None:
    library = ctx.session.library()
    if library is None:
        raise InputError("no character library yet: /plan builds it")
    render.characters_table(ctx.console, library)


def _approve(args: list[str], line: str, ctx: Context) -> None:
    stage = args[0].casefold() if args else ""
    with ctx.busy("the crew is working…"):
        done = ctx.session.approve(stage, line, note=" ".join(args[1:]))
    render.step(ctx.console, ctx.session, done)


def _reject(args: list[str], line: str, ctx: Context) -> None:
    if not args:
        raise InputError('usage: /reject STAGE "why"')
    done = ctx.session.reject(args[0].casefold(), " ".join(args[1:]), line)
    render.step(ctx.console, ctx.session, done)


def _style(args: list[str], line: str, ctx: Context) -> None:
    if not args:
        raise InputError("usage: /style [SCENE] STYLE   e.g. /style 3 handheld documentary")
    scene = int(args[0]) if args[0].isdigit() else 0
    words = args[1:] if scene else args
    with ctx.busy("re-planning…"):
        done = ctx.session.set_style(scene, " ".join(words), line)
    render.step(ctx.console, ctx.session, done)


def _wardrobe(args: list[str], line: str, ctx: Context) -> None:
    if len(args) < 2:
        raise InputError("usage: /wardrobe NAME [DAY] ITEM, ITEM   e.g. /wardrobe Maya 1 red coat")
    day = int(args[1]) if args[1].isdigit() else 0
    items = [i.strip() for i in " ".join(args[2:] if day else args[1:]).split(",") if i.strip()]
    edit = WardrobeEdit(character=args[0], story_day=day, wardrobe=items)
    with ctx.busy("updating the library…"):
        done = ctx.session.set_wardrobe(edit, line)
    render.step(ctx.console, ctx.session, done)


def _aspect(args: list[str], line: str, ctx: Context) -> None:
    with ctx.busy("re-planning…"):
        done = ctx.session.set_aspect(_one(args, "/aspect 16:9|2.39:1|1.85:1|9:16|4:5"), line)
    render.step(ctx.console, ctx.session, done)


def _split(args: list[str], line: str, ctx: Context) -> None:
    split_season(ctx, _number(_one(args, "/split N"), "the number of episodes"))


def split_season(ctx: Context, episodes: int) -> None:
    """Cut the current script into vertical episodes and plan them all with one cast."""
    session = ctx.session
    texts = split_into_episodes(session.text(), episodes)
    assert session.run_dir is not None
    version = session.version()
    stem = Path(version.path).name.split(".v")[0] if version else "script"
    folder = session.run_dir / "episodes"
    paths = []
    for number, text in enumerate(texts, start=1):
        path = folder / f"{stem}-ep{number:02d}.fountain"
        atomic_write_text(path, text)
        paths.append(path)
    with ctx.busy(f"planning {episodes} episodes…"):
        settings = season_settings(session.state.settings).model_copy(update={"auto_approve": True})
        season, _ = plan_season(session.crew, paths, settings)
    table = Table("episode", "script", "run", "status", title=f"Season · {folder}/", title_justify="left")
    for row in season.episodes:
        table.add_row(str(row.episode), row.script, row.run_id, row.status)
    ctx.console.print(table)
    ctx.console.print("  open an episode with: filmcrew chat --run RUN")


def _undo(args: list[str], line: str, ctx: Context) -> None:
    done = ctx.session.undo(line)
    render.step(ctx.console, ctx.session, done)


def _history(args: list[str], line: str, ctx: Context) -> None:
    turns = ctx.session.journal.turns if ctx.session.journal else []
    render.history_table(ctx.console, turns)


def _export(args: list[str], line: str, ctx: Context) -> None:
    from filmcrew.tools.exports import check_formats, export_run

    if not args:
        raise InputError("usage: /export FORMAT   (fountain, fdx, pdf, csv, json, html, otio, mp4, all)")
    run_dir = ctx.session.run_dir
    if run_dir is None or not ctx.session.run_id:
        raise InputError("nothing to export yet: /plan first")
    with ctx.busy("exporting…"):
        results = export_run(run_dir, check_formats(args), run_dir)
    for fmt, value in results.items():
        written = value if isinstance(value, str) else " ".join(str(p) for p in value)
        ctx.console.print(f"  {fmt:<9} {'skipped: ' if isinstance(value, str) else ''}{written}", highlight=False)


def _runs(args: list[str], line: str, ctx: Context) -> None:
    table = Table("run", "status", "stage", "script", "folder", "parent", title="Saved runs", title_justify="left")
    for record in ctx.session.crew.registry.all():
        mark = " ←" if record.run_id == ctx.session.run_id else ""
        table.add_row(record.run_id + mark, record.status, record.stage, Path(record.script).name,
                      record.run_dir, record.parent)
    ctx.console.print(table)


def _quit(args: list[str], line: str, ctx: Context) -> None:
    ctx.quit = True


COMMANDS: dict[str, Handler] = {
    "help": _help, "load": _load, "plan": _plan, "scenes": _scenes, "scene": _scene, "shots": _shots,
    "continuity": _continuity, "characters": _characters, "approve": _approve, "reject": _reject,
    "style": _style, "wardrobe": _wardrobe, "aspect": _aspect, "split": _split, "undo": _undo,
    "history": _history, "export": _export, "runs": _runs, "quit": _quit, "exit": _quit,
}
