"""Writing artefacts safely: atomic replace, byte-stable JSON, and names that stay inside a folder.

A crash mid-write must never leave a half-written file where a finished one is expected, and a
character called `../../x` or a shot id with slashes must never write outside the run folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from filmcrew.errors import InputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str, fallback: str = "item") -> str:
    """Turn any label (shot id, character name) into one safe path component."""
    cleaned = _UNSAFE.sub("_", name).strip("._")
    return cleaned[:120] or fallback


def inside(folder: Path, relative: str) -> Path:
    """Resolve `relative` under `folder`, refusing anything that would land outside it."""
    root = folder.resolve()
    target = (root / relative).resolve()
    if target != root and root not in target.parents:
        raise InputError(f"refusing to write outside the output folder: {relative!r}", path=str(folder))
    return target


def sha256_bytes(data: bytes) -> str:
    """Return the hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's content."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> str:
    """Write bytes to a temporary file beside `path`, then rename; return the sha256.

    The rename alone keeps a killed process from leaving a half-written file; `durable` also
    flushes to disk (an OS crash), which regenerable artefacts such as frames can skip.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha256_bytes(data)


def atomic_write_text(path: Path, text: str) -> str:
    """Write UTF-8 text atomically; return the sha256 of the bytes written."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def stable_json(value: Any) -> str:
    """Render JSON with sorted keys and a trailing newline, so equal data gives equal bytes."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_json(path: Path, value: Any) -> str:
    """Write byte-stable JSON atomically; return its sha256."""
    return atomic_write_text(path, stable_json(value))


def canonical_digest(value: Any) -> str:
    """Hash any JSON-able value (pydantic models included) in a canonical form."""

    def default(obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            return obj.model_dump(mode="json")
        raise TypeError(f"cannot fingerprint {type(obj).__name__}")

    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
