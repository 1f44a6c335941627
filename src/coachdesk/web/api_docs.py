"""The OpenAPI explorer at /api/docs, served from the app itself: Swagger UI's files come
from an installed package (``fastapi-offline`` ships them), the start-up script is ours, and
the page carries the same Content-Security-Policy as every other (no CDN, no inline script)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/api/docs/assets"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>coachdesk API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" href="{assets}/favicon.png">
</head><body><div id="swagger-ui" data-openapi="/api/openapi.json"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script>
</body></html>"""

router = APIRouter(include_in_schema=False)


def assets_dir() -> Path:
    """The package's folder of Swagger UI files, found without importing the package."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("fastapi-offline is not installed: the API explorer has no files")
    return Path(spec.origin).parent / "static"


@router.get("/api/docs", response_class=HTMLResponse)
async def explorer() -> HTMLResponse:
    return HTMLResponse(PAGE.format(assets=ASSETS))


def install(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=assets_dir()), name="api-docs-assets")
    app.include_router(router)
