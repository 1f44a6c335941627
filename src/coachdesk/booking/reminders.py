"""Reminders before a session, queued by the worker once per seat."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.mail import service as mail
from coachdesk.models import (
    Booking,
    BookingSeat,
    BookingStatus,
    CourseSession,
    PaymentMethod,
    SeatStatus,
    SessionStatus,
)


async def queue_due(session: AsyncSession, now: datetime, *, hours: int) -> int:
    """Seats of coming bookings whose session starts within ``hours``: one reminder each."""
    if hours <= 0:
        return 0
    coming = or_(
        Booking.status == BookingStatus.confirmed,
        and_(
            Booking.status == BookingStatus.pending, Booking.payment_method == PaymentMethod.on_site
        ),
    )
    query = (
        select(BookingSeat.id, Booking.id, Booking.contact_id)
        .join(Booking, BookingSeat.booking_id == Booking.id)
        .join(CourseSession, BookingSeat.session_id == CourseSession.id)
        .where(
            coming,
            BookingSeat.status == SeatStatus.held,
            BookingSeat.reminded_at.is_(None),
            CourseSession.status == SessionStatus.scheduled,
            CourseSession.starts_at > now,
            CourseSession.starts_at <= now + timedelta(hours=hours),
            Booking.deleted_at.is_(None),
        )
        .limit(200)
    )
    queued = 0
    for seat_id, booking_id, _contact in (await session.execute(query)).all():
        claimed = await session.execute(
            update(BookingSeat)
            .where(BookingSeat.id == seat_id, BookingSeat.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if isinstance(claimed, CursorResult) and claimed.rowcount == 1:
            booking = await session.get_one(Booking, booking_id)
            await mail.queue(
                session,
                kind="reminder",
                to=booking.contact.email,
                now=now,
                booking_id=booking_id,
                seat_id=seat_id,
            )
            queued += 1
    return queued
