"""Recording sets: the recorded (or authored) model answers of one case, per provider and model.

    evals/recordings/<case>/authored/            answers the team wrote (`"source": "authored"`)
    evals/recordings/<case>/openai--gpt-5.4/     answers a live model gave (`--record`)

Each set is a folder of recording files as `filmcrew.providers.recording` writes them; replay
serves one set per run. Several sets for one case compare models side by side.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

AUTHORED = "authored"


@dataclass(frozen=True)
class RecordingSet:
    """One folder of recordings and what made them."""

    case: str
    name: str
    folder: Path
    source: str
    providers: tuple[str, ...]
    files: int

    def label(self) -> str:
        """Say who answered, for tables: `authored` or `recorded openai/gpt-5.4`."""
        if self.source == AUTHORED:
            return AUTHORED
        who = ", ".join(self.providers) or self.name
        return f"{self.source} {who}"


def set_name(provider: str, model: str = "") -> str:
    """Name the set a provider/model records into (`openai--gpt-5.4`, `authored`)."""
    if not model:
        return provider
    return f"{provider}--{re.sub(r'[^A-Za-z0-9._-]+', '-', model).strip('-')}"


def describe(case: str, folder: Path) -> RecordingSet:
    """Read a set's files to say whether they were authored or recorded, and by whom."""
    sources: Counter[str] = Counter()
    who: set[str] = set()
    files = sorted(folder.glob("*.json"))
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue  # replay reports a broken file with its line; here it is only described
        sources[str(data.get("source") or "recorded")] += 1
        provider, model = str(data.get("provider", "")), str(data.get("model", ""))
        if provider and provider != AUTHORED:
            who.add(f"{provider}/{model}" if model else provider)
    source = "mixed" if len(sources) > 1 else (next(iter(sources)) if sources else "empty")
    return RecordingSet(case=case, name=folder.name, folder=folder, source=source,
                        providers=tuple(sorted(who)), files=len(files))


def sets_for(recordings_dir: Path, case: str) -> list[RecordingSet]:
    """List a case's recording sets, authored first, then by name."""
    root = recordings_dir / case
    if not root.is_dir():
        return []
    found = [describe(case, p) for p in sorted(root.iterdir()) if p.is_dir()]
    return sorted(found, key=lambda s: (s.name != AUTHORED, s.name))


def replace_set(target: Path, fresh: Path) -> None:
    """Swap a set's folder for a freshly recorded one, so no stale recording survives."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    shutil.copytree(fresh, target)
    if old.exists():
        shutil.rmtree(old)
