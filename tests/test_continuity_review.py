"""Model review and model state extraction, with a scripted provider; merging and output."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import structlog
from filmcrew.agents.breakdown import break_down
from filmcrew.agents.continuity import (
    check_script,
    continuity_report,
    extract_state,
    fixable_by_shots,
    merge_findings,
    review_scene,
    write_continuity,
)
from filmcrew.agents.continuity_review import extract_request, review_request
from filmcrew.tools.fountain import parse
from rich.console import Console

from filmcrew.domain import Finding
from filmcrew.providers.base import NotAvailable
from filmcrew.providers.offline import OfflineProvider
from filmcrew.providers.scripted import ScriptedProvider

structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

SCRIPT = """INT. GALLERY - DAY

PIA (30s, curator) lifts a blue VASE from its plinth. TOM (30s) watches.

PIA
Careful with that door.

INT. GALLERY - OFFICE - CONTINUOUS

Tom counts receipts. Pia brings in the vase and sets it down.

TOM
Lunch?
"""


def screenplay():  # type: ignore[no-untyped-def]
    """Parse the test script and break it down."""
    sp = parse(SCRIPT, "gallery.fountain")
    return sp, break_down(sp)


def test_review_keeps_findings_inside_the_scene_and_drops_the_rest() -> None:
    sp, sheet = screenplay()
    provider = ScriptedProvider([{"findings": [
        {"kind": "presence", "severity": "warning", "line": 10, "message": "Tom was in the gallery.",
         "fix": "Show him go."},
        {"kind": "prop_state", "severity": "error", "line": 3, "message": "Outside the scene.", "fix": ""},
        {"kind": "vibes", "severity": "note", "line": 9, "message": "Not a kind.", "fix": ""},
    ]}])
    found = review_scene(provider, sp, sheet, 2)
    provider.assert_consumed()
    assert [(f.kind, f.line, f.source) for f in found] == [("presence", 10, "model")]
    request = provider.calls[0]
    assert request.prompt_id == "continuity/review_scene@1"
    assert "   10 | Tom counts receipts." in request.prompt and "PREVIOUS SCENE" in request.prompt


def test_review_requests_are_deterministic_so_recordings_replay() -> None:
    sp, sheet = screenplay()
    assert review_request(sp, sheet, 2) == review_request(sp, sheet, 2)
    assert extract_request(sp, sheet, 1).prompt_id == "continuity/extract_state@1"


def test_without_a_model_review_and_extraction_are_not_available() -> None:
    sp, sheet = screenplay()
    with pytest.raises(NotAvailable):
        review_scene(OfflineProvider(), sp, sheet, 1)
    with pytest.raises(NotAvailable):
        extract_state(OfflineProvider(), sp, sheet, 1)


def test_model_state_events_feed_the_rules() -> None:
    sp, sheet = screenplay()
    provider = ScriptedProvider([{"events": [
        {"line": 3, "who": "vase", "attribute": "prop", "value": "break", "actor": "PIA"},
        {"line": 9, "who": "vase", "attribute": "prop", "value": "use", "actor": "PIA"},
        {"line": 40, "who": "vase", "attribute": "prop", "value": "lose"},
    ]}])
    events = extract_state(provider, sp, sheet, 1)
    assert [(e.entity, e.value, e.source) for e in events] == [("vase", "break", "model")]
    found = check_script(sp, sheet, extra_events=events)
    assert [f.kind for f in found] == ["prop_state"]
    assert check_script(sp, sheet) == []


def test_merge_dedupes_rule_and_model_findings_and_numbers_them() -> None:
    rule = Finding(id="", kind="presence", severity="warning", scene=2, line=9, message="rule", fix="x")
    model = Finding(id="", kind="presence", severity="error", scene=2, line=10, message="model", fix="y",
                    source="model")
    other = Finding(id="", kind="axis_180", severity="error", scene=1, shot="1C", line=3, message="axis", fix="z")
    merged = merge_findings([model], [rule, other])
    assert [(f.id, f.kind, f.message) for f in merged] == [("C001", "axis_180", "axis"), ("C002", "presence", "rule")]
    assert merge_findings([other, rule]) == merge_findings([rule, other])
    assert [f.kind for f in fixable_by_shots(merged)] == ["axis_180"]


def test_continuity_json_is_byte_stable_and_keeps_the_shape(tmp_path: Path) -> None:
    found = merge_findings([Finding(id="", kind="name", severity="warning", scene=3, line=76, message="m", fix="f")])
    write_continuity(found, tmp_path)
    first = (tmp_path / "continuity.json").read_bytes()
    write_continuity(found, tmp_path)
    assert (tmp_path / "continuity.json").read_bytes() == first
    data = json.loads(first)
    assert set(data["findings"][0]) >= {"id", "kind", "severity", "scene", "shot", "line", "message", "fix"}


def test_the_report_lists_errors_first_with_the_fix() -> None:
    found = merge_findings([
        Finding(id="", kind="unintroduced", severity="note", scene=1, line=2, message="a note", fix="introduce"),
        Finding(id="", kind="presence", severity="error", scene=2, line=9, message="an error", fix="add an entrance"),
    ])
    console = Console(width=160, record=True)
    console.print(continuity_report(found))
    text = console.export_text()
    assert "1 error · 0 warnings · 1 note" in text
    assert text.index("an error") < text.index("a note") and "add an entrance" in text
