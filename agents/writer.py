"""The writer: logline → outline → beat sheet → scenes in Fountain, checked, critiqued, revised.

Every draft a model returns is parsed by filmcrew's own parser before anything else sees it;
what the parser cannot use (no scene headings, text before the first heading, a heading with
no time of day, the wrong number of scenes) goes back to the model with the parser's messages,
a bounded number of times (`WriterOptions.fix_retries`). Then a bounded critique round
(`critique_rounds`, default 1) checks the draft against its format's rubric: filmcrew measures
what it can count (screen time, cast), a critic model judges what needs reading (hook,
cliffhanger), and the issues come back as scene edits. A revision by instruction is scene edits
too, spliced into the text so untouched scenes keep their fingerprints and every later stage
redoes only what changed.

Writing needs a text model; without one `require_text_model` raises `ModelRequired` (exit 2)
saying how to configure one.
"""

from __future__ import annotations

from typing import Any

import structlog
from pydantic import BaseModel

from filmcrew.agents.writer_fountain import (
    apply_edits,
    clean_reply,
    diff_scripts,
    numbered,
    problems_of,
    scene_outline,
)
from filmcrew.agents.writer_models import (
    Beat,
    BeatSheet,
    Critique,
    Draft,
    DraftedScript,
    Issue,
    Outline,
    Part,
    Revision,
    ScriptEdits,
    WriterOptions,
    WriterSpec,
)
from filmcrew.agents.writer_rubric import (
    Rubric,
    measure,
    measured_text,
    normalised,
    part_seconds,
    rubric_for,
    rule_issues,
)
from filmcrew.errors import InputError, ProviderFailed
from filmcrew.prompts import render
from filmcrew.providers.base import Provider, TextRequest
from filmcrew.providers.structured import structured

log = structlog.get_logger(__name__)

AGENT = "writer"
BEFORE_CHARS = 1500
REPLY_CHARS = 12000
HOW_TO_CONFIGURE = (
    "set OPENAI_API_KEY or GEMINI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server "
    "(Ollama, llama.cpp, LM Studio, vLLM), or choose one in filmcrew.toml ([agents.writer] provider = ...); "
    "`filmcrew providers` shows what is configured"
)


class ModelRequired(InputError):
    """Writing from a logline (or understanding plain language) needs a text model."""


class DraftRejected(ProviderFailed):
    """The model's screenplay still failed the parser after the bounded retries."""


def require_text_model(provider: Provider, what: str = "writing a screenplay from a logline") -> None:
    """Raise `ModelRequired` (exit 2) with configuration help when no text model is configured."""
    if not provider.supports("text"):
        raise ModelRequired(f"{what} needs a text model: {HOW_TO_CONFIGURE}")


def writer_options(config: Any) -> WriterOptions:
    """Read the `[writer]` table of the configuration when there is one, else the defaults."""
    table = getattr(config, "writer", None)
    if isinstance(table, BaseModel):
        table = table.model_dump()
    return WriterOptions.model_validate(table or {})


# --- requests ----------------------------------------------------------------------------


def _request(prompt_id: str, **values: object) -> TextRequest:
    """Render a writer prompt into a text request."""
    rendered = render(prompt_id, **values)
    return TextRequest(agent=AGENT, prompt=rendered.text, prompt_id=rendered.key)


def fix_request(original: TextRequest, reply: str, problems: list[str]) -> TextRequest:
    """The re-ask carrying the parser's messages about a reply (line numbers into the reply)."""
    fixed = _request("writer/fix", request=original.prompt, reply=numbered(reply[:REPLY_CHARS]),
                     problems="\n".join(f"- {p}" for p in problems))
    return fixed.model_copy(update={"json_schema": original.json_schema, "schema_name": original.schema_name})


def _outline_text(outline: Outline) -> str:
    """Lay the outline out for the later prompts."""
    cast = "\n".join(f"- {c.name} ({c.age}): {c.look}; wears {c.wardrobe}; wants {c.want}" for c in outline.cast)
    parts = "\n".join(f"{p.number}. {p.title}: {p.summary} Ends: {p.ending}" for p in outline.parts)
    return f"Title: {outline.title}\nLogline: {outline.logline}\nTone: {outline.tone}\nCast:\n{cast}\nParts:\n{parts}"


def _beats_text(beats: list[Beat], first: int) -> str:
    """Number beats for the scene prompt."""
    return "\n".join(f"{first + i}. {b.heading} ({b.seconds} s; {', '.join(b.characters)}): {b.summary}"
                     for i, b in enumerate(beats))


# --- the feedback loops ------------------------------------------------------------------


