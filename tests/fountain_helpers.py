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
