"""After placing: payment, cancellation and expiry. Each change of state is a conditional
UPDATE on the status, so two actors (a webhook and the worker, say) never both win."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.booking import passes, seats, waitlist
from coachdesk.errors import Conflict, Invalid
from coachdesk.kit.i18n import N_
from coachdesk.mail import service as mail
from coachdesk.models import (
    Booking,
    BookingStatus,
    Coach,
    Pass,
    PassStatus,
    PaymentMethod,
    SeatStatus,
)
from coachdesk.models.notice import NoticeEvent
from coachdesk.notifications import notices
from coachdesk.promo import service as promo

TOO_LATE_TO_CANCEL = N_(
    "L'annulation en ligne n'est plus possible moins de %(hours)s h avant la séance. "
    "Contactez le coach."
)
NOT_CANCELLABLE = N_("Cette réservation ne peut plus être annulée.")


async def _move(
    session: AsyncSession,
    booking: Booking,
    source: set[BookingStatus],
    target: BookingStatus,
    **values: object,
) -> bool:
    result = await session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status.in_(source))
        .values(status=target, **values)
        .execution_options(synchronize_session=False)
    )
    moved = isinstance(result, CursorResult) and result.rowcount == 1
    await session.refresh(booking)
    return moved


async def _release(session: AsyncSession, booking: Booking, now: datetime) -> None:
    """Gives every held seat up (to the waiting list first), the credits and the promo
    code's use back."""
    await promo.give_back(session, booking_id=booking.id, now=now)
    credits = 0
    for seat in booking.seats:
        if seat.status == SeatStatus.held:
            await waitlist.pass_seat(session, session_id=seat.session_id, now=now)
            seat.status = SeatStatus.released
            credits += seat.used_credit
    if booking.pass_id is None:
        return
    if booking.bought_pass and booking.paid_at is None:
        await session.execute(
            update(Pass).where(Pass.id == booking.pass_id).values(status=PassStatus.cancelled)
        )
    elif credits:
        await passes.give_back(session, pass_id=booking.pass_id, credits=credits)


async def confirm_payment(
    session: AsyncSession,
    *,
    booking: Booking,
    now: datetime,
    actor: Coach | None = None,
    reference: str = "",
) -> bool:
    """Marks the booking paid. A payment that arrives after expiry takes the seats again when
    they are still free; otherwise the booking stays expired, marked paid, to refund."""
    await session.refresh(booking)  # current state, seats and their sessions loaded
    if booking.paid_at is not None:
        return False
    if booking.status == BookingStatus.expired and not await _rehold(session, booking, now):
        booking.paid_at = now
        await record(
            session,
            actor=actor,
            action="booking.paid_after_expiry",
            obj=booking,
            now=now,
            data={"reference": reference},
        )
        return False
    moved = await _move(
        session,
        booking,
        {BookingStatus.pending, BookingStatus.expired},
        BookingStatus.confirmed,
        paid_at=now,
        confirmed_at=now,
        expires_at=None,
    )
    if moved and booking.pass_ is not None and booking.bought_pass:
        booking.pass_.status = PassStatus.active
    if moved:
        await record(
            session,
            actor=actor,
            action="booking.paid",
            obj=booking,
            now=now,
            data={"code": booking.code, "reference": reference},
        )
        await mail.queue(
            session,
            kind="booking_confirmed",
            to=booking.contact.email,
            now=now,
            booking_id=booking.id,
        )
    return moved


async def _rehold(session: AsyncSession, booking: Booking, now: datetime) -> bool:
    """Takes all the booking's seats again, or none (those taken are given back)."""
    taken: list[int] = []
    for seat in booking.seats:
        try:
            await seats.hold(session, occurrence=seat.session, now=now)
        except (Conflict, Invalid):
            for session_id in taken:
                await seats.release(session, session_id=session_id)
            return False
        taken.append(seat.session_id)
    for seat in booking.seats:
        seat.status = SeatStatus.held
    if booking.pass_ is not None and booking.bought_pass:
        booking.pass_.status = PassStatus.pending
    await promo.take_again(session, booking_id=booking.id)  # it was paid with the discount
    return True


async def cancel(
    session: AsyncSession,
    *,
    booking: Booking,
    now: datetime,
    actor: Coach | None = None,
    deadline_hours: int | None = None,
) -> None:
    """By the client (``deadline_hours`` applies) or by the coach (any time)."""
    await session.refresh(booking)
    if booking.status not in (BookingStatus.pending, BookingStatus.confirmed):
        raise Invalid(NOT_CANCELLABLE, code="not_cancellable")
    if deadline_hours is not None:
        first = min(seat.session.starts_at for seat in booking.seats)
        if first - timedelta(hours=deadline_hours) <= now:
            raise Invalid(TOO_LATE_TO_CANCEL, code="cancel_too_late", hours=deadline_hours)
    if await _move(
        session,
        booking,
        {BookingStatus.pending, BookingStatus.confirmed},
        BookingStatus.cancelled,
        cancelled_at=now,
        expires_at=None,
    ):
        await _release(session, booking, now)
        await record(
            session,
            actor=actor,
            action="booking.cancelled",
            obj=booking,
            now=now,
            data={"code": booking.code, "by": "coach" if actor else "client"},
        )
        who = booking.booker_name + (" (par le coach)" if actor else "")
        await notices.tell(
            session,
            NoticeEvent.booking_cancelled,
            body=f"{who} · {booking.code}",
            url=f"/coach/bookings/{booking.id}",
            now=now,
        )


async def keep_on_site(session: AsyncSession, *, booking: Booking, now: datetime) -> bool:
    """The client confirmed from the e-mail that she comes: her "on site" booking waits for
    the coach again instead of lapsing (only while it has not lapsed)."""
    result = await session.execute(
        update(Booking)
        .where(
            Booking.id == booking.id,
            Booking.status == BookingStatus.pending,
            Booking.payment_method == PaymentMethod.on_site,
            Booking.expires_at > now,
        )
        .values(expires_at=None)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(booking)
    return isinstance(result, CursorResult) and result.rowcount == 1


async def expire_due(session: AsyncSession, now: datetime, *, limit: int = 100) -> int:
    """Unpaid bookings past their time: seats and credits go back. Worker job."""
    due = await session.scalars(
        select(Booking)
        .where(Booking.status == BookingStatus.pending, Booking.expires_at <= now)
        .order_by(Booking.expires_at)
        .limit(limit)
    )
    expired = 0
    for booking in list(due):
        if await _move(session, booking, {BookingStatus.pending}, BookingStatus.expired):
            await _release(session, booking, now)
            expired += 1
    return expired
