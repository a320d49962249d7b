"""Artefacts in a run folder: write once (atomically), refer to by path and hash, load cached.

Nodes exchange `ArtefactRef`s instead of content, so checkpoints stay small; loading the same
hash twice in one process parses it once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from filmcrew.errors import InputError
from filmcrew.files import atomic_write_bytes, inside, sha256_file, stable_json, write_json
from filmcrew.state import ArtefactRef

M = TypeVar("M", bound=BaseModel)


def save_model(run_dir: str | Path, relative: str, value: BaseModel) -> ArtefactRef:
    """Write a model as byte-stable JSON inside the run folder and return its reference."""
    path = inside(Path(run_dir), relative)
    digest = write_json(path, value)
    return ArtefactRef(path=relative, sha256=digest)


def save_bytes(run_dir: str | Path, relative: str, data: bytes) -> ArtefactRef:
    """Write bytes inside the run folder and return their reference."""
    path = inside(Path(run_dir), relative)
    return ArtefactRef(path=relative, sha256=atomic_write_bytes(path, data))


def ref_for(run_dir: str | Path, relative: str) -> ArtefactRef:
    """Reference an existing file of the run folder."""
    path = inside(Path(run_dir), relative)
    return ArtefactRef(path=relative, sha256=sha256_file(path))


def is_intact(run_dir: str | Path, ref: ArtefactRef | None) -> bool:
    """Say whether a referenced file exists with the content its hash promises."""
    if ref is None:
        return False
    path = Path(run_dir) / ref.path
    return path.is_file() and sha256_file(path) == ref.sha256


def load_model(run_dir: str | Path, ref: ArtefactRef, cls: type[M]) -> M:
    """Load a referenced JSON artefact as a model (parsed once per content hash)."""
    path = Path(run_dir) / ref.path
    if not path.is_file():
        raise InputError("artefact missing from the run folder; run `filmcrew resume` to rebuild it", path=str(path))
    return _load_cached(str(path), ref.sha256, cls)


@lru_cache(maxsize=256)
def _load_cached(path: str, sha256: str, cls: type[M]) -> M:
    """Parse a JSON artefact; the hash is part of the key so an edited file is re-read."""
    return cls.model_validate_json(Path(path).read_bytes())


def model_json(value: BaseModel) -> str:
    """Render a model as the same stable JSON the run folder holds."""
    return stable_json(value)
