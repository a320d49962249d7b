"""Structured output into pydantic models, with one repair re-ask and then a clear failure.

`structured(provider, req, Output)` sets the request's JSON schema from `Output`, calls
`provider.text`, and validates. An invalid answer gets exactly one re-ask that carries the
validation error; if that is invalid too, `InvalidOutput` is raised and the agent keeps its
rule-based draft. The `Repairing` wrapper uses the same re-ask for malformed or truncated JSON
inside the provider stack, so the cache and recordings hold the repaired answer.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from filmcrew.providers.base import InvalidOutput, Provider, TextRequest, TextResult

T = TypeVar("T", bound=BaseModel)
PREVIOUS_CHARS = 2000
REPAIR_SUFFIX = "#repair"


def structured_request(req: TextRequest, output: type[BaseModel]) -> TextRequest:
    """Return `req` asking for JSON that fits `output` (use it to author recordings too)."""
    return req.model_copy(update={"schema_name": output.__name__, "json_schema": schema_of(output)})


@cache
def schema_of(output: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of an output model, generated once per model (the same for every call;
    vendors' adaptations copy it before changing anything)."""
    return output.model_json_schema()


def repair_request(req: TextRequest, previous: str, error: str, truncated: bool = False) -> TextRequest:
    """Build the one re-ask: the original prompt plus what was wrong with the answer."""
    cut = "\nThe answer was cut off before it ended; answer more briefly." if truncated else ""
    prompt = (
        f"{req.prompt}\n\n---\nYour previous answer could not be used: {error}{cut}\n"
        f"Previous answer (first {PREVIOUS_CHARS} characters):\n{previous[:PREVIOUS_CHARS]}\n---\n"
        "Answer again with one JSON object that matches the schema, and nothing else."
    )
    return req.model_copy(update={"prompt": prompt, "prompt_id": f"{req.prompt_id}{REPAIR_SUFFIX}"})


def payload(result: TextResult) -> Any:
    """Return the JSON value of an answer (the parsed object, else the text parsed now)."""
    if result.parsed is not None:
        return result.parsed
    return json.loads(_strip_fence(result.text))


def _strip_fence(text: str) -> str:
    """Drop a Markdown code fence some local models put around JSON."""
    body = text.strip()
    if body.startswith("```") and body.endswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    return body


def _validate(output: type[T], result: TextResult) -> T:
    """Validate an answer against the output model, raising ValueError with the reason."""
    if result.refusal:
        raise InvalidOutput(f"{_who(result)}: the model refused: {result.refusal}", refusal=result.refusal)
    try:
        return output.model_validate(payload(result))
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at character {exc.pos})") from exc
    except ValidationError as exc:
        raise ValueError(_short_errors(exc)) from exc


def _short_errors(exc: ValidationError) -> str:
    """Summarise pydantic errors in a few lines a model can act on."""
    lines = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        lines.append(f"{where}: {err['msg']}")
    more = exc.error_count() - len(lines)
    return "; ".join(lines) + (f"; and {more} more" if more > 0 else "")


def _who(result: TextResult) -> str:
    """Name provider and model for messages."""
    return " ".join(p for p in (result.provider, result.model) if p) or "provider"


def structured(provider: Provider, req: TextRequest, output: type[T]) -> tuple[T, TextResult]:
    """Ask for structured output and return the validated model with the call's result.

    Raises `NotAvailable` (offline), `InvalidOutput` (still invalid after one repair, or a
    refusal) and `ProviderFailed` (gave up after retries).
    """
    req = structured_request(req, output)
    result = provider.text(req)
    try:
        return _validate(output, result), result
    except ValueError as first:
        error = str(first)
    retry = provider.text(repair_request(req, result.text, error, result.truncated))
    merged = retry.model_copy(
        update={"usage": result.usage + retry.usage, "cost_usd": result.cost_usd + retry.cost_usd}
    )
    try:
        return _validate(output, retry), merged
    except ValueError as second:
        raise InvalidOutput(
            f"{_who(retry)}: {req.agent} output ({req.prompt_id or req.schema_name}) "
            f"still invalid after one repair: {second}",
            text=retry.text,
        ) from second
