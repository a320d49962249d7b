"""`export_run` over a run folder, the `filmcrew export` command, and hostile names."""

from __future__ import annotations

import csv
from pathlib import Path

import opentimelineio as otio
import pytest
import typer
from typer.testing import CliRunner

from filmcrew.cli.export_cmd import export
from filmcrew.domain import Shot
from filmcrew.errors import InputError
from filmcrew.files import write_json
from filmcrew import workers
from filmcrew.tools import export_animatic, export_background
from filmcrew.tools.export_common import ExportUnavailable
from filmcrew.tools.export_tables import write_breakdown_csv
from filmcrew.tools.exports import FORMATS, RunInputs, export_run
from tests.test_export_fixtures import breakdown, draw_frames, shotlist

FOUNTAIN = """Title: **The Lighthouse Key**
Credit: Written by
Author: The filmcrew team

EXT. HARBOUR ROAD - DAWN #1#

Fog rolls off grey water.

NORA
(to herself)
Forty years and they change the lock.

INT. HARBOUR OFFICE - DAY #2#

A cramped office.

DEV (O.S.)
Mrs Vance. You got my letter.
"""


def make_run(folder: Path, ids: list[str] | None = None, character: str = "NORA") -> Path:
    """Write a run folder the way `plan` leaves it: script, breakdown, shot list, frames."""
    folder.mkdir(parents=True)
    (folder / "screenplay.fountain").write_text(FOUNTAIN, encoding="utf-8")
    sheet = breakdown()
    sheet.scenes[0].characters = [character]
    write_json(folder / "breakdown.json", sheet)
    shots = shotlist(ids=ids)
    for shot in shots.shots:
        shot.subjects = [character]
    write_json(folder / "shotlist.json", shots)
    (folder / "shotlist.csv").write_text(
        "shot_id,scene\n" + "".join(f"{s.shot_id},{s.scene}\n" for s in shots.shots)
    )
    draw_frames(folder / "storyboard", shots)
    return folder


def _tree(root: Path) -> set[Path]:
    return {path for path in root.rglob("*")}


