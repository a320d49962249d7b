"""Conformance: our Fountain parser against the test data of three other parsers.

One test per case per suite (screenplay-tools, Jouvence, screenplain); the adapters in
`fountain_conformance/` bring both sides to one form. Cases listed in
`conformance_known_differences.yaml` are strict expected failures, each with the reason our
reading is right. The data is read from ../shared/conformance (or $FILMCREW_SHARED); without
it the tests skip. Each suite's pass figure is printed at the end of the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from filmcrew.tools.emphasis import BOLD, ITALIC, UNDERLINE, parse_line
from filmcrew.tools.fountain import parse

try:
    import conftest_conformance
    from fountain_conformance import common, jouvence, screenplain, screenplay_tools
except ImportError:  # tests/ is a package
    from tests import conftest_conformance  # type: ignore[no-redef]
    from tests.fountain_conformance import (  # type: ignore[no-redef]
        common,
        jouvence,
        screenplain,
        screenplay_tools,
    )

KNOWN = common.known_differences()
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def _params(suite: str, cases: Any) -> list[Any]:
    """Parametrise a suite's cases, marking the known differences; skip if the data is absent."""
    reason = common.missing_reason(suite)
    if reason is not None:
        return [pytest.param(None, id="data-absent", marks=pytest.mark.skip(reason=reason))]
    params = []
    for case_id, payload in cases():
        known = KNOWN.get((suite, case_id))
        marks = [pytest.mark.xfail(strict=True, reason=known.reason)] if known else []
        params.append(pytest.param(payload, id=case_id, marks=marks))
    return params


def _check(suite: str, case_id: str, ours: object, expected: object) -> None:
    """Record the outcome for the summary, then compare."""
    common.record(suite, case_id, ours == expected, (suite, case_id) in KNOWN)
    assert ours == expected


def _screenplay_tools_cases() -> list[tuple[str, object]]:
    parse_cases: list[tuple[str, object]] = [(case.id, case) for case in screenplay_tools.CASES]
    twins: list[tuple[str, object]] = [(f"{name}.fdx", name) for name in screenplay_tools.FDX_TWINS]
    return parse_cases + twins


@pytest.mark.parametrize("case", _params(screenplay_tools.SUITE, _screenplay_tools_cases))
def test_screenplay_tools(case: Any) -> None:
    """Our parse, dumped in that suite's record format, equals its expected dump."""
    if isinstance(case, str):  # an FDX twin: the Fountain file reads as the FDX body
        folder = screenplay_tools.folder()
        ours = screenplay_tools.our_items(
            parse((folder / f"{case}.fountain").read_text(encoding="utf-8"))
        )
        _check(
            screenplay_tools.SUITE,
            f"{case}.fdx",
            ours,
            screenplay_tools.fdx_items(folder / f"{case}.fdx"),
        )
        return
    source, expected = screenplay_tools.read_case(case)
    ours = screenplay_tools.dump(parse(source), case)
    # Trailing spaces on a line are invisible; our action text drops them.
    _check(
        screenplay_tools.SUITE,
        case.id,
        _TRAILING_SPACE.sub("", ours),
        _TRAILING_SPACE.sub("", expected),
    )


def _jouvence_cases() -> list[tuple[str, object]]:
    return [(case.id, case) for case in jouvence.load_cases()]


@pytest.mark.parametrize("case", _params(jouvence.SUITE, _jouvence_cases))
def test_jouvence(case: Any) -> None:
    """Our parse as Jouvence tokens (and title mapping) equals the case's expectation."""
    screenplay = parse(case.source)
    ours: list[object] = [jouvence.normalise(jouvence.tokens(screenplay))]
    expected: list[object] = [jouvence.normalise(case.tokens)]
    if case.title is not None:
        ours.append(jouvence.title(screenplay))
        expected.append(case.title)
    _check(jouvence.SUITE, case.id, ours, expected)


