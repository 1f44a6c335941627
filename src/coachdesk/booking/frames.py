"""Reading a QR code from a camera frame, for browsers without BarcodeDetector."""

from __future__ import annotations

import asyncio
import io

import zxingcpp
from PIL import Image, UnidentifiedImageError

MAX_FRAME_BYTES = 4 * 1024 * 1024
MAX_FRAME_SIDE = 1920  # the scanner sends 800 px wide; a phone's camera at most this


def read_qr(frame: bytes) -> str | None:
    """The text of the first QR code found in a JPEG / PNG / WebP frame, or None. The size
    is read from the header: a frame larger than a camera's is never decoded."""
    if not frame or len(frame) > MAX_FRAME_BYTES:
        return None
    try:
        image = Image.open(io.BytesIO(frame))
        if max(image.size) > MAX_FRAME_SIDE or image.format not in ("JPEG", "PNG", "WEBP"):
            return None
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    qr_only = zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.QRCode])
    results = zxingcpp.read_barcodes(image.convert("L"), formats=qr_only)
    return results[0].text if results else None


async def read_qr_in_thread(frame: bytes) -> str | None:
    """``read_qr`` off the event loop (decoding takes milliseconds others should not wait)."""
    return await asyncio.to_thread(read_qr, frame)
