"""A fake OpenAI API on loopback: Responses, chat completions, image generation and edits.

Queue answers with `reply(...)`; with an empty queue, a structured request gets sample JSON
that fits its schema and free text gets "ok". Images are tiny PNGs derived from the prompt and
the references that arrived, so tests can see that references changed the request. Image
inputs of text requests are checked the way the real API checks their shape (a 400
otherwise) and decoded by `input_images(seen)`.
"""

from __future__ import annotations

import base64
import json
from collections import deque
from dataclasses import dataclass
from re import Match
from typing import Any

from .samples import png_for, sample_for_schema
from .server import FakeServer, Reply, Seen, json_reply


@dataclass
class TextReply:
    """One scripted text answer."""

    text: str = ""
    refusal: str | None = None
    truncated: bool = False


def schema_name(seen: Seen) -> str:
    """Name the structured output a request asks for (which agent's call it is): `text` for free
    text, `image` / `image-edit` for image generation with or without references."""
    if "/images/" in seen.path:
        return "image-edit" if seen.path.endswith("/edits") else "image"
    body = seen.json or {}
    responses = (body.get("text") or {}).get("format") or {}  # the Responses API
    chat = (body.get("response_format") or {}).get("json_schema") or {}  # chat completions (a base URL)
    return str(responses.get("name") or chat.get("name") or "text")


