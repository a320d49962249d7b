"""Repair malformed or truncated structured output inside the provider stack.

A structured answer (the request has `json_schema`) must be a JSON object that fits the
schema. If not, the wrapper re-asks once with the error; a second bad answer raises
`InvalidOutput`. A refusal is not re-asked: it raises `InvalidOutput` at once. Usage and cost
of both calls are added up, so the ledger sees what the repair cost.
"""

from __future__ import annotations

import json
from typing import Any

from filmcrew.providers.base import InvalidOutput, TextRequest, TextResult, Wrapper
from filmcrew.providers.schema_check import first_error
from filmcrew.providers.structured import payload, repair_request


def problem(req: TextRequest, result: TextResult) -> str | None:
    """Say what is wrong with a structured answer, or None when it is usable."""
    try:
        value = payload(result)
    except json.JSONDecodeError as exc:
        cut = " (the answer was cut off)" if result.truncated else ""
        return f"not valid JSON{cut}: {exc.msg} at character {exc.pos}"
    if not isinstance(value, dict):
        return f"expected a JSON object, got {type(value).__name__}"
    return first_error(value, req.json_schema or {})


class Repairing(Wrapper):
    """Validate structured answers against their schema; re-ask once, then fail clearly."""

    name = "repairing"

    def around(self, kind: str, req: Any, call: Any) -> Any:
        """Leave images, video and free text alone; check structured text."""
        if kind != "text" or not req.json_schema:
            return call(req)
        result: TextResult = call(req)
        self._refused(req, result)
        error = problem(req, result)
        if error is None:
            return self._with_parsed(result)
        again: TextResult = call(repair_request(req, result.text, error, result.truncated))
        self._refused(req, again)
        second = problem(req, again)
        if second is not None:
            who = " ".join(p for p in (again.provider or self.vendor, again.model) if p)
            raise InvalidOutput(
                f"{who}: {req.agent} output ({req.prompt_id or req.schema_name}) still invalid "
                f"after one repair: {second}",
                text=again.text,
            )
        total = result.usage + again.usage
        return self._with_parsed(again).model_copy(update={"usage": total})

    def _refused(self, req: TextRequest, result: TextResult) -> None:
        """Raise at once on a refusal: asking again costs money and rarely helps."""
        if result.refusal:
            who = " ".join(p for p in (result.provider or self.vendor, result.model) if p)
            raise InvalidOutput(f"{who}: refused the {req.agent} request: {result.refusal}",
                                refusal=result.refusal)

    @staticmethod
    def _with_parsed(result: TextResult) -> TextResult:
        """Make sure `parsed` holds the object (some servers wrap JSON in a code fence)."""
        if result.parsed is not None:
            return result
        return result.model_copy(update={"parsed": payload(result)})
