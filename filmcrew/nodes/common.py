"""Helpers every node uses: loading the screenplay and other artefacts by reference."""

from __future__ import annotations

import hashlib

from langgraph.runtime import get_runtime

from filmcrew.artefacts import load_model
from filmcrew.context import CrewContext
from filmcrew.domain import Breakdown, CharacterLibrary, Screenplay, ShotList
from filmcrew.files import canonical_digest
from filmcrew.providers.base import Provider
from filmcrew.state import ArtefactRef


def screenplay_of(run_dir: str, ref: ArtefactRef) -> Screenplay:
    """Load the parsed screenplay of a run."""
    return load_model(run_dir, ref, Screenplay)


def breakdown_of(run_dir: str, ref: ArtefactRef) -> Breakdown:
    """Load the breakdown of a run."""
    return load_model(run_dir, ref, Breakdown)


def library_of(run_dir: str, ref: ArtefactRef) -> CharacterLibrary:
    """Load the character library of a run."""
    return load_model(run_dir, ref, CharacterLibrary)


def shotlist_of(run_dir: str, ref: ArtefactRef) -> ShotList:
    """Load the assembled shot list of a run."""
    return load_model(run_dir, ref, ShotList)


def current_run_dir() -> str:
    """Return the run folder of the graph run in progress (for routing functions)."""
    context: CrewContext = get_runtime(CrewContext).context
    return str(context.run_dir)


def answered_by(provider: Provider, kind: str = "text") -> str:
    """Name who answers an agent's calls of one kind, for reuse keys: the vendor and its model
    (switching either re-plans; the stack's outer wrapper's own name says nothing)."""
    return f"{provider.vendor}:{provider.model_for(kind)}"


def key_of(*parts: object) -> str:
    """Fingerprint the inputs of a stage's unit of work (scene, shot) for reuse decisions."""
    return canonical_digest(parts)[:32]


def short_hash(text: str) -> str:
    """Return a short sha256 of a text, for notes and file names."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
