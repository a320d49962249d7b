"""A fake Gemini API on loopback: generateContent (text, JSON, images) and Veo operations.

Paths are matched loosely (`.../models/<model>:generateContent`), so the same fake serves the
developer API client and the Vertex client. Video operations finish after `polls_until_done`
polls; `video_error` makes the finished operation carry an error instead of a clip.
"""

from __future__ import annotations

import base64
import json
from collections import deque
from dataclasses import dataclass
from re import Match
from typing import Any

from .samples import mp4_for, png_for, sample_for_schema
from .server import FakeServer, Reply, Seen, json_reply


@dataclass
class GeminiReply:
    """One scripted generateContent answer."""

    text: str = ""
    finish: str = "STOP"
    block: str | None = None
    image: bool | None = None


def _b64(text: str) -> bytes:
    """Decode base64 in either alphabet, with or without padding (the SDK sends URL-safe)."""
    return base64.urlsafe_b64decode(
        text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4)
    )


def _tokens(text: str) -> int:
    """A deterministic stand-in for a token count."""
    return max(1, len(text) // 4)


class FakeGemini(FakeServer):
    """Speaks enough of the Gemini and Vertex wire formats for google-genai."""

    def __init__(self, latency: float = 0.0, polls_until_done: int = 2) -> None:
        super().__init__(latency)
        self.replies: deque[GeminiReply] = deque()
        self.polls_until_done = polls_until_done
        self.video_error: dict[str, Any] | None = None
        self.operations: dict[str, int] = {}
        self.route("POST", r".*/models/(?P<model>[^/:]+):generateContent", self._generate)
        self.route("POST", r".*/models/(?P<model>[^/:]+):predictLongRunning", self._start_video)
        self.route("POST", r".*/models/[^/:]+:fetchPredictOperation", self._fetch_op, paid=False)
        self.route("GET", r".*/operations/[^/]+", self._get_op, paid=False)

    @property
    def base_url(self) -> str:
        """What to pass as `HttpOptions(base_url=...)`."""
        return self.url

    def reply(
        self,
        text: str = "",
        *,
        finish: str = "STOP",
        block: str | None = None,
        image: bool | None = None,
    ) -> None:
        """Queue an answer; `finish="MAX_TOKENS"` truncates, `block="SAFETY"` refuses."""
        self.replies.append(GeminiReply(text=text, finish=finish, block=block, image=image))

    def reply_json(self, value: Any) -> None:
        """Queue a JSON answer."""
        self.reply(json.dumps(value))

    def parts_of(self, seen: Seen) -> list[dict[str, Any]]:
        """The parts of the first content of a generateContent request."""
        contents = (seen.json or {}).get("contents") or [{}]
        return list(contents[0].get("parts") or [])

    def inline_images(self, seen: Seen) -> list[bytes]:
        """Decode the inline image parts a request carried (reference or vision images)."""
        return [data for _, data in self.inline_media(seen)]

    def inline_media(self, seen: Seen) -> list[tuple[str, bytes]]:
        """Decode the inline parts a request carried, in order, as (mime type, bytes).

        The SDK writes `mime_type` where the REST docs say `mimeType`; the API takes both.
        """
        blobs = [p["inlineData"] for p in self.parts_of(seen) if "inlineData" in p]
        return [(b.get("mimeType", b.get("mime_type", "")), _b64(b["data"])) for b in blobs]

    def _default(self, body: dict[str, Any]) -> GeminiReply:
        """Make an answer that fits the request when nothing is queued."""
        config = body.get("generationConfig") or {}
        schema = config.get("responseJsonSchema")
        return GeminiReply(text=json.dumps(sample_for_schema(schema)) if schema else "ok")

    def _generate(self, seen: Seen, match: Match[str]) -> Reply:
        """POST .../models/<model>:generateContent."""
        body = seen.json or {}
        with self._lock:
            answer = self.replies.popleft() if self.replies else self._default(body)
        prompt = " ".join(p.get("text", "") for p in self.parts_of(seen))
        usage = {
            "promptTokenCount": _tokens(prompt),
            "candidatesTokenCount": _tokens(answer.text),
            "totalTokenCount": _tokens(prompt) + _tokens(answer.text),
        }
        if answer.block:
            return json_reply(
                {"promptFeedback": {"blockReason": answer.block}, "usageMetadata": usage}
            )
        wants_image = "IMAGE" in (
            (body.get("generationConfig") or {}).get("responseModalities") or []
        )
        parts: list[dict[str, Any]] = [{"text": answer.text}] if answer.text else []
        if answer.image if answer.image is not None else wants_image:
            refs = self.inline_images(seen)
            png = png_for(prompt + f"|{len(refs)} refs|" + "".join(str(len(r)) for r in refs))
            parts.append(
                {"inlineData": {"mimeType": "image/png", "data": base64.b64encode(png).decode()}}
            )
        return json_reply(
            {
                "candidates": [
                    {
                        "content": {"role": "model", "parts": parts},
                        "finishReason": answer.finish,
                        "index": 0,
                    }
                ],
                "usageMetadata": usage,
                "modelVersion": match.group("model"),
            }
        )

    def _start_video(self, seen: Seen, match: Match[str]) -> Reply:
        """POST .../models/<model>:predictLongRunning: start an operation."""
        model = match.group("model")
        with self._lock:
            name = (
                f"projects/fake/locations/us-central1/publishers/google/models/{model}"
                f"/operations/op{len(self.operations) + 1}"
            )
            self.operations[name] = self.polls_until_done
        return json_reply({"name": name, "done": False})

    def _op_state(self, name: str) -> Reply:
        """Report an operation: running until its polls are used up, then done."""
        with self._lock:
            if name not in self.operations:
                return json_reply({"error": {"code": 404, "message": f"no operation {name}"}}, 404)
            self.operations[name] -= 1
            left = self.operations[name]
        if left > 0:
            return json_reply({"name": name, "done": False})
        if self.video_error is not None:
            return json_reply({"name": name, "done": True, "error": self.video_error})
        clip = base64.b64encode(mp4_for(name)).decode()
        return json_reply(
            {
                "name": name,
                "done": True,
                "response": {
                    "@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse",
                    "videos": [{"bytesBase64Encoded": clip, "mimeType": "video/mp4"}],
                },
            }
        )

    def _fetch_op(self, seen: Seen, _match: Match[str]) -> Reply:
        """POST .../models/<model>:fetchPredictOperation (Vertex polling)."""
        return self._op_state(str((seen.json or {}).get("operationName", "")))

    def _get_op(self, seen: Seen, _match: Match[str]) -> Reply:
        """GET .../operations/<id> (developer API polling)."""
        path = seen.path.lstrip("/")
        return self._op_state(path[path.index("projects/") :] if "projects/" in path else path)
