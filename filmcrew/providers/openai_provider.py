"""OpenAI, and any OpenAI-compatible server (Ollama, llama.cpp server, LM Studio, vLLM).

Text goes through the Responses API with a JSON schema (strict where the schema allows it);
for a `base_url` server, through chat completions with a `json_schema` response format.
A text request's images follow the prompt as `input_image` parts (Responses) or `image_url`
parts (chat), each a base64 `data:` URL, when the text model declares `vision`.
Images: `images.generate`, or `images.edit` with several reference images. Video is
unavailable: the Sora video API is shut down. The SDK is imported on first use, its own
retries are off (`Retrying` owns them), and its errors are mapped onto neutral types here.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from filmcrew.providers.base import (
    Capabilities,
    ConnectionDropped,
    ImageRequest,
    ImageResult,
    ProviderError,
    ProviderTimeout,
    RequestRejected,
    TextRequest,
    TextResult,
    Unsupported,
    Usage,
    VideoRequest,
    VideoResult,
    fingerprint,
)
from filmcrew.providers.http import as_png, sniff_mime
from filmcrew.providers.media import Media, request_images
from filmcrew.providers.schema_tools import openai_strict
from filmcrew.providers.vendor import VendorProvider, json_object, status_error

NO_VIDEO = "the Sora video API is shut down; configure gemini (Veo) for the video agent"


def _schema_name(name: str) -> str:
    """Vendors accept `[A-Za-z0-9_-]{1,64}` as a schema name."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)[:64] or "output"


