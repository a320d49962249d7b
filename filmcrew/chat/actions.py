"""Plain language in the chat: a text model chooses among the session's own actions.

The model answers one structured `ChatTurn`: a short reply and a list of actions, each one of
the same operations the slash commands run (set a scene's style, dress a character, revise the
script, approve, split into episodes, ...). Every action that changes something is prepared
first and shown (a revision's screenplay diff, the scenes a style change re-plans, a draft's
scenes) and applied only when the user says yes. Without a text model the session says so and
how to configure one; slash commands keep working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from filmcrew.agents.writer import HOW_TO_CONFIGURE, draft, revise, writer_options
from filmcrew.agents.writer_models import Draft, Revision, WriterSpec
from filmcrew.chat import commands, render
from filmcrew.chat.commands import Context
from filmcrew.chat.journal import WardrobeEdit
from filmcrew.chat.session import Session
from filmcrew.errors import InputError
from filmcrew.prompts import render as render_prompt
from filmcrew.providers.base import Provider, TextRequest
from filmcrew.providers.structured import structured

SCENES_IN_CONTEXT = 120


class Show(BaseModel):
    """Show part of the session."""

    kind: Literal["show"]
    what: Literal["scenes", "scene", "shots", "continuity", "characters", "history", "status"]
    scene: int


class Approve(BaseModel):
    """Approve the stage the run waits on."""

    kind: Literal["approve"]
    stage: str


class Reject(BaseModel):
    """Reject the stage the run waits on, with the user's reason."""

    kind: Literal["reject"]
    stage: str
    note: str


class SetStyle(BaseModel):
    """Coverage style of one scene (or every scene: 0)."""

    kind: Literal["set_style"]
    scene: int
    style: str


class SetWardrobe(BaseModel):
    """What a character wears on a story day (0: every day)."""

    kind: Literal["set_wardrobe"]
    character: str
    story_day: int
    wardrobe: list[str]


class SetAspect(BaseModel):
    """The frame."""

    kind: Literal["set_aspect"]
    aspect: Literal["16:9", "2.39:1", "1.85:1", "9:16", "4:5"]


class ReviseScript(BaseModel):
    """A change to the screenplay itself, by the writer."""

    kind: Literal["revise_script"]
    instruction: str


class SplitEpisodes(BaseModel):
    """Cut the screenplay into vertical episodes."""

    kind: Literal["split_episodes"]
    episodes: int


class WriteScript(BaseModel):
    """Draft a screenplay from a pitch."""

    kind: Literal["write_script"]
    logline: str
    format: Literal["feature", "short", "microdrama"]
    minutes: float
    episodes: int


class Undo(BaseModel):
    """Back to before the last change."""

    kind: Literal["undo"]


class Export(BaseModel):
    """Write export formats."""

    kind: Literal["export"]
    formats: list[str]


ChatAction = (Show | Approve | Reject | SetStyle | SetWardrobe | SetAspect | ReviseScript | SplitEpisodes
              | WriteScript | Undo | Export)


class ChatTurn(BaseModel):
    """The model's answer to one message."""

    reply: str
    actions: list[ChatAction]


@dataclass
class Prepared:
    """An action made ready to show and, on yes, to apply."""

    action: BaseModel
    preview: list[str] = field(default_factory=list)
    revision: Revision | None = None
    drafted: Draft | None = None


# --- what the model sees ---------------------------------------------------------------


def session_text(session: Session) -> str:
    """Describe the session for the model: script, run state, scenes, cast, settings."""
    if session.version() is None:
        return "No script is loaded yet."
    sp = session.screenplay()
    settings = session.state.settings
    current = session.head()
    run = {"paused": f"waiting for approval of the {current.pending}", "done": "done",
           "rejected": "ended on a rejection"}.get(current.status, "not planned yet")
    lines = [f"Script: {sp.title() or 'untitled'} (version {session.state.version}); run: {run}",
             f"Frame {settings.aspect}; style: {settings.style or 'default for the frame'}",
             "Scenes:"]
    lines += _scene_lines(session)
    lines.append("Characters:")
    lines += _cast_lines(session)
    return "\n".join(lines)


def _scene_lines(session: Session) -> list[str]:
    """One line per scene: number, heading, story day, cast, style override."""
    sheet, styles = session.breakdown(), session.state.settings.scene_styles
    if sheet is not None:
        rows = [f"{s.number}. {s.heading} (day {s.story_day}; {', '.join(s.characters) or 'nobody'})"
                + (f" [style: {styles[str(s.number)]}]" if str(s.number) in styles else "") for s in sheet.scenes]
    else:
        rows = [f"{s.number}. {s.heading.text}" for s in session.screenplay().scenes if s.heading is not None]
    more = len(rows) - SCENES_IN_CONTEXT
    return rows[:SCENES_IN_CONTEXT] + ([f"... {more} more scenes"] if more > 0 else [])


