"""The image path: character sheets made once, then sent as references with every frame."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from filmcrew.agents.breakdown import break_down
from filmcrew.agents.characters import build_library, generate_sheets, sheet_path, write_library
from filmcrew.agents.storyboard import generate_frame, read_manifest
from filmcrew.config import load_settings
from filmcrew.domain import Shot
from filmcrew.providers import for_agent
from filmcrew.providers.base import ImageResult, NotAvailable
from filmcrew.providers.offline import OfflineProvider
from filmcrew.providers.scripted import ScriptedProvider
from filmcrew.tools.fountain import parse
from tests.conftest import EXAMPLES
from tests.fakes.fixtures import (  # noqa: F401
    clean_env,
    gemini_api,
    openai_api,
    use_gemini,
    use_openai,
    write_config,
)

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


def _png(size: tuple[int, int], colour: tuple[int, int, int] = (90, 120, 150)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def run(tmp_path: Path):
    sp = parse(
        (EXAMPLES / "the-lighthouse-key.fountain").read_text(encoding="utf-8"),
        source="lighthouse.fountain",
    )
    library = build_library(sp, break_down(sp))
    folder = tmp_path / "run"
    write_library(library, folder)
    return folder, library


def _two_shot(scene: int = 7) -> Shot:
    return Shot(
        shot_id="7C",
        scene=scene,
        size="MWS",
        type="two-shot",
        subjects=["NORA", "ISLA"],
        description="Nora and Isla at the dead lens.",
        dialogue="ISLA: Gran, the whole board's gone.",
        int_ext="INT",
        location="LIGHTHOUSE - LAMP ROOM",
        time_of_day="NIGHT",
    )


def test_generate_frame_sends_the_subjects_references(run):
    folder, library = run
    provider = ScriptedProvider([ImageResult(png=_png((1536, 1024)))])
    png = generate_frame(
        provider,
        _two_shot(),
        "INT. LIGHTHOUSE - LAMP ROOM - NIGHT",
        library,
        "16:9",
        "",
        folder / "characters",
    )
    request = provider.calls[0]
    expected = [folder / library.get(n).reference_images[0] for n in ("NORA", "ISLA")]
    assert [Path(p).resolve() for p in request.references] == [p.resolve() for p in expected]
    assert len(request.reference_hashes) == 2 and request.prompt_id == "storyboard/frame@1"
    assert (
        "@nora (NORA)" in request.prompt and "fisherman's jumper" in request.prompt
    )  # scene 7's look
    assert "rust" not in request.prompt.split("@nora")[1].split("\n")[0]
    assert "LAMP ROOM - NIGHT" in request.prompt and "reference image 1" in request.prompt
    image = Image.open(io.BytesIO(png))
    assert abs(image.width / image.height - 16 / 9) < 0.01
    assert read_manifest(png) == {
        "aspect": "16:9",
        "references": ["NORA.png", "ISLA.png"],
        "shot_id": "7C",
        "source": "generated",
        "subjects": ["NORA", "ISLA"],
        "v": 1,
    }
    with pytest.raises(NotAvailable):
        generate_frame(
            OfflineProvider(), _two_shot(), "", library, "16:9", "", folder / "characters"
        )


def test_openai_sheets_once_then_frames_carry_them(clean_env, openai_api, monkeypatch, run):
    folder, library = run
    use_openai(monkeypatch, openai_api)
    write_config(
        clean_env,
        '[openai]\napi = "responses"\ntext_model = "fake-text"\nimage_model = "fake-image"\n',
    )
    provider = for_agent(load_settings(clean_env), "storyboard")
    with_sheets, notes = generate_sheets(provider, library, folder, "pencil")
    assert len(openai_api.paid()) == 3 and len(notes) == 3
    assert all(r.path == "/v1/images/generations" for r in openai_api.paid())
    nora = with_sheets.get("NORA")
    assert nora.reference_images == [sheet_path(nora)] and (folder / sheet_path(nora)).is_file()
    again, notes = generate_sheets(
        for_agent(load_settings(clean_env), "storyboard"), library, folder, "pencil"
    )
    assert len(openai_api.paid()) == 3 and notes == [] and again == with_sheets  # cached on disk
    png = generate_frame(
        provider,
        _two_shot(),
        "INT. LIGHTHOUSE - LAMP ROOM - NIGHT",
        with_sheets,
        "16:9",
        "pencil",
        folder / "characters",
    )
    sent = openai_api.paid()[-1]
    assert sent.path == "/v1/images/edits"
    sheets = [(folder / sheet_path(with_sheets.get(n))).read_bytes() for n in ("NORA", "ISLA")]
    assert [f.data for f in sent.files()] == sheets
    assert "@isla" in sent.fields()["prompt"] and png.startswith(b"\x89PNG")


def test_gemini_frames_send_reference_parts(clean_env, gemini_api, monkeypatch, run):
    folder, library = run
    use_gemini(monkeypatch, gemini_api)
    write_config(
        clean_env,
        f'[gemini]\nbase_url = "{gemini_api.base_url}"\nvertex = false\n'
        'text_model = "g-text"\nimage_model = "g-image"\n',
    )
    provider = for_agent(load_settings(clean_env), "storyboard")
    with_sheets, _ = generate_sheets(provider, library, folder, "")
    generate_frame(
        provider,
        _two_shot(),
        "INT. LIGHTHOUSE - LAMP ROOM - NIGHT",
        with_sheets,
        "9:16",
        "",
        folder / "characters",
    )
    sent = gemini_api.paid()[-1]
    sheets = [(folder / sheet_path(with_sheets.get(n))).read_bytes() for n in ("NORA", "ISLA")]
    assert gemini_api.inline_images(sent) == sheets


class VisionScripted(ScriptedProvider):
    """A scripted provider that declares a vision model (no built-in vendor adapter does yet)."""

    def supports(self, capability: str) -> bool:
        return capability == "vision" or super().supports(capability)


def test_judge_scores_generated_frames_against_references(run):
    folder, library = run
    from filmcrew.agents.storyboard import draw_frame, frame_path, judge_frames
    from filmcrew.domain import ShotList
    from filmcrew.files import atomic_write_bytes

    generated = _two_shot()
    sketched = generated.model_copy(update={"shot_id": "7D"})
    atomic_write_bytes(frame_path(folder, "7C"), generate_frame(
        ScriptedProvider([ImageResult(png=_png((1536, 1024)))]), generated, "", library, "16:9", "", folder / "characters"))
    atomic_write_bytes(frame_path(folder, "7D"), draw_frame(sketched, library, "16:9"))
    judge = VisionScripted([{"characters": [{"name": "NORA", "score": 0.92, "note": ""},
                                            {"name": "isla", "score": 0.35, "note": "hair is brown, reference is red"}]}])
    report = judge_frames(judge, ShotList(shots=[generated, sketched]), library, folder)
    judge.assert_consumed()  # only the generated frame is judged; a sketch is checked offline
    request = judge.calls[0]
    assert [Path(p).name for p in request.images] == ["7C.png", "NORA.png", "ISLA.png"]
    assert len(request.image_hashes) == 3 and "image 2: NORA" in request.prompt
    assert report.scores == {"7C": {"NORA": 0.92, "ISLA": 0.35}} and report.means() == {"7C": 0.635}
    (finding,) = report.findings
    assert (finding.kind, finding.shot, finding.source) == ("look", "7C", "model")
    assert "ISLA" in finding.message and "hair is brown" in finding.message
    offline = judge_frames(OfflineProvider(), ShotList(shots=[generated]), library, folder)
    assert offline.scores == {} and offline.notes and offline.findings == []


def test_a_jpeg_answer_is_stored_as_png(run):
    folder, library = run
    jpeg = io.BytesIO()
    Image.new("RGB", (1024, 1536), (200, 10, 10)).save(jpeg, "JPEG")
    provider = ScriptedProvider([ImageResult(png=jpeg.getvalue())])
    png = generate_frame(provider, _two_shot(), "", library, "9:16", "", folder / "characters")
    assert png.startswith(b"\x89PNG") and read_manifest(png)["source"] == "generated"
    with Image.open(io.BytesIO(png)) as image:
        assert abs(image.width / image.height - 9 / 16) < 0.01


def test_reference_limit_is_shared_one_per_character(run):
    from filmcrew.agents.storyboard import _budget

    refs = {"A": [Path("a1"), Path("a2")], "B": [Path("b1")], "C": [Path("c1"), Path("c2")]}
    assert _budget(refs, 3) == {"A": [Path("a1")], "B": [Path("b1")], "C": [Path("c1")]}
    assert _budget(refs, 4) == {"A": [Path("a1"), Path("a2")], "B": [Path("b1")], "C": [Path("c1")]}
    assert _budget(refs, 0) == refs and _budget(refs, 16) == refs
    folder, library = run
    from filmcrew.providers.base import Capabilities

    one = ScriptedProvider([ImageResult(png=_png((1536, 1024)))], capabilities=Capabilities(image=True, max_reference_images=1))
    generate_frame(one, _two_shot(), "", library, "16:9", "", folder / "characters")
    request = one.calls[0]
    assert [Path(p).name for p in request.references] == ["NORA.png"]
    assert "reference image 1" in request.prompt and "reference image 2" not in request.prompt
