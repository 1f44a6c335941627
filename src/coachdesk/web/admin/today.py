"""Today: the day's sessions with their lists, and the door scanner (owner and staff)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coachdesk.booking import checkin
from coachdesk.booking.queries import attendees
from coachdesk.catalog import queries
from coachdesk.kit.clock import local_day_bounds, to_local
from coachdesk.web.checkin import to_out
from coachdesk.web.deps import DB, CurrentCoach, Now
from coachdesk.web.forms import read_form
from coachdesk.web.templating import render

router = APIRouter()


@router.get("/today")
async def today(request: Request, db: DB, now: Now, coach: CurrentCoach) -> Response:
    start, end = local_day_bounds(to_local(now).date())
    sessions = await queries.admin_sessions(db, start=start, end=end)
    lists = await attendees(db, [s.id for s in sessions])
    context = {"sessions": sessions, "lists": lists, "now": now, "tab": "today"}
    return render(request, "coach/today.html", context)


@router.get("/scan")
async def scanner(request: Request, coach: CurrentCoach) -> Response:
    return render(request, "coach/scan.html", {"tab": "today", "result": None})


@router.post("/scan")
async def scan_by_hand(request: Request, db: DB, now: Now, coach: CurrentCoach) -> Response:
    """The no-JavaScript path: a code typed (or a scanned URL pasted) and sent."""
    form = await read_form(request)
    result = await checkin.check_in(
        db,
        scanned=form.get("code", ""),
        now=now,
        actor=coach,
        mark_paid=form.get("mark_paid") == "1",
    )
    context = {"tab": "today", "result": to_out(result), "scanned": form.get("code", "")}
    return render(request, "coach/scan.html", context)