def _cast_lines(session: Session) -> list[str]:
    """One line per character with their looks by story day."""
    library = session.library()
    if library is None:
        sheet = session.breakdown()
        return [f"{c.name}" for c in sheet.characters] if sheet else ["(not built yet)"]
    return [f"{c.name}: " + ("; ".join(f"day {look.story_day}: {', '.join(look.wardrobe) or '-'}" for look in c.looks)
                             or ", ".join(c.signature_wardrobe) or "-") for c in library.characters]


def conversation_text(session: Session) -> str:
    """The last few exchanges."""
    dialogue = session.journal.dialogue if session.journal else []
    return "\n".join(f"User: {d.user}\nYou: {d.reply}" for d in dialogue) or "(this is the first message)"


def interpret(provider: Provider, session: Session, message: str) -> ChatTurn:
    """Ask the model which actions a message means."""
    rendered = render_prompt("writer/chat", session=session_text(session), conversation=conversation_text(session),
                             message=message.strip())
    turn, _ = structured(provider, TextRequest(agent="writer", prompt=rendered.text, prompt_id=rendered.key), ChatTurn)
    return turn


# --- the conversation loop step --------------------------------------------------------


def converse(message: str, ctx: Context, provider: Provider | None) -> None:
    """Understand one plain-language message, preview each change, apply what the user accepts."""
    if provider is None or not provider.supports("structured"):
        ctx.needed_model = True
        ctx.console.print(f"Plain-language requests need a text model: {HOW_TO_CONFIGURE}. "
                          "Slash commands work without one: /help", highlight=False)
        return
    with ctx.busy("thinking…"):
        turn = interpret(provider, ctx.session, message)
    if turn.reply:
        ctx.console.print(turn.reply, highlight=False)
    for action in turn.actions:
        if not _run_action(action, ctx, provider):
            break
    ctx.session.remember(message, turn.reply)


def _run_action(action: BaseModel, ctx: Context, provider: Provider) -> bool:
    """Show or prepare-preview-confirm-apply one action; False stops the remaining actions."""
    if isinstance(action, Show):
        _show(action, ctx)
        return True
    with ctx.busy("preparing…"):
        prepared = prepare(action, ctx, provider)
    for line in prepared.preview:
        ctx.console.print(f"  {line}", highlight=False)
    if prepared.revision is not None:
        render.script_diff(ctx.console, prepared.revision.diff)
    answer = ctx.ask("apply this change? [y/N] ").strip().casefold()
    if answer not in ("y", "yes"):
        ctx.console.print("  left as it was")
        return False
    apply(prepared, ctx)
    return True


def _show(action: Show, ctx: Context) -> None:
    """Run the slash command a show action stands for."""
    line = {"scene": f"/scene {action.scene}", "shots": f"/shots {action.scene or ''}".strip(),
            "status": "/history"}.get(action.what, f"/{action.what}")
    if action.what == "status":
        render.status_line(ctx.console, ctx.session)
        return
    commands.run(line, ctx)


def prepare(action: BaseModel, ctx: Context, provider: Provider) -> Prepared:
    """Work out what an action would change, without changing anything."""
    session = ctx.session
    if isinstance(action, ReviseScript):
        fmt = session.state.settings.format
        revision = revise(provider, session.text() or _no_script(), action.instruction, fmt=fmt,
                          options=writer_options(session.crew.config))
        return Prepared(action, [f"the writer's revision: {revision.summary}"], revision=revision)
    if isinstance(action, WriteScript):
        return _prepare_draft(action, ctx, provider)
    return Prepared(action, [describe(action, session)])


def _no_script() -> str:
    raise InputError("no script loaded yet: /load FILE, or ask me to write one from a logline")


def _prepare_draft(action: WriteScript, ctx: Context, provider: Provider) -> Prepared:
    """Draft from a pitch; the preview lists the scenes."""
    spec = WriterSpec(logline=action.logline, format=action.format, minutes=action.minutes,
                      episodes=max(1, action.episodes))
    result = draft(provider, spec, writer_options(ctx.session.crew.config))
    first = result.screenplays[0]
    lines = [f"the writer drafted “{result.outline.title}”: {len(result.screenplays)} screenplay(s), "
             f"{first.measured.scenes if first.measured else '?'} scenes in the first, about "
             f"{first.measured.seconds if first.measured else '?'} s", *result.notes[:4]]
    return Prepared(action, lines, drafted=result)


