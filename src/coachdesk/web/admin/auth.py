"""Login, logout and the first-run setup page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.auth import service as auth_service
from coachdesk.auth import setup, sign_in_links
from coachdesk.errors import AppError
from coachdesk.web.context import is_https
from coachdesk.web.deps import DB, SESSION_COOKIE, Now, OptionalLogin, State, client_ip
from coachdesk.web.forms import app_error_fields, read_form
from coachdesk.web.public.landing import safe_next
from coachdesk.web.templating import render

router = APIRouter()


def _login_response(request: Request, state: State, token: str, target: str) -> Response:
    response = RedirectResponse(safe_next(target), status_code=303)
    secure = state.settings.cookie_secure
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=state.settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=secure if secure is not None else is_https(request.scope),
    )
    return response


@router.get("")
async def login_page(
    request: Request, login: OptionalLogin, next: str = "/coach/today"
) -> Response:
    if login is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "coach/login.html", {"next": safe_next(next), "errors": {}})


@router.post("/login")
async def login(request: Request, db: DB, now: Now, state: State) -> Response:
    form = await read_form(request)
    target = safe_next(form.get("next", "/coach/today"))
    try:
        coach = await auth_service.authenticate(
            db,
            email=form.get("email", ""),
            password=form.get("password", ""),
            ip=client_ip(request),
            now=now,
        )
    except AppError as exc:
        context = {
            "next": target,
            "email": form.get("email", ""),
            "errors": app_error_fields(exc),
            "paused": exc.code == "sign_in_paused",
        }
        return render(request, "coach/login.html", context, status=exc.status)
    token = await auth_service.open_session(
        db,
        coach=coach,
        now=now,
        days=state.settings.session_days,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    return _login_response(request, state, token, target)


@router.post("/logout")
async def logout(request: Request, db: DB, now: Now) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await auth_service.revoke_session(db, token=token, now=now)
    response = RedirectResponse("/coach", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/setup/{token}")
async def setup_page(request: Request, token: str, db: DB, now: Now) -> Response:
    usable = await setup.setup_token_usable(db, token=token, now=now)
    return render(
        request,
        "coach/setup.html",
        {"usable": usable, "errors": {}, "form": {}},
        status=200 if usable else 410,
    )


@router.post("/setup/{token}")
async def setup_submit(request: Request, token: str, db: DB, now: Now, state: State) -> Response:
    form = await read_form(request)
    try:
        coach = await setup.consume_setup_token(
            db,
            token=token,
            email=form.get("email", ""),
            password=form.get("password", ""),
            name=form.get("name", ""),
            now=now,
        )
    except AppError as exc:
        context = {"usable": True, "errors": app_error_fields(exc), "form": form}
        return render(request, "coach/setup.html", context, status=exc.status)
    session_token = await auth_service.open_session(
        db, coach=coach, now=now, days=state.settings.session_days, ip=client_ip(request)
    )
    return _login_response(request, state, session_token, "/coach/today")


@router.get("/sign-in")
async def sign_in_link_page(request: Request, email: str = "") -> Response:
    """Ask for a one-time sign-in link by e-mail (no password needed)."""
    return render(request, "coach/sign_in_link.html", {"email": email[:254], "errors": {}})


@router.post("/sign-in")
async def send_sign_in_link(request: Request, db: DB, now: Now) -> Response:
    form = await read_form(request)
    try:
        await sign_in_links.send(db, email=form.get("email", ""), ip=client_ip(request), now=now)
    except AppError as exc:
        context = {"email": form.get("email", ""), "errors": app_error_fields(exc)}
        return render(request, "coach/sign_in_link.html", context, status=exc.status)
    return render(request, "coach/sign_in_link.html", {"sent": True, "errors": {}})


@router.get("/sign-in/{token}")
async def sign_in_by_link_page(request: Request, token: str, db: DB, now: Now) -> Response:
    """Opening the link only asks (mail scanners open links too); the button signs in."""
    usable = await sign_in_links.usable(db, token=token, now=now)
    context = {"usable": usable, "errors": {}}
    return render(request, "coach/sign_in_by_link.html", context, status=200 if usable else 410)


@router.post("/sign-in/{token}")
async def sign_in_by_link(request: Request, token: str, db: DB, now: Now, state: State) -> Response:
    try:
        coach = await sign_in_links.use(db, token=token, now=now)
    except AppError:
        context = {"usable": False, "errors": {}}
        return render(request, "coach/sign_in_by_link.html", context, status=410)
    session_token = await auth_service.open_session(
        db,
        coach=coach,
        now=now,
        days=state.settings.session_days,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    return _login_response(request, state, session_token, "/coach/today")
