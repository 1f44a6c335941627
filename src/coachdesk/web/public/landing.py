"""The landing page and the language switch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.catalog import queries
from coachdesk.kit.clock import to_local
from coachdesk.kit.i18n import LANGUAGES
from coachdesk.models import CourseSession, Offer
from coachdesk.site import service as site_service
from coachdesk.site.media import hero_media
from coachdesk.site.registry import SiteSettings
from coachdesk.web.context import LANGUAGE_COOKIE, YEAR, is_https
from coachdesk.web.deps import Now, State
from coachdesk.web.state import AppState
from coachdesk.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_SESSIONS_SHOWN = 40


def by_day(sessions: list[CourseSession]) -> list[tuple[date, list[CourseSession]]]:
    return [
        (day, list(items))
        for day, items in groupby(sessions, key=lambda s: to_local(s.starts_at).date())
    ]


@dataclass(frozen=True)
class LandingData:
    site: SiteSettings
    days: list[tuple[date, list[CourseSession]]]
    offers: list[Offer]


async def load_landing(state: AppState, now: datetime) -> LandingData:
    async with state.sessions() as db:
        site = await site_service.load(db)
        end = now + timedelta(weeks=site.weeks_ahead)
        found = await queries.public_sessions(db, start=now, end=end, limit=MAX_SESSIONS_SHOWN)
        return LandingData(site, by_day(found), await queries.public_offers(db))


async def landing_context(state: AppState, now: datetime) -> dict[str, Any]:
    data = await state.public_cache.get("landing", lambda: load_landing(state, now))
    state.site = data.site
    return {
        "days": data.days,
        "offers": data.offers,
        "hero": hero_media(data.site.hero_media_url),
        "year": to_local(now).year,
    }


@router.get("/")
async def landing(request: Request, state: State, now: Now) -> Response:
    return render(request, "site/landing.html", await landing_context(state, now))


def safe_next(target: str | None) -> str:
    """Only paths on this site (never //evil.example)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/lang/{code}")
async def switch_language(request: Request, code: str, state: State, next: str = "/") -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        secure = state.settings.cookie_secure
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=YEAR,
            samesite="lax",
            httponly=True,
            secure=secure if secure is not None else is_https(request.scope),
        )
    return response
