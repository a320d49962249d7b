"""What the vendor adapters (OpenAI, Gemini) share, so both answer alike.

Both are configured with one model per kind and one capability row per kind, refuse the same
requests before sending them (no model set, images for a model that cannot see, too many
reference images), map HTTP statuses onto the same neutral errors, and read a structured
answer as a JSON object the same way. The SDK calls themselves stay in each adapter.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from filmcrew.providers.base import (
    Capabilities,
    ImageRequest,
    Provider,
    ProviderError,
    ProviderTimeout,
    RateLimited,
    RequestRejected,
    ServerError,
    Unsupported,
)
from filmcrew.providers.http import parse_retry_after, status_reason


class VendorProvider(Provider):
    """A real vendor's adapter: `models` maps a kind to a model, `caps` a kind to its row."""

    models: dict[str, str]
    caps: dict[str, Capabilities]

    _client_lock = threading.Lock()

    def _client_once(self, build: Callable[[], Any]) -> Any:
        """Build the SDK client on first use, once: parallel first calls (the crew's fan-out)
        would otherwise each build one and leave all but the last with open sockets."""
        client = getattr(self, "_client", None)
        if client is None:
            with self._client_lock:
                client = getattr(self, "_client", None)
                if client is None:
                    client = self._client = build()
        return client

    def model_for(self, kind: str) -> str:
        """Return the configured model for a kind."""
        return self.models.get(kind, "")

    def _configured_caps(self, kind: str | None) -> Capabilities:
        """Merge the capability rows of the kinds that have a model (one kind, or all)."""
        merged = Capabilities()
        for k, caps in self.caps.items():
            if kind in (None, k) and self.models.get(k):
                merged = merged.merged(caps)
        return merged

    def _model(self, kind: str, req: Any) -> str:
        """Pick the pinned or configured model, or explain that none is set."""
        model = req.model or self.models.get(kind, "")
        if not model:
            raise Unsupported(self.name, kind,
                              f"no {kind} model configured ({self._model_hint(kind)})")
        return model

    def _model_hint(self, kind: str) -> str:
        """Say where a missing model is configured (adapters may say more)."""
        return f"[{self.name}] {kind}_model"

    def _check_vision(self, model: str) -> None:
        """Refuse images, unsent, when the text model is not declared to read them."""
        if not self.capability_info("text").vision:
            row = f'[capabilities."{self.name}/{model}"]'
            raise Unsupported(self.name, "vision", f"{model} is not declared to read images "
                              f"(add vision = true under {row} if it does)")

    @contextlib.contextmanager
    def _errors(self, model: str) -> Iterator[None]:
        """Translate what the SDK raises into neutral provider errors; re-raise the rest."""
        who = {"provider": self.name, "model": model}
        try:
            yield
        except Exception as exc:
            mapped = self._neutral_error(exc, who)
            if mapped is None:
                raise
            raise mapped from exc

    def _neutral_error(self, exc: Exception, who: dict[str, str]) -> ProviderError | None:
        """Map one SDK or transport error onto a neutral error; None leaves it as it is."""
        return None

    def _check_references(self, model: str, req: ImageRequest) -> None:
        """Refuse, unsent, more reference images than the image model takes."""
        limit = self.capability_info("image").max_reference_images
        if len(req.references) > limit:
            raise Unsupported(self.name, "image", f"{len(req.references)} reference images; "
                              f"{model} takes at most {limit}")


def status_error(status: int, detail: str, headers: Mapping[str, Any] | None,
                 who: dict[str, str]) -> ProviderError:
    """Map an HTTP status onto a neutral error (429, 5xx, 408 retry; other 4xx do not)."""
    if status == 429:
        return RateLimited(status_reason(429), status=429, retry_after=parse_retry_after(headers),
                           **who)
    if status >= 500:
        return ServerError(status_reason(status), status=status,
                           retry_after=parse_retry_after(headers), **who)
    if status == 408:
        return ProviderTimeout(status_reason(408), status=408, **who)
    return RequestRejected(status_reason(status, detail), status=status, **who)


def json_object(text: str) -> dict[str, Any] | None:
    """Parse an answer as a JSON object; None when it is not one (Repairing re-asks)."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
