"""pytest plugin: print each conformance suite's pass figure at the end of the run.

Register it from tests/conftest.py with

    from conftest_conformance import pytest_terminal_summary  # noqa: F401

(or call `write_summary(terminalreporter)` from an existing `pytest_terminal_summary`). Until it
is registered, tests/test_fountain_conformance.py prints the same lines when its tests finish.
"""

from __future__ import annotations

from typing import Any

try:
    from fountain_conformance.common import summary_lines
except ImportError:  # tests/ is a package
    from tests.fountain_conformance.common import summary_lines  # type: ignore[no-redef]


def write_summary(terminalreporter: Any) -> None:
    """Write one line per conformance suite that ran."""
    lines = summary_lines()
    if not lines:
        return
    terminalreporter.ensure_newline()
    terminalreporter.section("fountain conformance", sep="-")
    for line in lines:
        terminalreporter.write_line(line)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    """Print the conformance figures after the test summary."""
    write_summary(terminalreporter)
