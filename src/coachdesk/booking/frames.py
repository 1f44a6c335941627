"""Reading a QR code from a camera frame, for browsers without BarcodeDetector."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image, UnidentifiedImageError

MAX_FRAME_BYTES = 4 * 1024 * 1024


def read_qr(frame: bytes) -> str | None:
    """The text of the first QR code found in a JPEG / PNG / WebP frame, or None."""
    if not frame or len(frame) > MAX_FRAME_BYTES:
        return None
    try:
        image = Image.open(io.BytesIO(frame))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    if image.width * image.height > 4096 * 4096:
        return None
    qr_only = zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.QRCode])
    results = zxingcpp.read_barcodes(image.convert("L"), formats=qr_only)
    return results[0].text if results else None
