"""Images the coach uploads (logo, favicon, poster, hero): checked to be a real raster
image of a reasonable size, re-encoded by Pillow (which drops anything hidden in the file,
metadata included), resized for their use and stored under a name made from their content."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from coachdesk.errors import Invalid
from coachdesk.kit.i18n import N_
from coachdesk.site.registry import text_on

MAX_BYTES = 8_000_000
MAX_PIXELS = 40_000_000  # read from the header: a decompression bomb is never decoded
MAX_SIDE = 12_000
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
NAME = re.compile(r"^[0-9a-f]{24}\.(webp|png)$")
NOT_IMAGE = N_("Ce fichier n'est pas une image (JPEG, PNG, WebP ou GIF).")
SVG_REFUSED = N_("Les images SVG ne sont pas acceptées : envoyez un PNG, un JPEG ou un WebP.")
TOO_BIG = N_("Cette image est trop lourde (8 Mo au plus).")
TOO_LARGE = N_("Cette image est trop grande (40 mégapixels au plus).")
EMPTY = N_("Choisissez une image.")


@dataclass(frozen=True)
class Use:
    """What an image is for: its longest side, and whether it must be square."""

    longest: int
    square: bool = False


USES = {
    "logo": Use(512),
    "favicon": Use(512, square=True),
    "poster": Use(1600),
    "hero": Use(2000),
}


def media_dir(data_dir: Path) -> Path:
    return data_dir / "media"


def _opened(data: bytes) -> Image.Image:
    if not data:
        raise Invalid(EMPTY, code="no_file", field="file")
    if len(data) > MAX_BYTES:
        raise Invalid(TOO_BIG, code="too_big", field="file")
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        raise Invalid(SVG_REFUSED, code="svg_refused", field="file")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
        if image.format not in FORMATS:
            raise Invalid(NOT_IMAGE, code="not_image", field="file")
        width, height = image.size
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise Invalid(TOO_LARGE, code="too_large", field="file")
        image.draft("RGB", (2 * max(u.longest for u in USES.values()),) * 2)  # JPEG: smaller
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise Invalid(NOT_IMAGE, code="not_image", field="file") from exc
    return image


def _prepared(image: Image.Image, use: Use) -> tuple[bytes, str]:
    image = ImageOps.exif_transpose(image)  # phone photos stand the right way up
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    if use.square:
        side = min(image.size)
        image = ImageOps.fit(image, (side, side))
    image.thumbnail((use.longest, use.longest))
    out = io.BytesIO()
    if use.square:  # icons: PNG, understood everywhere
        image.save(out, "PNG", optimize=True)
        return out.getvalue(), "png"
    image.save(out, "WEBP", quality=85, method=4)
    return out.getvalue(), "webp"


def store(data: bytes, use_name: str, data_dir: Path) -> str:
    """Checks, resizes and stores the image; returns its public path (/media/…). Slow on
    a big photo: call it from a thread (``store_in_thread``), not on the event loop."""
    image = _opened(data)
    body, extension = _prepared(image, USES[use_name])
    name = f"{hashlib.sha256(body).hexdigest()[:24]}.{extension}"
    folder = media_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(body)
    return f"/media/{name}"


def stored(name: str, data_dir: Path) -> Path | None:
    """The file behind /media/<name>, if that is one of ours."""
    if not NAME.match(name):
        return None
    path = media_dir(data_dir) / name
    return path if path.is_file() else None


def app_icon(
    size: int, *, initial: str, primary: str, secondary: str, favicon: Path | None
) -> bytes:
    """A square PNG icon: the uploaded icon resized, or the studio's initial drawn on its
    colours."""
    if favicon is not None:
        with Image.open(favicon) as uploaded:
            image = ImageOps.fit(uploaded.convert("RGBA"), (size, size))
    else:
        image = Image.new("RGB", (size, size), primary)
        draw = ImageDraw.Draw(image)
        draw.ellipse((size * 0.55, -size * 0.2, size * 1.3, size * 0.55), fill=secondary)
        font = ImageFont.load_default(size * 0.6)
        draw.text((size / 2, size / 2), initial, fill=text_on(primary), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


async def store_in_thread(data: bytes, use_name: str, data_dir: Path) -> str:
    """``store`` off the event loop: other requests go on while a photo is decoded."""
    return await asyncio.to_thread(store, data, use_name, data_dir)
