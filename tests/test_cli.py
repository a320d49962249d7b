"""The command line as a user meets it: help for every command, exit codes, one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer

from filmcrew.cli.main import app, run
from tests.conftest import EXAMPLES, REPO

SHORT = EXAMPLES / "the-lighthouse-key.fountain"


def commands() -> list[list[str]]:
    """Every command path of the CLI (`plan`, `characters export`, ...)."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = []
    for name, command in sorted(root.commands.items()):  # type: ignore[attr-defined]
        paths.append([name])
        paths.extend([name, sub] for sub in sorted(getattr(command, "commands", {})))
    return paths


def invoke(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the real entry point; return exit code, stdout and stderr."""
    with pytest.raises(SystemExit) as info:
        run(argv)
    out, err = capsys.readouterr()
    code = info.value.code
    return int(code) if isinstance(code, int) else 1, out, err


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(path: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke([*path, "--help"], capsys)
    assert code == 0
    assert "Usage" in out and "Example" in out


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p))
def test_every_command_is_in_the_readme(path: list[str]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"filmcrew {' '.join(path)}" in readme


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(["--version"], capsys)
    assert code == 0 and re.match(r"filmcrew \d+\.\d+", out)


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(["plann"], capsys)
    assert code == 2 and "plann" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found"),
        (b"", "empty"),
        (b"\x00\x01\x02PNG\x00" * 50, "binary"),
    ],
    ids=["missing", "empty", "binary"],
)
def test_bad_scripts_exit_2_with_one_line_and_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    content: bytes | None, message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "bad.fountain"
    if content is not None:
        script.write_bytes(content)
    code, _, err = invoke(["plan", str(script)], capsys)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and str(script) in lines[0] and message in lines[0].lower()
    assert "Traceback" not in err
    assert not (tmp_path / "bad.filmcrew").exists()


def test_a_directory_is_not_a_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke(["plan", str(tmp_path)], capsys)
    assert code == 2 and "director" in err.lower() and len(err.strip().splitlines()) == 1


def test_a_huge_file_is_refused_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "huge.fountain"
    with script.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    code, _, err = invoke(["plan", str(script)], capsys)
    assert code == 2 and str(script) in err
    assert not (tmp_path / "huge.filmcrew").exists()


def test_unknown_aspect_and_provider_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke(["plan", str(SHORT), "--aspect", "3:2", "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "3:2" in err
    code, _, err = invoke(["plan", str(SHORT), "--provider", "opneai", "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "openai" in err  # did you mean


def test_cp1252_script_plans_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "cafe.fountain"
    script.write_bytes("INT. CAFÉ - DAY\n\nZOË orders a crème brûlée.\n\nZOË\nMerci.\n".encode("cp1252"))
    code, out, err = invoke(["plan", str(script), "--formats", "json"], capsys)
    assert code == 0, err
    assert "cp1252" in err.lower() or "cp1252" in out.lower()
    sheet = json.loads((tmp_path / "cafe.filmcrew" / "breakdown.json").read_text())
    assert sheet["scenes"][0]["location"] == "CAFÉ"


def test_plan_prints_a_summary_and_runs_lists_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke(["plan", str(SHORT), "--out", str(tmp_path / "out"), "--formats", "json"], capsys)
    assert code == 0, err
    assert "12 scenes" in out and "offline" in out and "shots" in out
    run_id = json.loads((tmp_path / "out" / "run.json").read_text())["run_id"]
    code, out, _ = invoke(["runs", "--json"], capsys)
    rows = json.loads(out)
    assert code == 0 and rows[0]["run_id"] == run_id and rows[0]["status"] == "done"
    code, out, _ = invoke(["history", run_id], capsys)
    assert code == 0 and "checkpoint" in out
    code, _, err = invoke(["resume", "no-such-run"], capsys)
    assert code == 2 and "no-such-run" in err


def test_strict_exits_1_when_continuity_errors_remain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "broken.fountain"
    script.write_text(
        "INT. KITCHEN - NIGHT\n\nANA smashes the GLASS on the floor.\n\nANA\nThere.\n\n"
        "INT. KITCHEN - CONTINUOUS\n\nAna lifts the glass, whole and full, and drinks.\n\n"
        "ANA\nBetter.\n\nEXT. GARDEN - DAY\n\nANA\nWhat time is it?\n",
        encoding="utf-8",
    )
    code, _, err = invoke(["plan", str(script), "--strict", "--formats", "json"], capsys)
    findings = json.loads((tmp_path / "broken.filmcrew" / "continuity.json").read_text())["findings"]
    assert any(f["severity"] == "error" for f in findings)
    assert code == 1 and "--strict" in err
