"""Load a screenplay file: the one entry point the CLI and the crew use.

Everything a user can hand us goes through here, so every way a file can be wrong ends as an
`InputError` (exit code 2) with a one-line message naming the file, and the line where there
is one: missing, a folder, empty, too big (checked before reading, so a 50 MB file is refused
at once), binary, or not decodable. Text is UTF-8 (a BOM is fine), UTF-16 with a BOM, or else
Windows-1252 with a warning. `.fdx` goes to the Final Draft reader, everything else is read
as Fountain (`.fountain`, `.spmd`, `.txt` and unknown suffixes alike).
"""

from __future__ import annotations

from pathlib import Path

import structlog

from filmcrew.domain import ParseWarning, Screenplay
from filmcrew.errors import InputError
from filmcrew.tools.fountain import parse
from filmcrew.tools.model_build import build

log = structlog.get_logger(__name__)

MAX_BYTES = 20 * 1024 * 1024
FOUNTAIN_SUFFIXES = frozenset((".fountain", ".spmd", ".txt"))
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def load_script(path: str | Path) -> Screenplay:
    """Read and parse a screenplay file.

    Args:
        path: a `.fountain`, `.spmd`, `.txt` or `.fdx` file (other suffixes are tried as
            Fountain).

    Returns:
        The parsed screenplay, with `source` set to the path as given.

    Raises:
        InputError: the file is missing, a folder, empty, over 20 MB, binary, or holds no
            screenplay text.
    """
    file = Path(path)
    name = str(path)
    data = _read(file, name)
    if file.suffix.lower() == ".fdx":
        from filmcrew.tools.fdx import read_fdx

        screenplay = read_fdx(data, source=name)
    else:
        if file.suffix.lower() not in FOUNTAIN_SUFFIXES:
            log.info("script_suffix_unknown", path=name, suffix=file.suffix, reading_as="fountain")
        text, warning = decode(data, name)
        if not text.strip():
            raise InputError(
                "script is empty (only white space); write a scene or pick another file", path=name
            )
        screenplay = parse(text, source=name)
        if warning is not None:
            screenplay.warnings.insert(0, warning)
    _check_body(screenplay, name)
    log.debug(
        "script_loaded",
        path=name,
        scenes=len(screenplay.scenes),
        elements=len(screenplay.elements),
        warnings=len(screenplay.warnings),
    )
    return screenplay


def _read(file: Path, name: str) -> bytes:
    """Return the file's bytes after the checks that need no reading."""
    if not file.exists():
        raise InputError("script not found; check the path", path=name)
    if file.is_dir():
        raise InputError(
            "is a folder, not a script; give the .fountain or .fdx file inside it", path=name
        )
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"script is {size / 1024 / 1024:.1f} MB, over the 20 MB limit; "
            "a feature script is well under 1 MB",
            path=name,
        )
    if size == 0:
        raise InputError("script is empty (0 bytes); write a scene or pick another file", path=name)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the script: {exc.strerror or exc}", path=name) from exc
    if b"\x00" in data and not data.startswith(_UTF16_BOMS):
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError(
            "binary file (NUL bytes), not a screenplay; save it as Fountain or FDX",
            path=name,
            line=line,
        )
    return data


def decode(data: bytes, name: str) -> tuple[str, ParseWarning | None]:
    """Decode script bytes: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252.

    Returns:
        The text, and a warning when it was not UTF-8 (cp1252 guesses can be wrong).
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise InputError(
                "starts like UTF-16 but does not decode as UTF-16; save it as UTF-8", path=name
            ) from exc
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
    text = data.decode("cp1252", errors="replace")
    message = (
        "not UTF-8; read as Windows-1252 (cp1252): check accented letters and quotes, "
        "or save the file as UTF-8"
    )
    log.warning("script_not_utf8", path=name, line=line, encoding="cp1252")
    return text, build(ParseWarning, {"line": line, "message": message})


def _check_body(screenplay: Screenplay, name: str) -> None:
    """Refuse a file with nothing to film; log what the parser warned about."""
    if not screenplay.elements:
        raise InputError(
            "script holds no screenplay text (at most a title page); add the script", path=name
        )
    if not any(e.kind == "scene_heading" for e in screenplay.elements):
        log.warning("script_without_headings", path=name, reading_as="one scene")
    for warning in screenplay.warnings:
        log.debug("script_warning", path=name, line=warning.line, message=warning.message)
