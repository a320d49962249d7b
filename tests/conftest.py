"""Test-wide setup: no network but loopback, no keys, a private project data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["LANGGRAPH_STRICT_MSGPACK"] = "true"

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FILMCREW_SHARED", REPO.parent / "shared"))
EXAMPLES = REPO / "examples"

SECRET_VARS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "GEMINI_API_KEY", "GOOGLE_API_KEY",
               "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "FILMCREW_PROVIDER", "FILMCREW_MODEL")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Point the project data folder at a temporary one and drop any real provider keys."""
    monkeypatch.setenv("FILMCREW_HOME", str(tmp_path / ".filmcrew-home"))
    for name in SECRET_VARS:
        monkeypatch.delenv(name, raising=False)


def shared_dir(*parts: str) -> Path:
    """Return a folder of the shared reference data, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not found at {path} (set FILMCREW_SHARED to the shared/ folder)")
    return path


from tests.conftest_conformance import pytest_terminal_summary  # noqa: E402,F401  (conformance figures)
