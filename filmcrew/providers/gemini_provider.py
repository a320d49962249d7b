"""Gemini through google-genai: the API-key client, or Vertex when project/location are set.

Text: `generate_content` with a JSON response schema; a text request's images follow the
prompt as inline `Part.from_bytes` parts when the text model declares `vision`. Images:
`generate_content` on an image model with the reference images as inline parts. Video: Veo's
long-running operation, polled until done; Veo needs the Vertex client. The SDK is imported
on first use, its retries are off (`Retrying` owns them), and its errors are mapped onto
neutral types here.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from filmcrew.providers.base import (
    Capabilities,
    ConnectionDropped,
    ImageRequest,
    ImageResult,
    InvalidOutput,
    ProviderError,
    ProviderTimeout,
    RateLimited,
    RequestRejected,
    ServerError,
    TextRequest,
    TextResult,
    Unsupported,
    Usage,
    VideoRequest,
    VideoResult,
    fingerprint,
)
from filmcrew.providers.http import as_png, sniff_mime
from filmcrew.providers.media import request_images
from filmcrew.providers.schema_tools import gemini_subset
from filmcrew.providers.vendor import VendorProvider, json_object, status_error

BLOCKED = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION", "IMAGE_SAFETY",
           "IMAGE_PROHIBITED_CONTENT"}
NEEDS_VERTEX = ("Veo needs the Vertex client: set GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION "
                "(or [gemini] vertex = true with a key)")
# google.rpc codes an operation error may carry, mapped to the error types we retry or not.
RPC_TRANSIENT = {4: ProviderTimeout, 8: RateLimited, 10: ServerError, 13: ServerError, 14: ServerError}


class GeminiProvider(VendorProvider):
    """Gemini (developer API or Vertex), configured with one model per kind."""

    name = "gemini"
    capabilities = frozenset({"text", "structured", "vision", "image", "video"})

    def __init__(
        self,
        *,
        api_key: str | None,
        models: dict[str, str],
        caps: dict[str, Capabilities] | None = None,
        vertex: bool = False,
        project: str | None = None,
        location: str | None = None,
        base_url: str | None = None,
        timeout_s: float = 120.0,
        poll_interval_s: float = 10.0,
        video_timeout_s: float = 900.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_key = api_key
        self.models = dict(models)
        self.caps = caps or {}
        self.vertex = vertex or bool(project and location)
        self.project = project
        self.location = location
        self.base_url = base_url
        self.timeout_s = timeout_s
        self.poll_interval_s = poll_interval_s
        self.video_timeout_s = video_timeout_s
        self.sleep = sleep
        self._client: Any = None

    def capability_info(self, kind: str | None = None) -> Capabilities:
        """Merge the capability rows of the configured models; video only with Vertex."""
        merged = self._configured_caps(kind)
        if not self.vertex:
            merged = merged.model_copy(update={"video": False, "max_video_seconds": 0})
        return merged

    def _sdk(self) -> Any:
        """Create the client on first use; the SDK is imported only here."""
        return self._client_once(self._build_client)

    def _build_client(self) -> Any:
        from google import genai
        from google.genai import types

        options = types.HttpOptions(
            base_url=self.base_url or None,
            timeout=int(self.timeout_s * 1000),
            retry_options=types.HttpRetryOptions(attempts=1),
        )
        if self.project and self.location:
            return genai.Client(enterprise=True, project=self.project, location=self.location, http_options=options)
        return genai.Client(enterprise=self.vertex or None, api_key=self.api_key, http_options=options)

    def _neutral_error(self, exc: Exception, who: dict[str, str]) -> ProviderError | None:
        """Map SDK API errors and httpx transport errors; None for anything else."""
        from google.genai import errors

        if isinstance(exc, errors.APIError):
            return _api_error(exc, who)
        return _transport_error(exc, who, self.timeout_s)

    def text(self, req: TextRequest) -> TextResult:
        """Answer with `generate_content`, asking for JSON when the request has a schema."""
        from google.genai import types

        model = self._model("text", req)
        config = types.GenerateContentConfig(
            system_instruction=req.system or None,
            temperature=req.temperature,
            max_output_tokens=req.max_output_tokens,
            response_mime_type="application/json" if req.json_schema is not None else None,
            response_json_schema=gemini_subset(req.json_schema) if req.json_schema is not None else None,
        )
        contents = self._contents(model, req)
        with self._errors(model):
            resp = self._sdk().models.generate_content(model=model, contents=contents,
                                                       config=config)
        text = _text_of(resp)
        parsed = json_object(text) if req.json_schema is not None else None
        finish = _finish(resp)
        return TextResult(
            text=text, parsed=parsed, usage=_usage(resp), refusal=_refusal(resp, finish),
            truncated=finish == "MAX_TOKENS", provider=self.name, model=model,
            fingerprint=fingerprint("text", req),
        )

    def _contents(self, model: str, req: TextRequest) -> Any:
        """The prompt alone, or the prompt then one inline part per image (vision models only)."""
        from google.genai import types

        if not req.images:
            return req.prompt
        self._check_vision(model)
        return [types.Part.from_text(text=req.prompt)] + [
            types.Part.from_bytes(data=m.data, mime_type=m.mime) for m in request_images(req)
        ]

    def image(self, req: ImageRequest) -> ImageResult:
        """Generate an image on an image model, with reference images as inline parts."""
        from google.genai import types

        model = self._model("image", req)
        self._check_references(model, req)
        parts = [types.Part.from_text(text=req.prompt)]
        for path in req.references:
            data = Path(path).read_bytes()
            parts.append(types.Part.from_bytes(data=data, mime_type=sniff_mime(data)))
        config = types.GenerateContentConfig(
            response_modalities=["TEXT", "IMAGE"], image_config=types.ImageConfig(aspect_ratio=req.aspect)
        )
        with self._errors(model):
            resp = self._sdk().models.generate_content(model=model, contents=parts, config=config)
        data = _first_image(resp)
        if data is None:
            why = _refusal(resp, _finish(resp)) or _text_of(resp)[:200] or "no image in the answer"
            raise InvalidOutput(f"{self.name} {model}: no image returned: {why}", refusal=why)
        usage = _usage(resp).model_copy(update={"images": 1})
        return ImageResult(png=as_png(data), usage=usage, provider=self.name, model=model,
                           fingerprint=fingerprint("image", req))

    def video(self, req: VideoRequest) -> VideoResult:
        """Start a Veo operation from a still and a prompt, poll it, and return the clip."""
        from google.genai import types

        if not self.vertex:
            raise Unsupported(self.name, "video", NEEDS_VERTEX)
        model = self._model("video", req)
        still = Path(req.image).read_bytes() if req.image else None
        source = types.GenerateVideosSource(
            prompt=req.prompt,
            image=types.Image(image_bytes=still, mime_type=sniff_mime(still)) if still else None,
        )
        config = types.GenerateVideosConfig(aspect_ratio=req.aspect, duration_seconds=req.duration_s,
                                            number_of_videos=1)
        with self._errors(model):
            op = self._sdk().models.generate_videos(model=model, source=source, config=config)
            op = self._poll(op, model)
        return VideoResult(mp4=self._clip(op, model), usage=Usage(video_seconds=req.duration_s),
                           provider=self.name, model=model, fingerprint=fingerprint("video", req))

    def _poll(self, op: Any, model: str) -> Any:
        """Wait for a long-running operation, up to the video timeout."""
        deadline = time.monotonic() + self.video_timeout_s
        while not op.done:
            if time.monotonic() > deadline:
                raise ProviderTimeout(f"video not ready after {self.video_timeout_s:g} s",
                                      provider=self.name, model=model)
            self.sleep(self.poll_interval_s)
            op = self._sdk().operations.get(op)
        return op

    def _clip(self, op: Any, model: str) -> bytes:
        """Take the clip out of a finished operation, or explain why there is none."""
        if op.error:
            code = int(op.error.get("code", 0) or 0)
            cls = RPC_TRANSIENT.get(code, RequestRejected)
            raise cls(f"video operation failed: {op.error.get('message', op.error)}",
                      provider=self.name, model=model)
        response = op.response or op.result
        videos = (response.generated_videos or []) if response else []
        if not videos or videos[0].video is None or not videos[0].video.video_bytes:
            reasons = "; ".join((response.rai_media_filtered_reasons or []) if response else [])
            uri = videos[0].video.uri if videos and videos[0].video else None
            why = reasons or (f"clip stored at {uri}, not returned inline" if uri else "no clip returned")
            raise InvalidOutput(f"{self.name} {model}: {why}", refusal=reasons or None)
        return bytes(videos[0].video.video_bytes)

    def close(self) -> None:
        """Close the HTTP client."""
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.close()
            self._client = None


def _candidate_parts(resp: Any) -> list[Any]:
    """The parts of the first candidate (empty when the answer was blocked)."""
    candidates = resp.candidates or []
    content = candidates[0].content if candidates else None
    return list(content.parts or []) if content is not None else []


def _text_of(resp: Any) -> str:
    """Join the answer's text parts, leaving out thoughts."""
    return "".join(p.text for p in _candidate_parts(resp) if p.text and not p.thought)


