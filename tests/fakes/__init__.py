"""Loopback fakes of the vendor APIs, for tests that run the real SDKs offline."""

from .gemini_fake import FakeGemini
from .openai_fake import FakeOpenAI
from .samples import mp4_for, png_for, sample_for_schema
from .server import Fault, FakeServer, Part, Seen

__all__ = [
    "FakeGemini",
    "FakeOpenAI",
    "FakeServer",
    "Fault",
    "Part",
    "Seen",
    "mp4_for",
    "png_for",
    "sample_for_schema",
]
