"""The unsubscribe page of campaign messages. Opening the link only asks; the button (or
a mail client's one-click POST, RFC 8058) withdraws the consent. The signed link is the
authority, so the POST carries no CSRF token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coachdesk.campaigns import unsubscribe
from coachdesk.kit.ids import IdPath
from coachdesk.web.deps import DB, Now, Site, State
from coachdesk.web.templating import render

router = APIRouter(include_in_schema=False)
PATH = "/u/{contact_id}/{channel}/{token}"


@router.get(PATH)
async def ask(
    request: Request, contact_id: IdPath, channel: str, token: str, db: DB, state: State, site: Site
) -> Response:
    contact, kind = await unsubscribe.person(
        db, secret=state.secret, contact_id=contact_id, channel=channel, token=token
    )
    context = {"channel": kind.value, "done": False, "email": contact.email or ""}
    return render(request, "site/unsubscribe.html", context)


@router.post(PATH)
async def confirm(
    request: Request,
    contact_id: IdPath,
    channel: str,
    token: str,
    db: DB,
    now: Now,
    state: State,
    site: Site,
) -> Response:
    contact = await unsubscribe.withdraw(
        db, secret=state.secret, contact_id=contact_id, channel=channel, token=token, now=now
    )
    context = {"channel": channel, "done": True, "email": contact.email or ""}
    return render(request, "site/unsubscribe.html", context)