def _screenplain_cases() -> list[tuple[str, object]]:
    return [(case_id, (source, expected)) for case_id, source, expected in screenplain.load_cases()]


@pytest.mark.parametrize("case", _params(screenplain.SUITE, _screenplain_cases))
def test_screenplain(case: Any) -> None:
    """Our parse equals what screenplain rendered, read back into element tuples."""
    source, expected_path = case
    fdx = expected_path.suffix == ".fdx"
    ours = screenplain.ours(parse(screenplain.read_source(source)), fdx)
    expected = (
        screenplain.expected_fdx(expected_path) if fdx else screenplain.expected_html(expected_path)
    )
    _check(screenplain.SUITE, expected_path.name, ours, expected)


def test_known_differences_name_real_cases() -> None:
    """Every allow-list entry names a case that exists, with a reason."""
    ids = {
        screenplay_tools.SUITE: {case_id for case_id, _ in _screenplay_tools_cases()},
    }
    if common.missing_reason(jouvence.SUITE) is None:
        ids[jouvence.SUITE] = {case_id for case_id, _ in _jouvence_cases()}
    if common.missing_reason(screenplain.SUITE) is None:
        ids[screenplain.SUITE] = {case_id for case_id, _ in _screenplain_cases()}
    for (suite, case_id), known in KNOWN.items():
        assert suite in (screenplay_tools.SUITE, jouvence.SUITE, screenplain.SUITE), suite
        if suite in ids:
            assert case_id in ids[suite], f"{suite}: no case {case_id!r}"
        assert known.reason.strip() and known.differs.strip()


# --- emphasis: screenplay-tools' Formatted file --------------------------------------------

_TAG = re.compile(r"</?[biu]>")
_BITS = {"b": BOLD, "i": ITALIC, "u": UNDERLINE}


def _html_segments(line: str) -> list[tuple[str, int]]:
    """Read a line of that suite's emphasis HTML (`<b><i>x</i></b>`) into styled segments."""
    segments: list[tuple[str, int]] = []
    style, position = 0, 0
    for tag in _TAG.finditer(line):
        if tag.start() > position:
            segments.append((line[position : tag.start()], style))
        bit = _BITS[tag.group().strip("</>")]
        style = style & ~bit if tag.group().startswith("</") else style | bit
        position = tag.end()
    if position < len(line):
        segments.append((line[position:], style))
    return segments


def test_screenplay_tools_emphasis() -> None:
    """Our emphasis reading of `Formatted.fountain` matches that suite's HTML line by line,
    except where its quirk (a closing marker followed by a space does not close) leaves
    `*Leupold Mark 4*` literal inside an underline: Fountain reads it as italic."""
    reason = common.missing_reason(screenplay_tools.SUITE)
    if reason is not None:
        pytest.skip(reason)
    folder = screenplay_tools.folder()
    sources = (folder / "Formatted.fountain").read_text(encoding="utf-8").split("\n")
    expected = (folder / "Formatted.txt").read_text(encoding="utf-8").split("\n")
    assert len(sources) == len(expected)
    for source, html in zip(sources, expected, strict=True):
        ours = parse_line(source) if source else []
        if "Leupold" in source:
            assert ("Leupold Mark 4", ITALIC | UNDERLINE) in ours
            continue
        assert ours == _html_segments(html), source


# --- the figures -----------------------------------------------------------------------------


def _hook_registered(config: pytest.Config) -> bool:
    """Say whether conftest.py registered the summary hook (then it prints the figures)."""
    hook = conftest_conformance.pytest_terminal_summary
    return any(
        getattr(plugin, "pytest_terminal_summary", None) is hook
        for plugin in config.pluginmanager.get_plugins()
    )


@pytest.fixture(scope="module", autouse=True)
def _print_figures(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print the pass figures after this module's tests, unless the summary hook will."""
    yield
    if _hook_registered(request.config):
        return
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():  # teardown output is captured otherwise
        conftest_conformance.write_summary(reporter)
