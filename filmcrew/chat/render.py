"""What the chat shows: rich tables of scenes, shots, findings and characters, diffs of the
screenplay and the shot list, the run's stage lines and the paths of new frames.

Everything here takes a console and data; nothing reads input or changes the run.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax
from rich.table import Table

from filmcrew.agents.writer_models import ScriptDiff
from filmcrew.chat.journal import Turn
from filmcrew.chat.session import Session, Step
from filmcrew.domain import Breakdown, CharacterLibrary, ContinuityReport, Screenplay, Shot, ShotList

FRAMES_LISTED = 6
DIFF_LINES = 80
HELP = [
    ("/help", "this list"),
    ("/load FILE", "load a screenplay (.fountain, .fdx, .txt) as the next script version"),
    ("/plan", "plan (or re-plan) the script: breakdown, characters, shots, continuity, storyboard"),
    ("/scenes", "the scenes: heading, story day, length, cast"),
    ("/scene N", "one scene's text and breakdown"),
    ("/shots [N]", "the shot list (of scene N)"),
    ("/continuity", "continuity findings"),
    ("/characters", "the character library and looks per story day"),
    ("/approve [STAGE|all]", "approve the stage the run waits on (all: every stage)"),
    ('/reject STAGE "why"', "reject the stage the run waits on, with a note"),
    ("/style [N] STYLE", "coverage style of scene N (or every scene), e.g. /style 3 handheld"),
    ("/wardrobe NAME [DAY] ITEM, ITEM", "what a character wears (on story day DAY, else every day)"),
    ("/aspect RATIO", "frame: 16:9, 2.39:1, 1.85:1, 9:16, 4:5"),
    ("/split N", "cut the script into N vertical episodes and plan each (one shared cast)"),
    ("/undo", "back to the previous turn's checkpoint, as a fork of the run"),
    ("/history", "this session's turns"),
    ("/export FORMAT", "write fountain, fdx, pdf, csv, json, html, otio, mp4 or all"),
    ("/runs", "saved runs of this project"),
    ("/quit", "save and leave (come back with filmcrew chat --run RUN)"),
]


def help_table(console: Console, has_model: bool) -> None:
    """Print the slash commands and what plain language needs."""
    table = Table("command", "does", title="Slash commands (work without a model)", title_justify="left")
    for command, does in HELP:
        table.add_row(escape(command), does)
    console.print(table)
    if has_model:
        console.print("Or say what you want in plain words: \"make scene 3 handheld\", \"the ending should be "
                      "quieter\". The session shows each change before making it.")
    else:
        console.print("Plain-language requests need a text model (see `filmcrew providers`); slash commands do not.")


def status_line(console: Console, session: Session) -> None:
    """Say where the session stands and what the user can do next."""
    version = session.version()
    if version is None:
        console.print("No script yet: /load FILE, or pitch a logline (with a model configured). /help lists commands.")
        return
    current = session.head()
    run = f"run {session.run_id}" if session.run_id else "not planned yet (/plan)"
    console.print(f"[bold]{run}[/] · script v{version.number} ({escape(version.origin)}) · "
                  f"{session.state.settings.aspect}", highlight=False)
    _next_step(console, current.status, current.pending, session)


def _next_step(console: Console, status: str, pending: str, session: Session) -> None:
    """One line about what happens next."""
    if status == "paused":
        console.print(f"waiting for your approval of the [bold]{pending}[/]: /approve, or "
                      f'/reject {pending} "why"', highlight=False)
    elif status == "done":
        console.print(f"run done → {session.run_dir}/ (open storyboard.html) · /export FORMAT", highlight=False)
    elif status == "rejected":
        console.print("the run ended on a rejection: change something and /plan, or /undo", highlight=False)


def stage_summary(console: Console, run_dir: Path | None) -> None:
    """The one-line-per-stage summary `filmcrew plan` prints."""
    from filmcrew.cli.summary import stage_lines

    if run_dir is None or not run_dir.is_dir():
        return
    for stage, text in stage_lines(run_dir):
        console.print(f"  {stage:<12} {escape(text)}", highlight=False)


def step(console: Console, session: Session, done: Step) -> None:
    """Show what a change did: diffs, re-approvals, new frames, and where the run stands."""
    console.print(f"[green]✓[/] {escape(done.did)}", highlight=False)
    if not done.changed:
        _next_step(console, done.status, done.pending, session)
        return
    if done.diff is not None:
        script_diff(console, done.diff)
    for stage in done.auto:
        console.print(f"  kept your approval of the {stage}: nothing there you had not approved or asked for")
    after = session.shotlist()
    if done.shots_before is not None and after is not None:
        shot_diff(console, done.shots_before, after)
    for note in done.notes[:4]:
        console.print(f"  [yellow]note[/] {escape(note)}", highlight=False)
    if done.status in ("paused", "done", "rejected") and session.run_id:
        stage_summary(console, session.run_dir)
    _frames(console, done.new_frames, session.run_dir)
    _next_step(console, done.status, done.pending, session)


def _frames(console: Console, frames: list[str], run_dir: Path | None) -> None:
    """List the paths of frames drawn by this change."""
    if not frames or run_dir is None:
        return
    shown = ", ".join(frames[:FRAMES_LISTED]) + (f", … {len(frames) - FRAMES_LISTED} more" if len(frames) > FRAMES_LISTED else "")
    console.print(f"  new frames ({len(frames)}) in {run_dir}/: {shown}", highlight=False)


# --- diffs -------------------------------------------------------------------------------


def _diff_text(console: Console, text: str) -> None:
    """Print a unified diff, cut to a readable length."""
    lines = text.splitlines()
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"… {len(lines) - DIFF_LINES} more diff lines"]
    console.print(Syntax("\n".join(lines), "diff", theme="ansi_dark", background_color="default", word_wrap=True))


def script_diff(console: Console, diff: ScriptDiff) -> None:
    """Show which scenes changed and the text diff of the screenplay."""
    changed = diff.changed()
    if not changed:
        console.print("  no scene changed")
        return
    table = Table("scene", "change", "heading", title="Screenplay changes", title_justify="left")
    for change in changed:
        where = str(change.new if change.new is not None else change.old)
        table.add_row(where, change.status, escape(change.heading))
    console.print(table)
    kept = sum(1 for s in diff.scenes if s.status == "unchanged")
    console.print(f"  {kept} scene(s) unchanged: their shots and frames are reused")
    _diff_text(console, diff.unified)


def shot_line(shot: Shot) -> str:
    """One shot as one line, for diffs."""
    who = ", ".join(shot.subjects)
    return (f"{shot.shot_id:<5} {shot.size:<4} {shot.type:<14} {shot.angle:<10} {shot.movement:<10} "
            f"{shot.lens:>3}mm {shot.duration_s:>4.1f}s {who} — {shot.description}")


def shot_diff(console: Console, before: ShotList, after: ShotList) -> None:
    """Show the shot list's changes, scene by scene."""
    old = [shot_line(s) for s in before.shots]
    new = [shot_line(s) for s in after.shots]
    if old == new:
        return
    text = "".join(difflib.unified_diff([f"{line}\n" for line in old], [f"{line}\n" for line in new],
                                        "shots before", "shots after", n=0))
    scenes = sorted({s.scene for s in after.shots if shot_line(s) not in set(old)}
                    | {s.scene for s in before.shots if shot_line(s) not in set(new)})
    console.print(f"  shot list: {len(before.shots)} → {len(after.shots)} shots; changed in scene(s) "
                  f"{', '.join(map(str, scenes))}")
    _diff_text(console, text)


