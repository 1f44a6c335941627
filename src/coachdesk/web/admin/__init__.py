"""Coach Mode: server-rendered pages under /coach. Every state change checks the CSRF token."""

from fastapi import APIRouter, Depends

from coachdesk.web.admin import (
    audit,
    auth,
    bookings,
    courses,
    offers,
    outbox,
    sessions,
    settings,
    team,
    today,
)
from coachdesk.web.deps import verify_csrf

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
for module in (auth, today, bookings, courses, sessions, offers, settings, team, outbox, audit):
    router.include_router(module.router, prefix="/coach")
