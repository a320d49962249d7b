"""Character library node: one canonical look per character, reused by every later stage.

A `characters.json` already in the run folder (an imported season cast, or the user's own
edits) is the base: characters there keep their looks, handles, colours and references, and
the script fills only what is missing.
"""

from __future__ import annotations

from pathlib import Path

from langgraph.runtime import Runtime

from filmcrew.agents.characters import build_library, generate_sheets, load_library, refine_library, write_library
from filmcrew.artefacts import ref_for
from filmcrew.context import CrewContext
from filmcrew.domain import CharacterLibrary
from filmcrew.nodes.checks import start_review
from filmcrew.nodes.common import breakdown_of, screenplay_of
from filmcrew.state import CrewState


def build_characters(state: CrewState, runtime: Runtime[CrewContext]) -> CrewState:
    """Build the library from the script, let models refine it and draw reference sheets."""
    start_review(state, runtime)  # the continuity model reads the script meanwhile
    run_dir = runtime.context.run_dir
    screenplay = screenplay_of(str(run_dir), state["screenplay"])
    sheet = breakdown_of(str(run_dir), state["breakdown"])
    library = build_library(screenplay, sheet, base=_existing(run_dir))
    library, notes = refine_library(runtime.context.provider_for("characters"), screenplay, sheet, library)
    library, drawn = generate_sheets(runtime.context.provider_for("storyboard"), library, run_dir,
                                     state["settings"].style)
    write_library(library, run_dir)
    runtime.context.tick("characters", 1)
    return {"library": ref_for(run_dir, "characters.json"), "notes": [*notes, *drawn]}


def _existing(run_dir: Path) -> CharacterLibrary | None:
    """The library already in the run folder (imported or edited), if any."""
    path = run_dir / "characters.json"
    return load_library(path) if path.is_file() else None
