"""Recordings: readable JSON, one file per request fingerprint, media as files beside it.

A recording file `<fingerprint>.json` holds (sorted keys)::

    {"agent": "...", "fingerprint": "...", "kind": "text|image|video", "model": "...",
     "provider": "...", "request": {canonical request}, "response": {...},
     "source": "recorded|authored"}

`request` is the canonical request (defaults and file paths left out), so replay can recompute
the fingerprint from it; that is what lets people author recordings by hand for evals
(`author_recording`). Responses hold text, the parsed object and usage; images and clips are
`<sha256>.png` / `.mp4` files in the same folder. The images a request sent (a vision prompt's
`image_hashes`, an edit's `reference_hashes`, a clip's still) are copied there too, named by
the same hashes, so a recording shows what the model saw. Secrets are masked before anything
is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from filmcrew.logs import scrub_value
from filmcrew.providers.base import (
    REQUEST_TYPES,
    Provider,
    Result,
    Wrapper,
    canonical_request,
    fingerprint,
)
from filmcrew.providers.codec import dump_json, result_to_record, write_atomic
from filmcrew.providers.media import store_inputs


def recording_data(
    kind: str,
    request: BaseModel,
    response: dict[str, Any],
    provider: str,
    model: str,
    source: str,
) -> dict[str, Any]:
    """Assemble the JSON of one recording (secrets masked)."""
    fp = fingerprint(kind, request)
    data = {
        "agent": getattr(request, "agent", ""),
        "fingerprint": fp,
        "kind": kind,
        "model": model,
        "provider": provider,
        "request": canonical_request(request),
        "response": response,
        "source": source,
    }
    return dict(scrub_value(data, by_key=False))


def write_recording(directory: Path, data: dict[str, Any]) -> Path:
    """Write one recording file named by its fingerprint and return its path."""
    path = directory / f"{data['fingerprint']}.json"
    write_atomic(path, dump_json(data))
    return path


def author_recording(
    directory: Path,
    request: BaseModel,
    response: dict[str, Any],
    *,
    kind: str | None = None,
    provider: str = "authored",
    model: str = "",
) -> Path:
    """Write a hand-made recording for evals (`source: "authored"`).

    For a structured text request, build it with `structured_request(req, Output)` so the
    schema matches what the agent sends; `response` may then be just `{"parsed": {...}}`.
    """
    kind = kind or _kind_of(request)
    data = recording_data(kind, request, response, provider, model, "authored")
    store_inputs(request, Path(directory))
    return write_recording(Path(directory), data)


def _kind_of(request: BaseModel) -> str:
    """Infer the call kind from the request type."""
    for kind, cls in REQUEST_TYPES.items():
        if isinstance(request, cls):
            return kind
    raise TypeError(f"not a provider request: {type(request).__name__}")


class Recording(Wrapper):
    """Write every answered call (cache hits too) as a recording."""

    name = "recording"

    def __init__(self, inner: Provider, directory: Path) -> None:
        super().__init__(inner)
        self.directory = Path(directory)

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Call, then record the request, the images it sent and its answer."""
        result: Result = call(req)
        store_inputs(req, self.directory)
        response = result_to_record(kind, result, self.directory)
        data = recording_data(kind, req, response, result.provider, result.model, "recorded")
        write_recording(self.directory, data)
        return result

