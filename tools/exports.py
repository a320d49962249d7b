"""Re-export a run folder into the formats other tools open (`filmcrew export`, and `plan`).

A run folder holds `screenplay.fountain`, `breakdown.json`, `shotlist.json` (and `.csv`) and
`storyboard/<shot>.png`. Each format below reads what it needs from there and writes fixed file
names into the output folder (never a name made from script content, and every path checked with
`files.inside`, so a shot id like `../../x` cannot write outside it):

| format   | files                                                   |
|----------|---------------------------------------------------------|
| fountain | screenplay.fountain                                     |
| fdx      | screenplay.fdx                                          |
| pdf      | screenplay.pdf, shotlist.pdf, storyboard.pdf            |
| csv      | shotlist.csv, breakdown.csv                             |
| json     | shotlist.json, breakdown.json                           |
| html     | storyboard.html                                         |
| otio     | animatic.otio, animatic.edl, animatic.xml, animatic.fcpxml |
| mp4      | animatic.mp4, animatic.srt                              |

`export_run` returns, per format, the files written, or one line saying why the format was
skipped (input missing, plugin not installed). When only part of a format is skipped (no FCPX
adapter, say), the written files stay under the format and the reason goes under
`"<format>/<part>"`.

On a long shot list the MP4 renders in a worker process while the other formats are written
here (`export_background`): a feature's export takes about as long as its animatic alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import structlog
from pydantic import BaseModel, ValidationError

from filmcrew.domain import Breakdown, CharacterLibrary, Screenplay, ShotList
from filmcrew.errors import InputError
from filmcrew.files import atomic_write_bytes, atomic_write_text, inside
from filmcrew.tools.export_background import Animatic, AnimaticJob, worth_it
from filmcrew.tools.export_common import ExportUnavailable, frame_size

log = structlog.get_logger(__name__)

FORMATS: tuple[str, ...] = ("fountain", "fdx", "pdf", "csv", "json", "html", "otio", "mp4")
TIMELINE_FILES: tuple[tuple[str, str], ...] = (
    ("otio", "animatic.otio"),
    ("edl", "animatic.edl"),
    ("fcp7xml", "animatic.xml"),
    ("fcpxml", "animatic.fcpxml"),
)
M = TypeVar("M", bound=BaseModel)
Outcome = dict[str, "Path | str"]  # part name -> file written, or why it was skipped


@dataclass
class RunInputs:
    """The run folder and what has been loaded from it (each piece once, on first use)."""

    run_dir: Path
    out_dir: Path
    voice: bool = False
    height: int | None = None  # MP4 lines; None: the storyboard frames' own size
    animatic: Animatic | None = None  # the MP4 rendering in a worker process, when one was started
    _cache: dict[str, object] = field(default_factory=dict)

    @property
    def frames_dir(self) -> Path:
        """The storyboard folder (it may not exist yet)."""
        return self.run_dir / "storyboard"

    def screenplay(self) -> Screenplay:
        """The screenplay: the run's `screenplay.fountain`, parsed."""
        return self._once("screenplay", self._load_screenplay)

    def breakdown(self) -> Breakdown:
        """`breakdown.json` of the run."""
        return self._once("breakdown", lambda: load_json_model(self.need("breakdown.json"), Breakdown))

    def shotlist(self) -> ShotList:
        """`shotlist.json` of the run."""
        return self._once("shotlist", lambda: load_json_model(self.need("shotlist.json"), ShotList))

    def library(self) -> CharacterLibrary | None:
        """`characters.json` of the run, or None when the run has none."""
        path = self.run_dir / "characters.json"
        return load_json_model(path, CharacterLibrary) if path.is_file() else None

    def need(self, name: str) -> Path:
        """Return a file of the run folder, or skip the format that needs it."""
        path = self.run_dir / name
        if not path.is_file():
            raise ExportUnavailable(f"the run folder has no {name}")
        return path

    def target(self, name: str) -> Path:
        """Where a fixed-name output file goes, checked to stay inside the output folder."""
        return inside(self.out_dir, name)

    def _once(self, key: str, load: Callable[[], M]) -> M:
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]  # type: ignore[return-value]

    def _load_screenplay(self) -> Screenplay:
        from filmcrew.tools.fountain import parse

        path = self.need("screenplay.fountain")
        return parse(path.read_text(encoding="utf-8-sig"), path.name)


