"""Today: the day's sessions (owner and staff)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coachdesk.catalog import queries
from coachdesk.kit.clock import local_day_bounds, to_local
from coachdesk.web.deps import DB, CurrentCoach, Now
from coachdesk.web.templating import render

router = APIRouter()


@router.get("/today")
async def today(request: Request, db: DB, now: Now, coach: CurrentCoach) -> Response:
    start, end = local_day_bounds(to_local(now).date())
    sessions = await queries.admin_sessions(db, start=start, end=end)
    return render(request, "coach/today.html", {"sessions": sessions, "now": now, "tab": "today"})
