"""Hand-built inputs for the exporter tests: a screenplay, its breakdown, a shot list, frames.

Built directly as domain objects so the exporter tests do not depend on the Fountain parser,
the breakdown or the shot planner. Frames are drawn with Pillow in a distinct colour per shot,
so a decoded animatic frame can be traced back to its shot. This module holds no tests.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from filmcrew.domain import (
    Breakdown,
    BreakdownScene,
    Element,
    Scene,
    SceneHeading,
    Screenplay,
    Shot,
    ShotList,
    TextRun,
    TitleEntry,
)
from filmcrew.files import safe_name

SHOT_COLOURS = [(200, 40, 40), (40, 160, 60), (40, 70, 200), (220, 170, 30), (150, 60, 170), (30, 170, 170)]


def _element(kind: str, text: str, line: int, **extra: object) -> Element:
    """One element on one source line."""
    return Element(kind=kind, text=text, start_line=line, end_line=line + text.count("\n"), **extra)  # type: ignore[arg-type]


def screenplay(long_speech: int = 0, filler_scenes: int = 0, title: str = "The Lighthouse Key") -> Screenplay:
    """A small script using every printed element; `filler_scenes` adds pages, `long_speech` a speech that splits."""
    spec: list[tuple[str, str, dict[str, object]]] = [
        ("action", "FADE IN:", {}),
        ("scene_heading", "EXT. HARBOUR ROAD - DAWN", {"scene_number": "1"}),
        ("action", "Fog rolls off grey water. Gulls argue over a capsized crate while NORA VANCE (60s, wiry, oilskin coat) walks the sea wall.", {}),
        ("character", "NORA", {}),
        ("parenthetical", "(to herself)", {}),
        ("dialogue", "Forty years and they change the lock.", {}),
        ("scene_heading", "INT. HARBOUR OFFICE - DAY", {"scene_number": "2"}),
        ("action", "A cramped office. Tide charts on every wall.", {"runs": [TextRun(text="A cramped office. "), TextRun(text="Tide charts", bold=True, underline=True), TextRun(text=" on every wall.")]}),
        ("character", "DEV", {"extensions": ["O.S."]}),
        ("dialogue", "Mrs Vance. You got my letter.", {}),
        ("character", "NORA", {"dual": "left"}),
        ("dialogue", "I got a letter.", {}),
        ("character", "DEV", {"dual": "right"}),
        ("dialogue", "It's not personal.", {}),
        ("transition", "CUT TO:", {}),
        ("centered", "THE END", {}),
    ]
    if long_speech:
        words = " ".join(f"word{index}" for index in range(long_speech * 6))
        spec += [("scene_heading", "INT. LIGHTHOUSE - NIGHT", {}), ("character", "NORA", {}), ("dialogue", words, {})]
    for index in range(filler_scenes):
        spec += [
            ("scene_heading", f"EXT. CLIFF PATH {index} - NIGHT", {}),
            ("action", "Wind. Rain. The beam of the lighthouse sweeps the dark water again and again.\n\nNora climbs.", {}),
            ("character", "NORA", {}),
            ("dialogue", "Not yet. Not tonight, not while I still have the key in my pocket.", {}),
        ]
    return _assemble(spec, title)


def _assemble(spec: list[tuple[str, str, dict[str, object]]], title: str) -> Screenplay:
    """Number the lines, build the elements and group scenes by heading."""
    elements, line = [], 10
    for kind, text, extra in spec:
        elements.append(_element(kind, text, line, **extra))
        line += text.count("\n") + 2
    scenes, starts = [], [i for i, e in enumerate(elements) if e.kind == "scene_heading"]
    for number, first in enumerate(starts, start=1):
        end = starts[number] if number < len(starts) else len(elements)
        heading = elements[first]
        scenes.append(Scene(number=number, label=heading.scene_number or str(number), heading=SceneHeading(text=heading.text),
                            start_line=heading.start_line, end_line=elements[end - 1].end_line, first_element=first, end_element=end))
    entries = [TitleEntry(key="Title", value=f"**{title}**", start_line=1, end_line=1),
               TitleEntry(key="Credit", value="Written by", start_line=2, end_line=2),
               TitleEntry(key="Author", value="The filmcrew team", start_line=3, end_line=3),
               TitleEntry(key="Draft date", value="2026-11-28", start_line=4, end_line=4),
               TitleEntry(key="Contact", value="filmcrew examples\nShort film", start_line=5, end_line=6)]
    return Screenplay(source="lighthouse.fountain", title_page=entries, elements=elements, scenes=scenes, line_count=line)


def shotlist(aspect: str = "16:9", ids: list[str] | None = None, durations: list[float] | None = None) -> ShotList:
    """A shot list over two scenes; ids and durations can be replaced (hostile ids, odd durations)."""
    ids = ids or ["1A", "1B", "2A", "2B"]
    durations = durations or [3.0, 2.5, 4.0, 1.75][: len(ids)] + [2.0] * max(0, len(ids) - 4)
    dialogue = ["", "NORA: Forty years and they change the lock.", "DEV: Mrs Vance. You got my letter.", ""]
    shots = []
    for index, (shot_id, seconds) in enumerate(zip(ids, durations, strict=True)):
        shots.append(Shot(shot_id=shot_id, scene=1 if index < 2 else 2, size=["WS", "CU", "MS", "OTS"][index % 4],
                          type="single", description=f"Shot {shot_id}: Nora at the gate, fog behind <her> & the sea.",
                          subjects=["NORA"], lines=[12 + index], duration_s=seconds, dialogue=dialogue[index % 4],
                          setup=f"S{index // 2 + 1}", lens="35"))
    return ShotList(aspect=aspect, shots=shots)


def breakdown() -> Breakdown:
    """The breakdown rows of the two scenes the shot list covers."""
    scenes = [
        BreakdownScene(number=1, label="1", heading="EXT. HARBOUR ROAD - DAWN", int_ext="EXT", location="HARBOUR ROAD",
                       time_of_day="DAWN", story_day=1, eighths=3, eighths_str="3/8", start_line=12, end_line=20,
                       characters=["NORA"], props=["BAG", "KEY"], wardrobe=["oilskin coat"]),
        BreakdownScene(number=2, label="2", heading="INT. HARBOUR OFFICE - DAY", int_ext="INT", location="HARBOUR OFFICE",
                       time_of_day="DAY", story_day=1, eighths=9, eighths_str="1 1/8", start_line=22, end_line=40,
                       characters=["NORA", "DEV"], props=["FORM"]),
    ]
    return Breakdown(scenes=scenes, story_days=1, total_eighths=12, pages=1.5, runtime_s=90)


def draw_frames(folder: Path, shots: ShotList, size: tuple[int, int] = (640, 360)) -> list[Path]:
    """Draw one flat-coloured storyboard frame per shot at `<folder>/<safe id>.png`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, shot in enumerate(shots.shots):
        image = Image.new("RGB", size, SHOT_COLOURS[index % len(SHOT_COLOURS)])
        draw = ImageDraw.Draw(image)
        draw.ellipse((size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4), outline=(255, 255, 255), width=4)
        path = folder / f"{safe_name(shot.shot_id, fallback='shot')}.png"
        image.save(path)
        paths.append(path)
    return paths
