"""A shareable chat link: the studio's page with the chat open."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coachdesk.chat import links
from coachdesk.web.deps import DB, Now, State
from coachdesk.web.public.landing import landing_context
from coachdesk.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/chat/{token}")
async def chat_link(request: Request, token: str, db: DB, state: State, now: Now) -> Response:
    link = await links.by_token(db, token)
    context = {**await landing_context(state, now), "chat_link": link}
    return render(request, "site/landing.html", context)
