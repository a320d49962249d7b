"""Authored answers: the provider that answers eval requests from what the team wrote.

Where no live model is at hand, a case's recordings are *authored*: `filmcrew eval CASE
--record --provider authored` runs the real graph once with this provider answering every
model request, and saves each request with its answer as a recording marked
`"source": "authored"`. The answers come from the case's `answers.json` (hand-written data)
and, for scenes the file does not spell out, from the authored DP in `author_shots`::

    {
      "characters": {"NORA": {"age": "60s", "signature_wardrobe": ["rust oilskin coat"]}},
      "shot_planner": {"scenes": {"4": {"shots": [...], "notes": "..."}},
                       "flaws": {"3": "skip_speech"}, "stubborn": ["9"]},
      "continuity": {"5": [{"kind": "injury", "severity": "error", "line": 87,
                            "message": "...", "fix": "..."}]},
      "continuity_events": {"1": [{"line": 25, "who": "TOM", "attribute": "injury",
                                   "value": "injure", "part": "hand", "side": "left", "noun": "cut"}]}
    }

Scene keys are scene numbers as in `breakdown.json`. Usage is estimated at four characters a
token, so calls and tokens per case mean something for authored recordings too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from filmcrew.domain import Screenplay
from filmcrew.errors import InputError
from filmcrew.evals.author_shots import FLAWS, author_plan, read_request
from filmcrew.providers.base import (
    Capabilities,
    Provider,
    TextRequest,
    TextResult,
    Usage,
    canonical_json,
)
from filmcrew.providers.structured import REPAIR_SUFFIX

ROW = re.compile(r"^\s*(\d+) \|")
WRITER_STEPS = ("outline", "beats", "scenes", "critique", "revise")


class ShotAnswers(BaseModel):
    """The shot planner's part of answers.json."""

    model_config = ConfigDict(extra="forbid")

    scenes: dict[str, dict[str, Any]] = Field(default_factory=dict)
    flaws: dict[str, str] = Field(default_factory=dict)
    stubborn: list[str] = Field(default_factory=list)


class WriterAnswers(BaseModel):
    """The writer's part of answers.json: one answer per step of `filmcrew.agents.writer.draft`.

    `beats` is keyed by part (act or episode) number, `scenes` by part number, or `part.beat` for
    a later chunk of a long part (`"1.9"`: part 1 from beat 9). `critique` answers every critique
    round and `revise` every revision the critique asks for.
    """

    model_config = ConfigDict(extra="forbid")

    outline: dict[str, Any] | None = None
    beats: dict[str, dict[str, Any]] = Field(default_factory=dict)
    scenes: dict[str, str] = Field(default_factory=dict)
    critique: dict[str, Any] = Field(default_factory=lambda: {"issues": []})
    revise: dict[str, Any] | None = None


class Answers(BaseModel):
    """A case's hand-written answers."""

    model_config = ConfigDict(extra="forbid")

    characters: dict[str, dict[str, Any]] = Field(default_factory=dict)
    shot_planner: ShotAnswers = Field(default_factory=ShotAnswers)
    continuity: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    continuity_events: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    writer: WriterAnswers = Field(default_factory=WriterAnswers)


def load_answers(path: Path) -> Answers:
    """Read answers.json (a missing file means: let the authored DP answer everything)."""
    if not path.is_file():
        return Answers()
    try:
        answers = Answers.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}", path=str(path)) from exc
    bad = sorted(set(answers.shot_planner.flaws.values()) - set(FLAWS))
    if bad:
        raise InputError(f"unknown flaw {bad[0]!r}; flaws are {', '.join(FLAWS)}", path=str(path))
    return answers


def _first_row(block: str) -> int | None:
    """The source line of the first numbered row of a prompt section."""
    for line in block.split("\n"):
        match = ROW.match(line)
        if match:
            return int(match.group(1))
    return None


