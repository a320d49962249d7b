"""Build pydantic models from values the parser already knows to be valid, without re-validating.

A 150 KB screenplay has a few thousand elements; validating each one costs more than parsing
the whole file. The parser only ever hands over values of the declared types, so it fills the
model's storage directly (the same storage `model_construct` fills, at a fraction of its cost).
The result compares equal to, and dumps the same as, a validated model; a test checks that.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__
_DEFAULTS: dict[type[BaseModel], tuple[dict[str, Any], dict[str, Any], frozenset[str]]] = {}


def _defaults(cls: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any], frozenset[str]]:
    """Return (plain defaults, default factories, field names) of a model class, cached."""
    cached = _DEFAULTS.get(cls)
    if cached is None:
        plain: dict[str, Any] = {}
        factories: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            if info.default_factory is not None:
                factories[name] = info.default_factory
            elif not info.is_required():
                plain[name] = info.default
        cached = (plain, factories, frozenset(cls.model_fields))
        _DEFAULTS[cls] = cached
    return cached


def build(cls: type[M], values: dict[str, Any]) -> M:
    """Return a `cls` holding `values` (all of the right type) plus defaults for missing fields.

    Raises KeyError when a required field is missing or an unknown one is given: a parser bug
    should fail loudly, not produce a half-filled model.
    """
    plain, factories, names = _defaults(cls)
    data = dict(plain)
    for name, factory in factories.items():
        if name not in values:
            data[name] = factory()
    data.update(values)
    if len(data) != len(names):
        missing = names - data.keys()
        extra = data.keys() - names
        raise KeyError(f"{cls.__name__}: missing {sorted(missing)}, unknown {sorted(extra)}")
    model = _new(cls)
    _set(model, "__dict__", data)
    _set(model, "__pydantic_fields_set__", set(names))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model