def _first_image(resp: Any) -> bytes | None:
    """Return the bytes of the first inline image part."""
    for part in _candidate_parts(resp):
        if part.inline_data is not None and part.inline_data.data:
            return bytes(part.inline_data.data)
    return None


def _finish(resp: Any) -> str:
    """The first candidate's finish reason as a plain name ('' when none)."""
    candidates = resp.candidates or []
    reason = candidates[0].finish_reason if candidates else None
    return str(getattr(reason, "value", reason) or "")


def _refusal(resp: Any, finish: str) -> str | None:
    """Explain a blocked prompt or answer, or None."""
    feedback = resp.prompt_feedback
    if feedback is not None and feedback.block_reason is not None:
        reason = getattr(feedback.block_reason, "value", feedback.block_reason)
        return f"prompt blocked ({reason}){': ' + feedback.block_reason_message if feedback.block_reason_message else ''}"
    if finish in BLOCKED:
        return f"answer blocked ({finish})"
    return None


def _usage(resp: Any) -> Usage:
    """Read tokens (thinking tokens are billed as output)."""
    meta = resp.usage_metadata
    if meta is None:
        return Usage()
    output = (meta.candidates_token_count or 0) + (meta.thoughts_token_count or 0)
    return Usage(input_tokens=meta.prompt_token_count or 0, output_tokens=output)


def _api_error(exc: Any, who: dict[str, str]) -> ProviderError:
    """Map a google-genai APIError onto a neutral error."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    return status_error(int(exc.code or 0), exc.message or "",
                        dict(headers) if headers is not None else None, who)


def _transport_error(exc: Exception, who: dict[str, str], timeout_s: float) -> ProviderError | None:
    """Map httpx/httpx2 timeouts and connection failures; None for anything else."""
    for module_name in ("httpx2", "httpx"):
        try:
            module = __import__(module_name)
        except ImportError:
            continue
        if isinstance(exc, module.TimeoutException):
            return ProviderTimeout(f"timed out after {timeout_s:g} s", **who)
        if isinstance(exc, module.TransportError):
            return ConnectionDropped(f"connection failed: {type(exc).__name__}", **who)
    return None