def export_run(run_dir: Path | str, formats: list[str], out_dir: Path | str, *, voice: bool = False,
               height: int | None = None) -> dict[str, list[Path] | str]:
    """Write the requested formats of a run folder into `out_dir`; report files or skip reasons.

    Unknown formats raise `InputError` listing the valid ones; `all` means every format.
    """
    wanted = check_formats(formats)
    run = RunInputs(Path(run_dir), Path(out_dir), voice=voice, height=height)
    if not run.run_dir.is_dir():
        raise InputError("run folder not found; pass the folder `filmcrew plan` wrote", path=str(run_dir))
    run.out_dir.mkdir(parents=True, exist_ok=True)
    _start_animatic(run, wanted)
    # A background animatic is collected last, so the other formats are written while it renders.
    order = [fmt for fmt in wanted if fmt != "mp4" or run.animatic is None]
    order += ["mp4"] if run.animatic is not None else []
    reports: dict[str, dict[str, list[Path] | str]] = {}
    try:
        for fmt in order:
            try:
                outcome = WRITERS[fmt](run)
            except ExportUnavailable as exc:
                reports[fmt] = {fmt: str(exc)}
                log.info("export_skipped", fmt=fmt, reason=str(exc))
                continue
            reports[fmt] = _report(fmt, outcome)
    finally:
        if run.animatic is not None:
            run.animatic.wait()
    return {key: value for fmt in wanted for key, value in reports[fmt].items()}


def check_formats(formats: list[str]) -> list[str]:
    """Normalise format names (comma lists, case, `all`) and refuse unknown ones."""
    names = [part.strip().lower() for item in formats for part in item.split(",") if part.strip()]
    if "all" in names:
        return list(FORMATS)
    unknown = [name for name in names if name not in FORMATS]
    if unknown:
        raise InputError(f"unknown export format {', '.join(unknown)}; choose from {', '.join(FORMATS)} (or all)")
    if not names:
        raise InputError(f"no export format given; choose from {', '.join(FORMATS)} (or all)")
    return list(dict.fromkeys(names))


def load_json_model(path: Path, cls: type[M]) -> M:
    """Read a JSON artefact into a model; bad JSON is an InputError naming the file and line."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=str(path), line=exc.lineno) from exc
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        raise InputError(f"{where}: {first['msg']} (is this a filmcrew run folder?)", path=str(path)) from exc


def _report(fmt: str, outcome: Outcome) -> dict[str, list[Path] | str]:
    """Turn one format's outcome into result entries: files under the format, skips beside it."""
    written = [value for value in outcome.values() if isinstance(value, Path)]
    skipped = {part: value for part, value in outcome.items() if isinstance(value, str)}
    if not written:
        return {fmt: "; ".join(skipped.values()) or "nothing to write"}
    return {fmt: written, **{f"{fmt}/{part}": reason for part, reason in skipped.items()}}


def _attempt(outcome: Outcome, part: str, write: Callable[[], Path]) -> None:
    """Write one part of a format; a skip is recorded and the other parts still get written."""
    try:
        outcome[part] = write()
    except ExportUnavailable as exc:
        outcome[part] = str(exc)
        log.info("export_part_skipped", part=part, reason=str(exc))


def _copy(run: RunInputs, name: str) -> Path:
    """Bring a run file into the output folder unchanged (nothing to do when they are the same)."""
    source, target = run.need(name), run.target(name)
    if source.resolve() != target.resolve():
        atomic_write_bytes(target, source.read_bytes())
    return target


# --- the formats -------------------------------------------------------------------------------


def _fountain(run: RunInputs) -> Outcome:
    return {"fountain": _copy(run, "screenplay.fountain")}


def _fdx(run: RunInputs) -> Outcome:
    try:
        from filmcrew.tools.fdx import write_fdx
    except ImportError as exc:
        raise ExportUnavailable("the FDX writer (filmcrew.tools.fdx) is not installed") from exc
    target = run.target("screenplay.fdx")
    atomic_write_bytes(target, write_fdx(run.screenplay()))
    return {"fdx": target}


def _pdf(run: RunInputs) -> Outcome:
    from filmcrew.tools.export_pdf import write_screenplay_pdf, write_shotlist_pdf

    outcome: Outcome = {}

    def screenplay() -> Path:
        target = run.target("screenplay.pdf")
        write_screenplay_pdf(run.screenplay(), target)
        return target

    def shots() -> Path:
        target = run.target("shotlist.pdf")
        sheet = run.breakdown() if (run.run_dir / "breakdown.json").is_file() else Breakdown()
        write_shotlist_pdf(run.shotlist(), sheet, target, run.frames_dir if run.frames_dir.is_dir() else None)
        return target

    def storyboard() -> Path:
        from filmcrew.tools.sheet_pdf import write_storyboard_pdf

        return write_storyboard_pdf(run.out_dir, run.shotlist(), _title(run), frames_dir=run.frames_dir,
                                    library=run.library())

    _attempt(outcome, "screenplay", screenplay)
    _attempt(outcome, "shotlist", shots)
    if run.frames_dir.is_dir():
        _attempt(outcome, "storyboard", storyboard)
    return outcome


