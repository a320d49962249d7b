"""`load_script`: every way a script file can be wrong ends as an InputError (exit code 2)
naming the file; odd but readable files load with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from structlog.testing import capture_logs

from filmcrew.errors import InputError
from filmcrew.tools.source import MAX_BYTES, load_script

SCRIPT = "INT. KITCHEN - NIGHT\n\nNORA\nCafé, s'il vous plaît.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path | str) -> InputError:
    with pytest.raises(InputError) as caught:
        load_script(path)
    assert caught.value.exit_code == 2
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    error = refused(tmp_path / "nope.fountain")
    assert "not found" in error.reason


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "script.fountain"
    folder.mkdir()
    assert "folder" in refused(folder).reason


@pytest.mark.parametrize("data", [b"", b"\n\n   \n\t\n", b"\xef\xbb\xbf"])
def test_empty_or_blank_file(tmp_path: Path, data: bytes) -> None:
    assert "empty" in refused(write(tmp_path, "empty.fountain", data)).reason


def test_binary_file_names_the_line(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "image.fountain", b"INT. X\n\nfine\n\x89PNG\x00\x00"))
    assert "binary" in error.reason
    assert error.line == 4


def test_oversized_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "huge.fountain"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk

    def no_reading(self: Path) -> bytes:
        raise AssertionError("an oversized file must be refused before it is read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    error = refused(big)
    assert "20 MB" in error.reason and "50.0 MB" in error.reason


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    body = SCRIPT.encode()
    path = write(tmp_path, "limit.fountain", body + b" " * (MAX_BYTES - len(body)))
    assert load_script(path).elements[0].text == "INT. KITCHEN - NIGHT"


def test_title_page_only(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "title.fountain", b"Title: Nothing Yet\nAuthor: Me\n"))
    assert "no screenplay text" in error.reason


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    for name, data in (
        ("plain.fountain", SCRIPT.encode()),
        ("bom.fountain", b"\xef\xbb\xbf" + SCRIPT.encode()),
    ):
        sp = load_script(write(tmp_path, name, data))
        assert sp.elements[0].text == "INT. KITCHEN - NIGHT"
        assert sp.elements[2].text == "Café, s'il vous plaît."
        assert sp.warnings == []


def test_cp1252_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "windows.fountain", SCRIPT.replace("'", "’").encode("cp1252"))
    with capture_logs() as logs:
        sp = load_script(path)
    assert sp.elements[2].text == "Café, s’il vous plaît."
    assert sp.warnings[0].line == 4 and "cp1252" in sp.warnings[0].message
    assert any(log["event"] == "script_not_utf8" and log["log_level"] == "warning" for log in logs)


def test_utf16_with_bom(tmp_path: Path) -> None:
    sp = load_script(write(tmp_path, "notepad.fountain", SCRIPT.encode("utf-16")))
    assert sp.elements[2].text == "Café, s'il vous plaît."


def test_no_scene_heading_is_one_implicit_scene(tmp_path: Path) -> None:
    with capture_logs() as logs:
        sp = load_script(write(tmp_path, "notes.txt", b"NORA\nHello.\n\nShe leaves.\n"))
    assert len(sp.scenes) == 1 and sp.scenes[0].heading is None
    assert "no scene heading" in sp.warnings[0].message
    assert any(log["event"] == "script_without_headings" for log in logs)


@pytest.mark.parametrize("suffix", [".fountain", ".spmd", ".txt", ".FOUNTAIN", ".screenplay", ""])
def test_fountain_suffixes_and_unknown_ones(tmp_path: Path, suffix: str) -> None:
    sp = load_script(str(write(tmp_path, f"script{suffix}", SCRIPT.encode())))
    assert [e.kind for e in sp.elements] == ["scene_heading", "character", "dialogue"]
    assert sp.source is not None and sp.source.endswith(f"script{suffix}")


FDX = b"""<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<FinalDraft DocumentType="Script" Template="No" Version="5">
  <Content>
    <Paragraph Type="Scene Heading"><Text>INT. RADIO STUDIO</Text></Paragraph>
    <Paragraph Type="Action"><Text>A red light.</Text></Paragraph>
  </Content>
</FinalDraft>
"""


def test_fdx_goes_to_the_final_draft_reader(tmp_path: Path) -> None:
    sp = load_script(write(tmp_path, "studio.fdx", FDX))
    assert [(e.kind, e.text) for e in sp.elements] == [
        ("scene_heading", "INT. RADIO STUDIO"),
        ("action", "A red light."),
    ]


def test_broken_fdx_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.FDX", b"<FinalDraft><Content><Paragraph>")
    with pytest.raises(InputError) as caught:
        load_script(path)
    assert caught.value.exit_code == 2
    assert "broken.FDX" in str(caught.value)
