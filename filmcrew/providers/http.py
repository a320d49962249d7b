"""Small HTTP facts shared by the vendor adapters: status reasons and Retry-After."""

from __future__ import annotations

import email.utils
import http
import time
from collections.abc import Mapping
from typing import Any


def status_reason(status: int, detail: str = "") -> str:
    """Say `503 Service Unavailable`, with a short detail for errors worth reading."""
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "HTTP error"
    text = f"{status} {phrase}"
    detail = " ".join(detail.split())[:200]
    return f"{text}: {detail}" if detail else text


def parse_retry_after(headers: Mapping[str, Any] | None, now: float | None = None) -> float | None:
    """Read `retry-after-ms` or `Retry-After` (seconds or an HTTP date) as seconds."""
    if not headers:
        return None
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    if "retry-after-ms" in lowered:
        try:
            return max(0.0, float(lowered["retry-after-ms"]) / 1000)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (now if now is not None else time.time()))


def sniff_mime(data: bytes) -> str:
    """Name an image's type from its first bytes (PNG, JPEG, WebP, GIF)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return "application/octet-stream"


def as_png(data: bytes) -> bytes:
    """Return PNG bytes, converting other image formats with Pillow."""
    if sniff_mime(data) == "image/png":
        return data
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
