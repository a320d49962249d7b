"""Build pydantic models from values the parser already knows to be valid, without re-validating.

A 150 KB screenplay has a few thousand elements; validating each one costs more than parsing
the whole file. The parser only ever hands over values of the declared types, so it fills the
model's storage directly (the same four slots `model_construct` fills, at a fraction of its
cost). The result compares equal to, and dumps the same as, a validated model; a test checks
that for every element of the conformance scripts.

All instances of one class share one "fields set" holding every field name: pydantic only
ever adds names to it (on assignment), and adding a name already present changes nothing.

For thousands of models at once `many_builder` fills the slots in C loops (`map`), and
`template` gives field dicts that are cheaper to copy (CPython split dicts).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from itertools import repeat
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

    def make_exact(values: dict[str, Any]) -> M:
        model = _new(cls)
        _set_dict(model, values)
        _set_fields(model, shared)
        _set_extra(model, None)
        _set_private(model, None)
        return model

    if not plain and not factories:
        return make_exact

    def make(values: dict[str, Any]) -> M:
        return make_exact({**plain, **{k: f() for k, f in factories.items()}, **values})

    return make


def many_builder(cls: type[M], fields: Iterable[str]) -> Callable[[list[dict[str, Any]]], list[M]]:
    """Return a fast constructor of many `cls` at once, for dicts that all hold exactly `fields`.

    Same contract as `builder`; the models are made by C loops (`map` over the slot
    setters) rather than one Python call each, which matters for thousands of models.
    """
    one = builder(cls, fields)
    exact = frozenset(fields) == frozenset(cls.model_fields)
    shared = set(cls.model_fields)

    def make_all(items: list[dict[str, Any]]) -> list[M]:
        if not exact:
            return [one(values) for values in items]
        count = len(items)
        models: list[M] = list(map(_new, repeat(cls, count)))
        deque(map(_set_dict, models, items), 0)
        deque(map(_set_fields, models, repeat(shared, count)), 0)
        deque(map(_set_extra, models, repeat(None, count)), 0)
        deque(map(_set_private, models, repeat(None, count)), 0)
        return models

    return make_all


class _SharedKeys:
    """Holder whose instances' attribute dicts share one key table (see `template`)."""


def template(values: dict[str, Any]) -> dict[str, Any]:
    """Return a dict equal to `values` that is cheap to copy: a template for model storage.

    CPython keeps the attribute dicts of one class's instances as "split" dicts: one shared
    key table, each dict holding only its values. Copying such a dict copies the values
    alone, so a copy takes about 40 % less memory than a copy of a plain dict of eleven
    entries and is quicker to make, fill and free (about a tenth of a long parse, measured);
    it is an ordinary dict in every other respect (a Python without split dicts simply
    copies a plain one).
    """
    holder = _SharedKeys()
    for key, value in values.items():
        setattr(holder, key, value)
    return holder.__dict__


_BUILDERS: dict[tuple[type[BaseModel], frozenset[str]], Callable[[dict[str, Any]], Any]] = {}


def build(cls: type[M], values: dict[str, Any]) -> M:
    """Return a `cls` holding `values` (all of the right type) plus defaults for the rest."""
    key = (cls, frozenset(values))
    make = _BUILDERS.get(key)
    if make is None:
        make = _BUILDERS[key] = builder(cls, key[1])
    return make(values)  # type: ignore[no-any-return]
