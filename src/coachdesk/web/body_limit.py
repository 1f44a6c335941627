"""Request bodies are refused past a size that depends on the route, before they are read:
a declared length over the limit is refused at the first read, and a body sent in chunks
is cut as soon as it goes over (nothing past the limit is buffered or parsed)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coachdesk.backup import planning
from coachdesk.booking.frames import MAX_FRAME_BYTES
from coachdesk.promo import csv_io
from coachdesk.site import uploads

DEFAULT_LIMIT = 1024 * 1024  # forms, JSON, webhooks
MARGIN = 256 * 1024  # the form's other fields and the multipart framing
LIMITS = (  # (path prefix, bytes): uploads keep their own limits
    ("/coach/appearance", len(uploads.USES) * uploads.MAX_BYTES + MARGIN),
    ("/coach/backup", planning.MAX_BYTES + MARGIN),
    ("/api/v1/admin/planning", planning.MAX_BYTES + MARGIN),
    ("/coach/promo/import", csv_io.MAX_BYTES + MARGIN),
    ("/api/v1/checkins/frame", MAX_FRAME_BYTES + MARGIN),
)


def limit_for(path: str) -> int:
    return next((size for prefix, size in LIMITS if path.startswith(prefix)), DEFAULT_LIMIT)


def declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope.get("path", ""))
        declared = declared_length(scope)
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise HTTPException(status_code=413)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(status_code=413)
            return message

        await self.app(scope, limited_receive, send)
