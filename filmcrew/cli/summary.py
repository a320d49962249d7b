"""The short summary `plan` and `resume` print: one line per stage, then where to look."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from filmcrew import __version__

if TYPE_CHECKING:
    from filmcrew.crew import Outcome


def _read(run_dir: Path, name: str) -> Any:
    """Read a JSON artefact of the run, or None when the stage did not write it."""
    path = run_dir / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _minutes(seconds: float) -> str:
    """Format seconds as `13 min 52 s`."""
    whole = int(round(seconds))
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{whole} s"


def _pages(eighths: int) -> str:
    """Format page eighths as `14 3/8`."""
    pages, rest = divmod(eighths, 8)
    if not rest:
        return str(pages)
    return f"{pages} {rest}/8" if pages else f"{rest}/8"


def stage_lines(run_dir: Path) -> list[tuple[str, str]]:
    """Describe each finished stage of a run in one line."""
    lines: list[tuple[str, str]] = []
    sheet = _read(run_dir, "breakdown.json")
    if sheet:
        scenes = sheet["scenes"]
        speaking = [c for c in sheet["characters"] if c.get("dialogue_count", 0) > 0]
        eighths = sum(s["eighths"] for s in scenes)
        lines.append(("parse", f"{len(scenes)} scenes · {_pages(eighths)} pages · ~{round(eighths / 8)} min · "
                               f"{len(speaking)} speaking, {len(sheet['characters']) - len(speaking)} non-speaking"))
        lines.append(("breakdown", f"{sheet.get('story_days', 1)} story days · {len(sheet['locations'])} locations · "
                                   f"{len(sheet.get('props', []))} props"))
    library = _read(run_dir, "characters.json")
    if library:
        names = ", ".join(c["name"] for c in library["characters"][:6])
        more = "…" if len(library["characters"]) > 6 else ""
        lines.append(("characters", f"{len(library['characters'])} in the library ({names}{more})"))
    shotlist = _read(run_dir, "shotlist.json")
    if shotlist and sheet:
        total = sum(s["duration_s"] for s in shotlist["shots"])
        page_time = sum(s["eighths"] for s in sheet["scenes"]) * 60 / 8
        lines.append(("shots", f"{len(shotlist['shots'])} shots · {_minutes(total)} (page time {_minutes(page_time)})"
                               f" · {shotlist.get('aspect', '')} {shotlist.get('style', '')}".rstrip()))
    report = _read(run_dir, "continuity.json")
    if report is not None:
        lines.append(("continuity", _continuity_line(report["findings"])))
    frames = sorted((run_dir / "storyboard").glob("*.png")) if (run_dir / "storyboard").is_dir() else []
    if frames:
        lines.append(("storyboard", f"{len(frames)} frames · storyboard.html"))
    return lines


def _continuity_line(findings: list[dict[str, Any]]) -> str:
    """Count findings by severity and name the first errors."""
    counts = {sev: sum(1 for f in findings if f["severity"] == sev) for sev in ("error", "warning", "note")}
    text = f"{counts['error']} errors · {counts['warning']} warnings · {counts['note']} notes"
    errors = [f for f in findings if f["severity"] == "error"][:2]
    if errors:
        where = ", ".join(f"scene {f['scene']} line {f['line']} {f['kind']}" for f in errors)
        text += f"   (errors: {where}{', …' if counts['error'] > 2 else ''})"
    return text


def print_summary(console: Console, outcome: Outcome) -> None:
    """Print the run header, one line per stage, exports and what to do next."""
    info = outcome.info
    run_dir = Path(outcome.run.run_dir)
    console.print(f"filmcrew {__version__} · run [bold]{info.run_id}[/] · {info.provider_summary}", highlight=False, soft_wrap=True)
    for stage, text in stage_lines(run_dir):
        console.print(f"  {stage:<12} {text}", highlight=False, soft_wrap=True)
    exports = outcome.values.get("exports") or {}
    if exports:
        console.print(f"  {'export':<12} {' '.join(k for k, v in sorted(exports.items()) if 'skipped' not in v)}")
    for note in info.notes[:8]:
        console.print(f"  [yellow]note[/]         {note}", highlight=False, soft_wrap=True)
    if info.calls or info.cache_hits:
        console.print(f"  {'models':<12} {info.calls} calls · {info.tokens} tokens · ${info.cost_usd:.4f} · "
                      f"{info.cache_hits} cache hits")
    console.print(f"→ {run_dir}/  (open storyboard.html) · status {outcome.status}")
    if outcome.pending:
        console.print(f"  waiting for approval: {outcome.pending[0].get('ask', '')}  "
                      f"→ filmcrew resume {info.run_id} --approve")
