"""The coach's view of bookings: search, mark paid, soft delete and restore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.booking import lifecycle
from coachdesk.errors import NotFound
from coachdesk.kit.clock import local_day_bounds
from coachdesk.kit.i18n import N_
from coachdesk.models import (
    Booking,
    BookingSeat,
    BookingStatus,
    Coach,
    Contact,
    CourseSession,
)

BOOKING_NOT_FOUND = N_("Cette réservation n'existe pas.")


@dataclass(frozen=True)
class BookingFilter:
    day_from: date | None = None
    day_to: date | None = None
    course_id: int | None = None
    status: BookingStatus | None = None
    text: str = ""
    deleted: bool = False


def _matching(query: Select[Booking], wanted: BookingFilter) -> Select[Booking]:
    seat = select(BookingSeat.id).join(CourseSession).where(BookingSeat.booking_id == Booking.id)
    if wanted.day_from:
        seat = seat.where(CourseSession.starts_at >= local_day_bounds(wanted.day_from)[0])
    if wanted.day_to:
        seat = seat.where(CourseSession.starts_at < local_day_bounds(wanted.day_to)[1])
    if wanted.course_id:
        seat = seat.where(CourseSession.course_id == wanted.course_id)
    if wanted.day_from or wanted.day_to or wanted.course_id:
        query = query.where(exists(seat))
    if wanted.status:
        query = query.where(Booking.status == wanted.status)
    text = wanted.text.strip().lower()[:100]
    if text:  # plain text, never a pattern: % and _ are escaped
        fields = [Booking.code, Contact.name, Contact.email, Contact.phone]
        query = query.where(or_(*(func.lower(f).contains(text, autoescape=True) for f in fields)))
    deleted = Booking.deleted_at.is_not(None) if wanted.deleted else Booking.deleted_at.is_(None)
    return query.where(deleted)


async def search(
    session: AsyncSession, wanted: BookingFilter, *, limit: int = 500
) -> list[Booking]:
    query = select(Booking).join(Contact, Booking.contact_id == Contact.id)
    query = _matching(query, wanted).order_by(Booking.created_at.desc(), Booking.id.desc())
    return list((await session.scalars(query.limit(limit))).all())


async def get(session: AsyncSession, booking_id: int) -> Booking:
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise NotFound(BOOKING_NOT_FOUND)
    return booking


async def mark_paid(
    session: AsyncSession, *, booking: Booking, actor: Coach, now: datetime
) -> None:
    await lifecycle.confirm_payment(
        session, booking=booking, now=now, actor=actor, reference="marked paid by the coach"
    )


async def soft_delete(
    session: AsyncSession, *, booking: Booking, actor: Coach, now: datetime
) -> None:
    """Hidden from lists; a live booking is cancelled first (its seats go back)."""
    if booking.status in (BookingStatus.pending, BookingStatus.confirmed):
        await lifecycle.cancel(session, booking=booking, now=now, actor=actor)
    booking.deleted_at = now
    await record(
        session,
        actor=actor,
        action="booking.deleted",
        obj=booking,
        now=now,
        data={"code": booking.code},
    )


async def restore(session: AsyncSession, *, booking: Booking, actor: Coach, now: datetime) -> None:
    booking.deleted_at = None
    await record(
        session,
        actor=actor,
        action="booking.restored",
        obj=booking,
        now=now,
        data={"code": booking.code},
    )


def default_window(today: date) -> tuple[date, date]:
    return today - timedelta(days=7), today + timedelta(weeks=8)
