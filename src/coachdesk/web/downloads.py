"""File downloads."""

from __future__ import annotations

from fastapi.responses import Response


def csv_download(body: bytes, filename: str) -> Response:
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
