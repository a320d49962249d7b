"""`filmcrew export`: write a run's screenplay, shot list and animatic in other tools' formats."""

from __future__ import annotations

from pathlib import Path

import typer

from filmcrew.errors import InputError

RunArg = typer.Argument(..., help="A run id (see `filmcrew runs`) or the run folder `filmcrew plan` wrote.")
ToOpt = typer.Option(
    ..., "--to", "-t", help="Format to write: fountain, fdx, pdf, csv, json, html, otio, mp4, or all. Repeat or comma-separate."
)
OutOpt = typer.Option(None, "--out", "-o", help="Folder to write into (default: the run folder).")
VoiceOpt = typer.Option(False, "--voice", help="Add a temp dialogue track to the MP4 (needs espeak-ng).")
HeightOpt = typer.Option(None, "--height", min=16, max=4320,
                         help="MP4 picture height in lines, e.g. 1080 for a delivery-size animatic "
                              "(default: the storyboard frames' own size; larger takes longer).")


def export(run: str = RunArg, to: list[str] = ToOpt, out: Path | None = OutOpt, voice: bool = VoiceOpt,
           height: int | None = HeightOpt) -> None:
    """Re-export a run: screenplay (Fountain, FDX, PDF), shot list (CSV, JSON, PDF), animatic (OTIO, EDL, FCP XML, MP4).

    Example: filmcrew export ltk-2811-7f3a --to pdf --to otio,mp4 --out exports/
    Example: filmcrew export ltk-2811-7f3a --to mp4 --height 1080
    """
    from filmcrew.tools.exports import check_formats, export_run

    formats = check_formats(to)
    run_dir = _run_folder(run)
    target = out if out is not None else run_dir
    results = export_run(run_dir, formats, target, voice=voice, height=height)
    for fmt, value in results.items():
        if isinstance(value, str):
            typer.echo(f"{fmt:<10} skipped: {value}")
        else:
            typer.echo(f"{fmt:<10} {' '.join(path.name for path in value)}")
    typer.echo(f"→ {target}")


def _run_folder(run: str) -> Path:
    """Resolve a run id through the registry, or take a folder as it is."""
    folder = Path(run)
    if folder.is_dir():
        return folder
    from filmcrew.config import load_settings
    from filmcrew.runs import Registry

    try:
        record = Registry(load_settings(Path.cwd()).data_dir).get(run)
    except InputError:
        raise InputError("no such run id or run folder; `filmcrew runs` lists them", path=run) from None
    return Path(record.run_dir)