class OpenAIProvider(VendorProvider):
    """OpenAI's API or a compatible server, configured with one model per kind."""

    name = "openai"
    capabilities = frozenset({"text", "structured", "vision", "image"})

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | None = None,
        models: dict[str, str],
        caps: dict[str, Capabilities] | None = None,
        timeout_s: float = 120.0,
        use_chat: bool = False,
        strict: bool = True,
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url
        self.models = dict(models)
        self.caps = caps or {}
        self.timeout_s = timeout_s
        self.use_chat = use_chat
        self.strict = strict
        self._client: Any = None

    def capability_info(self, kind: str | None = None) -> Capabilities:
        """Merge the capability rows of the configured models (video never: Sora is gone)."""
        return self._configured_caps(kind).model_copy(update={"video": False, "max_video_seconds": 0})

    def _sdk(self) -> Any:
        """Create the client on first use; the SDK is imported only here."""

        def build() -> Any:
            from openai import OpenAI

            return OpenAI(
                api_key=self.api_key or "unused",  # local servers ignore it; the SDK wants one
                base_url=self.base_url or None,
                timeout=self.timeout_s,
                max_retries=0,
            )

        return self._client_once(build)

    def _neutral_error(self, exc: Exception, who: dict[str, str]) -> ProviderError | None:
        """Map SDK timeouts, connection and status errors (a timeout is also a connection
        error, so it is asked first); None for anything else."""
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return ProviderTimeout(f"timed out after {self.timeout_s:g} s", **who)
        if isinstance(exc, openai.APIConnectionError):
            return ConnectionDropped(f"connection failed: {exc.__cause__ or exc}", **who)
        if isinstance(exc, openai.APIStatusError):
            return _status_error(exc, who)
        return None

    def _model_hint(self, kind: str) -> str:
        """Name the setting, and the `--model` flag for text."""
        where = f"set [openai] {kind}_model in filmcrew.toml"
        return f"{where} or pass --model" if kind == "text" else where

    def text(self, req: TextRequest) -> TextResult:
        """Answer through the Responses API, or chat completions for compatible servers."""
        model = self._model("text", req)
        images = self._images(model, req)
        with self._errors(model):
            call = self._chat if self.use_chat else self._responses
            result = call(model, req, images)
        return result.model_copy(update={"provider": self.name, "model": model,
                                         "fingerprint": fingerprint("text", req)})

    def _images(self, model: str, req: TextRequest) -> list[Media]:
        """Read the request's images, refusing them when the text model cannot see."""
        if not req.images:
            return []
        self._check_vision(model)
        return request_images(req)

    def _format(self, req: TextRequest) -> tuple[str, dict[str, Any], bool]:
        """Return schema name, schema and strictness for a structured request."""
        assert req.json_schema is not None
        strict = openai_strict(req.json_schema) if self.strict else None
        return _schema_name(req.schema_name or "output"), strict or req.json_schema, strict is not None

    def _responses(self, model: str, req: TextRequest, images: list[Media]) -> TextResult:
        """Call `responses.create` and read text, refusal, truncation and usage."""
        content: Any = req.prompt
        if images:
            content = [{"type": "input_text", "text": req.prompt}] + [
                {"type": "input_image", "image_url": m.data_url(), "detail": "auto"} for m in images
            ]
        kwargs: dict[str, Any] = {"model": model, "input": [{"role": "user", "content": content}]}
        if req.system:
            kwargs["instructions"] = req.system
        if req.temperature is not None:
            kwargs["temperature"] = req.temperature
        if req.max_output_tokens is not None:
            kwargs["max_output_tokens"] = req.max_output_tokens
        if req.json_schema is not None:
            name, schema, strict = self._format(req)
            kwargs["text"] = {"format": {"type": "json_schema", "name": name, "schema": schema, "strict": strict}}
        resp = self._sdk().responses.create(**kwargs)
        refusal = next((c.refusal for item in resp.output if item.type == "message"
                        for c in item.content if c.type == "refusal"), None)
        text = resp.output_text
        usage = Usage(input_tokens=getattr(resp.usage, "input_tokens", 0) or 0,
                      output_tokens=getattr(resp.usage, "output_tokens", 0) or 0)
        return TextResult(
            text=text, parsed=json_object(text) if req.json_schema is not None else None,
            usage=usage, refusal=refusal, truncated=resp.status == "incomplete",
        )

    def _chat(self, model: str, req: TextRequest, images: list[Media]) -> TextResult:
        """Call `chat.completions.create` (what compatible servers speak)."""
        content: Any = req.prompt
        if images:  # no `detail`: some compatible servers reject keys they do not know
            content = [{"type": "text", "text": req.prompt}] + [
                {"type": "image_url", "image_url": {"url": m.data_url()}} for m in images
            ]
        messages = ([{"role": "system", "content": req.system}] if req.system else []) + [
            {"role": "user", "content": content}
        ]
        kwargs: dict[str, Any] = {"model": model, "messages": messages}
        if req.temperature is not None:
            kwargs["temperature"] = req.temperature
        if req.max_output_tokens is not None:
            kwargs["max_tokens"] = req.max_output_tokens
        if req.json_schema is not None:
            name, schema, strict = self._format(req)
            kwargs["response_format"] = {"type": "json_schema",
                                         "json_schema": {"name": name, "schema": schema, "strict": strict}}
        resp = self._sdk().chat.completions.create(**kwargs)
        choice = resp.choices[0]
        text = choice.message.content or ""
        usage = Usage(input_tokens=getattr(resp.usage, "prompt_tokens", 0) or 0,
                      output_tokens=getattr(resp.usage, "completion_tokens", 0) or 0)
        return TextResult(
            text=text, parsed=json_object(text) if req.json_schema is not None else None,
            usage=usage, refusal=choice.message.refusal, truncated=choice.finish_reason == "length",
        )

    def image(self, req: ImageRequest) -> ImageResult:
        """Generate an image, or edit with the reference images when there are any."""
        model = self._model("image", req)
        self._check_references(model, req)
        refs = [(Path(p).name, Path(p).read_bytes()) for p in req.references]
        with self._errors(model):
            if refs:
                files = [(name, data, sniff_mime(data)) for name, data in refs]
                resp = self._sdk().images.edit(model=model, prompt=req.prompt, image=files, size=req.size)
            else:
                resp = self._sdk().images.generate(model=model, prompt=req.prompt, size=req.size)
        return ImageResult(png=self._image_bytes(resp, model), usage=_image_usage(resp),
                           provider=self.name, model=model, fingerprint=fingerprint("image", req))

    def _image_bytes(self, resp: Any, model: str) -> bytes:
        """Decode the first image of an images response."""
        data = (resp.data or [None])[0]
        if data is None or not data.b64_json:
            raise RequestRejected("the answer held no image data", provider=self.name, model=model)
        return as_png(base64.b64decode(data.b64_json))

    def video(self, req: VideoRequest) -> VideoResult:
        """OpenAI video is unavailable."""
        raise Unsupported(self.name, "video", NO_VIDEO)

    def close(self) -> None:
        """Close the HTTP client."""
        if self._client is not None:
            self._client.close()
            self._client = None


def _image_usage(resp: Any) -> Usage:
    """Count one image plus any tokens the images API reports."""
    usage = getattr(resp, "usage", None)
    return Usage(images=len(resp.data or []) or 1,
                 input_tokens=getattr(usage, "input_tokens", 0) or 0,
                 output_tokens=getattr(usage, "output_tokens", 0) or 0)


def _status_error(exc: Any, who: dict[str, str]) -> ProviderError:
    """Map an HTTP status error onto a neutral error (429, 5xx, 408 retry; other 4xx do not)."""
    body = exc.body if isinstance(exc.body, dict) else {}
    headers = dict(exc.response.headers) if exc.response is not None else {}
    return status_error(int(exc.status_code), str(body.get("message") or ""), headers, who)
