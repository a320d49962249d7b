"""Style presets, aspect framing and free-text styles: data, not code paths."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from filmcrew.agents import shot_styles
from filmcrew.agents.shot_planner import plan_scene_rules, resolve_style, rules_version
from filmcrew.agents.shot_styles import ASPECTS, StylePreset, preset_names, style_data

from filmcrew.errors import InputError
from tests.shot_helpers import two_hander


def test_every_preset_in_the_data_file_is_complete_and_uses_the_vocabulary() -> None:
    assert {"classic coverage", "handheld documentary", "vertical micro-drama"} <= set(
        preset_names()
    )
    for name in preset_names():
        for aspect in ASPECTS:
            settings = resolve_style(name, aspect)
            assert isinstance(settings.preset, StylePreset)
            assert settings.name == name and settings.base == name


@pytest.mark.parametrize(
    ("aspect", "preset"),
    [
        ("16:9", "classic coverage"),
        ("2.39:1", "classic coverage"),
        ("9:16", "vertical micro-drama"),
        ("4:5", "vertical micro-drama"),
    ],
)
def test_each_aspect_has_a_default_preset(aspect: str, preset: str) -> None:
    settings = resolve_style(None, aspect)
    assert (settings.aspect, settings.base, settings.style) == (aspect, preset, "")


def test_an_unknown_aspect_is_bad_input() -> None:
    with pytest.raises(InputError, match="unknown aspect '3:2'"):
        resolve_style(None, "3:2")


def test_vertical_framing_applies_to_any_style() -> None:
    classic_tall = resolve_style("classic coverage", "9:16").preset
    assert not classic_tall.ots and classic_tall.hook and classic_tall.stack_subjects
    assert classic_tall.size("WS") == "FS"  # fewer wides
    assert resolve_style("classic coverage", "16:9").preset.ots


def test_free_text_picks_a_preset_and_applies_modifiers() -> None:
    settings = resolve_style("Classic coverage, but handheld and intimate", "16:9")
    assert (
        settings.base == "classic coverage"
        and settings.name == "Classic coverage, but handheld and intimate"
    )
    assert settings.preset.default_movement == "handheld" and settings.preset.single_size == "CU"
    assert settings.modifiers == ["handheld", "intimate"]
    noir = resolve_style("a slow noir", "2.39:1")
    assert noir.base == "classic coverage" and noir.preset.menace_angle == "dutch"
    doc = resolve_style("gritty verite", "16:9")
    assert doc.base == "handheld documentary"


def test_a_preset_added_as_data_changes_the_plan_without_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data: dict[str, Any] = copy.deepcopy(style_data())
    tableau = copy.deepcopy(data["presets"]["classic coverage"])
    tableau.update(
        {
            "keywords": ["tableau"],
            "establishing": False,
            "ots": False,
            "singles": False,
            "max_inserts": 0,
            "max_reactions": 0,
            "two_shot": False,
            "master_size": "FS",
        }
    )
    data["presets"]["tableau"] = tableau
    monkeypatch.setattr(shot_styles, "style_data", lambda: data)
    sp, scene = two_hander()
    shots = plan_scene_rules(sp, scene, None, resolve_style("tableau", "16:9"))
    assert [(s.type, s.size) for s in shots] == [("master", "FS")]


def test_a_preset_with_an_unknown_size_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data: dict[str, Any] = copy.deepcopy(style_data())
    data["presets"]["classic coverage"]["single_size"] = "HUGE"
    monkeypatch.setattr(shot_styles, "style_data", lambda: data)
    with pytest.raises(InputError, match="HUGE"):
        resolve_style(None, "16:9")


def test_rules_version_names_the_code_and_data() -> None:
    assert rules_version().startswith("shot-rules-") and "+" in rules_version()
