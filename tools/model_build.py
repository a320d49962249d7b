"""Build pydantic models from values the parser already knows to be valid, without re-validating.

A 150 KB screenplay has a few thousand elements; validating each one costs more than parsing
the whole file. The parser only ever hands over values of the declared types, so it fills the
model's storage directly (the same four slots `model_construct` fills, at a fraction of its
cost). The result compares equal to, and dumps the same as, a validated model; a test checks
that for every element of the conformance scripts.

All instances of one class share one "fields set" holding every field name: pydantic only
ever adds names to it (on assignment), and adding a name already present changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_SLOTS = BaseModel.__dict__
_set_dict = _SLOTS["__dict__"].__set__
_set_fields = _SLOTS["__pydantic_fields_set__"].__set__
_set_extra = _SLOTS["__pydantic_extra__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__


def _defaults(
    cls: type[BaseModel], given: frozenset[str]
) -> tuple[dict[str, Any], dict[str, Callable[[], Any]]]:
    """Return the plain defaults and default factories of the fields not in `given`."""
    plain: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    for name, info in cls.model_fields.items():
        if name in given:
            continue
        if info.default_factory is not None:
            factories[name] = info.default_factory  # type: ignore[assignment]
        elif not info.is_required():
            plain[name] = info.default
    return plain, factories


def builder(cls: type[M], fields: Iterable[str]) -> Callable[[dict[str, Any]], M]:
    """Return a fast constructor of `cls` for dicts that always hold exactly `fields`.

    If the model has fields the caller does not know of (someone added one to domain.py),
    the constructor fills their defaults; if a required one is missing, building fails at
    once rather than producing a half-filled model.
    """
    given = frozenset(fields)
    names = frozenset(cls.model_fields)
    unknown = given - names
    if unknown:
        raise KeyError(f"{cls.__name__} has no fields {sorted(unknown)}")
    plain, factories = _defaults(cls, given)
    missing = names - given - plain.keys() - factories.keys()
    if missing:
        raise KeyError(f"{cls.__name__}: required fields {sorted(missing)} are not given")
    shared = set(names)
    if not plain and not factories:

        def make_exact(values: dict[str, Any]) -> M:
            model = _new(cls)
            _set_dict(model, values)
            _set_fields(model, shared)
            _set_extra(model, None)
            _set_private(model, None)
            return model

        return make_exact

    def make(values: dict[str, Any]) -> M:
        values = {**plain, **{k: f() for k, f in factories.items()}, **values}
        model = _new(cls)
        _set_dict(model, values)
        _set_fields(model, shared)
        _set_extra(model, None)
        _set_private(model, None)
        return model

    return make


_BUILDERS: dict[tuple[type[BaseModel], frozenset[str]], Callable[[dict[str, Any]], Any]] = {}


def build(cls: type[M], values: dict[str, Any]) -> M:
    """Return a `cls` holding `values` (all of the right type) plus defaults for the rest."""
    key = (cls, frozenset(values))
    make = _BUILDERS.get(key)
    if make is None:
        make = _BUILDERS[key] = builder(cls, key[1])
    return make(values)  # type: ignore[no-any-return]
