"""The vendor-free provider interface every agent calls.

Agents never import a vendor SDK: they build a request, hand it to a `Provider`, and get a
result with usage, a cost estimate and the request fingerprint. What a provider can do is
declared as data (`capability_info()`), so agents ask instead of guessing.

Errors a provider raises::

    FilmcrewError
    ├── Unsupported            the provider or its configured model cannot do this call
    │   └── NotAvailable       no model at all (offline): the agent uses its craft rules
    ├── InvalidOutput          structured output still invalid after one repair
    └── ProviderFailed (3)     from filmcrew.errors
        ├── CallRejected       a rejected call, as `Retrying` reports it (never retried)
        └── ProviderError      one failed vendor call, already in neutral terms
            ├── RateLimited        429 (transient; carries Retry-After)
            ├── ProviderTimeout    the call took too long (transient)
            ├── ServerError        5xx (transient)
            ├── ConnectionDropped  the connection failed or closed early (transient)
            └── RequestRejected    400/401/403/404...: retrying cannot help
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from filmcrew.errors import FilmcrewError, ProviderFailed

Kind = Literal["text", "image", "video"]
CAPABILITY_NAMES = ("text", "structured", "image", "video")
# Capabilities a provider can declare beyond the call kinds (`supports("vision")` asks for it).
# Kept out of `CAPABILITY_NAMES`, whose order is what `filmcrew providers` prints.
EXTRA_CAPABILITIES = ("vision",)


class Unsupported(FilmcrewError):
    """The provider (or its configured model) cannot do this kind of call."""

    def __init__(self, provider: str, capability: str, why: str = "") -> None:
        message = f"provider {provider!r} does not support {capability}"
        super().__init__(f"{message}: {why}" if why else message)
        self.provider = provider
        self.capability = capability
        self.why = why


class NotAvailable(Unsupported):
    """No model is configured (the offline provider): agents fall back to their rules."""


class InvalidOutput(FilmcrewError):
    """Structured output stayed invalid after one repair; the agent keeps its rule draft."""

    def __init__(self, message: str, *, text: str = "", refusal: str | None = None) -> None:
        super().__init__(message)
        self.text = text
        self.refusal = refusal


class ProviderError(ProviderFailed):
    """One vendor call failed; vendor errors are mapped onto these neutral types."""

    transient: ClassVar[bool] = False

    def __init__(
        self,
        reason: str,
        *,
        provider: str = "",
        model: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        who = " ".join(part for part in (provider, model) if part)
        super().__init__(f"{who}: {reason}" if who else reason)
        self.reason = reason
        self.provider = provider
        self.model = model
        self.status = status
        self.retry_after = retry_after


class RateLimited(ProviderError):
    """HTTP 429; `retry_after` holds the server's Retry-After in seconds, when sent."""

    transient = True


class ProviderTimeout(ProviderError):
    """The call did not finish within its timeout."""

    transient = True


class ServerError(ProviderError):
    """HTTP 5xx from the vendor."""

    transient = True


class ConnectionDropped(ProviderError):
    """The connection could not be made or closed before the answer arrived."""

    transient = True


class RequestRejected(ProviderError):
    """HTTP 4xx other than 408/429: bad request, bad key, no permission, unknown model."""


