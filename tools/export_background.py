"""The animatic render in a worker process, while this process writes the other formats.

Why another process: the render is C work (PNG decode, swscale, x264) driven by Python glue, and
the other formats (PDFs, timelines, HTML) are pure Python; in threads of one process they queue
for the GIL, in two processes each has a core. The process is one of the crew's workers
(`filmcrew.workers`: fresh interpreters, never a fork of this threaded one, already warm when
`plan` reaches its export); a thread here waits for it. A worker that cannot start or dies makes
`workers.run` render here instead, so the pool only changes speed, never the files.

The job is plain paths and flags; the worker loads `shotlist.json` itself and writes the MP4 as
`render_mp4` always does (temp file, then rename). It answers with a small dict rather than a
raised error, because `InputError` (keyword arguments: path, line) does not survive pickling
whole; `raise_answer` raises it here again as the same class with the same fields.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from filmcrew import workers
from filmcrew.errors import InputError
from filmcrew.tools.export_common import ExportUnavailable

BACKGROUND_MIN_SHOTS = 150  # below this, a render takes less than a worker's start-up


@dataclass(frozen=True)
class AnimaticJob:
    """Everything the worker needs, as plain paths and flags."""

    shotlist: str  # the run's shotlist.json
    frames_dir: str
    video: str
    aspect: str
    voice: bool = False
    height: int | None = None


def worth_it(shots: int) -> bool:
    """Render in a worker only for a long shot list, with a second core and workers allowed."""
    return shots >= BACKGROUND_MIN_SHOTS and workers.cores() >= 2 and os.environ.get("FILMCREW_WORKERS") != "0"


class Animatic:
    """A render started in a worker process; `finish` waits for it and raises its error here."""

    def __init__(self, job: AnimaticJob) -> None:
        self.job = job
        self._answer: dict[str, object] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="filmcrew-animatic", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._answer = workers.run(render, self.job)
        except BaseException as exc:  # raised again by `finish`, in the exporting thread
            self._error = exc

    def finish(self) -> None:
        """Wait for the render; raise what it met (`ExportUnavailable`, `InputError`, a crash)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        raise_answer(self._answer)

    def wait(self) -> None:
        """Wait without raising (the export failed elsewhere; no file may appear after it returns)."""
        self._thread.join()


def raise_answer(answer: dict[str, object]) -> None:
    """Raise the error a render reported, as the class it had; nothing when it succeeded."""
    if answer.get("ok"):
        return
    reason = str(answer.get("reason", "the animatic render failed"))
    if answer.get("kind") == "unavailable":
        raise ExportUnavailable(reason)
    path, line = answer.get("path"), answer.get("line")
    raise InputError(reason, path=str(path) if path is not None else None, line=line if isinstance(line, int) else None)


def render(job: AnimaticJob) -> dict[str, object]:
    """Render the job (in a worker, or here); answer `{"ok": True}` or the error met, as data."""
    from filmcrew.domain import ShotList
    from filmcrew.tools.export_animatic import render_mp4
    from filmcrew.tools.exports import load_json_model

    try:
        shots = load_json_model(Path(job.shotlist), ShotList)
        render_mp4(shots, Path(job.frames_dir), Path(job.video), job.aspect, height=job.height, voice=job.voice)
    except ExportUnavailable as exc:
        return {"ok": False, "kind": "unavailable", "reason": str(exc)}
    except InputError as exc:
        return {"ok": False, "kind": "input", "reason": exc.reason, "path": exc.path, "line": exc.line}
    return {"ok": True}
