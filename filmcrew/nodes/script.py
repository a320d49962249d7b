"""Ingest and breakdown nodes: the screenplay enters the run once and is broken down."""

from __future__ import annotations

from pathlib import Path

import structlog
from langgraph.runtime import Runtime

from filmcrew.agents.breakdown import break_down
from filmcrew.artefacts import save_model
from filmcrew.context import CrewContext
from filmcrew.files import atomic_write_text, inside
from filmcrew.nodes.common import screenplay_of
from filmcrew.state import CrewState
from filmcrew.tools.fountain import write as write_fountain
from filmcrew.tools.source import load_script

log = structlog.get_logger(__name__)


def ingest(state: CrewState, runtime: Runtime[CrewContext]) -> CrewState:
    """Parse the script (source line numbers kept) and write the normalised Fountain."""
    run_dir = str(runtime.context.run_dir)
    screenplay = load_script(state["script_path"])
    ref = save_model(run_dir, "work/screenplay.json", screenplay)
    atomic_write_text(inside(Path(run_dir), "screenplay.fountain"), write_fountain(screenplay))
    runtime.context.tick("parse", 1)
    log.info("script_ingested", scenes=len(screenplay.scenes), elements=len(screenplay.elements))
    return {"screenplay": ref}


def breakdown(state: CrewState, runtime: Runtime[CrewContext]) -> CrewState:
    """Break the script down scene by scene (offline craft rules) into `breakdown.json`."""
    run_dir = str(runtime.context.run_dir)
    screenplay = screenplay_of(run_dir, state["screenplay"])
    aliases = runtime.context.info.get("aliases") or None
    sheet = break_down(screenplay, aliases=aliases)
    ref = save_model(run_dir, "breakdown.json", sheet)
    runtime.context.tick("breakdown", 1)
    return {"breakdown": ref}
