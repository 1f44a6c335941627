"""Confirming a marketing consent from the e-mail (double opt-in). Opening the link only
asks; the button confirms."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from coachdesk.contacts import consents
from coachdesk.web.deps import DB, Now, Site, verify_csrf
from coachdesk.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/consent/{token}")
async def ask(request: Request, token: str, db: DB, now: Now, site: Site) -> Response:
    waiting = await consents.waiting_request(db, token=token, now=now)
    done = waiting.confirmed_at is not None
    return render(request, "site/consent.html", {"request_": waiting, "done": done})


@router.post("/consent/{token}", dependencies=[Depends(verify_csrf)])
async def confirm(request: Request, token: str, db: DB, now: Now, site: Site) -> Response:
    confirmed = await consents.confirm(db, token=token, now=now)
    return render(request, "site/consent.html", {"request_": confirmed, "done": True})