def _csv(run: RunInputs) -> Outcome:
    from filmcrew.tools.export_tables import write_breakdown_csv

    def breakdown() -> Path:
        target = run.target("breakdown.csv")
        write_breakdown_csv(run.breakdown(), target)
        return target

    outcome: Outcome = {}
    _attempt(outcome, "shotlist", lambda: _shotlist_csv(run))
    _attempt(outcome, "breakdown", breakdown)
    return outcome


def _shotlist_csv(run: RunInputs) -> Path:
    """The shot planner's `shotlist.csv`: copied from the run, or rebuilt by the planner's writer."""
    if (run.run_dir / "shotlist.csv").is_file():
        return _copy(run, "shotlist.csv")
    try:
        from filmcrew.agents.shot_output import shotlist_csv
    except ImportError as exc:
        raise ExportUnavailable("the run folder has no shotlist.csv and the shot planner is not installed") from exc
    sheet = run.breakdown() if (run.run_dir / "breakdown.json").is_file() else Breakdown()
    target = run.target("shotlist.csv")
    atomic_write_text(target, shotlist_csv(run.shotlist(), sheet))
    return target


def _json(run: RunInputs) -> Outcome:
    def checked_copy(name: str, load: Callable[[], BaseModel]) -> Path:
        load()  # a copy of a file that does not validate would only move the problem along
        return _copy(run, f"{name}.json")

    outcome: Outcome = {}
    _attempt(outcome, "shotlist", lambda: checked_copy("shotlist", run.shotlist))
    _attempt(outcome, "breakdown", lambda: checked_copy("breakdown", run.breakdown))
    return outcome


def _html(run: RunInputs) -> Outcome:
    try:
        from filmcrew.tools.sheet_html import write_storyboard_html
    except ImportError as exc:
        raise ExportUnavailable("the storyboard sheet writer (filmcrew.tools.sheet_html) is not installed") from exc
    library = run.library()
    written = write_storyboard_html(run.out_dir, run.shotlist(), _title(run), frames_dir=run.frames_dir, library=library)
    return {"html": written}


def _otio(run: RunInputs) -> Outcome:
    from filmcrew.tools.export_timeline import build_timeline, write_timeline

    shots = run.shotlist()
    timeline = build_timeline(shots, run.frames_dir, name=_title(run), media_root=run.out_dir)
    def write(fmt: str, name: str) -> Path:
        target = run.target(name)
        write_timeline(timeline, target, fmt)
        return target

    outcome: Outcome = {}
    for fmt, name in TIMELINE_FILES:
        _attempt(outcome, fmt, partial(write, fmt, name))
    return outcome


def _animatic_shots(run: RunInputs) -> ShotList:
    """The shot list, checked for what an animatic needs: shots, and an aspect it can size."""
    shots = run.shotlist()
    if not shots.shots:
        raise ExportUnavailable("the shot list has no shots to put in an animatic")
    try:
        frame_size(shots.aspect)
    except InputError as exc:
        raise InputError(exc.reason, path=str(run.run_dir / "shotlist.json")) from exc
    return shots


def _start_animatic(run: RunInputs, wanted: list[str]) -> None:
    """Start the MP4 in a worker process when other formats can be written meanwhile and it is long."""
    if "mp4" not in wanted or len(wanted) == 1:
        return
    try:
        shots = _animatic_shots(run)
    except (ExportUnavailable, InputError):
        return  # `_mp4` meets the same error in its turn
    if not worth_it(len(shots.shots)):
        return
    job = AnimaticJob(str(run.need("shotlist.json")), str(run.frames_dir), str(run.target("animatic.mp4")), shots.aspect, run.voice,
                      run.height)
    run.animatic = Animatic(job)


def _mp4(run: RunInputs) -> Outcome:
    from filmcrew.tools.export_animatic import render_mp4, write_srt

    shots = _animatic_shots(run)
    video, subtitles = run.target("animatic.mp4"), run.target("animatic.srt")

    def render() -> Path:
        if run.animatic is not None:
            run.animatic.finish()
        else:
            render_mp4(shots, run.frames_dir, video, shots.aspect, height=run.height, voice=run.voice)
        return video

    outcome: Outcome = {}
    _attempt(outcome, "mp4", render)
    write_srt(shots, subtitles)
    outcome["srt"] = subtitles
    return outcome


def _title(run: RunInputs) -> str:
    """The timeline name: the script's title if it parses, else `animatic`."""
    from filmcrew.tools.export_pdf import plain

    try:
        return plain(run.screenplay().title()) or "animatic"
    except (ExportUnavailable, InputError):
        return "animatic"


WRITERS: dict[str, Callable[[RunInputs], Outcome]] = {
    "fountain": _fountain,
    "fdx": _fdx,
    "pdf": _pdf,
    "csv": _csv,
    "json": _json,
    "html": _html,
    "otio": _otio,
    "mp4": _mp4,
}