class AuthoredProvider(Provider):
    """Answer text requests from a case's answers; every request kind it does not know is an error."""

    name = "authored"
    capabilities = frozenset({"text", "structured"})

    def __init__(self, answers: Answers, screenplay: Screenplay | None, *, draft: Path | None = None) -> None:
        self.answers = answers
        self.screenplay = screenplay
        self.draft = draft

    def capability_info(self, kind: str | None = None) -> Capabilities:
        """Text with structured output; no images or video (frames are sketched)."""
        return Capabilities(text=True, structured=True)

    def text(self, req: TextRequest) -> TextResult:
        """Answer one request with the authored JSON."""
        task, _, _ = req.prompt_id.partition("@")
        handlers: dict[str, Any] = {
            "characters/refine": self._characters, "shot_planner/plan_scene": self._shots,
            "continuity/review_scene": self._continuity, "continuity/extract_state": self._events,
            **{f"writer/{step}": self._writer_step for step in WRITER_STEPS},
        }
        handler = handlers.get(task)
        if handler is None:
            raise InputError(f"authored answers cannot answer prompt {req.prompt_id!r} of agent {req.agent!r}; "
                             "add the agent's answers to the authoring tool")
        answer = handler(req.prompt, req.prompt_id)
        text = answer if isinstance(answer, str) else canonical_json(answer)
        parsed = None if isinstance(answer, str) else answer
        usage = Usage(input_tokens=len(req.prompt) // 4, output_tokens=len(text) // 4)
        return TextResult(text=text, parsed=parsed, usage=usage, provider=self.name, model="")

    def scene_at(self, line: int | None) -> int | None:
        """The scene number whose lines hold a source line (of the script, or of the writer's draft)."""
        if self.screenplay is None and self.draft is not None and self.draft.is_file():
            from filmcrew.tools.source import load_script

            self.screenplay = load_script(self.draft)
        if line is None or self.screenplay is None:
            return None
        for scene in self.screenplay.scenes:
            if scene.start_line <= line <= scene.end_line:
                return scene.number
        return None

    def _characters(self, prompt: str, prompt_id: str) -> dict[str, Any]:
        """Describe every character of the request's cast that answers.json describes."""
        block = prompt.split("(fields already filled are kept):\n", 1)[-1].split("\n\nAction lines", 1)[0]
        try:
            cast = [c["name"] for c in json.loads(block)]
        except (ValueError, KeyError, TypeError):
            cast = []
        known = {k.casefold(): v for k, v in self.answers.characters.items()}
        return {"characters": [{"name": n, **known[n.casefold()]} for n in cast if n.casefold() in known]}

    def _shots(self, prompt: str, prompt_id: str) -> dict[str, Any]:
        """A hand-written plan where answers.json has one, else the authored DP's."""
        repair = prompt_id.endswith(REPAIR_SUFFIX)
        ask = read_request(prompt)
        scene = self.scene_at(ask.rows[0].line if ask.rows else None)
        key = str(scene)
        plans = self.answers.shot_planner
        if key in plans.scenes and not repair:
            return plans.scenes[key]
        flaw = plans.flaws.get(key, "")
        if repair and key not in plans.stubborn:
            flaw = ""
        return author_plan(ask, first_scene=scene == 1, flaw=flaw)

    def _continuity(self, prompt: str, prompt_id: str) -> dict[str, Any]:
        """The findings answers.json lists for the reviewed scene (none by default)."""
        block = prompt.split("\nSCENE:\n", 1)[-1].split("\n\nNEXT SCENE:", 1)[0]
        scene = self.scene_at(_first_row(block))
        return {"findings": self.answers.continuity.get(str(scene), [])}

    def _events(self, prompt: str, prompt_id: str) -> dict[str, Any]:
        """The state changes answers.json logs for the scene (none by default)."""
        scene = self.scene_at(_first_row(prompt.split("\nSCENE:\n", 1)[-1]))
        return {"events": self.answers.continuity_events.get(str(scene), [])}

    def _writer_step(self, prompt: str, prompt_id: str) -> dict[str, Any] | str:
        """Answer one step of the writer from the case's writer answers."""
        task = prompt_id.partition("@")[0]
        writer = self.answers.writer
        part = re.search(r"(?:Break|for) \w+ (\d+)", prompt)
        key = part.group(1) if part else "1"
        if task == "writer/scenes":
            first = re.search(r"Beats to write:\n(\d+)\.", prompt)
            if first and first.group(1) != "1":
                key = f"{key}.{first.group(1)}"
        found: dict[str, Any] | str | None = {
            "writer/outline": writer.outline, "writer/beats": writer.beats.get(key),
            "writer/scenes": writer.scenes.get(key), "writer/critique": writer.critique,
            "writer/revise": writer.revise,
        }[task]
        if found is None:
            raise InputError(f"authored answers have no {task.split('/')[1]} for part {key}; add it under writer")
        return found
