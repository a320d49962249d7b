"""Each example, planned offline: library, frames, and the HTML and PDF storyboard sheets."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import deque
from pathlib import Path

import pytest
from PIL import Image

from filmcrew.agents import shot_styles
from filmcrew.agents.breakdown import break_down
from filmcrew.agents.characters import build_library, write_library
from filmcrew.agents.shot_planner import plan_shotlist
from filmcrew.agents.storyboard import check_frame_subjects, draw_frame, frame_path
from filmcrew.domain import Shot, ShotList
from filmcrew.files import atomic_write_bytes
from filmcrew.tools.fountain import parse
from filmcrew.tools.sheet_html import write_storyboard_html
from filmcrew.tools.sheet_pdf import grid_for, write_storyboard_pdf
from tests.conftest import EXAMPLES

CASES = [("the-lighthouse-key", "16:9"), ("wrong-number-ep1", "9:16")]


def _plan(folder: Path, name: str, aspect: str) -> tuple[ShotList, str]:
    sp = parse(
        (EXAMPLES / f"{name}.fountain").read_text(encoding="utf-8"), source=f"{name}.fountain"
    )
    sheet = break_down(sp)
    library = build_library(sp, sheet)
    write_library(library, folder)
    shotlist = plan_shotlist(sp, sheet, library, shot_styles.resolve_style(None, aspect))
    for shot in shotlist.shots:
        atomic_write_bytes(
            frame_path(folder, shot.shot_id), draw_frame(shot, library, shotlist.aspect)
        )
    assert check_frame_subjects(folder, shotlist, library) == []
    return shotlist, sp.title()


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def planned(request, tmp_path_factory):
    name, aspect = request.param
    folder = tmp_path_factory.mktemp(name)
    shotlist, title = _plan(folder, name, aspect)
    return folder, shotlist, title


def test_plan_writes_library_and_one_frame_per_shot(planned):
    folder, shotlist, _ = planned
    assert (folder / "characters.json").is_file() and list((folder / "characters").glob("*.png"))
    frames = sorted(p.name for p in (folder / "storyboard").glob("*.png"))
    assert len(frames) == len(shotlist.shots) > 10
    with Image.open(frame_path(folder, shotlist.shots[0].shot_id)) as image:
        size = image.size
    assert size == ((640, 360) if shotlist.aspect == "16:9" else (360, 640))


def test_html_sheet_opens_from_disk(planned):
    folder, shotlist, title = planned
    path = write_storyboard_html(folder, shotlist, title)
    text = path.read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', text)
    assert len(sources) == len(shotlist.shots)
    assert all((folder / s).is_file() and not s.startswith(("/", "http")) for s in sources)
    assert "<script" not in text and "http://" not in text and "https://" not in text
    assert f"<h1>{title}</h1>" in text
    first = path.read_bytes()
    write_storyboard_html(folder, shotlist, title)
    assert path.read_bytes() == first


def test_html_escapes_script_text(tmp_path):
    shot = Shot(
        shot_id="1A",
        scene=1,
        size="MS",
        type="single",
        subjects=["<b>X</b>"],
        description='He types <script>alert("x")</script> & leaves',
        dialogue="A < B",
    )
    text = write_storyboard_html(tmp_path, ShotList(shots=[shot]), "T & <U>").read_text(
        encoding="utf-8"
    )
    assert "<script>" not in text and "&lt;script&gt;" in text and "T &amp; &lt;U&gt;" in text
    assert 'class="missing"' in text  # no frame drawn yet: a placeholder, not a broken image


def _frames_on_page(png: Path, ratio: float) -> int:
    """Count panels on a rendered page: large connected non-white regions of the frame's shape."""
    with Image.open(png) as opened:
        image = opened.convert("L")
    w, h = image.size
    data = image.tobytes()
    seen = bytearray(w * h)
    count = 0
    for start in range(w * h):
        if seen[start] or data[start] > 245:
            continue
        queue, seen[start] = deque([start]), 1
        xs, ys = [start % w, start % w], [start // w, start // w]
        while queue:
            i = queue.popleft()
            x, y = i % w, i // w
            xs[0], xs[1], ys[0], ys[1] = min(xs[0], x), max(xs[1], x), min(ys[0], y), max(ys[1], y)
            for j in (i - 1 if x else -1, i + 1 if x < w - 1 else -1, i - w, i + w):
                if 0 <= j < w * h and not seen[j] and data[j] <= 245:
                    seen[j] = 1
                    queue.append(j)
        bw, bh = xs[1] - xs[0] + 1, ys[1] - ys[0] + 1
        if bw > w * 0.08 and abs(bw / bh - ratio) < 0.12 * ratio:
            count += 1
    return count


def test_pdf_first_page_shows_the_frames(planned, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed (apt-get install -y poppler-utils)")
    folder, shotlist, title = planned
    path = write_storyboard_pdf(folder, shotlist, title)
    data = path.read_bytes()
    grid = grid_for(shotlist.aspect)
    pages = -(-len(shotlist.shots) // grid.per_page)
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b", data)) == pages
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    with Image.open(page) as opened:
        grey = opened.convert("L")
    dark = sum(1 for v in grey.getdata() if v < 200) / (grey.width * grey.height)
    assert dark > 0.05  # not blank
    w, h = (float(x) for x in shotlist.aspect.split(":"))
    assert _frames_on_page(page, w / h) == min(len(shotlist.shots), grid.per_page)
    write_storyboard_pdf(folder, shotlist, title)
    assert path.read_bytes() == data  # invariant: no dates inside