# --- tables ------------------------------------------------------------------------------


def scenes_table(console: Console, screenplay: Screenplay, sheet: Breakdown | None) -> None:
    """The scenes: from the breakdown when the run has one, else from the parsed script."""
    table = Table("#", "heading", "day", "length", "cast", title="Scenes", title_justify="left")
    if sheet is not None:
        for row in sheet.scenes:
            table.add_row(row.label, escape(row.heading), str(row.story_day), row.eighths_str, ", ".join(row.characters))
    else:
        for scene in screenplay.scenes:
            if scene.heading is not None:
                table.add_row(scene.label, escape(scene.heading.text), "", "", "")
    console.print(table)


def scene_text(console: Console, screenplay: Screenplay, text: str, number: int, sheet: Breakdown | None) -> None:
    """One scene's Fountain text and its breakdown facts."""
    from filmcrew.agents.writer_fountain import split_blocks

    blocks = split_blocks(text).scenes
    if not 1 <= number <= len(blocks):
        console.print(f"there is no scene {number}; the script has scenes 1 to {len(blocks)}")
        return
    console.print(f"[bold]Scene {number}[/]", highlight=False)
    console.print(escape(blocks[number - 1].strip()), highlight=False)
    row = next((s for s in sheet.scenes if s.number == number), None) if sheet else None
    if row is not None:
        facts = [f"story day {row.story_day}", f"{row.eighths_str} page", f"cast: {', '.join(row.characters) or '-'}"]
        if row.props:
            facts.append(f"props: {', '.join(row.props)}")
        if row.wardrobe:
            facts.append(f"wardrobe: {', '.join(row.wardrobe)}")
        console.print("  " + " · ".join(facts), highlight=False)