def test_every_format_is_written_and_reads_back(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    out = tmp_path / "out"
    results = export_run(run, ["all"], out)
    skipped = {fmt: why for fmt, why in results.items() if isinstance(why, str)}
    assert not skipped, skipped
    names = {
        fmt: sorted(p.name for p in files)
        for fmt, files in results.items()
        if not isinstance(files, str)
    }
    assert names["fountain"] == ["screenplay.fountain"] and names["fdx"] == ["screenplay.fdx"]
    assert names["pdf"] == ["screenplay.pdf", "shotlist.pdf", "storyboard.pdf"]
    assert names["csv"] == ["breakdown.csv", "shotlist.csv"] and names["json"] == [
        "breakdown.json",
        "shotlist.json",
    ]
    assert names["otio"] == ["animatic.edl", "animatic.fcpxml", "animatic.otio", "animatic.xml"]
    assert names["mp4"] == ["animatic.mp4", "animatic.srt"]
    assert names["html"] == ["storyboard.html"]
    assert 'src="../run/storyboard/1A.png"' in (out / "storyboard.html").read_text(encoding="utf-8")
    for fmt in FORMATS:
        for path in results[fmt] if not isinstance(results[fmt], str) else []:
            assert path.parent == out and path.stat().st_size > 0
    timeline = otio.adapters.read_from_file(str(out / "animatic.otio"))
    assert timeline.name == "The Lighthouse Key"
    clips = list(timeline.find_clips())
    assert len(clips) == 4
    frame = (out / clips[0].media_reference.target_url).resolve()
    assert frame == (run / "storyboard" / "1A.png").resolve() and frame.is_file()


def test_fdx_reparses_to_the_same_elements(tmp_path: Path) -> None:
    from filmcrew.tools.fdx import read_fdx

    run = make_run(tmp_path / "run")
    export_run(run, ["fdx"], run)
    expected = RunInputs(run, run).screenplay()
    back = read_fdx((run / "screenplay.fdx").read_bytes())
    printed = (
        "scene_heading",
        "action",
        "character",
        "parenthetical",
        "dialogue",
        "transition",
        "centered",
    )
    assert [(e.kind, e.text) for e in back.elements if e.kind in printed] == [
        (e.kind, e.text) for e in expected.elements if e.kind in printed
    ]
    assert len(back.scenes) == len(expected.scenes) > 0


def test_missing_shotlist_csv_is_rebuilt_by_the_planners_writer(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    (run / "shotlist.csv").unlink()
    results = export_run(run, ["csv"], tmp_path / "out")
    assert [p.name for p in results["csv"]] == ["shotlist.csv", "breakdown.csv"]  # type: ignore[union-attr]
    with (tmp_path / "out" / "shotlist.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + 4 and any("1A" in row for row in rows[1:2])


def test_breakdown_csv_reads_back_and_defuses_formulas(tmp_path: Path) -> None:
    sheet = breakdown()
    sheet.scenes[0].characters = ['=HYPERLINK("http://x")', "NORA"]
    write_breakdown_csv(sheet, tmp_path / "breakdown.csv")
    with (tmp_path / "breakdown.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["heading"] for row in rows] == [
        "EXT. HARBOUR ROAD - DAWN",
        "INT. HARBOUR OFFICE - DAY",
    ]
    assert rows[1]["pages"] == "1 1/8" and rows[1]["eighths"] == "9"
    assert rows[0]["characters"].startswith("'=HYPERLINK")


def test_hostile_names_cannot_write_outside_the_output_folder(tmp_path: Path) -> None:
    ids = ["../../x", "a/b/c", "..", "/etc/passwd"]
    run = make_run(tmp_path / "nest" / "run", ids=ids, character="../../x")
    out = tmp_path / "nest" / "out"
    before = _tree(tmp_path)
    results = export_run(run, ["all"], out)
    assert not isinstance(results["mp4"], str) and not isinstance(results["otio"], str)
    created = _tree(tmp_path) - before
    assert created and all(path == out or out in path.parents for path in created), sorted(
        map(str, created)
    )
    clips = list(otio.adapters.read_from_file(str(out / "animatic.otio")).find_clips())
    assert [c.name for c in clips] == ids
    assert all(
        (out / c.media_reference.target_url).resolve().parent == (run / "storyboard").resolve()
        for c in clips
    )


def test_unknown_format_lists_the_valid_ones(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    with pytest.raises(
        InputError, match="unknown export format docx; choose from fountain, fdx, pdf"
    ):
        export_run(run, ["pdf", "docx"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_missing_inputs_skip_with_a_reason(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    (run / "shotlist.json").unlink()
    results = export_run(run, ["otio", "pdf", "fountain"], tmp_path / "out")
    assert results["otio"] == "the run folder has no shotlist.json"
    assert results["pdf/shotlist"] == "the run folder has no shotlist.json"
    assert [p.name for p in results["pdf"]] == ["screenplay.pdf"]  # type: ignore[union-attr]
    assert [p.name for p in results["fountain"]] == ["screenplay.fountain"]  # type: ignore[union-attr]


def test_broken_json_names_the_file_and_line(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    (run / "shotlist.json").write_text('{\n  "shots": [\n    {"shot_id": }\n  ]\n}\n')
    with pytest.raises(InputError, match=r"shotlist\.json:3: not valid JSON"):
        export_run(run, ["json"], tmp_path / "out")


def test_exports_are_byte_stable(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    formats = ["pdf", "csv", "otio", "mp4", "fdx"]
    first = export_run(run, formats, tmp_path / "one")
    export_run(run, formats, tmp_path / "two")
    for files in first.values():
        for path in files if not isinstance(files, str) else []:
            if path.suffix in (".xml", ".fcpxml"):
                continue  # these hold absolute media URLs, so they differ by folder on purpose
            assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("export")(export)
    app.command("other")(
        lambda: None
    )  # two commands, so `export` is a subcommand as in the real CLI
    return app


def test_cli_writes_and_reports(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    result = CliRunner().invoke(
        _app(),
        ["export", str(run), "--to", "csv,json", "--to", "fountain", "--out", str(tmp_path / "o")],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "csv        shotlist.csv breakdown.csv",
        "json       shotlist.json breakdown.json",
        "fountain   screenplay.fountain",
        f"→ {tmp_path / 'o'}",
    ]


def test_cli_help_has_an_example_and_bad_input_raises(tmp_path: Path) -> None:
    help_text = CliRunner().invoke(_app(), ["export", "--help"]).output
    assert "Example: filmcrew export" in help_text and "--to" in help_text
    with pytest.raises(InputError, match="no such run id or run folder"):
        CliRunner().invoke(
            _app(), ["export", str(tmp_path / "nope"), "--to", "pdf"], catch_exceptions=False
        )
    with pytest.raises(InputError, match="unknown export format"):
        CliRunner().invoke(_app(), ["export", str(tmp_path), "--to", "gif"], catch_exceptions=False)


def test_a_shot_list_with_no_shots_skips_the_animatic(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    write_json(run / "shotlist.json", shotlist().model_copy(update={"shots": list[Shot]()}))
    results = export_run(run, ["mp4"], tmp_path / "out")
    assert results["mp4"] == "the shot list has no shots to put in an animatic"


def test_a_bad_aspect_names_the_shot_list(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    write_json(run / "shotlist.json", shotlist(aspect="widescreen"))
    with pytest.raises(InputError, match=r"shotlist\.json: unknown aspect 'widescreen'"):
        export_run(run, ["mp4"], tmp_path / "out")


def test_a_long_shot_list_renders_the_animatic_in_a_worker_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = make_run(tmp_path / "run")
    monkeypatch.setattr(export_background, "BACKGROUND_MIN_SHOTS", 1)
    monkeypatch.delenv("FILMCREW_WORKERS", raising=False)
    if workers.cores() < 2:
        pytest.skip("one core: the animatic is rendered in this process")
    jobs: list[object] = []
    real_run = workers.run
    monkeypatch.setattr(workers, "run", lambda fn, *args: jobs.append(args) or real_run(fn, *args))
    try:
        results = export_run(run, ["mp4", "otio", "csv"], tmp_path / "bg")
    finally:
        workers.shutdown()
    assert len(jobs) == 1
    assert list(results) == ["mp4", "otio", "csv"]  # reported in the order asked, though collected last
    assert [p.name for p in results["mp4"]] == ["animatic.mp4", "animatic.srt"]  # type: ignore[union-attr]
    export_run(run, ["mp4"], tmp_path / "here")  # one format: rendered in this process
    assert (tmp_path / "bg" / "animatic.mp4").read_bytes() == (tmp_path / "here" / "animatic.mp4").read_bytes()
    assert [p.name for p in (tmp_path / "bg").iterdir() if p.name.startswith(".")] == []


def test_no_worker_for_a_short_list_or_when_workers_are_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.delenv("FILMCREW_WORKERS", raising=False)
    assert export_background.worth_it(1256) and not export_background.worth_it(40)
    monkeypatch.setenv("FILMCREW_WORKERS", "0")
    assert not export_background.worth_it(1256)


def test_a_renders_errors_come_back_as_the_same_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ExportUnavailable, match="needs PyAV"):
        export_background.raise_answer({"ok": False, "kind": "unavailable", "reason": "mp4 export needs PyAV"})
    with pytest.raises(InputError, match=r"shotlist\.json:3: not valid JSON") as raised:
        export_background.raise_answer({"ok": False, "kind": "input", "reason": "not valid JSON", "path": "shotlist.json", "line": 3})
    assert (raised.value.path, raised.value.line, raised.value.reason) == ("shotlist.json", 3, "not valid JSON")
    export_background.raise_answer({"ok": True})
    run = make_run(tmp_path / "run")
    job = export_background.AnimaticJob(str(run / "shotlist.json"), str(run / "storyboard"), str(tmp_path / "a.mp4"), "16:9")
    assert export_background.render(job) == {"ok": True} and (tmp_path / "a.mp4").stat().st_size > 0

    def no_av() -> None:
        raise ExportUnavailable("mp4 export needs PyAV (pip install av)")

    monkeypatch.setattr(export_animatic, "_load_av", no_av)
    assert export_background.render(job) == {"ok": False, "kind": "unavailable", "reason": "mp4 export needs PyAV (pip install av)"}
    (run / "shotlist.json").write_text("{\n  oops\n}\n")
    answer = export_background.render(job)
    assert answer["kind"] == "input" and answer["line"] == 2 and str(answer["path"]).endswith("shotlist.json")


def test_cli_height_sets_the_animatic_size(tmp_path: Path) -> None:
    av = pytest.importorskip("av", reason="PyAV is not installed")
    run = make_run(tmp_path / "run")
    result = CliRunner().invoke(_app(), ["export", str(run), "--to", "mp4", "--height", "144", "--out", str(tmp_path / "o")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with av.open(str(tmp_path / "o" / "animatic.mp4")) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (256, 144)