def ask_fountain(provider: Provider, request: TextRequest, *, expect_scenes: int | None, retries: int) -> str:
    """Ask for scenes in Fountain; send parser problems back until clean or out of retries."""
    reply = clean_reply(provider.text(request).text)
    for attempt in range(retries + 1):
        _, problems = problems_of(reply, expect_scenes=expect_scenes)
        if not problems:
            return reply
        log.info("writer_parse_problems", attempt=attempt + 1, problems=len(problems))
        if attempt == retries:
            break
        reply = clean_reply(provider.text(fix_request(request, reply, problems)).text)
    raise DraftRejected(f"the writer's Fountain still fails the parser after {retries} fix(es): "
                        + "; ".join(problems[:4]))


def ask_edits(provider: Provider, request: TextRequest, text: str, retries: int) -> tuple[str, str]:
    """Ask for scene edits and splice them in; send problems back until they apply cleanly."""
    edits, _ = structured(provider, request, ScriptEdits)
    for attempt in range(retries + 1):
        revised, problems = apply_edits(text, edits.edits)
        if not problems:
            return revised, edits.summary
        log.info("writer_edit_problems", attempt=attempt + 1, problems=len(problems))
        if attempt == retries:
            break
        edits, _ = structured(provider, fix_request(request, edits.model_dump_json(indent=1), problems), ScriptEdits)
    raise DraftRejected(f"the writer's edits still fail the parser after {retries} fix(es): " + "; ".join(problems[:4]))


def _ask_outline(provider: Provider, spec: WriterSpec, rubric: Rubric, options: WriterOptions) -> Outline:
    """Ask for the outline; a wrong number of parts or an empty cast goes back once per retry."""
    parts = spec.episodes if spec.format == "microdrama" else rubric.parts
    request = _request("writer/outline", logline=spec.logline, label=rubric.label, minutes=f"{spec.minutes * parts:g}"
                       if spec.format == "microdrama" else f"{spec.minutes:g}", parts=parts,
                       part_name=rubric.part_name, max_cast=rubric.max_cast, rules=rubric.rules_text())
    outline, _ = structured(provider, request, Outline)
    for _attempt in range(options.fix_retries):
        problems = _outline_problems(outline, parts)
        if not problems:
            break
        outline, _ = structured(provider, fix_request(request, outline.model_dump_json(indent=1), problems), Outline)
    problems = _outline_problems(outline, parts)
    if problems:
        raise DraftRejected("the writer's outline is unusable: " + "; ".join(problems))
    return outline


def _outline_problems(outline: Outline, parts: int) -> list[str]:
    """Check the outline's shape: the parts asked for and a named cast."""
    problems = []
    if len(outline.parts) != parts:
        problems.append(f"the outline has {len(outline.parts)} parts; it needs exactly {parts}")
    names = [c.name.strip().upper() for c in outline.cast]
    if not names or not all(names):
        problems.append("the cast is empty or has a character without a name")
    elif len(set(names)) != len(names):
        problems.append("two cast members share a name")
    return problems


# --- drafting ----------------------------------------------------------------------------


def write_part(provider: Provider, outline: Outline, part: Part, spec: WriterSpec, rubric: Rubric,
               options: WriterOptions) -> str:
    """Beat sheet, then scenes in chunks, every chunk checked by the parser."""
    seconds = part_seconds(spec, rubric, len(outline.parts))
    sheet, _ = structured(provider, _request(
        "writer/beats", label=rubric.label, outline=_outline_text(outline), part_name=rubric.part_name,
        part=part.number, seconds=seconds, scene_seconds=rubric.scene_seconds, rules=rubric.rules_text()), BeatSheet)
    if not sheet.beats:
        raise DraftRejected(f"the writer returned no beats for {rubric.part_name} {part.number}")
    written: list[str] = []
    step = rubric.beats_per_call
    for start in range(0, len(sheet.beats), step):
        chunk = sheet.beats[start:start + step]
        before = "\n\n".join(written)[-BEFORE_CHARS:] or "(none: these are the first scenes)"
        request = _request("writer/scenes", label=rubric.label, outline=_outline_text(outline),
                           part_name=rubric.part_name, part=part.number, beats=_beats_text(chunk, start + 1),
                           count=len(chunk), before=before)
        written.append(ask_fountain(provider, request, expect_scenes=len(chunk), retries=options.fix_retries))
    return "\n\n".join(w.strip("\n") for w in written) + "\n"


def title_page(outline: Outline, spec: WriterSpec, rubric: Rubric, part: Part | None) -> str:
    """The title page the writer puts above a draft (no dates: drafts are byte-stable)."""
    lines = [f"Title: {outline.title}"]
    if part is not None:
        lines.append(f"Episode: {part.number} - {part.title}")
    lines += ["Credit: Written by", "Author: filmcrew writer", f"Format: {rubric.label[0].upper()}{rubric.label[1:]}"
              + (f", {rubric.aspect}" if spec.format == "microdrama" else ""), f"Logline: {spec.logline}"]
    return "\n".join(lines) + "\n\n"


