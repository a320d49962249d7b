"""Character library node: one canonical look per character, reused by every later stage."""

from __future__ import annotations

from pathlib import Path

from langgraph.runtime import Runtime

from filmcrew.agents.characters import build_library, refine_library, write_library
from filmcrew.artefacts import ref_for
from filmcrew.context import CrewContext
from filmcrew.nodes.common import breakdown_of, screenplay_of
from filmcrew.state import CrewState


def build_characters(state: CrewState, runtime: Runtime[CrewContext]) -> CrewState:
    """Build the library from the script, let a model refine it, write `characters.json`."""
    run_dir = str(runtime.context.run_dir)
    screenplay = screenplay_of(run_dir, state["screenplay"])
    sheet = breakdown_of(run_dir, state["breakdown"])
    library = runtime.context.info.get("imported_library") or build_library(screenplay, sheet)
    provider = runtime.context.provider_for("characters")
    library, notes = refine_library(provider, screenplay, sheet, library)
    write_library(library, Path(run_dir))
    runtime.context.tick("characters", 1)
    return {"library": ref_for(run_dir, "characters.json"), "notes": notes}