def _tokens(text: str) -> int:
    """A deterministic stand-in for a token count."""
    return max(1, len(text) // 4)


STRING = "string"  # a message whose content is a plain string, not a list of parts
TEXT_TYPES = (STRING, "input_text", "text")


def _content_parts(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every content part of a request's messages (a plain string counts as one `string` part)."""
    items = body.get("input", body.get("messages", ""))
    if isinstance(items, str):
        return [{"type": STRING, "text": items}]
    parts: list[dict[str, Any]] = []
    for item in items:
        content = item.get("content", "")
        parts.extend([{"type": STRING, "text": content}] if isinstance(content, str) else content)
    return parts


def _prompt_of(body: dict[str, Any]) -> str:
    """Concatenate the text a request sends (Responses `input` or chat `messages`), no images."""
    texts = [p.get("text", "") for p in _content_parts(body) if p.get("type") in TEXT_TYPES]
    return (body.get("instructions") or "") + "\n".join(texts)


def _image_url_of(part: dict[str, Any]) -> str | None:
    """The URL of an image part: Responses `input_image` (a string) or chat `image_url`."""
    if part.get("type") == "input_image":
        return str(part.get("image_url") or "")
    if part.get("type") == "image_url":
        return str((part.get("image_url") or {}).get("url") or "")
    return None


# Content part types each endpoint accepts, and how an image part must look there.
PART_TYPES = {
    "responses": (STRING, "input_text", "input_image"),
    "chat": (STRING, "text", "image_url"),
}


def shape_error(body: dict[str, Any], api: str) -> str | None:
    """Say what the real API would reject in a request's content parts, or None.

    Responses wants `input_image` with `image_url` as a string; chat wants `image_url` as an
    object with `url`; a part type from the other API is an error, as is a bad data URL.
    """
    for index, part in enumerate(_content_parts(body)):
        kind = part.get("type")
        if kind not in PART_TYPES[api]:
            return f"content[{index}].type: {kind!r} is not valid here"
        url = part.get("image_url")
        if api == "responses" and kind == "input_image" and not isinstance(url, str):
            return f"content[{index}].image_url: expected an image URL, got {type(url).__name__}"
        if kind == "input_image" and part.get("detail") not in ("low", "high", "auto", "original"):
            return f"content[{index}].detail: required (low, high, auto or original)"
        if api == "chat" and kind == "image_url" and not (isinstance(url, dict) and "url" in url):
            return f"content[{index}].image_url: expected an object with url"
        if (found := _image_url_of(part)) is not None:
            try:
                decode_data_url(found)
            except ValueError as exc:
                return f"content[{index}]: {exc}"
    return None


def decode_data_url(url: str) -> tuple[str, bytes]:
    """Split a base64 `data:` URL into its content type and bytes (strictly: bad base64 fails)."""
    head, _, data = url.partition(",")
    if not head.startswith("data:") or not head.endswith(";base64"):
        raise ValueError(f"not a base64 data URL: {url[:40]!r}")
    return head[len("data:") : -len(";base64")], base64.b64decode(data, validate=True)


def _schema_of(body: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema a request asks for, if any."""
    fmt = (body.get("text") or {}).get("format") or {}
    if fmt.get("type") == "json_schema":
        return fmt.get("schema")
    rf = body.get("response_format") or {}
    if rf.get("type") == "json_schema":
        return (rf.get("json_schema") or {}).get("schema")
    return None


def _invalid(message: str) -> Reply:
    """A 400 the way OpenAI words a malformed request."""
    error = {"message": message, "type": "invalid_request_error", "code": 400}
    return json_reply({"error": error}, 400)


class FakeOpenAI(FakeServer):
    """Speaks enough of the OpenAI wire format for the SDK and our provider."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.replies: deque[TextReply] = deque()
        self.route("POST", r"/v1/responses", self._responses)
        self.route("POST", r"/v1/chat/completions", self._chat)
        self.route("POST", r"/v1/images/generations", self._generate)
        self.route("POST", r"/v1/images/edits", self._edit)

    @property
    def base_url(self) -> str:
        """What to pass as the SDK's `base_url`."""
        return f"{self.url}/v1"

    def reply(self, text: str = "", *, refusal: str | None = None, truncated: bool = False) -> None:
        """Queue a text answer (or a refusal, or a cut-off answer)."""
        self.replies.append(TextReply(text=text, refusal=refusal, truncated=truncated))

    def reply_json(self, value: Any) -> None:
        """Queue a JSON answer."""
        self.reply(json.dumps(value))

    def input_images(self, seen: Seen) -> list[tuple[str, bytes]]:
        """Decode the images a text request carried, in order, as (content type, bytes)."""
        urls = [u for p in _content_parts(seen.json or {}) if (u := _image_url_of(p)) is not None]
        return [decode_data_url(u) for u in urls]

    def _next_text(self, body: dict[str, Any]) -> TextReply:
        """Take the next queued answer, or make one that fits the request."""
        with self._lock:
            if self.replies:
                return self.replies.popleft()
        schema = _schema_of(body)
        return TextReply(text=json.dumps(sample_for_schema(schema)) if schema else "ok")

    def _responses(self, seen: Seen, _match: Match[str]) -> Reply:
        """POST /v1/responses."""
        body = seen.json or {}
        if error := shape_error(body, "responses"):
            return _invalid(error)
        answer = self._next_text(body)
        content: list[dict[str, Any]] = (
            [{"type": "refusal", "refusal": answer.refusal}]
            if answer.refusal
            else [{"type": "output_text", "text": answer.text, "annotations": []}]
        )
        usage_in, usage_out = _tokens(_prompt_of(body)), _tokens(answer.text)
        return json_reply(
            {
                "id": f"resp_{len(self.requests)}",
                "object": "response",
                "created_at": 0,
                "model": body.get("model"),
                "status": "incomplete" if answer.truncated else "completed",
                "incomplete_details": {"reason": "max_output_tokens"} if answer.truncated else None,
                "error": None,
                "parallel_tool_calls": True,
                "tool_choice": "auto",
                "tools": [],
                "output": [
                    {
                        "type": "message",
                        "id": "msg_1",
                        "role": "assistant",
                        "status": "completed",
                        "content": content,
                    }
                ],
                "usage": {
                    "input_tokens": usage_in,
                    "output_tokens": usage_out,
                    "total_tokens": usage_in + usage_out,
                    "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
                    "output_tokens_details": {"reasoning_tokens": 0},
                },
            }
        )

    def _chat(self, seen: Seen, _match: Match[str]) -> Reply:
        """POST /v1/chat/completions."""
        body = seen.json or {}
        if error := shape_error(body, "chat"):
            return _invalid(error)
        answer = self._next_text(body)
        usage_in, usage_out = _tokens(_prompt_of(body)), _tokens(answer.text)
        return json_reply(
            {
                "id": f"chatcmpl_{len(self.requests)}",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "length" if answer.truncated else "stop",
                        "message": {
                            "role": "assistant",
                            "content": None if answer.refusal else answer.text,
                            "refusal": answer.refusal,
                        },
                    }
                ],
                "usage": {
                    "prompt_tokens": usage_in,
                    "completion_tokens": usage_out,
                    "total_tokens": usage_in + usage_out,
                },
            }
        )

    def _image_reply(self, prompt: str, refs: list[bytes]) -> Reply:
        """An images response holding one PNG derived from prompt and references."""
        png = png_for(prompt + "".join(str(len(r)) for r in refs) + f"|{len(refs)} refs")
        return json_reply(
            {
                "created": 0,
                "data": [{"b64_json": base64.b64encode(png).decode()}],
                "usage": {
                    "input_tokens": _tokens(prompt),
                    "output_tokens": 100,
                    "total_tokens": _tokens(prompt) + 100,
                    "input_tokens_details": {"image_tokens": 0, "text_tokens": 0},
                },
            }
        )

    def _generate(self, seen: Seen, _match: Match[str]) -> Reply:
        """POST /v1/images/generations (JSON)."""
        return self._image_reply((seen.json or {}).get("prompt", ""), [])

    def _edit(self, seen: Seen, _match: Match[str]) -> Reply:
        """POST /v1/images/edits (multipart, one file part per reference image)."""
        refs = [p.data for p in seen.files() if p.name.startswith("image")]
        if not refs:
            return json_reply({"error": {"message": "image is required", "code": 400}}, 400)
        return self._image_reply(seen.fields().get("prompt", ""), refs)
