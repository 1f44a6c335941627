"""Web links a coach types (a map, a playlist track, a photo, a footer link): http(s) with a
host that parses (``http://[`` does not), no spaces."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field


def is_web_link(value: str) -> bool:
    if not value or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 — a port that is not a number raises here
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _web_link(value: str) -> str:
    if not is_web_link(value):
        raise ValueError("an http(s):// address is expected")
    return value


def _web_link_or_empty(value: str) -> str:
    return value and _web_link(value)


def _web_link_or_path(value: str) -> str:
    if value.startswith("/") and not value.startswith("//") and not any(c.isspace() for c in value):
        return value
    return _web_link_or_empty(value)


WebLink = Annotated[
    str, Field(max_length=500, pattern=r"^https?://\S+$"), AfterValidator(_web_link)
]
WebLinkOrEmpty = Annotated[
    str, Field(max_length=500, pattern=r"^(https?://\S+)?$"), AfterValidator(_web_link_or_empty)
]
# A footer or payment link: a web address, or a page of this site ("/cgv").
LinkOrPath = Annotated[
    str, Field(max_length=500, pattern=r"^(https?://\S+|/\S*)?$"), AfterValidator(_web_link_or_path)
]
