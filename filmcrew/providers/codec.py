"""Turn results into plain JSON records and back; cache, recordings and replay share this.

Media never goes into JSON: a PNG or MP4 is written as a file named by its sha256 beside the
record, and the record holds the file name.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from filmcrew.providers.base import (
    ImageResult,
    Result,
    TextResult,
    Usage,
    VideoResult,
    canonical_json,
    sha256_bytes,
)

MEDIA_FIELD = {"image": ("png", ".png"), "video": ("mp4", ".mp4")}


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so a crash never leaves half of it behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def store_media(directory: Path, data: bytes, suffix: str) -> str:
    """Save media bytes as `<sha256><suffix>` in a folder and return the file name."""
    name = f"{sha256_bytes(data)}{suffix}"
    target = directory / name
    if not target.exists():
        write_atomic(target, data)
    return name


def result_to_record(kind: str, result: Result, media_dir: Path) -> dict[str, Any]:
    """Describe a result as JSON-ready data; media bytes go to `media_dir`."""
    record: dict[str, Any] = {"usage": result.usage.model_dump()}
    if isinstance(result, TextResult):
        record.update(text=result.text, parsed=result.parsed)
        if result.refusal is not None:
            record["refusal"] = result.refusal
        if result.truncated:
            record["truncated"] = True
        return record
    field, suffix = MEDIA_FIELD[kind]
    data = result.png if isinstance(result, ImageResult) else result.mp4
    record[field] = store_media(media_dir, data, suffix)
    return record


def _read_media(media_dir: Path, name: str, where: str) -> bytes:
    """Load a media file a record points at, with an error naming both."""
    from filmcrew.errors import InputError

    if not name or Path(name).name != name:
        raise InputError(f"bad media file name {name!r}", path=where)
    try:
        return (media_dir / name).read_bytes()
    except OSError as exc:
        raise InputError(f"media file {name} is missing beside the record", path=where) from exc


def record_to_result(kind: str, record: dict[str, Any], media_dir: Path, where: str) -> Result:
    """Rebuild a result from its record (inverse of `result_to_record`).

    A hand-authored text record may give only `parsed`; the text is then its canonical JSON.
    """
    usage = Usage.model_validate(record.get("usage") or {})
    if kind == "text":
        parsed = record.get("parsed")
        text = record.get("text")
        if text is None:
            text = canonical_json(parsed) if parsed is not None else ""
        return TextResult(
            text=text,
            parsed=parsed,
            usage=usage,
            refusal=record.get("refusal"),
            truncated=bool(record.get("truncated", False)),
        )
    field, _ = MEDIA_FIELD[kind]
    data = _read_media(media_dir, str(record.get(field, "")), where)
    if kind == "image":
        return ImageResult(png=data, usage=usage)
    return VideoResult(mp4=data, usage=usage)


def dump_json(data: Any) -> bytes:
    """Readable, byte-stable JSON: sorted keys, two-space indent, trailing newline."""
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
