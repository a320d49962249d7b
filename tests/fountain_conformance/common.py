"""What the three conformance suites share: where the data lives, the known differences, and a
tally of results that the terminal summary prints.

The suites live beside the project in `../shared/conformance/` (see its README); the
environment variable FILMCREW_SHARED points at another `shared` folder. They are third-party
data and are never copied into this repository.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from filmcrew.domain import Element, Screenplay
from filmcrew.tools import emphasis

REPO = Path(__file__).resolve().parents[2]
KNOWN_DIFFERENCES = REPO / "tests" / "conformance_known_differences.yaml"


def conformance_dir() -> Path:
    """Return the folder holding the suites (it may not exist)."""
    shared = os.environ.get("FILMCREW_SHARED")
    base = Path(shared) if shared else REPO.parent / "shared"
    return base / "conformance"


def missing_reason(suite: str) -> str | None:
    """Return why a suite cannot run here, or None when its folder is present."""
    folder = conformance_dir() / suite
    if folder.is_dir():
        return None
    hint = "set FILMCREW_SHARED to the shared folder"
    return f"conformance suite {suite!r} not found at {folder} ({hint})"


@dataclass(frozen=True)
class KnownDifference:
    """A case where we differ from a suite on purpose, and why our reading is right."""

    suite: str
    case: str
    differs: str
    reason: str


def known_differences() -> dict[tuple[str, str], KnownDifference]:
    """Load the allow-list of expected differences, keyed by (suite, case id)."""
    entries = yaml.safe_load(KNOWN_DIFFERENCES.read_text(encoding="utf-8")) or []
    found: dict[tuple[str, str], KnownDifference] = {}
    for entry in entries:
        item = KnownDifference(entry["suite"], entry["case"], entry["differs"], entry["reason"])
        found[(item.suite, item.case)] = item
    return found


def markup(element: Element) -> str:
    """Return an element's text with its emphasis written back as Fountain markers, which is
    how the suites (which do not interpret emphasis) show it."""
    if not element.runs:
        return element.text
    return emphasis.render(emphasis.from_runs(element.runs), escape_literals=False)


def cue_text(element: Element, drop_contd: bool = False) -> str:
    """Return a cue as written: name then each extension in parentheses."""
    extensions = [e for e in element.extensions if not (drop_contd and is_contd(e))]
    return " ".join([element.text, *(f"({e})" for e in extensions)])


def is_contd(extension: str) -> bool:
    """Say whether an extension is CONT'D (straight or curly apostrophe)."""
    return extension.replace("’", "'").upper() in ("CONT'D", "CONTD", "CONT.")


def body(screenplay: Screenplay) -> list[Element]:
    """Return the elements a printed script shows (notes left out)."""
    return [e for e in screenplay.elements if e.kind != "note"]


# --- results tally ---------------------------------------------------------------------------

RESULTS: dict[str, dict[str, str]] = defaultdict(dict)
"""suite -> case id -> "passed" | "known" (known difference, as listed) | "failed"."""


def record(suite: str, case: str, passed: bool, known: bool) -> None:
    """Remember how one case went, for the summary."""
    if passed:
        RESULTS[suite][case] = "passed"
    else:
        RESULTS[suite][case] = "known" if known else "failed"


def summary_lines() -> list[str]:
    """Return one line per suite: `conformance jouvence: 45/46 passed (98%), 1 known difference`."""
    lines = []
    for suite in sorted(RESULTS):
        outcomes = list(RESULTS[suite].values())
        total = len(outcomes)
        passed = outcomes.count("passed")
        known = outcomes.count("known")
        failed = outcomes.count("failed")
        percent = round(100 * passed / total) if total else 0
        text = f"conformance {suite}: {passed}/{total} passed ({percent}%)"
        if known:
            text += f", {known} known difference{'s' if known > 1 else ''}"
        if failed:
            text += f", {failed} FAILED"
        lines.append(text)
    return lines
