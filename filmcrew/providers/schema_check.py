"""Check a JSON value against the JSON Schema subset pydantic emits and vendors accept.

Covers `type`, `properties`, `required`, `additionalProperties`, `items`, `prefixItems`,
`enum`, `const`, `anyOf`/`oneOf`/`allOf`, local `$ref` into `$defs`, and the usual bounds.
It reports the first problem with its JSON path, which is what a repair re-ask needs; the
final word on validity stays with pydantic in `structured()`.
"""

from __future__ import annotations

from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def first_error(value: Any, schema: dict[str, Any]) -> str | None:
    """Return the first way `value` breaks `schema` (with its path), or None when it fits."""
    return _check(value, schema, schema, "$")


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (`#/$defs/Name`), merging sibling keywords."""
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    target: Any = root
    for part in ref[2:].split("/"):
        target = target.get(part, {}) if isinstance(target, dict) else {}
    merged = {k: v for k, v in schema.items() if k != "$ref"}
    return {**_resolve(target, root), **merged}


def _is_type(value: Any, name: str) -> bool:
    """Say whether a value has a JSON type (booleans are not numbers)."""
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES.get(name, (object,)))


def _check(value: Any, schema: Any, root: dict[str, Any], path: str) -> str | None:
    """Check one value against one (sub)schema."""
    if not isinstance(schema, dict):
        return None
    schema = _resolve(schema, root)
    for check in (_check_type, _check_choices, _check_combinators, _check_bounds):
        error = check(value, schema, root, path)
        if error:
            return error
    if isinstance(value, dict):
        return _check_object(value, schema, root, path)
    if isinstance(value, list):
        return _check_array(value, schema, root, path)
    return None


def _check_type(value: Any, schema: dict[str, Any], _root: dict[str, Any], path: str) -> str | None:
    """Check the `type` keyword (a name or a list of names)."""
    wanted = schema.get("type")
    if wanted is None:
        return None
    names = wanted if isinstance(wanted, list) else [wanted]
    if any(_is_type(value, n) for n in names):
        return None
    return f"{path}: expected {' or '.join(names)}, got {_json_type(value)}"


def _json_type(value: Any) -> str:
    """Name a value's JSON type for messages."""
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _is_type(value, name):
            return name
    return type(value).__name__


def _check_choices(value: Any, schema: dict[str, Any], _root: dict[str, Any], path: str) -> str | None:
    """Check `enum` and `const`."""
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(repr(v) for v in schema["enum"][:12])
        return f"{path}: {value!r} is not one of {allowed}"
    if "const" in schema and value != schema["const"]:
        return f"{path}: must be {schema['const']!r}"
    return None


def _check_combinators(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str) -> str | None:
    """Check `allOf`, `anyOf` and `oneOf` (the last read like `anyOf`, as vendors do)."""
    for sub in schema.get("allOf", []):
        error = _check(value, sub, root, path)
        if error:
            return error
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        errors = [_check(value, sub, root, path) for sub in options]
        if all(errors):
            return min((e for e in errors if e), key=len)
    return None


def _check_bounds(value: Any, schema: dict[str, Any], _root: dict[str, Any], path: str) -> str | None:
    """Check numeric, string-length and array-length bounds."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    limits = (
        ("minimum", number, lambda v, n: v >= n, "must be at least {n}"),
        ("maximum", number, lambda v, n: v <= n, "must be at most {n}"),
        ("exclusiveMinimum", number, lambda v, n: v > n, "must be more than {n}"),
        ("exclusiveMaximum", number, lambda v, n: v < n, "must be less than {n}"),
        ("minLength", isinstance(value, str), lambda v, n: len(v) >= n, "needs at least {n} characters"),
        ("maxLength", isinstance(value, str), lambda v, n: len(v) <= n, "allows at most {n} characters"),
        ("minItems", isinstance(value, list), lambda v, n: len(v) >= n, "needs at least {n} items"),
        ("maxItems", isinstance(value, list), lambda v, n: len(v) <= n, "allows at most {n} items"),
    )
    for keyword, applies, ok, words in limits:
        if applies and keyword in schema and not ok(value, schema[keyword]):
            return f"{path}: {words.format(n=schema[keyword])}"
    return None


def _check_object(value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any], path: str) -> str | None:
    """Check required keys, known properties and extra keys."""
    properties = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            return f"{path}: missing required field {key!r}"
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            error = _check(item, properties[key], root, f"{path}.{key}")
        elif extra is False:
            error = f"{path}: unexpected field {key!r}"
        else:
            error = _check(item, extra, root, f"{path}.{key}") if isinstance(extra, dict) else None
        if error:
            return error
    return None


def _check_array(value: list[Any], schema: dict[str, Any], root: dict[str, Any], path: str) -> str | None:
    """Check `prefixItems` and `items`."""
    prefix = schema.get("prefixItems", [])
    for index, item in enumerate(value):
        sub = prefix[index] if index < len(prefix) else schema.get("items")
        error = _check(item, sub, root, f"{path}[{index}]")
        if error:
            return error
    return None
