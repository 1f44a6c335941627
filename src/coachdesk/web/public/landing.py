"""The landing page and the language switch."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.catalog import queries
from coachdesk.kit.clock import to_local
from coachdesk.kit.i18n import LANGUAGES
from coachdesk.models import CourseSession
from coachdesk.site.media import hero_media
from coachdesk.web.context import LANGUAGE_COOKIE, YEAR, is_https
from coachdesk.web.deps import DB, Now, Site, State
from coachdesk.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_SESSIONS_SHOWN = 40


def by_day(sessions: list[CourseSession]) -> list[tuple[date, list[CourseSession]]]:
    return [
        (day, list(items))
        for day, items in groupby(sessions, key=lambda s: to_local(s.starts_at).date())
    ]


@router.get("/")
async def landing(request: Request, db: DB, now: Now, site: Site) -> Response:
    end = now + timedelta(weeks=site.weeks_ahead)
    sessions = await queries.public_sessions(db, start=now, end=end, limit=MAX_SESSIONS_SHOWN)
    context = {
        "days": by_day(sessions),
        "offers": await queries.public_offers(db),
        "hero": hero_media(site.hero_media_url),
        "year": to_local(now).year,
    }
    return render(request, "site/landing.html", context)


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
