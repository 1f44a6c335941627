"""Check-in at the door: one scan, one unmistakable answer.

Outcomes: ``valid``, ``already`` (when, by whom), ``other_date``, ``unpaid``, ``cancelled``,
``unknown``. A seat is checked in by a conditional UPDATE, so two scanners scanning the
same ticket at once get one ``valid`` and one ``already``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking import lifecycle
from coachdesk.booking.queries import by_code, by_token
from coachdesk.errors import NotFound
from coachdesk.kit.clock import local_day_bounds, to_local
from coachdesk.models import Booking, BookingSeat, BookingStatus, Coach, SeatStatus

TICKET_IN_URL = re.compile(r"/t/([A-Za-z0-9_-]{16,64})")


@dataclass
class CheckInResult:
    outcome: str
    booking: Booking | None = None
    seat: BookingSeat | None = None
    previous_at: datetime | None = None
    previous_by: str | None = None
    other_dates: list[datetime] = field(default_factory=list)


async def find_ticket(session: AsyncSession, scanned: str) -> Booking | None:
    """A QR (the ticket's URL), a bare token, or the short code typed by hand."""
    text = scanned.strip()[:300]
    match = TICKET_IN_URL.search(text)
    if match or len(text) >= 16:
        try:
            return await by_token(session, match.group(1) if match else text)
        except NotFound:
            return None
    return await by_code(session, text) if text else None


def todays_seat(booking: Booking, now: datetime) -> BookingSeat | None:
    start, end = local_day_bounds(to_local(now).date())
    today = [
        s
        for s in booking.seats
        if s.status == SeatStatus.held and start <= s.session.starts_at < end
    ]
    return min(today, key=lambda s: abs(s.session.starts_at - now), default=None)


async def check_in(
    session: AsyncSession, *, scanned: str, now: datetime, actor: Coach, mark_paid: bool = False
) -> CheckInResult:
    booking = await find_ticket(session, scanned)
    if booking is None:
        return CheckInResult("unknown")
    if booking.status in (BookingStatus.cancelled, BookingStatus.expired):
        return CheckInResult("cancelled", booking)
    seat = todays_seat(booking, now)
    if seat is None:
        dates = [s.session.starts_at for s in booking.seats if s.status == SeatStatus.held]
        return CheckInResult("other_date", booking, other_dates=dates)
    if seat.checked_in_at is not None:
        return CheckInResult("already", booking, seat, seat.checked_in_at, seat.checked_in_by)
    if booking.status == BookingStatus.pending:
        if not mark_paid:
            return CheckInResult("unpaid", booking, seat)
        await lifecycle.confirm_payment(
            session, booking=booking, now=now, actor=actor, reference="paid at the door"
        )
    return await _stamp(session, booking, seat, now, actor)


async def _stamp(
    session: AsyncSession, booking: Booking, seat: BookingSeat, now: datetime, actor: Coach
) -> CheckInResult:
    label = actor.name or actor.email
    result = await session.execute(
        update(BookingSeat)
        .where(BookingSeat.id == seat.id, BookingSeat.checked_in_at.is_(None))
        .values(checked_in_at=now, checked_in_by=label)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(seat)
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        return CheckInResult("already", booking, seat, seat.checked_in_at, seat.checked_in_by)
    return CheckInResult("valid", booking, seat)
