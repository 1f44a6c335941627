"""Typed dependencies shared by every router."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth.service import resolve_session
from coachdesk.auth.tokens import sign, signature_matches
from coachdesk.db import unit_of_work
from coachdesk.errors import Forbidden, Unauthorized
from coachdesk.kit.i18n import N_
from coachdesk.limits.budgets import Requester
from coachdesk.models import AuthSession, Coach
from coachdesk.site import service as site_service
from coachdesk.site.registry import SiteSettings
from coachdesk.web.state import AppState

SESSION_COOKIE = "cd_session"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class LoginRequired(Unauthorized):
    """An admin page was asked for without a session: the HTML answer is the login page."""


def app_state(request: Request) -> AppState:
    return cast(AppState, request.app.state.core)


State = Annotated[AppState, Depends(app_state)]


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: committed when the handler returns, else rolled back."""
    async with unit_of_work(app_state(request).sessions) as session:
        yield session


DB = Annotated[AsyncSession, Depends(get_db, scope="function")]


def get_now(state: State) -> datetime:
    return state.clock.now()


Now = Annotated[datetime, Depends(get_now)]


async def get_site(db: DB, state: State) -> SiteSettings:
    state.site = await site_service.load(db)
    return state.site


Site = Annotated[SiteSettings, Depends(get_site)]


async def refresh_site(request: Request) -> None:
    """Pages show the settings as stored, whatever process saved them last (read at most
    once per public-cache period)."""
    state = app_state(request)

    async def load() -> SiteSettings:
        async with state.sessions() as db:
            return await site_service.load(db)

    state.site = await state.public_cache.get("site", load)
    request.state.site = state.site


def client_ip(request: Request) -> str:
    """The client's address: the connection's, or the one a trusted proxy forwarded (the
    server believes X-Forwarded-For only from COACHDESK_TRUSTED_PROXIES)."""
    return (request.client.host if request.client else "unknown")[:64]


def requester(request: Request) -> Requester:
    return Requester(client_ip(request), app_state(request).budgets)


async def optional_login(request: Request, db: DB, now: Now) -> AuthSession | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 128:
        return None
    return await resolve_session(db, token=token, now=now)


OptionalLogin = Annotated[AuthSession | None, Depends(optional_login)]


async def require_coach(request: Request, login: OptionalLogin) -> Coach:
    """Any signed-in account (owner or staff)."""
    if login is None:
        if request.url.path.startswith("/api/"):
            raise Unauthorized()
        raise LoginRequired()
    request.state.coach = login.coach
    return login.coach


CurrentCoach = Annotated[Coach, Depends(require_coach)]


async def require_owner(coach: CurrentCoach) -> Coach:
    if not coach.is_owner:
        raise Forbidden(N_("Cette page est réservée au propriétaire du studio."))
    return coach


Owner = Annotated[Coach, Depends(require_owner)]


def csrf_token(request: Request) -> str:
    return sign(app_state(request).secret, getattr(request.state, "csrf_cookie", ""))


async def verify_csrf(request: Request) -> None:
    """Every state-changing request carries the token: a form field or X-CSRF-Token."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    cookie = request.state.csrf_cookie
    if not sent or not signature_matches(app_state(request).secret, cookie, sent):
        raise Forbidden(N_("La page a expiré. Rechargez-la puis réessayez."), code="csrf_failed")