def shots_table(console: Console, shotlist: ShotList, scene: int | None = None) -> None:
    """The shot list, or one scene's shots."""
    shots = [s for s in shotlist.shots if scene is None or s.scene == scene]
    title = f"Shots of scene {scene}" if scene else f"Shot list · {shotlist.aspect} {shotlist.style}"
    table = Table("shot", "size", "type", "angle", "move", "lens", "s", "subjects", "description",
                  title=title, title_justify="left")
    for shot in shots:
        table.add_row(shot.shot_id, shot.size, shot.type, shot.angle, shot.movement, shot.lens,
                      f"{shot.duration_s:g}", ", ".join(shot.subjects), escape(shot.description))
    console.print(table)
    total = sum(s.duration_s for s in shots)
    console.print(f"  {len(shots)} shots · {total:.1f} s")


def continuity_table(console: Console, report: ContinuityReport) -> None:
    """Continuity findings."""
    if not report.findings:
        console.print("No continuity findings.")
        return
    table = Table("id", "severity", "kind", "scene", "shot", "line", "message", "fix", title="Continuity",
                  title_justify="left")
    for f in report.findings:
        table.add_row(f.id, f.severity, f.kind, str(f.scene or ""), f.shot or "", str(f.line or ""),
                      escape(f.message), escape(f.fix))
    console.print(table)


def characters_table(console: Console, library: CharacterLibrary) -> None:
    """The character library with each look per story day."""
    table = Table("name", "handle", "age", "signature wardrobe", "looks by story day", title="Characters",
                  title_justify="left")
    for c in library.characters:
        looks = "; ".join(f"day {look.story_day}: {', '.join(look.wardrobe) or '-'}" for look in c.looks)
        table.add_row(c.name, c.handle, c.age, ", ".join(c.signature_wardrobe), escape(looks))
    console.print(table)


def history_table(console: Console, turns: list[Turn]) -> None:
    """The session's turns, newest last."""
    table = Table("#", "you said", "what happened", "run", "checkpoint", title="Session history",
                  title_justify="left")
    for turn in turns:
        where = f"{turn.status} {turn.pending}".strip()
        table.add_row(str(turn.n), escape(turn.said), escape(turn.did), where, turn.checkpoint[:13])
    console.print(table)
