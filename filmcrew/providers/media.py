"""Images a request shows a model: read once, checked against their hashes, typed by content.

The adapters turn them into vendor parts (a data URL for OpenAI, inline bytes for Gemini).
Recordings keep a copy of every file a request sent as `<sha256><suffix>` beside the JSON,
so a recording shows what the model saw without base64 inside it; the request itself holds
only the hashes, which is also what its fingerprint counts.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from filmcrew.errors import InputError
from filmcrew.providers.base import ImageRequest, TextRequest, VideoRequest, sha256_bytes
from filmcrew.providers.codec import store_media
from filmcrew.providers.http import sniff_mime

SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp", "image/gif": ".gif"}


@dataclass(frozen=True)
class Media:
    """One image file's bytes, content type and sha256."""

    data: bytes
    mime: str
    sha256: str

    @property
    def suffix(self) -> str:
        """The file suffix media stores use for this type."""
        return SUFFIX[self.mime]

    def data_url(self) -> str:
        """The image as a `data:` URL (what OpenAI's image parts take)."""
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def read_image(path: str | Path, expected_sha256: str = "") -> Media:
    """Read an image file, refusing non-images and files changed since their hash was taken.

    A changed file would be answered under the old fingerprint (a wrong cache hit later), so
    it is an input error, not something to send.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read image: {exc.strerror}", path=str(path)) from exc
    mime = sniff_mime(data)
    if mime not in SUFFIX:
        raise InputError("not a PNG or JPEG image", path=str(path))
    digest = sha256_bytes(data)
    if expected_sha256 and expected_sha256 != digest:
        raise InputError("image changed after the request was built (its sha256 differs); "
                         "build the request again", path=str(path))
    return Media(data=data, mime=mime, sha256=digest)


def request_images(req: TextRequest) -> list[Media]:
    """Read the images of a text request, in order, checked against `image_hashes`."""
    return [read_image(path, digest) for path, digest in input_files(req)]


def input_files(req: BaseModel) -> list[tuple[str, str]]:
    """Every file a request sends, with its declared hash ('' when none): images, references,
    or a video's still."""
    if isinstance(req, TextRequest):
        return list(zip(req.images, _padded(req.image_hashes, len(req.images)), strict=True))
    if isinstance(req, ImageRequest):
        hashes = _padded(req.reference_hashes, len(req.references))
        return list(zip(req.references, hashes, strict=True))
    if isinstance(req, VideoRequest) and req.image:
        return [(req.image, req.image_hash)]
    return []


def _padded(hashes: list[str], count: int) -> list[str]:
    """The hashes when there is one per file, else blanks (nothing to check against)."""
    return hashes if len(hashes) == count else [""] * count


def store_inputs(req: BaseModel, directory: Path) -> list[str]:
    """Copy a request's input images into `directory` as `<sha256><suffix>`; return the names."""
    return [store_media(directory, media.data, media.suffix)
            for media in (read_image(path, digest) for path, digest in input_files(req))]
