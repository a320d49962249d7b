"""Offline storyboard frames: shot size, angle and moves drawn; deterministic; subjects recorded."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from filmcrew.agents.sketch_figure import SKIN
from filmcrew.agents.sketch_frame import MOVE
from filmcrew.agents.storyboard import check_frame_subjects, draw_frame, frame_path, read_manifest
from filmcrew.domain import Character, CharacterLibrary, Shot, ShotList
from filmcrew.errors import InputError
from filmcrew.files import atomic_write_bytes

LIBRARY = CharacterLibrary(
    characters=[
        Character(
            name="NORA",
            handle="@nora",
            age="60s",
            build="wiry",
            hair="grey hair in a bun",
            signature_wardrobe=["rust oilskin coat"],
            color="#b7472a",
            pronouns="she/her",
        ),
        Character(
            name="DEV",
            handle="@dev",
            age="30s",
            aliases=["DEV PATEL"],
            signature_wardrobe=["lanyard"],
            color="#2e86ab",
        ),
        Character(
            name="ISLA",
            handle="@isla",
            age="17",
            signature_wardrobe=["yellow raincoat"],
            color="#8e5ea2",
        ),
    ]
)


def _shot(**kw) -> Shot:
    base = {
        "shot_id": "1A",
        "scene": 1,
        "size": "MS",
        "type": "single",
        "subjects": ["NORA"],
        "int_ext": "INT",
        "location": "OFFICE",
        "time_of_day": "DAY",
    }
    return Shot(**{**base, **kw})


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def _count(image: Image.Image, colour: tuple[int, int, int]) -> int:
    return sum(1 for px in image.getdata() if px == colour)


@pytest.mark.parametrize(
    ("aspect", "size"),
    [("16:9", (640, 360)), ("9:16", (360, 640)), ("2.39:1", (640, 268)), ("4:5", (512, 640))],
)
def test_frames_take_the_run_aspect(aspect, size):
    assert _image(draw_frame(_shot(), LIBRARY, aspect)).size == size


def test_unknown_aspect_is_an_input_error():
    with pytest.raises(InputError, match="aspect"):
        draw_frame(_shot(), LIBRARY, "wide")


def test_frames_are_byte_identical_across_runs():
    shot = _shot(
        subjects=["NORA", "DEV"],
        type="two-shot",
        movement="dolly in",
        angle="low",
        dialogue="NORA: Not today.",
    )
    assert draw_frame(shot, LIBRARY, "16:9") == draw_frame(shot, LIBRARY, "16:9")


def test_figures_scale_with_shot_size():
    """A CU fills the frame with a face, a WS shows the whole body small (film-grammar.md §2)."""
    area = {
        size: _count(_image(draw_frame(_shot(size=size), LIBRARY, "16:9")), SKIN)
        for size in ("EWS", "WS", "FS", "MS", "MCU", "CU")
    }
    order = ["EWS", "WS", "FS", "MS", "MCU", "CU"]
    assert all(area[a] < area[b] for a, b in zip(order, order[1:])), area

    def skin_rows(size: str) -> float:
        image = _image(draw_frame(_shot(size=size), LIBRARY, "16:9"))
        rows = {i // image.width for i, px in enumerate(image.getdata()) if px == SKIN}
        return len(rows) / image.height

    assert skin_rows("CU") > 0.5 and skin_rows("WS") < 0.1  # a CU's face fills the height


def test_camera_moves_are_drawn_in_red():
    still = _count(_image(draw_frame(_shot(), LIBRARY, "16:9")), MOVE)
    for move in (
        "pan left",
        "dolly in",
        "dolly out",
        "tilt up",
        "crane up",
        "handheld",
        "truck right",
    ):
        assert (
            _count(_image(draw_frame(_shot(movement=move), LIBRARY, "16:9")), MOVE) > still + 300
        ), move


def test_night_frames_are_darker_than_day():
    def mean(png: bytes) -> float:
        grey = _image(png).convert("L")
        return sum(grey.getdata()) / (grey.width * grey.height)

    assert (
        mean(draw_frame(_shot(time_of_day="NIGHT"), LIBRARY, "16:9"))
        < mean(draw_frame(_shot(), LIBRARY, "16:9")) - 60
    )


def test_angles_move_the_horizon():
    """Eye level puts the horizon at the eyes, a low angle below the subject, a high one above."""

    def horizon_row(angle: str) -> int:
        image = _image(
            draw_frame(
                _shot(size="WS", int_ext="EXT", angle=angle, subjects=["DEV"]), LIBRARY, "16:9"
            )
        )
        x = 20  # clear of the figure: the ground changes tone under the horizon
        column = [image.getpixel((x, y)) for y in range(40, image.height - 40)]
        return next(i for i, (a, b) in enumerate(zip(column, column[1:])) if a != b) + 40

    assert horizon_row("high") < horizon_row("eye level") < horizon_row("low")


def test_manifest_records_what_was_drawn():
    shot = _shot(
        type="OTS", subjects=["DEV", "NORA"], description="OTS on DEV over NORA's shoulder"
    )
    manifest = read_manifest(draw_frame(shot, LIBRARY, "16:9"))
    assert (
        manifest is not None
        and sorted(manifest["subjects"]) == ["DEV", "NORA"]
        and manifest["source"] == "sketch"
    )
    insert = _shot(
        size="INSERT", type="insert", subjects=["NORA"], description="INSERT KEY: the brass KEY"
    )
    assert read_manifest(draw_frame(insert, LIBRARY, "16:9"))["subjects"] == ["NORA"]
    empty = _shot(size="EWS", type="establishing", subjects=[])
    assert read_manifest(draw_frame(empty, LIBRARY, "16:9"))["subjects"] == []


def test_check_frame_subjects_finds_wrong_and_missing_frames(tmp_path):
    crowd = [f"EXTRA {i}" for i in range(10)]
    shots = [
        _shot(shot_id="1A"),
        _shot(shot_id="1B", subjects=["DEV PATEL", "ISLA"], type="two-shot"),
        _shot(shot_id="1C", subjects=crowd, type="group", size="WS"),
        _shot(shot_id="1D"),
        _shot(shot_id="1E"),
    ]
    for shot in shots[:3]:
        atomic_write_bytes(frame_path(tmp_path, shot.shot_id), draw_frame(shot, LIBRARY, "16:9"))
    atomic_write_bytes(
        frame_path(tmp_path, "1D"),
        draw_frame(_shot(shot_id="1D", subjects=["ISLA"]), LIBRARY, "16:9"),
    )
    findings = check_frame_subjects(tmp_path, ShotList(shots=shots), LIBRARY)
    by_shot = {f.shot: f for f in findings}
    assert set(by_shot) == {"1C", "1D", "1E"}  # 1B passes: DEV PATEL is DEV's alias
    assert (
        "does not show EXTRA 8, EXTRA 9" in by_shot["1C"].message
    )  # a crowd is capped at 8 figures
    assert "does not show NORA" in by_shot["1D"].message and "shows ISLA" in by_shot["1D"].message
    assert "no storyboard frame" in by_shot["1E"].message
    assert all(f.kind == "framing" and f.severity == "warning" and f.fix for f in findings)


def test_frame_path_stays_in_the_storyboard_folder(tmp_path):
    path = frame_path(tmp_path, "../../etc/passwd")
    assert path.parent == (tmp_path / "storyboard").resolve()
    assert frame_path(tmp_path, "12A") == (tmp_path / "storyboard" / "12A.png").resolve()


def test_every_example_shot_kind_draws(tmp_path):
    """Every size, type, angle and move of the vocabulary draws without error and is recorded."""
    sizes = ["EWS", "WS", "FS", "MWS", "MS", "MCU", "CU", "ECU", "INSERT", "weird"]
    types = [
        "establishing",
        "master",
        "two-shot",
        "OTS",
        "single",
        "POV",
        "reaction",
        "insert",
        "cutaway",
        "group",
    ]
    angles = ["eye level", "high", "low", "overhead", "worm's eye", "dutch"]
    moves = [
        "static",
        "pan",
        "tilt",
        "dolly in",
        "dolly out",
        "truck",
        "pedestal",
        "crane",
        "handheld",
        "steadicam",
        "zoom",
        "drone",
        "whip pan",
    ]
    for i, size in enumerate(sizes):
        for j, kind in enumerate(types):
            shot = _shot(
                shot_id=f"{i}{j}",
                size=size,
                type=kind,
                angle=angles[(i + j) % len(angles)],
                movement=moves[(i * 3 + j) % len(moves)],
                subjects=["NORA", "DEV", "ISLA"][: (i + j) % 4],
                time_of_day=["DAY", "NIGHT", "DUSK", "DAWN"][j % 4],
                direction="screen right",
            )
            png = draw_frame(shot, LIBRARY, "9:16" if j % 2 else "16:9")
            assert sorted(read_manifest(png)["subjects"]) == sorted(shot.subjects), shot
