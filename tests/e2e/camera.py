"""A Y4M video (what Chromium's fake camera plays) showing a QR code."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from PIL import Image

WIDTH, HEIGHT = 640, 480


def qr_video(text: str, path: Path, frames: int = 5) -> Path:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    code = Image.open(buffer).convert("RGB")
    side = min(HEIGHT - 40, code.width)
    code = code.resize((side, side), Image.Resampling.NEAREST)
    picture = Image.new("RGB", (WIDTH, HEIGHT), "white")
    picture.paste(code, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    y, cb, cr = picture.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + planes)
    return path
