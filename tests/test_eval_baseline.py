"""The eval baseline: tolerances, directions, missing scores, and byte-stable updates."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmcrew.errors import InputError
from filmcrew.evals.baseline import (
    Baseline,
    compare,
    load_baseline,
    save_baseline,
    tolerance_of,
    updated,
)
from filmcrew.evals.scoring import Score


def baseline(**cases: dict[str, float]) -> Baseline:
    """A baseline with these cases and the default tolerances plus a few explicit ones."""
    return Baseline(cases=cases, tolerances={"dialogue": 0.0, "timing": 0.05, "calls": "10%"})


def statuses(verdicts: list) -> dict[str, str]:
    """Metric -> verdict status."""
    return {v.metric: v.status for v in verdicts}


def test_higher_is_better_uses_an_absolute_tolerance() -> None:
    base = baseline(**{"c/a": {"dialogue": 1.0, "timing": 0.9}})
    got = compare("c/a", [Score(metric="dialogue", value=0.99), Score(metric="timing", value=0.86)], base)
    assert statuses(got) == {"dialogue": "worse", "timing": "same"}
    assert got[0].line("c/a") == "c/a dialogue: 0.99 below baseline 1, limit 1"
    got = compare("c/a", [Score(metric="timing", value=0.95), Score(metric="dialogue", value=1.0)], base)
    assert statuses(got) == {"timing": "better", "dialogue": "same"}


def test_lower_is_better_uses_a_relative_tolerance() -> None:
    base = baseline(**{"c/a": {"calls": 20}})
    assert statuses(compare("c/a", [Score(metric="calls", value=22, better="lower")], base)) == {"calls": "same"}
    (worse,) = compare("c/a", [Score(metric="calls", value=23, better="lower")], base)
    assert worse.status == "worse" and worse.line("c/a") == "c/a calls: 23 above baseline 20, limit 22"
    assert statuses(compare("c/a", [Score(metric="calls", value=12, better="lower")], base)) == {"calls": "better"}


def test_new_and_missing_metrics() -> None:
    base = baseline(**{"c/a": {"dialogue": 1.0, "writer": 1.0}})
    got = statuses(compare("c/a", [Score(metric="dialogue", value=1.0), Score(metric="expect", value=0.5)], base))
    assert got == {"dialogue": "same", "expect": "new", "writer": "missing"}
    # a live or authored run measures what its mode can: nothing is missing there
    loose = statuses(compare("c/a", [Score(metric="dialogue", value=1.0)], base, strict=False))
    assert loose == {"dialogue": "same"}
    assert statuses(compare("other/a", [Score(metric="dialogue", value=0.1)], base)) == {"dialogue": "new"}


def test_tolerance_strings_are_percentages() -> None:
    assert tolerance_of(baseline(), "calls") == (0.1, True)
    assert tolerance_of(baseline(), "timing") == (0.05, False)
    with pytest.raises(InputError, match="neither a number nor a percentage"):
        tolerance_of(Baseline(tolerances={"calls": "lots"}), "calls")


def test_update_keeps_other_cases_and_writes_stable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    save_baseline(path, baseline(**{"b/authored": {"dialogue": 0.5}, "a/authored": {"dialogue": 1.0}}))
    fresh = updated(load_baseline(path), {"b/authored": [Score(metric="dialogue", value=0.75)]}, "better coverage")
    save_baseline(path, fresh)
    first = path.read_bytes()
    save_baseline(path, load_baseline(path))
    assert path.read_bytes() == first
    again = load_baseline(path)
    assert again.cases == {"a/authored": {"dialogue": 1.0}, "b/authored": {"dialogue": 0.75}}
    assert again.reason == "better coverage" and again.tolerances["timing"] == 0.05
    assert first.index(b'"a/authored"') < first.index(b'"b/authored"')


def test_a_broken_baseline_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"cases": {"x": {"dialogue": "high"}}}')
    with pytest.raises(InputError, match="baseline.json"):
        load_baseline(path)
    assert load_baseline(tmp_path / "none.json").cases == {}
