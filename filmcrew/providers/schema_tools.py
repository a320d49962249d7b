"""Adapt pydantic's JSON Schema to what each vendor's structured output accepts.

OpenAI's strict mode wants every object closed (`additionalProperties: false`) with all
properties required and no `default`; a `$ref` may not carry sibling keywords. Gemini's
`response_json_schema` takes a listed subset of keywords. Both adapters copy; the original
schema stays what answers are validated against.
"""

from __future__ import annotations

import copy
from typing import Any

GEMINI_KEYWORDS = frozenset({
    "$id", "$defs", "$ref", "$anchor", "type", "format", "title", "description", "enum", "items",
    "prefixItems", "minItems", "maxItems", "minimum", "maximum", "anyOf", "oneOf", "properties",
    "additionalProperties", "required", "propertyOrdering",
})
MAPS = ("properties", "$defs")


def _deref(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Inline a local `$ref` that has sibling keywords (neither vendor allows siblings)."""
    ref = node.get("$ref")
    if not isinstance(ref, str) or len(node) == 1 or not ref.startswith("#/"):
        return node
    target: Any = root
    for part in ref[2:].split("/"):
        target = target.get(part, {}) if isinstance(target, dict) else {}
    siblings = {k: v for k, v in node.items() if k != "$ref"}
    return {**copy.deepcopy(target), **siblings}


def _walk(node: Any, root: dict[str, Any], fix: Any) -> Any:
    """Apply `fix` to every schema node, leaving property-name maps intact."""
    if isinstance(node, list):
        return [_walk(item, root, fix) for item in node]
    if not isinstance(node, dict):
        return node
    node = fix(_deref(node, root))
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in MAPS and isinstance(value, dict):
            out[key] = {name: _walk(sub, root, fix) for name, sub in value.items()}
        elif key in ("enum", "const", "required", "default", "examples"):
            out[key] = value
        else:
            out[key] = _walk(value, root, fix)
    return out


def _open_object(node: dict[str, Any]) -> bool:
    """Say whether an object schema allows arbitrary keys (strict mode cannot express it)."""
    is_object = node.get("type") == "object" or "properties" in node
    return is_object and (not node.get("properties")) and node.get("additionalProperties", True) is not False


def openai_strict(schema: dict[str, Any]) -> dict[str, Any] | None:
    """Return a strict-mode version of a schema, or None when it has free-form objects."""
    root = copy.deepcopy(schema)
    blocked: list[bool] = []

    def fix(node: dict[str, Any]) -> dict[str, Any]:
        node = {k: v for k, v in node.items() if k != "default"}
        if _open_object(node):
            blocked.append(True)
        if "properties" in node:
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
        return node

    result = _walk(root, root, fix)
    return None if blocked else result


def gemini_subset(schema: dict[str, Any]) -> dict[str, Any]:
    """Keep only the keywords Gemini's `response_json_schema` documents (`const` -> `enum`)."""
    root = copy.deepcopy(schema)

    def fix(node: dict[str, Any]) -> dict[str, Any]:
        if "const" in node and "enum" not in node:
            node = {**node, "enum": [node["const"]]}
        return {k: v for k, v in node.items() if k in GEMINI_KEYWORDS}

    return _walk(root, root, fix)