def describe(action: BaseModel, session: Session) -> str:
    """Say in one line what an action will change."""
    if isinstance(action, SetStyle):
        where = f"scene {action.scene}" if action.scene else "every scene"
        return f"{where} will be covered as “{action.style}”; only its shots and frames are re-planned"
    if isinstance(action, SetWardrobe):
        day = f"on story day {action.story_day}" if action.story_day else "on every day"
        return f"{action.character} will wear {', '.join(action.wardrobe)} {day}; frames with them are redrawn"
    if isinstance(action, SetAspect):
        return f"the frame becomes {action.aspect}; every shot and frame is re-planned"
    if isinstance(action, Approve):
        return f"approve the {action.stage or session.head().pending or 'pending stage'}"
    if isinstance(action, Reject):
        return f"reject the {action.stage}: {action.note}"
    if isinstance(action, SplitEpisodes):
        return f"cut the script into {action.episodes} vertical episodes (9:16) and plan each with one shared cast"
    if isinstance(action, Undo):
        last = session.journal.turns[-1].said if session.journal and session.journal.turns else "nothing"
        return f"undo the last change ({last})"
    if isinstance(action, Export):
        return f"export {', '.join(action.formats)}"
    return f"{type(action).__name__}"


def apply(prepared: Prepared, ctx: Context) -> None:
    """Make the change an action stands for, through the same session calls as slash commands."""
    action, session, said = prepared.action, ctx.session, f"(plain language) {type(prepared.action).__name__}"
    if isinstance(action, ReviseScript) and prepared.revision is not None:
        step = session.add_text(prepared.revision.text, f"revised: {prepared.revision.summary}", action.instruction)
        ctx.console.print(f"[green]✓[/] {step.did}", highlight=False)
        if session.run_id:
            commands.run("/plan", ctx)
    elif isinstance(action, WriteScript) and prepared.drafted is not None:
        _apply_draft(prepared.drafted, ctx)
    elif isinstance(action, SplitEpisodes):
        commands.split_season(ctx, action.episodes)
    elif isinstance(action, SetWardrobe):
        with ctx.busy("updating the library…"):
            done = session.set_wardrobe(WardrobeEdit(character=action.character, story_day=action.story_day,
                                                     wardrobe=action.wardrobe), said)
        render.step(ctx.console, session, done)
    else:
        commands.run(_as_command(action), ctx)


def _as_command(action: BaseModel) -> str:
    """The slash command an action is the same as."""
    if isinstance(action, SetStyle):
        return f"/style {action.scene or ''} {_quoted(action.style)}".replace("  ", " ")
    if isinstance(action, SetAspect):
        return f"/aspect {action.aspect}"
    if isinstance(action, Approve):
        return f"/approve {action.stage}".strip()
    if isinstance(action, Reject):
        return f"/reject {action.stage} {_quoted(action.note)}"
    if isinstance(action, Undo):
        return "/undo"
    if isinstance(action, Export):
        return f"/export {' '.join(action.formats)}"
    raise InputError(f"cannot apply {type(action).__name__}")


def _quoted(text: str) -> str:
    """Quote text for the slash-command parser."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _apply_draft(result: Draft, ctx: Context) -> None:
    """Make a draft the session's script (a season's later episodes beside it) and plan it."""
    from filmcrew.nodes.writer import save_draft

    session = ctx.session
    run_dir = session.run_dir or (Path.cwd() / f"{_slug(result.outline.title)}.filmcrew")
    run_dir.mkdir(parents=True, exist_ok=True)
    paths = save_draft(run_dir, result)
    rubric_aspect = "9:16" if result.spec.format == "microdrama" else session.state.settings.aspect
    session.state.settings = session.state.settings.model_copy(update={
        "logline": result.spec.logline, "format": result.spec.format, "minutes": result.spec.minutes,
        "episodes": result.spec.episodes, "aspect": rubric_aspect})
    step = session.add_text(result.screenplays[0].text, f"drafted from “{result.spec.logline}”", result.spec.logline,
                            stem=_slug(result.outline.title), run_dir=run_dir)
    ctx.console.print(f"✓ {step.did} → {paths[0]}", highlight=False)
    if len(paths) > 1:
        ctx.console.print(f"  episodes 2-{len(paths)} are in {paths[1].parent}/ (plan them with filmcrew plan)")
    commands.run("/plan", ctx)


def _slug(text: str) -> str:
    """A folder-friendly name for a title."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:48] or "draft"