class CallRejected(ProviderFailed):
    """The vendor rejected the request itself (`RequestRejected`), so it was not retried.

    Still exit 3 like any `ProviderFailed`; an optional step (the storyboard judge) catches
    it to carry on without its answer, which it must not do for an outage.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Usage(BaseModel):
    """What a call consumed."""

    input_tokens: int = 0
    output_tokens: int = 0
    images: int = 0
    video_seconds: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            images=self.images + other.images,
            video_seconds=self.video_seconds + other.video_seconds,
        )


class Capabilities(BaseModel):
    """What one provider/model pair can do; agents read this instead of guessing."""

    model_config = ConfigDict(extra="forbid")

    text: bool = False
    structured: bool = False
    vision: bool = False  # text calls may carry images (TextRequest.images)
    image: bool = False
    max_reference_images: int = 0
    video: bool = False
    max_video_seconds: int = 0

    def merged(self, other: Capabilities) -> Capabilities:
        """Combine the capabilities of two models served by one provider."""
        return Capabilities(
            text=self.text or other.text,
            structured=self.structured or other.structured,
            vision=self.vision or other.vision,
            image=self.image or other.image,
            max_reference_images=max(self.max_reference_images, other.max_reference_images),
            video=self.video or other.video,
            max_video_seconds=max(self.max_video_seconds, other.max_video_seconds),
        )

    def names(self) -> list[str]:
        """List the capability names this table grants, in a fixed order."""
        return [name for name in CAPABILITY_NAMES if getattr(self, name)]


class TextRequest(BaseModel):
    """A text call: free text, or structured output when `json_schema` is set.

    `prompt_id` names the prompt file and version so a cache key changes when a prompt does.
    `model` stays empty unless the agent pins one; the provider then uses its configured model.
    `images` (paths to PNG or JPEG files, shown to the model after the prompt, in order) need a
    provider that `supports("vision")`; `image_hashes` (sha256 of each file) are filled in from
    them when left empty, and the fingerprint uses the hashes, never the paths.
    """

    agent: str
    model: str = ""
    system: str = ""
    prompt: str
    prompt_id: str = ""
    schema_name: str = ""
    json_schema: dict[str, Any] | None = None
    temperature: float | None = None
    max_output_tokens: int | None = None
    images: list[str] = Field(default_factory=list)
    image_hashes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _hash_per_image(self) -> TextRequest:
        """One hash per image, in order: a mismatch would give the wrong cache key."""
        if self.images and self.image_hashes and len(self.images) != len(self.image_hashes):
            raise ValueError(f"{len(self.images)} images but {len(self.image_hashes)} image hashes")
        return self


class TextResult(BaseModel):
    """A text answer; `parsed` is the JSON object when the request asked for a schema."""

    text: str
    parsed: dict[str, Any] | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float = 0.0
    fingerprint: str = ""
    cached: bool = False
    provider: str = ""
    model: str = ""
    refusal: str | None = None
    truncated: bool = False


class ImageRequest(BaseModel):
    """Generate an image, or edit with reference images (paths to PNG files).

    `reference_hashes` (sha256 of each file) are filled in from `references` when left empty;
    the fingerprint uses the hashes, never the paths.
    """

    agent: str
    model: str = ""
    prompt: str
    prompt_id: str = ""
    size: str = "1536x1024"
    aspect: str = "16:9"
    references: list[str] = Field(default_factory=list)
    reference_hashes: list[str] = Field(default_factory=list)


class ImageResult(BaseModel):
    """A generated image as PNG bytes."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    png: bytes
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float = 0.0
    fingerprint: str = ""
    cached: bool = False
    provider: str = ""
    model: str = ""


class VideoRequest(BaseModel):
    """Image-to-video previz: a still and a prompt; long-running and polled.

    `image_hash` is filled in from `image` when left empty.
    """

    agent: str
    model: str = ""
    prompt: str
    prompt_id: str = ""
    image: str = ""
    image_hash: str = ""
    aspect: str = "16:9"
    duration_s: int = 8


class VideoResult(BaseModel):
    """A generated clip as MP4 bytes."""

    mp4: bytes
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float = 0.0
    fingerprint: str = ""
    cached: bool = False
    provider: str = ""
    model: str = ""


Request = TextRequest | ImageRequest | VideoRequest
Result = TextResult | ImageResult | VideoResult
R = TypeVar("R", TextResult, ImageResult, VideoResult)
REQUEST_TYPES: dict[str, type[BaseModel]] = {
    "text": TextRequest,
    "image": ImageRequest,
    "video": VideoRequest,
}


def canonical_json(value: Any) -> str:
    """Serialise with sorted keys and no spaces, so equal requests give equal bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_bytes(data: bytes) -> str:
    """Return the hex sha256 of some bytes (media files are named by it)."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Return the hex sha256 of a file, naming it in the error when it is missing."""
    try:
        return sha256_bytes(Path(path).read_bytes())
    except OSError as exc:
        from filmcrew.errors import InputError

        raise InputError(f"cannot read image: {exc.strerror}", path=str(path)) from exc


def with_hashes(request: Request) -> Request:
    """Fill in image, reference and still hashes from their files when the caller left them
    empty."""
    if isinstance(request, TextRequest) and request.images and not request.image_hashes:
        return request.model_copy(update={"image_hashes": [sha256_file(p) for p in request.images]})
    if isinstance(request, ImageRequest) and request.references and not request.reference_hashes:
        hashes = [sha256_file(p) for p in request.references]
        return request.model_copy(update={"reference_hashes": hashes})
    if isinstance(request, VideoRequest) and request.image and not request.image_hash:
        return request.model_copy(update={"image_hash": sha256_file(request.image)})
    return request


