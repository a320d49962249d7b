"""The crew used to author recordings: its model agents are answered by the authored provider.

Each answer is written as a recording marked `"source": "authored"` (provider `authored`), in the
same format a live recording has, so replay cannot tell them apart and the report can.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from filmcrew.crew import Crew
from filmcrew.providers import ledger
from filmcrew.providers.base import Provider, Wrapper, canonical_json
from filmcrew.providers.codec import result_to_record
from filmcrew.providers.logged import Logged, Metered
from filmcrew.providers.recording import author_recording


class AuthoringRecorder(Wrapper):
    """Save every answer of the inner provider as an authored recording."""

    name = "authoring"

    def __init__(self, inner: Provider, directory: Path | None) -> None:
        super().__init__(inner)
        self.directory = directory

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Answer, then write the request and the answer (when a folder is given)."""
        result = call(req)
        if self.directory is not None:
            author_recording(self.directory, req, _compact(result_to_record(kind, result, self.directory)), kind=kind)
        return result


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """Drop the answer's text where replay rebuilds it from `parsed` (it is canonical JSON of it)."""
    parsed = record.get("parsed")
    if parsed is not None and record.get("text") == canonical_json(parsed):
        return {k: v for k, v in record.items() if k != "text"}
    return record


class AuthoringCrew(Crew):
    """A crew whose listed agents call the authored provider; the others keep their providers."""

    def __init__(self, project_dir: Path, config: Any, *, author: Provider, agents: set[str],
                 record_dir: Path | None, **kwargs: Any) -> None:
        super().__init__(project_dir, config, **kwargs)
        self.author = author
        self._agents = agents
        self._authored = Logged(Metered(AuthoringRecorder(author, record_dir), ledger(config), config.price_for))

    def provider_for(self, agent: str) -> Any:
        """The authored stack for the case's model agents, the configured one for the rest."""
        return self._authored if agent in self._agents else super().provider_for(agent)
