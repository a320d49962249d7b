"""Jouvence (Ludovic Chabant, Apache-2.0): YAML cases of tokens, and our parse as tokens.

Each case is a YAML document with `in` (Fountain), `out` (body tokens whose first character
gives the type, see the suite's FORMAT.md) and sometimes `title`. Jouvence keeps blank lines
inside action text and merges consecutive action paragraphs; both sides are normalised the
same way here: action text loses blank lines at its edges and trailing spaces on each line,
runs of blank lines become one, consecutive plain actions merge, empty actions go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from filmcrew.domain import Screenplay

from .common import body, conformance_dir, cue_text, markup

SUITE = "jouvence"
_BLANKS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t]+\n")


@dataclass(frozen=True)
class Case:
    """One YAML document of one `test_*.yaml` file."""

    id: str
    source: str
    tokens: tuple[str, ...]
    title: dict[str, str] | None


def folder() -> Path:
    """Return the suite's folder."""
    return conformance_dir() / SUITE


def load_cases() -> list[Case]:
    """Read every case; ids follow upstream: `<file stem>_<index>`."""
    cases = []
    for path in sorted(folder().glob("test_*.yaml")):
        documents: list[Any] = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        for index, document in enumerate(d for d in documents if d is not None):
            title = document.get("title")
            cases.append(
                Case(
                    id=f"{path.stem}_{index}",
                    source=document["in"],
                    tokens=tuple(document.get("out") or ()),
                    title={str(k): str(v) for k, v in title.items()} if title is not None else None,
                )
            )
    return cases


def tokens(screenplay: Screenplay) -> list[str]:
    """Render our body as Jouvence tokens."""
    out = []
    for element in body(screenplay):
        kind, text = element.kind, markup(element)
        prefix = {
            "scene_heading": ".",
            "action": "!",
            "centered": "!><",
            "dialogue": "=",
            "parenthetical": "_",
            "transition": ">",
            "lyric": "~",
            "section": "#",
            "synopsis": "+",
        }.get(kind)
        if kind == "character":
            out.append("@" + cue_text(element))
        elif kind == "page_break":
            out.append("<pagebreak>")
        elif prefix is not None:
            out.append(prefix + text)
    return out


def title(screenplay: Screenplay) -> dict[str, str]:
    """Render our title page as Jouvence's mapping (keys lower-cased)."""
    return {entry.key.lower(): entry.value for entry in screenplay.title_page}


def normalise(items: list[str] | tuple[str, ...]) -> list[str]:
    """Bring action tokens to one form on both sides (see the module docstring)."""
    result: list[str] = []
    for token in items:
        if token.startswith("!"):
            prefix = "!><" if token.startswith("!><") else "!"
            text = _TRAILING.sub("\n", token[len(prefix) :] + "\n").strip("\n")
            text = _BLANKS.sub("\n\n", text)
            if not text:
                continue
            if (
                prefix == "!"
                and result
                and result[-1].startswith("!")
                and not result[-1].startswith("!><")
            ):
                result[-1] += "\n\n" + text
                continue
            token = prefix + text
        result.append(token)
    return result
