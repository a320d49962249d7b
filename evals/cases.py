"""Eval cases as data: `evals/cases/<case>/case.toml` plus the script (or logline) it names.

A case says what to run (a screenplay file, a generated script, or a logline for the writer),
with which settings (aspect, style, exports, which agents call a model) and what the result
must show (`[expect]`). Adding a case is adding a folder; no code changes::

    title = "The Lighthouse Key"
    kind = "short"                      # short | microdrama | feature | logline | continuity
    script = "script.fountain"
    aspect = "16:9"
    agents = ["characters", "shot_planner", "continuity"]
    truth = "truth.json"                # seeded continuity errors (optional)

    [expect]
    scenes = 12
    characters = ["NORA", "ISLA"]

Recordings live apart, in `evals/recordings/<case>/<set>/` (see `filmcrew.evals.recordings`).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from filmcrew.errors import InputError

CASE_FILE = "case.toml"
RESERVED = frozenset({"continuity"})  # `filmcrew eval continuity` names the continuity corpus
MODEL_AGENTS = ("writer", "characters", "shot_planner", "continuity", "storyboard")
DEFAULT_AGENTS = ["characters", "shot_planner", "continuity"]
DEFAULT_FORMATS = ["fountain", "csv", "json"]
CaseKind = Literal["short", "microdrama", "feature", "logline", "continuity", "other"]


class _Strict(BaseModel):
    """A case table that rejects unknown keys, so a typo cannot silently drop an expectation."""

    model_config = ConfigDict(extra="forbid")


class Expect(_Strict):
    """Properties the crew's result must show; each one is a check of the `expect` grader."""

    scenes: int | None = None
    story_days: int | None = None
    characters: list[str] = Field(default_factory=list)
    min_shots: int | None = None
    max_shots: int | None = None
    min_runtime_s: float | None = None
    max_runtime_s: float | None = None
    hook: bool | None = None
    cliffhanger: bool | None = None
    finding_kinds: list[str] = Field(default_factory=list)
    max_errors: int | None = None
    notes_mention: list[str] = Field(default_factory=list)


class Generate(_Strict):
    """A script made by a generator instead of a committed file (the feature-length case)."""

    generator: Literal["feature"] = "feature"
    pages: int = Field(default=110, ge=1, le=300)
    seed: int = 7


class Logline(_Strict):
    """What the writer is asked for in a logline case."""

    text: str
    minutes: float | None = None
    format: str = ""
    episodes: int | None = None


class Case(_Strict):
    """One eval case (its id is the folder name)."""

    id: str = ""
    folder: Path = Path()
    title: str
    kind: CaseKind = "other"
    description: str = ""
    script: str = ""
    generate: Generate | None = None
    logline: Logline | None = None
    aspect: str = "16:9"
    style: str = ""
    formats: list[str] = Field(default_factory=lambda: list(DEFAULT_FORMATS))
    agents: list[str] = Field(default_factory=lambda: list(DEFAULT_AGENTS))
    continuity_rounds: int = Field(default=1, ge=0, le=5)
    truth: str = ""
    answers: str = "answers.json"
    expect: Expect = Field(default_factory=Expect)

    def script_path(self) -> Path | None:
        """The committed script of the case, or None when it is generated or a logline."""
        return self.folder / self.script if self.script else None

    def truth_path(self) -> Path | None:
        """The seeded-errors file of the case, or None."""
        return self.folder / self.truth if self.truth else None

    def answers_path(self) -> Path:
        """Where the hand-written answers for authored recordings live."""
        return self.folder / self.answers


def _toml_error(path: Path, exc: tomllib.TOMLDecodeError) -> InputError:
    """Turn a TOML parse error into a one-line input error naming file and line."""
    match = re.search(r"line (\d+)", str(exc))
    return InputError(f"not valid TOML: {str(exc).split(' (at')[0]}", path=str(path),
                      line=int(match.group(1)) if match else None)


def _line_of(path: Path, key: str) -> int | None:
    """Find the first line of the case file that sets a key, to point an error at it."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(rf"\s*\[?\s*{re.escape(key)}\b", text):
            return number
    return None


def _checked(case: Case, path: Path) -> Case:
    """Check what the schema cannot: exactly one input, files that exist, known agents."""
    inputs = [name for name in ("script", "generate", "logline") if getattr(case, name)]
    if len(inputs) != 1:
        raise InputError(f"a case needs exactly one of script, [generate] or [logline] (found {inputs or 'none'})",
                         path=str(path))
    for name in ("script", "truth"):
        value = getattr(case, name)
        if value and not (case.folder / value).is_file():
            raise InputError(f"{name} file {value!r} does not exist beside the case file", path=str(path),
                             line=_line_of(path, name))
    if case.logline is not None and "writer" not in case.agents:
        raise InputError("a logline case needs the writer among its agents", path=str(path), line=_line_of(path, "agents"))
    unknown = [a for a in case.agents if a not in MODEL_AGENTS]
    if unknown:
        raise InputError(f"unknown agent(s) {', '.join(unknown)} in agents; known: {', '.join(MODEL_AGENTS)}",
                         path=str(path), line=_line_of(path, "agents"))
    return case


def load_case(folder: Path) -> Case:
    """Read and check one case folder."""
    path = folder / CASE_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(path, exc) from exc
    except OSError as exc:
        raise InputError(f"cannot read case file: {exc.strerror}", path=str(path)) from exc
    try:
        case = Case.model_validate({**raw, "id": folder.name, "folder": folder})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(f"{where}: {err['msg']}", path=str(path), line=_line_of(path, str(err["loc"][0]))) from exc
    return _checked(case, path)


def load_cases(cases_dir: Path, names: list[str] | None = None) -> list[Case]:
    """Load every case (or the named ones), in name order; an unknown name is an input error."""
    found = {p.parent.name: p.parent for p in sorted(cases_dir.glob(f"*/{CASE_FILE}"))}
    for name in found:
        if name in RESERVED:
            raise InputError(f"case name {name!r} is reserved; rename the folder", path=str(cases_dir / name))
    wanted = names or sorted(found)
    missing = [n for n in wanted if n not in found]
    if missing:
        from filmcrew.config import did_you_mean

        hint = did_you_mean(missing[0], sorted(found))
        raise InputError(f"no eval case {missing[0]!r}{hint}; cases: {', '.join(sorted(found)) or 'none'}",
                         path=str(cases_dir))
    return [load_case(found[name]) for name in wanted]
