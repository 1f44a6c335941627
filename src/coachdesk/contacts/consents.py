"""Marketing consents: the current state on the contact, every change in the history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.models import ConsentChannel, ConsentEvent, Contact

FIELDS = {ConsentChannel.email: "consent_email", ConsentChannel.whatsapp: "consent_whatsapp"}


async def set_consent(
    session: AsyncSession,
    *,
    contact: Contact,
    channel: ConsentChannel,
    granted: bool,
    how: str,
    now: datetime,
    actor: str = "",
) -> bool:
    """Records a change (and only a change); returns whether anything changed."""
    field = FIELDS[channel]
    if getattr(contact, field) == granted:
        return False
    setattr(contact, field, granted)
    session.add(
        ConsentEvent(
            contact_id=contact.id,
            channel=channel,
            granted=granted,
            how=how[:120],
            actor=actor[:254],
            at=now,
        )
    )
    await session.flush()
    return True


async def history(session: AsyncSession, contact: Contact) -> list[ConsentEvent]:
    query = select(ConsentEvent).where(ConsentEvent.contact_id == contact.id)
    return list(
        (
            await session.scalars(query.order_by(ConsentEvent.at.desc(), ConsentEvent.id.desc()))
        ).all()
    )
