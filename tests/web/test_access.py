"""Walks every route of the app: admin pages and admin API refuse anyone without a session,
staff reach only what staff may, and every state change needs the CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import CoachRole
from tests.conftest import BASE_URL, csrf_token
from tests.factories import login, make_coach

PUBLIC = {
    ("GET", "/book"),
    ("POST", "/book"),
    ("GET", "/t/{token}"),
    ("GET", "/t/{token}/calendar.ics"),
    ("GET", "/t/{token}/ticket.png"),
    ("POST", "/t/{token}/cancel"),
    ("POST", "/t/{token}/pay"),
    # confirming an "on site" seat: the signature only the e-mail carries is the authority
    ("GET", "/t/{token}/confirm/{signature}"),
    ("POST", "/t/{token}/confirm/{signature}"),
    # double opt-in: the link e-mailed to the address
    ("GET", "/consent/{token}"),
    ("POST", "/consent/{token}"),
    ("GET", "/waitlist"),
    ("POST", "/waitlist"),
    ("GET", "/w/{token}"),
    ("POST", "/w/{token}"),
    ("POST", "/w/{token}/leave"),
    ("POST", "/api/v1/bookings"),
    ("POST", "/api/v1/promo-codes/validate"),
    # the widget's API: open to visitors, each call guarded by the device token
    ("POST", "/api/v1/chat/start"),
    ("GET", "/api/v1/chat/me"),
    ("POST", "/api/v1/chat/messages"),
    ("POST", "/api/v1/chat/code"),
    ("POST", "/api/v1/chat/verify"),
    ("POST", "/api/v1/chat/private"),
    ("POST", "/api/v1/chat/forget"),
    ("POST", "/api/v1/chat/delete-history"),
    ("GET", "/chat/{token}"),
    # campaign unsubscribe: the signed link is the authority (one-click POST, RFC 8058)
    ("GET", "/u/{contact_id}/{channel}/{token}"),
    ("POST", "/u/{contact_id}/{channel}/{token}"),
    ("GET", "/api/v1/bookings/{code}"),
    ("POST", "/api/v1/payments/stripe/webhook"),
    ("GET", "/"),
    ("GET", "/lang/{code}"),
    ("GET", "/health"),
    ("GET", "/manifest.webmanifest"),
    ("GET", "/icon.svg"),
    ("GET", "/media/{name}"),
    ("GET", "/sw.js"),
    ("GET", "/icon-{size}.png"),  # the studio's uploaded images (logo, poster…): public
    ("GET", "/coach"),
    ("POST", "/coach/login"),
    ("POST", "/coach/logout"),
    ("GET", "/coach/setup/{token}"),
    # a one-time sign-in link by e-mail (the way in while password sign-in is paused)
    ("GET", "/coach/sign-in"),
    ("POST", "/coach/sign-in"),
    ("GET", "/coach/sign-in/{token}"),
    ("POST", "/coach/sign-in/{token}"),
    ("POST", "/coach/setup/{token}"),
    ("GET", "/api/v1/sessions"),
    ("GET", "/api/v1/offers"),
}
STAFF_MAY = {
    ("GET", "/coach/today"),
    ("GET", "/coach/scan"),
    ("POST", "/coach/scan"),
    ("POST", "/api/v1/checkins"),
    ("POST", "/api/v1/checkins/frame"),
}
ADMIN_PREFIXES = ("/coach/", "/api/v1/admin/", "/api/v1/checkins")
DOCS = ("/api/docs", "/api/openapi.json")


def _walk(routes: list[Any]) -> Iterator[tuple[str, str]]:
    """Every (method, path), whether the framework keeps included routers flat or nested."""
    for route in routes:
        if hasattr(route, "effective_candidates"):
            yield from _walk(route.effective_candidates())
            continue
        original = getattr(route, "original_route", route)
        if isinstance(original, APIRoute):
            for method in original.methods:
                yield method, getattr(route, "path", original.path)


def all_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {(m, p) for m, p in _walk(list(app.routes)) if p not in DOCS}


def admin_routes(app: FastAPI) -> list[tuple[str, str]]:
    return sorted(all_routes(app) - PUBLIC)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


async def call(
    client: httpx.AsyncClient, method: str, path: str, token: str | None
) -> httpx.Response:
    headers = {"X-CSRF-Token": token} if token else {}
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return await client.request(method, concrete(path), headers=headers, **body)  # type: ignore[arg-type]


def test_every_route_is_classified(app: FastAPI) -> None:
    routes = all_routes(app)
    assert routes >= PUBLIC, "a public route was renamed: update this test"
    assert len(admin_routes(app)) >= 30
    for method, path in admin_routes(app):
        assert path.startswith(ADMIN_PREFIXES), f"unclassified: {method} {path}"


async def test_without_a_session_every_admin_route_is_refused(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    token = await csrf_token(client)
    for method, path in admin_routes(app):
        response = await call(client, method, path, token)
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.json()["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/coach?next=")


async def test_staff_reach_only_what_staff_may(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now(), email="staff@example.ch", role=CoachRole.staff)
    token = await login(client, email="staff@example.ch")
    for method, path in admin_routes(app):
        response = await call(client, method, path, token)
        if (method, path) in STAFF_MAY:
            assert response.status_code not in (303, 401, 403), (method, path)
        else:
            assert response.status_code == 403, (method, path, response.status_code)


async def test_the_owner_reaches_every_admin_route(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await login(client)
    for method, path in admin_routes(app):
        response = await call(client, method, path, token)
        assert response.status_code not in (401, 403), (method, path, response.status_code)


async def test_state_changes_without_the_csrf_token_are_refused(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    await login(client)
    unsafe = [(m, p) for m, p in admin_routes(app) if m not in ("GET", "HEAD")]
    assert unsafe
    for method, path in unsafe:
        response = await call(client, method, path, None)
        assert response.status_code == 403, (method, path)
    forged = await call(client, "POST", "/api/v1/admin/courses", "0" * 64)
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == "csrf_failed"


async def test_login_itself_needs_the_csrf_token(client: httpx.AsyncClient) -> None:
    response = await client.post("/coach/login", data={"email": "a@b.ch", "password": "x"})
    assert response.status_code == 403
    assert "expiré" in response.text


async def test_session_cookie_is_http_only_secure_and_same_site(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await csrf_token(client)
    response = await client.post(
        "/coach/login",
        data={
            "email": "coach@example.ch",
            "password": "correct horse battery",
            "csrf_token": token,
        },
    )
    cookie = next(v for v in response.headers.get_list("set-cookie") if v.startswith("cd_session="))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie


async def test_logout_revokes_the_session_on_the_server(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await login(client)
    stolen = client.cookies.get("cd_session")
    await client.post("/coach/logout", data={"csrf_token": token})
    thief = httpx.AsyncClient(
        transport=client._transport, base_url=BASE_URL, cookies={"cd_session": stolen or ""}
    )
    async with thief:
        response = await thief.get("/coach/courses")
    assert response.status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
async def test_login_never_redirects_off_site(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, target: str
) -> None:
    await make_coach(db, now=clock.now())
    token = await csrf_token(client)
    response = await client.post(
        "/coach/login",
        data={
            "email": "coach@example.ch",
            "password": "correct horse battery",
            "csrf_token": token,
            "next": target,
        },
    )
    assert response.headers["location"] == "/"
