"""Writer node: drafts a screenplay from the run's logline, so the rest of the graph plans it.

The draft lands in the run folder as `screenplay.draft.fountain` (a season's later episodes in
`episodes/`), with `work/draft.json` saying which request it answers. A resume, or a second
start with the same logline and format, finds that file and asks no model again; the provider
cache would make a re-draft free anyway, but a draft the user has since edited must survive.
"""

from __future__ import annotations

import json
from pathlib import Path

from langgraph.runtime import Runtime

from filmcrew.agents.writer import draft, require_text_model
from filmcrew.agents.writer_models import Draft, WriterOptions, WriterSpec
from filmcrew.context import CrewContext
from filmcrew.files import atomic_write_text, inside
from filmcrew.state import CrewState, RunSettings

DRAFT_FILE = "screenplay.draft.fountain"
STAMP_FILE = "work/draft.json"


def spec_of(settings: RunSettings) -> WriterSpec:
    """Read the writer's request from the run settings."""
    fmt = settings.format or "short"
    return WriterSpec.model_validate({"logline": settings.logline, "format": fmt, "minutes": settings.minutes,
                                      "episodes": max(1, settings.episodes)})


def write_script(state: CrewState, runtime: Runtime[CrewContext]) -> CrewState:
    """Draft the screenplay from `settings.logline` (or reuse the draft of the same request)."""
    run_dir = Path(runtime.context.run_dir)
    spec = spec_of(state["settings"])
    target = inside(run_dir, DRAFT_FILE)
    if _stamp(run_dir) == spec.model_dump() and target.is_file():
        return {"script_path": str(target)}
    provider = runtime.context.provider_for("writer")
    require_text_model(provider)
    options = runtime.context.info.get("writer_options") or WriterOptions()
    result = draft(provider, spec, options)
    save_draft(run_dir, result)
    runtime.context.tick("write", 1)
    return {"script_path": str(target), "notes": result.notes}


def save_draft(run_dir: Path, result: Draft) -> list[Path]:
    """Write a draft into a run folder: the first screenplay, later episodes, and the stamp."""
    paths = [inside(run_dir, DRAFT_FILE)]
    atomic_write_text(paths[0], result.screenplays[0].text)
    for script in result.screenplays[1:]:
        path = inside(run_dir, f"episodes/ep{script.episode:02d}.fountain")
        atomic_write_text(path, script.text)
        paths.append(path)
    atomic_write_text(inside(run_dir, STAMP_FILE), json.dumps(result.spec.model_dump(), sort_keys=True, indent=2) + "\n")
    return paths


def _stamp(run_dir: Path) -> dict[str, object] | None:
    """Read which request the draft in a run folder answers, if there is one."""
    path = run_dir / STAMP_FILE
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None
