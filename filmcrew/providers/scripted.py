"""`ScriptedProvider`: a test double that ships with the library.

Give it the answers in order; it records every request in `.calls`::

    p = ScriptedProvider([
        {"shots": [...]},                     # a dict: a structured text answer (parsed)
        "A free-text answer",                 # a str: a free-text answer
        RateLimited("429", retry_after=1),   # an exception: raised for that call
        lambda req: TextResult(text=req.prompt.upper()),   # a function of the request
        ImageResult(png=png_bytes),           # any result object, returned as is
    ])
    shots, result = structured(p, TextRequest(agent="shot_planner", prompt="..."), ShotList)
    p.assert_consumed()                      # fails if answers are left over

One call more than scripted raises `UnexpectedCall`, which carries the request.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from filmcrew.providers.base import (
    Capabilities,
    ImageRequest,
    ImageResult,
    Provider,
    TextRequest,
    TextResult,
    Usage,
    VideoRequest,
    VideoResult,
    fingerprint,
)
from filmcrew.providers.vendor import json_object

Step = TextResult | ImageResult | VideoResult | dict[str, Any] | str | BaseException | Callable[[Any], Any]


class UnexpectedCall(AssertionError):
    """The scripted provider got a call it has no answer for."""

    def __init__(self, kind: str, request: Any, index: int) -> None:
        super().__init__(
            f"scripted provider: unexpected {kind} call #{index + 1} from agent "
            f"{getattr(request, 'agent', '?')!r} (prompt_id {getattr(request, 'prompt_id', '')!r}); "
            "the script has no more answers"
        )
        self.kind = kind
        self.request = request


class ScriptNotConsumed(AssertionError):
    """Scripted answers were left over: the code under test made fewer calls than expected."""


class ScriptedProvider(Provider):
    """Return canned answers in order and record each request."""

    name = "scripted"
    capabilities = frozenset({"text", "structured", "vision", "image", "video"})

    def __init__(
        self,
        steps: Iterable[Step] = (),
        *,
        model: str = "scripted",
        capabilities: Capabilities | None = None,
    ) -> None:
        self.steps = list(steps)
        self.model = model
        self.calls: list[Any] = []
        self._caps = capabilities or Capabilities(
            text=True, structured=True, vision=True, image=True, max_reference_images=16,
            video=True, max_video_seconds=8,
        )
        self._lock = threading.Lock()

    def model_for(self, kind: str) -> str:
        """Every kind is answered by the script."""
        return self.model

    def capability_info(self, kind: str | None = None) -> Capabilities:
        """Report the capabilities given at construction."""
        return self._caps

    def _next(self, kind: str, req: Any) -> Any:
        """Take the next step, or fail with `UnexpectedCall`."""
        with self._lock:
            index = len(self.calls)
            self.calls.append(req)
            if index >= len(self.steps):
                raise UnexpectedCall(kind, req, index)
            step = self.steps[index]
        if isinstance(step, BaseException):
            raise step
        if callable(step) and not isinstance(step, (TextResult, ImageResult, VideoResult)):
            step = step(req)
        return step

    def _stamp(self, kind: str, req: Any, result: Any) -> Any:
        """Fill in provider, model and fingerprint the way a real provider would."""
        return result.model_copy(update={
            "provider": result.provider or self.name,
            "model": result.model or req.model or self.model,
            "fingerprint": fingerprint(kind, req),
        })

    def text(self, req: TextRequest) -> TextResult:
        """Answer with the next step (a dict becomes a structured answer, a str free text)."""
        step = self._next("text", req)
        if isinstance(step, dict):
            step = TextResult(text=json.dumps(step, sort_keys=True), parsed=step, usage=Usage())
        elif isinstance(step, str):
            step = TextResult(text=step, parsed=json_object(step) if req.json_schema else None)
        return self._stamp("text", req, step)

    def image(self, req: ImageRequest) -> ImageResult:
        """Answer with the next step (bytes become a PNG result)."""
        step = self._next("image", req)
        if isinstance(step, bytes):
            step = ImageResult(png=step, usage=Usage(images=1))
        return self._stamp("image", req, step)

    def video(self, req: VideoRequest) -> VideoResult:
        """Answer with the next step (bytes become an MP4 result)."""
        step = self._next("video", req)
        if isinstance(step, bytes):
            step = VideoResult(mp4=step, usage=Usage(video_seconds=req.duration_s))
        return self._stamp("video", req, step)

    def remaining(self) -> int:
        """How many scripted answers are left."""
        with self._lock:
            return max(0, len(self.steps) - len(self.calls))

    def assert_consumed(self) -> None:
        """Fail when scripted answers are left over."""
        left = self.remaining()
        if left:
            raise ScriptNotConsumed(f"scripted provider: {left} answer(s) never requested "
                                    f"({len(self.calls)} of {len(self.steps)} used)")
