"""Shareable chat links `/chat/<token>` with a title (the source of new contacts)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.auth.tokens import new_token
from coachdesk.errors import Invalid, NotFound
from coachdesk.kit.i18n import N_
from coachdesk.models import ChatLink, Coach

TITLE_REQUIRED = N_("Donnez un titre au lien.")
LINK_NOT_FOUND = N_("Ce lien n'existe pas.")
LINK_GONE = N_("Ce lien de chat n'est plus actif.")


async def create(
    session: AsyncSession, *, title: str, community: bool, actor: Coach, now: datetime
) -> ChatLink:
    name = " ".join(title.split())[:120]
    if not name:
        raise Invalid(TITLE_REQUIRED, code="title_required", field="title")
    link = ChatLink(token=new_token()[:24], title=name, community=community, created_at=now)
    session.add(link)
    await session.flush()
    await record(
        session,
        actor=actor,
        action="chat.link_created",
        obj=link,
        now=now,
        data={"title": name, "community": community},
    )
    return link


async def all_links(session: AsyncSession) -> list[ChatLink]:
    return list(
        (await session.scalars(select(ChatLink).order_by(ChatLink.created_at.desc()))).all()
    )


async def by_token(session: AsyncSession, token: str) -> ChatLink:
    """An active link (a lapsed or unknown one is ``link_gone``)."""
    link = await session.scalar(select(ChatLink).where(ChatLink.token == token))
    if link is None or not link.active:
        raise NotFound(LINK_GONE, code="link_gone")
    return link


async def toggle(session: AsyncSession, *, link_id: int, actor: Coach, now: datetime) -> ChatLink:
    link = await session.get(ChatLink, link_id)
    if link is None:
        raise NotFound(LINK_NOT_FOUND)
    link.active = not link.active
    await record(
        session,
        actor=actor,
        action="chat.link_toggled",
        obj=link,
        now=now,
        data={"active": link.active},
    )
    return link
