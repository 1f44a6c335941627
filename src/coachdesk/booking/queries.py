"""Reading bookings back: by ticket link, by code, for the coach's lists."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from coachdesk.errors import NotFound
from coachdesk.kit.codes import clean_code
from coachdesk.kit.i18n import N_
from coachdesk.models import Booking, BookingSeat, BookingStatus, Contact, SeatStatus

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


async def attendees(session: AsyncSession, session_ids: list[int]) -> dict[int, list[BookingSeat]]:
    """Held seats of live bookings, per session, by name."""
    query = (
        select(BookingSeat)
        .join(Booking, BookingSeat.booking_id == Booking.id)
        .join(Contact, Booking.contact_id == Contact.id)
        .where(
            BookingSeat.session_id.in_(session_ids),
            BookingSeat.status == SeatStatus.held,
            Booking.status.in_([BookingStatus.pending, BookingStatus.confirmed]),
            Booking.deleted_at.is_(None),
        )
        .options(selectinload(BookingSeat.booking))
        .order_by(Contact.name)
    )
    found: dict[int, list[BookingSeat]] = {i: [] for i in session_ids}
    for seat in await session.scalars(query):
        found[seat.session_id].append(seat)
    return found
