"""The replay provider: answers from recordings, strictly.

Recordings are matched by fingerprint, recomputed from each file's `request` (so hand-authored
files need no fingerprint of their own), never by order. A request with no recording raises
`ReplayMiss` naming agent, prompt id and fingerprint, with a short diff against the nearest
recording (same agent and prompt id first, then the most similar prompt). A recording nobody
asked for is an error too: call `assert_consumed()` at the end of a run or test.
"""

from __future__ import annotations

import difflib
import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import structlog
from pydantic import BaseModel, ValidationError

from filmcrew.errors import CheckFailed, InputError, ReplayMiss
from filmcrew.providers.base import (
    REQUEST_TYPES,
    Capabilities,
    ImageRequest,
    ImageResult,
    Provider,
    Result,
    TextRequest,
    TextResult,
    VideoRequest,
    VideoResult,
    canonical_request,
    fingerprint,
)
from filmcrew.providers.codec import record_to_result

log = structlog.get_logger(__name__)
DIFF_LINES = 40


class UnusedRecordings(CheckFailed):
    """Some recordings were never requested: the run no longer does what was recorded."""


class Recorded(BaseModel):
    """One loaded recording file."""

    path: Path
    kind: str
    fingerprint: str
    provider: str
    model: str
    agent: str
    request: dict[str, Any]
    response: dict[str, Any]