def draft(provider: Provider, spec: WriterSpec, options: WriterOptions | None = None, *,
          reference_limit: int = 0) -> Draft:
    """Write a screenplay (or a season, one screenplay per episode) from a logline."""
    require_text_model(provider)
    options = options or WriterOptions()
    spec = normalised(spec)
    rubric = rubric_for(spec.format)
    outline = _ask_outline(provider, spec, rubric, options)
    log.info("writer_outline", title=outline.title, parts=len(outline.parts), cast=len(outline.cast))
    if spec.format == "microdrama":
        scripts = [DraftedScript(text=title_page(outline, spec, rubric, p) + write_part(provider, outline, p, spec, rubric, options),
                                 title=outline.title, episode=p.number) for p in outline.parts]
    else:
        body = "\n".join(write_part(provider, outline, p, spec, rubric, options) for p in outline.parts)
        scripts = [DraftedScript(text=title_page(outline, spec, rubric, None) + body, title=outline.title)]
    notes: list[str] = []
    reviewed = [critique_loop(provider, s, spec, rubric, options, notes, reference_limit) for s in scripts]
    notes.extend(_season_notes(reviewed, rubric))
    return Draft(spec=spec, outline=outline, screenplays=reviewed, notes=notes)


def _season_notes(scripts: list[DraftedScript], rubric: Rubric) -> list[str]:
    """Check the cast across a season against what the library can hold."""
    if len(scripts) < 2:
        return []
    cast = sorted({name for s in scripts if s.measured for name in s.measured.cast})
    if len(cast) <= rubric.max_cast:
        return []
    return [f"the season names {len(cast)} characters ({', '.join(cast)}); the format holds {rubric.max_cast}"]


# --- critique and revision ---------------------------------------------------------------


def critique_loop(provider: Provider, script: DraftedScript, spec: WriterSpec, rubric: Rubric,
                  options: WriterOptions, notes: list[str], reference_limit: int = 0) -> DraftedScript:
    """Check a draft against the rubric and revise it, for a bounded number of rounds."""
    text = script.text
    where = f"episode {script.episode}: " if script.episode else ""
    for round_no in range(1, options.critique_rounds + 1):
        measured = measure(text)
        issues = rule_issues(measured, rubric, spec, reference_limit) + critique(provider, text, rubric, measured)
        if not issues:
            notes.append(f"{where}critique round {round_no}: meets the {rubric.label} rubric")
            break
        text, summary = ask_edits(provider, _revise_request(text, _issues_text(issues), rubric), text,
                                  options.fix_retries)
        notes.append(f"{where}critique round {round_no}: {len(issues)} issue(s); revised: {summary}")
    measured = measure(text)
    left = rule_issues(measured, rubric, spec, reference_limit)
    notes.extend(f"{where}{i.rule}: {i.problem}" for i in left)
    return script.model_copy(update={"text": text, "measured": measured, "issues": left})


def critique(provider: Provider, text: str, rubric: Rubric, measured: Any) -> list[Issue]:
    """Ask the critic model which rubric rules the draft misses."""
    request = _request("writer/critique", label=rubric.label, rules=rubric.rules_text(),
                       measured=measured_text(measured, rubric), screenplay=scene_outline(text))
    answer, _ = structured(provider, request, Critique)
    return list(answer.issues)


def _issues_text(issues: list[Issue]) -> str:
    """Turn critique issues into one revision instruction."""
    lines = [f"- {i.rule}" + (f" (scene {i.scene})" if i.scene else "") + f": {i.problem} Fix: {i.fix}" for i in issues]
    return "Fix these issues found by the story editor:\n" + "\n".join(lines)


def _revise_request(text: str, instruction: str, rubric: Rubric | None) -> TextRequest:
    """The scene-edit request for an instruction."""
    rules = rubric.rules_text() if rubric else "- Keep the screenplay's format and length unless asked."
    return _request("writer/revise", instruction=instruction, rules=rules, screenplay=scene_outline(text))


def revise(provider: Provider, text: str, instruction: str, *, fmt: str = "", options: WriterOptions | None = None) -> Revision:
    """Revise a screenplay by instruction into a new version, with a scene-level diff."""
    require_text_model(provider, "revising the screenplay")
    if not instruction.strip():
        raise InputError("say what to change in the screenplay")
    options = options or WriterOptions()
    rubric = rubric_for(fmt) if fmt else None
    revised, summary = ask_edits(provider, _revise_request(text, instruction.strip(), rubric), text, options.fix_retries)
    return Revision(text=revised, summary=summary, diff=diff_scripts(text, revised))
