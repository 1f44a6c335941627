"""One place that turns errors into answers: JSON under /api, pages elsewhere."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from coachdesk.errors import AppError, NotFound
from coachdesk.kit.i18n import DEFAULT_LANGUAGE, N_, current_language, gettext
from coachdesk.kit.validation import error_list
from coachdesk.web.deps import LoginRequired
from coachdesk.web.templating import render

log = logging.getLogger("coachdesk")
INVALID_INPUT = N_("Certains champs ne sont pas valides.")
SERVER_ERROR = N_("Une erreur inattendue s'est produite. Réessayez dans un instant.")
TOO_LARGE = N_("Ce que vous envoyez est trop volumineux.")
BUSY = N_("Le site est très sollicité en ce moment. Réessayez dans quelques secondes.")
TITLES = {
    404: N_("Page introuvable"),
    500: N_("Oups, quelque chose a coincé"),
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_page(request: Request, status: int, message: str) -> Response:
    # The 500 handler runs outside the request-context middleware: restore the language.
    current_language.set(getattr(request.state, "language", DEFAULT_LANGUAGE))
    title = gettext(TITLES.get(status, N_("Impossible de continuer")))
    context = {"title": title, "message": message, "status": status}
    return render(request, "error.html", context, status=status)


async def on_app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if isinstance(exc, LoginRequired) and not wants_json(request):
        target = quote(request.url.path, safe="/")
        return RedirectResponse(f"/coach?next={target}", status_code=303)
    if wants_json(request):
        return JSONResponse({"error": exc.as_dict()}, status_code=exc.status)
    return error_page(request, exc.status, exc.translated())


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    message = gettext(INVALID_INPUT)
    if wants_json(request):
        body = {"code": "validation_error", "message": message, "fields": error_list(exc.errors())}
        return JSONResponse({"error": body}, status_code=422)
    return error_page(request, 422, message)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return await on_app_error(request, NotFound(N_("Cette page n'existe pas.")))
    if exc.status_code == 413:
        return await on_app_error(request, AppError(TOO_LARGE, code="too_large", status=413))
    error = AppError(code=f"http_{exc.status_code}", status=exc.status_code)
    if wants_json(request):
        return JSONResponse(
            {"error": error.as_dict()},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
    return error_page(request, exc.status_code, error.translated())


async def on_busy(request: Request, exc: Exception) -> Response:
    """No database connection came free within the pool's timeout: 503, try again."""
    log.warning("database pool exhausted on %s %s", request.method, request.url.path)
    error = AppError(BUSY, code="busy", status=503)
    if wants_json(request):
        body = {"error": error.as_dict()}
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})
    return error_page(request, 503, error.translated())


async def on_crash(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    if wants_json(request):
        body = {"code": "server_error", "message": gettext(SERVER_ERROR)}
        return JSONResponse({"error": body}, status_code=500)
    return error_page(request, 500, gettext(SERVER_ERROR))


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, on_app_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(PoolTimeout, on_busy)
    app.add_exception_handler(Exception, on_crash)
