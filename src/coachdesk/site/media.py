"""Hero media: what kind a URL is and how to embed it muted, looping, without click-through."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, urlparse

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
VIMEO_ID = re.compile(r"^\d{5,12}$")


@dataclass(frozen=True)
class HeroMedia:
    kind: Literal["youtube", "vimeo", "video", "image"]
    src: str


def _youtube_id(url: str) -> str | None:
    parsed = urlparse(url)
    host = parsed.netloc.lower().removeprefix("www.").removeprefix("m.")
    candidate = None
    if host == "youtu.be":
        candidate = parsed.path.strip("/").split("/")[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        parts = parsed.path.strip("/").split("/")
        if parts[0] == "watch":
            candidate = parse_qs(parsed.query).get("v", [""])[0]
        elif parts[0] in ("shorts", "embed", "live") and len(parts) > 1:
            candidate = parts[1]
    return candidate if candidate and YOUTUBE_ID.match(candidate) else None


def _vimeo_id(url: str) -> str | None:
    parsed = urlparse(url)
    if not parsed.netloc.lower().endswith("vimeo.com"):
        return None
    last = parsed.path.strip("/").split("/")[-1]
    return last if VIMEO_ID.match(last) else None


def hero_media(url: str) -> HeroMedia | None:
    if not url:
        return None
    if video_id := _youtube_id(url):
        params = (
            f"autoplay=1&mute=1&loop=1&playlist={video_id}&controls=0&playsinline=1"
            "&rel=0&modestbranding=1&disablekb=1&enablejsapi=1"
        )
        return HeroMedia("youtube", f"https://www.youtube-nocookie.com/embed/{video_id}?{params}")
    if video_id := _vimeo_id(url):
        return HeroMedia(
            "vimeo",
            f"https://player.vimeo.com/video/{video_id}?autoplay=1&muted=1&loop=1&background=1",
        )
    if urlparse(url).path.lower().endswith((".mp4", ".webm")):
        return HeroMedia("video", url)
    return HeroMedia("image", url)
