"""Helpers shared by the Fountain round-trip and property tests."""

from __future__ import annotations

from filmcrew.domain import Screenplay


def script_key(sp: Screenplay) -> tuple[object, ...]:
    """What a write-then-parse round trip must keep: title page, and each element's kind,
    text, runs, extensions, column, scene number, depth and notes, plus the boneyard.
    Line numbers and forcing flags naturally change."""
    elements = [
        (
            e.kind,
            e.text,
            [(r.text, r.bold, r.italic, r.underline) for r in e.runs],
            e.extensions,
            e.dual,
            e.scene_number,
            e.depth,
            e.notes,
        )
        for e in sp.elements
    ]
    title = [(t.key, t.value) for t in sp.title_page]
    return title, elements, [b.text for b in sp.boneyard]


class _EveryCharacter:
    """Stands in for a set of characters that holds every character."""

    def __contains__(self, item: object) -> bool:
        return True


def parse_the_long_way(text: str) -> Screenplay:
    """Parse with `_Parser.body`'s shortcuts switched off: every paragraph goes through
    `_Parser.paragraph`, the reference the shortcuts must agree with."""
    from unittest import mock

    from filmcrew.tools import fountain

    with mock.patch.object(fountain, "_GENERAL_FIRST", _EveryCharacter()):
        return fountain.parse(text)
