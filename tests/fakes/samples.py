"""Deterministic sample data for fake vendors: JSON that fits a schema, tiny PNGs and MP4s."""

from __future__ import annotations

import hashlib
import io
from typing import Any


def sample_for_schema(
    schema: dict[str, Any], root: dict[str, Any] | None = None, depth: int = 0
) -> Any:
    """Return a small value that fits a JSON schema (the subset pydantic emits)."""
    root = root or schema
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            target = target[part]
        return sample_for_schema(
            {**target, **{k: v for k, v in schema.items() if k != "$ref"}}, root, depth
        )
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return sample_for_schema(options[0], root, depth)
    if "allOf" in schema:
        return sample_for_schema(schema["allOf"][0], root, depth)
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    return _by_type(kind, schema, root, depth)


def _by_type(kind: str, schema: dict[str, Any], root: dict[str, Any], depth: int) -> Any:
    """Sample one JSON type."""
    if kind == "object":
        props = schema.get("properties", {})
        return {k: sample_for_schema(v, root, depth + 1) for k, v in props.items()}
    if kind == "array":
        count = (
            max(1, int(schema.get("minItems", 1))) if depth < 4 else int(schema.get("minItems", 0))
        )
        return [sample_for_schema(schema.get("items", {}), root, depth + 1) for _ in range(count)]
    if kind == "string":
        return "x" * max(1, int(schema.get("minLength", 1)))
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1.0))
    if kind == "boolean":
        return True
    return None


def png_for(text: str, size: tuple[int, int] = (8, 6)) -> bytes:
    """A tiny PNG whose colour depends on `text` (so different prompts give different bytes)."""
    from PIL import Image

    digest = hashlib.sha256(text.encode()).digest()
    image = Image.new("RGB", size, tuple(digest[:3]))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def mp4_for(text: str) -> bytes:
    """Bytes standing in for an MP4 clip: an `ftyp` box plus a digest of `text`."""
    digest = hashlib.sha256(text.encode()).digest()
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + digest
