"""The vendor-free provider interface every agent calls.

Agents never import a vendor SDK: they build a request, hand it to a `Provider`, and get a
result with usage, a cost estimate and the request fingerprint. What a provider can do is
declared as data (`capabilities`) so agents ask instead of guessing.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from filmcrew.errors import FilmcrewError


class Unsupported(FilmcrewError):
    """The provider (or its configured model) cannot do this kind of call."""

    def __init__(self, provider: str, capability: str) -> None:
        super().__init__(f"provider {provider!r} does not support {capability}")
        self.provider = provider
        self.capability = capability


class Usage(BaseModel):
    """What a call consumed."""

    input_tokens: int = 0
    output_tokens: int = 0
    images: int = 0
    video_seconds: float = 0.0


class TextRequest(BaseModel):
    """A text call: free text, or structured output when `json_schema` is set.

    `prompt_id` names the prompt file and version so a cache key changes when a prompt does.
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


class ImageRequest(BaseModel):
    """Generate an image, or edit with reference images (paths to PNG files)."""

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

    model_config = {"arbitrary_types_allowed": True}

    png: bytes
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float = 0.0
    fingerprint: str = ""
    cached: bool = False
    provider: str = ""
    model: str = ""


class VideoRequest(BaseModel):
    """Image-to-video previz: a still and a prompt; long-running and polled."""

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


def canonical_json(value: Any) -> str:
    """Serialise with sorted keys and no spaces, so equal requests give equal bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(kind: str, provider: str, request: BaseModel) -> str:
    """Hash a normalised request; cache, replay and recordings all share this key.

    Reference images count by their content hash (their paths do not change the answer).
    """
    data = request.model_dump(exclude={"references", "image"})
    payload = {"kind": kind, "provider": provider, "request": data}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


class Provider(ABC):
    """One model provider. Wrappers (retry, cache, record, log) are Providers too."""

    name: ClassVar[str] = "base"
    capabilities: ClassVar[frozenset[str]] = frozenset()

    def supports(self, capability: str) -> bool:
        """Say whether this provider can serve `text`, `structured`, `image` or `video`."""
        return capability in self.capabilities

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
        return False
