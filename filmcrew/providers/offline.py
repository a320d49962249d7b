"""The offline provider: the default when nothing is configured. It never calls out.

Every call raises `NotAvailable`, which agents catch to use their deterministic craft rules
(breakdown, shot planning, continuity checks and sketch storyboards all work without a model;
writing a screenplay from a logline does not, and says so). The run header reports it
through `Settings.summary()`.
"""

from __future__ import annotations

from filmcrew.providers.base import (
    Capabilities,
    ImageRequest,
    ImageResult,
    NotAvailable,
    Provider,
    TextRequest,
    TextResult,
    VideoRequest,
    VideoResult,
)

WHY = "no model configured (offline); set OPENAI_API_KEY, GEMINI_API_KEY or OPENAI_BASE_URL"


class OfflineProvider(Provider):
    """A provider with no model: every call is `NotAvailable`."""

    name = "offline"
    capabilities = frozenset()

    def __init__(self, why: str = WHY) -> None:
        self.why = why

    def capability_info(self, kind: str | None = None) -> Capabilities:
        """Nothing: agents use their rules."""
        return Capabilities()

    def text(self, req: TextRequest) -> TextResult:
        """Refuse: there is no text model."""
        raise NotAvailable(self.name, "text", self.why)

    def image(self, req: ImageRequest) -> ImageResult:
        """Refuse: there is no image model."""
        raise NotAvailable(self.name, "image", self.why)

    def video(self, req: VideoRequest) -> VideoResult:
        """Refuse: there is no video model."""
        raise NotAvailable(self.name, "video", self.why)