def _load_one(path: Path) -> Recorded:
    """Read and check one recording, recomputing its fingerprint from its request."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"recording is not valid JSON: {exc.msg}", path=str(path), line=exc.lineno) from exc
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind not in REQUEST_TYPES:
        raise InputError(f"recording has no valid kind (text, image, video): {kind!r}", path=str(path))
    try:
        request = REQUEST_TYPES[kind].model_validate(data.get("request") or {})
    except ValidationError as exc:
        raise InputError(f"recording request is invalid: {exc.errors()[0]['msg']}", path=str(path)) from exc
    fp = fingerprint(kind, request)
    if data.get("fingerprint") not in (None, "", fp):
        log.debug("recording_fingerprint_recomputed", path=str(path), fingerprint=fp)
    return Recorded(
        path=path, kind=kind, fingerprint=fp, provider=str(data.get("provider", "")),
        model=str(data.get("model", "")), agent=str(getattr(request, "agent", "")),
        request=canonical_request(request), response=dict(data.get("response") or {}),
    )


def load_recordings(directory: Path) -> dict[str, Recorded]:
    """Load every `*.json` recording in a folder, keyed by fingerprint."""
    found: dict[str, Recorded] = {}
    for path in sorted(Path(directory).glob("*.json")):
        rec = _load_one(path)
        if rec.fingerprint in found:
            raise InputError(
                f"two recordings answer the same request: {found[rec.fingerprint].path.name} "
                f"and {path.name}; delete one",
                path=str(directory),
            )
        found[rec.fingerprint] = rec
    return found


def request_lines(request: dict[str, Any]) -> list[str]:
    """Lay a request out one fact per line, prompts split by line, for a readable diff."""
    lines: list[str] = []
    for key in sorted(request):
        value = request[key]
        if isinstance(value, str) and "\n" in value:
            lines.append(f"{key}:")
            lines.extend(f"  {line}" for line in value.split("\n"))
        elif isinstance(value, (dict, list)):
            lines.append(f"{key}:")
            lines.extend(f"  {line}" for line in json.dumps(value, sort_keys=True, indent=1).split("\n"))
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return lines


def nearest(request: dict[str, Any], kind: str, candidates: Iterable[Recorded]) -> Recorded | None:
    """Find the recording closest to a request: same agent and prompt id, then similar prompt."""
    pool = [c for c in candidates if c.kind == kind]

    def rank(rec: Recorded) -> tuple[int, int, float]:
        same_agent = int(rec.request.get("agent") == request.get("agent"))
        same_prompt = int(rec.request.get("prompt_id", "") == request.get("prompt_id", ""))
        matcher = difflib.SequenceMatcher(None, rec.request.get("prompt", ""), request.get("prompt", ""))
        return same_agent, same_prompt, matcher.quick_ratio()

    return max(pool, key=rank, default=None)


def miss_message(kind: str, request: dict[str, Any], fp: str, near: Recorded | None, directory: Path) -> str:
    """Explain a replay miss: which request, and how it differs from the nearest recording."""
    head = (
        f"replay: no recording for {kind} request of agent {request.get('agent', '?')!r} "
        f"prompt_id {request.get('prompt_id', '')!r} fingerprint {fp[:16]} in {directory}"
    )
    if near is None:
        return f"{head}; there are no {kind} recordings there (record with --record)"
    diff = list(difflib.unified_diff(
        request_lines(near.request), request_lines(request),
        fromfile=f"recorded {near.path.name}", tofile="requested", lineterm="", n=1,
    ))
    if len(diff) > DIFF_LINES:
        diff = diff[:DIFF_LINES] + [f"... ({len(diff) - DIFF_LINES} more diff lines)"]
    return f"{head}; nearest recording differs:\n" + "\n".join(diff)


class Replay(Provider):
    """Serve recorded answers; fail loudly on a request with no recording."""

    name = "replay"
    capabilities = frozenset({"text", "structured", "vision", "image", "video"})

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise InputError("replay folder does not exist; record one with --record", path=str(directory))
        self.recordings = load_recordings(self.directory)
        self.used: set[str] = set()
        self._lock = threading.Lock()

    def capability_info(self, kind: str | None = None) -> Capabilities:
        """Report what the recordings can answer (so agents ask for what was recorded)."""
        recs = [r for r in self.recordings.values() if kind in (None, r.kind)]
        refs = [len(r.request.get("reference_hashes", [])) for r in recs if r.kind == "image"]
        videos = [int(r.request.get("duration_s", 8)) for r in recs if r.kind == "video"]
        return Capabilities(
            text=any(r.kind == "text" for r in recs),
            structured=any(r.kind == "text" and r.request.get("json_schema") for r in recs),
            vision=any(r.kind == "text" and r.request.get("image_hashes") for r in recs),
            image=bool(refs),
            max_reference_images=max(refs, default=0),
            video=bool(videos),
            max_video_seconds=max(videos, default=0),
        )

    def _answer(self, kind: str, req: BaseModel) -> Result:
        """Find the recording for a request and rebuild its result."""
        fp = fingerprint(kind, req)
        rec = self.recordings.get(fp)
        if rec is None:
            request = canonical_request(req)
            raise ReplayMiss(miss_message(kind, request, fp, nearest(request, kind, self.recordings.values()),
                                          self.directory))
        with self._lock:
            self.used.add(fp)
        result = record_to_result(kind, rec.response, self.directory, str(rec.path))
        return result.model_copy(update={"fingerprint": fp, "provider": rec.provider, "model": rec.model})

    def text(self, req: TextRequest) -> TextResult:
        """Answer a text request from its recording."""
        result = self._answer("text", req)
        assert isinstance(result, TextResult)
        return result

    def image(self, req: ImageRequest) -> ImageResult:
        """Answer an image request from its recording."""
        result = self._answer("image", req)
        assert isinstance(result, ImageResult)
        return result

    def video(self, req: VideoRequest) -> VideoResult:
        """Answer a video request from its recording."""
        result = self._answer("video", req)
        assert isinstance(result, VideoResult)
        return result

    def unused(self) -> list[Path]:
        """List recordings nobody has asked for yet."""
        with self._lock:
            return sorted(r.path for fp, r in self.recordings.items() if fp not in self.used)

    def assert_consumed(self) -> None:
        """Fail when a recording was left unused (the run stopped doing what was recorded)."""
        left = self.unused()
        if left:
            names = ", ".join(p.name for p in left[:5]) + (" ..." if len(left) > 5 else "")
            raise UnusedRecordings(f"{len(left)} recording(s) in {self.directory} were never requested: {names}")
