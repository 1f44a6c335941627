"""Health check, web app manifest and the generated app icon."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy import text

from coachdesk import __version__
from coachdesk.errors import NotFound
from coachdesk.site import uploads
from coachdesk.web.deps import Site, State
from coachdesk.web.templating import static_url, templates

router = APIRouter(include_in_schema=False)


@router.get("/health")
async def health(state: State) -> JSONResponse:
    try:
        async with state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "version": __version__})


@router.get("/manifest.webmanifest")
async def manifest(site: Site) -> JSONResponse:
    icons = [
        {"src": f"/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
        for size in ICON_SIZES
    ]
    icons.append({"src": "/icon.svg", "sizes": "any", "type": "image/svg+xml"})
    body = {
        "name": site.app_name,
        "short_name": site.app_name[:12],
        "description": site.tagline,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#0b0b10",
        "theme_color": site.primary_color,
        "lang": "fr",
        "icons": icons,
    }
    return JSONResponse(body, media_type="application/manifest+json")


ICON_SIZES = (192, 512)


@router.get("/icon-{size}.png")
async def icon_png(size: int, site: Site, state: State) -> Response:
    """The installed app's icon: the uploaded square icon, or one drawn from the initial."""
    if size not in ICON_SIZES:
        raise NotFound()
    uploaded = site.favicon_url.removeprefix("/media/") if site.favicon_url else ""
    favicon = uploads.stored(uploaded, state.settings.data_dir) if uploaded else None
    body = uploads.app_icon(
        size,
        initial=(site.app_name[:1] or "C").upper(),
        primary=site.primary_color,
        secondary=site.secondary_color,
        favicon=favicon,
    )
    return Response(body, media_type="image/png", headers={"Cache-Control": "max-age=3600"})


@router.get("/icon.svg")
async def icon(site: Site) -> Response:
    """The app icon drawn from the studio's initial and colours (used when no logo is set)."""
    svg = templates.get_template("site/icon.svg").render(
        initial=(site.app_name[:1] or "C").upper(),
        primary=site.primary_color,
        secondary=site.secondary_color,
    )
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"})


@router.get("/media/{name}")
async def media(name: str, state: State) -> FileResponse:
    """An uploaded image; its name is its content's hash, so it can be cached for good."""
    path = uploads.stored(name, state.settings.data_dir)
    if path is None:
        raise NotFound()
    headers = {"Cache-Control": "public, max-age=31536000, immutable"}
    kind = "image/png" if name.endswith(".png") else "image/webp"
    return FileResponse(path, media_type=kind, headers=headers)


PRECACHED: tuple[str, ...] = ("css/base.css", "css/site.css", "css/book.css", "css/chat.css")
PRECACHED += ("js/site.js", "js/ticket.js", "js/chat.js", "js/book.js", "js/install.js")


@router.get("/sw.js")
async def service_worker() -> Response:
    """The service worker (at the root so that it serves the whole site)."""
    precache = [static_url(path) for path in PRECACHED] + ["/icon.svg"]
    version = hashlib.sha256("".join(precache).encode()).hexdigest()[:12]
    body = templates.get_template("site/sw.js").render(version=version, precache=precache)
    headers = {"Cache-Control": "no-cache"}
    return Response(body, media_type="text/javascript", headers=headers)
