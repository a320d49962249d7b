"""Storyboard thumbnails of a case run, for the report: frames spread evenly over the cut."""

from __future__ import annotations

import io

from PIL import Image
from pydantic import BaseModel

from filmcrew.agents.storyboard import frame_path
from filmcrew.evals.scoring import CaseRun

WIDTH = 240


class Thumb(BaseModel):
    """A small storyboard frame for the report."""

    shot_id: str
    png: bytes
    caption: str = ""


def _thumbnail(data: bytes) -> bytes:
    """Shrink a frame to the report's width as a plain PNG (no manifest, byte-stable)."""
    with Image.open(io.BytesIO(data)) as image:
        small = image.convert("RGB")
        small.thumbnail((WIDTH, WIDTH * 2))
        out = io.BytesIO()
        small.save(out, format="PNG", optimize=True)
        return out.getvalue()


def thumbnails(run: CaseRun, limit: int) -> list[Thumb]:
    """Return up to `limit` thumbnails: the first shot and others evenly spaced to the last, in cut order."""
    if run.shotlist is None or limit <= 0 or not run.shotlist.shots:
        return []
    shots = run.shotlist.shots
    step = max(1, len(shots) - 1) / max(1, limit - 1) if len(shots) > limit else 1
    picked = sorted({round(i * step) for i in range(min(limit, len(shots)))})
    thumbs = []
    for shot in (shots[i] for i in picked):
        path = frame_path(run.run_dir, shot.shot_id)
        if path.is_file():
            caption = f"{shot.shot_id} · {shot.size} {shot.type}" + (f" · {', '.join(shot.subjects)}" if shot.subjects else "")
            thumbs.append(Thumb(shot_id=shot.shot_id, png=_thumbnail(path.read_bytes()), caption=caption))
    return thumbs
