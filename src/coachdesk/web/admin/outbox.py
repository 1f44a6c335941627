"""The e-mail outbox: what was sent, kept (no SMTP configured), waiting or failed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coachdesk.errors import NotFound
from coachdesk.kit.i18n import N_
from coachdesk.kit.ids import IdPath
from coachdesk.mail.service import outbox
from coachdesk.models import EmailMessage
from coachdesk.web.deps import DB, Owner, State
from coachdesk.web.templating import render

router = APIRouter(prefix="/outbox")


@router.get("")
async def list_page(request: Request, db: DB, owner: Owner, state: State) -> Response:
    context = {"messages": await outbox(db), "tab": "outbox", "delivers": state.email.delivers}
    return render(request, "coach/outbox.html", context)


@router.get("/{message_id}")
async def show(request: Request, message_id: IdPath, db: DB, owner: Owner) -> Response:
    message = await db.get(EmailMessage, message_id)
    if message is None:
        raise NotFound(N_("Ce message n'existe pas."))
    return render(request, "coach/outbox_message.html", {"message": message, "tab": "outbox"})
