"""Prompt files and their renderer.

Prompts live in `prompts/<agent>/<task>.md`: front matter (`id`, `version`, `inputs`, `output`)
then fixed headings (`# Role`, `# Rules`, `# Output format`, `# Input`) with `$name`
placeholders (`string.Template`, so JSON examples need no escaped braces). `render` refuses a
missing variable and an unused declared input, so a prompt and its caller cannot drift apart.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from filmcrew.errors import PromptError

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


@dataclass(frozen=True)
class Prompt:
    """A prompt file: its identity, declared inputs and template body."""

    id: str
    version: str
    inputs: tuple[str, ...]
    output: str
    body: str


@dataclass(frozen=True)
class Rendered:
    """A rendered prompt; `key` (id@version) goes into request fingerprints."""

    id: str
    version: str
    text: str

    @property
    def key(self) -> str:
        """Return `id@version`, which changes whenever the prompt does."""
        return f"{self.id}@{self.version}"


def _parse_front_matter(block: str, name: str) -> dict[str, str]:
    """Read the simple `key: value` front matter of a prompt file."""
    fields: dict[str, str] = {}
    for raw in block.splitlines():
        if not raw.strip():
            continue
        if ":" not in raw:
            raise PromptError(f"bad front matter line {raw!r}", path=name)
        key, value = raw.split(":", 1)
        fields[key.strip()] = value.strip()
    return fields


@lru_cache(maxsize=None)
def load(prompt_id: str) -> Prompt:
    """Load `prompts/<agent>/<task>.md` by its id `agent/task`."""
    agent, _, task = prompt_id.partition("/")
    try:
        text = resources.files(__name__).joinpath(agent, f"{task}.md").read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise PromptError(f"no prompt file for {prompt_id!r}", path=f"prompts/{prompt_id}.md") from exc
    match = _FRONT.match(text)
    if match is None:
        raise PromptError("prompt file has no front matter", path=f"prompts/{prompt_id}.md")
    fields = _parse_front_matter(match.group(1), f"prompts/{prompt_id}.md")
    inputs = tuple(i.strip() for i in fields.get("inputs", "").strip("[]").split(",") if i.strip())
    return Prompt(
        id=fields.get("id", prompt_id),
        version=fields.get("version", "1"),
        inputs=inputs,
        output=fields.get("output", ""),
        body=text[match.end() :],
    )


def render(prompt_id: str, **values: object) -> Rendered:
    """Fill a prompt's placeholders; every declared input must be given and used."""
    prompt = load(prompt_id)
    where = f"prompts/{prompt_id}.md"
    missing = [name for name in prompt.inputs if name not in values]
    if missing:
        raise PromptError(f"missing prompt variables: {', '.join(missing)}", path=where)
    extra = sorted(set(values) - set(prompt.inputs))
    if extra:
        raise PromptError(f"variables not declared in inputs: {', '.join(extra)}", path=where)
    used = {m.group("named") or m.group("braced") for m in string.Template.pattern.finditer(prompt.body)}
    unused = [name for name in prompt.inputs if name not in used]
    if unused:
        raise PromptError(f"declared inputs not used in the template: {', '.join(unused)}", path=where)
    try:
        text = string.Template(prompt.body).substitute({k: str(v) for k, v in values.items()})
    except (KeyError, ValueError) as exc:
        raise PromptError(f"cannot render: {exc}", path=where) from exc
    return Rendered(id=prompt.id, version=prompt.version, text=text)


def all_prompt_ids() -> list[str]:
    """List every prompt id shipped with the package (for the render-all test)."""
    root = resources.files(__name__)
    ids: list[str] = []
    for agent in sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        for task in sorted(p.name for p in root.joinpath(agent).iterdir() if p.name.endswith(".md")):
            ids.append(f"{agent}/{task[:-3]}")
    return ids
