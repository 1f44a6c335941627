"""Images are sized from their header before anything is decoded (issue 11 #16)."""

from __future__ import annotations

import io

import pytest
import segno
from PIL import Image

from coachdesk.booking.frames import read_qr
from coachdesk.errors import Invalid
from coachdesk.site import uploads


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_a_small_file_of_49_megapixels_is_refused_by_the_upload(tmp_path: object) -> None:
    bomb = png(7000, 7000)
    assert len(bomb) < 200_000  # light on the wire, 49 million pixels once decoded
    with pytest.raises(Invalid) as refused:
        uploads.store(bomb, "hero", tmp_path)  # type: ignore[arg-type]
    assert refused.value.code == "too_large"


def test_a_very_long_strip_is_refused_too(tmp_path: object) -> None:
    with pytest.raises(Invalid):
        uploads.store(png(20_000, 50), "logo", tmp_path)  # type: ignore[arg-type]


def test_a_frame_larger_than_a_camera_s_is_never_decoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frame = png(8000, 8000)
    decoded: list[tuple[int, int]] = []
    original = Image.Image.load

    def load(image: Image.Image) -> object:
        decoded.append(image.size)
        return original(image)

    monkeypatch.setattr(Image.Image, "load", load)
    assert read_qr(frame) is None
    assert (8000, 8000) not in decoded  # the header said too big: pixels never read


def test_a_camera_frame_is_still_read() -> None:
    out = io.BytesIO()
    segno.make("AFR-TEST1234", error="m").save(out, kind="png", scale=8, border=4)
    assert read_qr(out.getvalue()) == "AFR-TEST1234"
