"""Reading bookings back: by ticket link, by code, for the coach's lists."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.errors import NotFound
from coachdesk.kit.codes import clean_code
from coachdesk.kit.i18n import N_
from coachdesk.models import Booking

TICKET_NOT_FOUND = N_("Ce billet n'existe pas.")


async def by_token(session: AsyncSession, token: str) -> Booking:
    booking = None
    if 16 <= len(token) <= 64:
        booking = await session.scalar(
            select(Booking).where(Booking.ticket_token == token, Booking.deleted_at.is_(None))
        )
    if booking is None:
        raise NotFound(TICKET_NOT_FOUND, code="unknown_ticket")
    return booking


async def by_code(session: AsyncSession, code: str) -> Booking | None:
    return await session.scalar(
        select(Booking).where(
            func.upper(Booking.code) == clean_code(code), Booking.deleted_at.is_(None)
        )
    )