def _normalise_text(value: str) -> str:
    """Unify line endings and trim the ends; neither changes what a model answers."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


# Request fields that hold file paths: left out of fingerprints and recordings (hashes stand in).
PATH_FIELDS = ("images", "references", "image")


def canonical_request(request: BaseModel) -> dict[str, Any]:
    """Return the normalised request that fingerprints, recordings and replay share.

    Fields left at their defaults are dropped, so adding a field later keeps old
    fingerprints (and hand-authored recordings) valid. Paths are dropped: only hashes count.
    """
    if isinstance(request, (TextRequest, ImageRequest, VideoRequest)):
        request = with_hashes(request)
    data = request.model_dump(exclude_defaults=True, exclude=set(PATH_FIELDS))
    for key in ("prompt", "system"):
        if isinstance(data.get(key), str):
            data[key] = _normalise_text(data[key])
    return data


def fingerprint(kind: str, request: BaseModel) -> str:
    """Hash a normalised request; cache, replay and recordings all share this key.

    The key covers what can change the answer (prompt, prompt id, schema, parameters, a pinned
    model, image and reference hashes) and leaves out timeouts, retries and which provider serves it
    (the cache adds provider and model to its own key).
    """
    payload = {"kind": kind, "request": canonical_request(request)}
    return sha256_bytes(canonical_json(payload).encode("utf-8"))


class Provider(ABC):
    """One model provider. Wrappers (retry, cache, record, log) are Providers too."""

    name: ClassVar[str] = "base"
    capabilities: ClassVar[frozenset[str]] = frozenset()

    @property
    def vendor(self) -> str:
        """Name the provider that really answers (wrappers report their innermost one)."""
        return self.name

    def model_for(self, kind: str) -> str:
        """Return the configured model for `text`, `image` or `video` ('' when none)."""
        return ""

    def capability_info(self, kind: str | None = None) -> Capabilities:
        """Describe what the configured models can do (one kind, or all merged)."""
        known = CAPABILITY_NAMES + EXTRA_CAPABILITIES
        return Capabilities(**{name: True for name in self.capabilities if name in known})

    def supports(self, capability: str) -> bool:
        """Say whether this provider can serve `text`, `structured`, `vision`, `image`, `video`."""
        return bool(getattr(self.capability_info(), capability, False))

    @abstractmethod
    def text(self, req: TextRequest) -> TextResult:
        """Answer a text request (structured when `req.json_schema` is set)."""

    def image(self, req: ImageRequest) -> ImageResult:
        """Generate or edit an image."""
        raise Unsupported(self.name, "image")

    def video(self, req: VideoRequest) -> VideoResult:
        """Generate a short clip from a still."""
        raise Unsupported(self.name, "video")

    def is_retryable(self, exc: Exception) -> bool:
        """Say whether an error is transient (429, 5xx, timeout, dropped connection)."""
        return isinstance(exc, ProviderError) and exc.transient

    def close(self) -> None:
        """Release clients and files; safe to call twice."""


class Wrapper(Provider):
    """A provider that adds one concern around another and otherwise only delegates."""

    name: ClassVar[str] = "wrapper"

    def __init__(self, inner: Provider) -> None:
        self.inner = inner

    @property
    def vendor(self) -> str:
        """Name the innermost provider."""
        return self.inner.vendor

    @property
    def capabilities(self) -> frozenset[str]:  # type: ignore[override]
        """Report the inner provider's capability names."""
        return self.inner.capabilities

    def model_for(self, kind: str) -> str:
        """Delegate to the inner provider."""
        return self.inner.model_for(kind)

    def capability_info(self, kind: str | None = None) -> Capabilities:
        """Delegate to the inner provider."""
        return self.inner.capability_info(kind)

    def supports(self, capability: str) -> bool:
        """Delegate to the inner provider."""
        return self.inner.supports(capability)

    def is_retryable(self, exc: Exception) -> bool:
        """Delegate to the inner provider, which knows its vendor's errors."""
        return self.inner.is_retryable(exc)

    def text(self, req: TextRequest) -> TextResult:
        """Run a text call through this wrapper's concern."""
        return self.around("text", req, self.inner.text)

    def image(self, req: ImageRequest) -> ImageResult:
        """Run an image call through this wrapper's concern."""
        return self.around("image", req, self.inner.image)

    def video(self, req: VideoRequest) -> VideoResult:
        """Run a video call through this wrapper's concern."""
        return self.around("video", req, self.inner.video)

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Add the concern; the base class only delegates."""
        return call(req)

    def close(self) -> None:
        """Close the inner provider."""
        self.inner.close()

    def resolved_model(self, kind: str, req: BaseModel) -> str:
        """Return the model that will answer: the pinned one, else the configured one."""
        return str(getattr(req, "model", "") or self.inner.model_for(kind))
