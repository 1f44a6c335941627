"""Paying, cancelling and expiring: seats and credits always come back exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking import lifecycle
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, BookingStatus, CourseSession, OfferKind, Pass, PassStatus
from tests.booking.conftest import book
from tests.factories import booking_request, make_course, make_offer, next_sessions


async def seats_taken(db: AsyncSession, session_id: int) -> int:
    occurrence = await db.get_one(CourseSession, session_id, populate_existing=True)
    return occurrence.seats_taken


async def test_unpaid_bookings_expire_and_give_their_seats_back(
    db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    target = (await next_sessions(db, course.id))[0].id
    booking = await book(
        db, booking_request([target], offer_id=offer.id, payment_method="stripe"), clock.now()
    )
    booking_id = booking.id
    assert await seats_taken(db, target) == 1
    clock.advance(timedelta(minutes=29))
    assert await lifecycle.expire_due(db, clock.now()) == 0
    clock.advance(timedelta(minutes=2))
    assert await lifecycle.expire_due(db, clock.now()) == 1
    assert await lifecycle.expire_due(db, clock.now()) == 0  # never twice
    await db.commit()
    assert (await db.get_one(Booking, booking_id, populate_existing=True)).status == "expired"
    assert await seats_taken(db, target) == 0


async def test_a_payment_after_expiry_takes_the_seat_again_if_still_free(
    db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now(), capacity=1)
    target = (await next_sessions(db, course.id))[0].id
    late = await book(
        db, booking_request([target], offer_id=offer.id, payment_method="stripe"), clock.now()
    )
    clock.advance(timedelta(hours=1))
    await lifecycle.expire_due(db, clock.now())
    assert await lifecycle.confirm_payment(db, booking=late, now=clock.now())
    await db.commit()
    assert late.status == BookingStatus.confirmed and await seats_taken(db, target) == 1


async def test_a_payment_after_expiry_on_a_full_session_is_kept_to_refund(
    db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now(), capacity=1)
    target = (await next_sessions(db, course.id))[0].id
    late = await book(
        db, booking_request([target], offer_id=offer.id, payment_method="stripe"), clock.now()
    )
    clock.advance(timedelta(hours=1))
    await lifecycle.expire_due(db, clock.now())
    await db.commit()
    await book(
        db,
        booking_request(
            [target],
            offer_id=offer.id,
            payment_method="on_site",
            email="other@example.ch",
            phone="",
        ),
        clock.now(),
    )
    assert not await lifecycle.confirm_payment(db, booking=late, now=clock.now())
    await db.commit()
    assert late.status == BookingStatus.expired and late.paid_at is not None
    assert await seats_taken(db, target) == 1


async def test_cancelling_gives_seat_and_credit_back(db: AsyncSession, clock: FixedClock) -> None:
    card = await make_offer(
        db, now=clock.now(), kind=OfferKind.pack, price_cents=15000, credits=10, name="Carte 10"
    )
    course = await make_course(db, now=clock.now())
    ids = [s.id for s in await next_sessions(db, course.id)]
    bought = await book(
        db, booking_request(ids[:1], offer_id=card.id, payment_method="on_site"), clock.now()
    )
    await lifecycle.confirm_payment(db, booking=bought, now=clock.now())
    await db.commit()
    pass_ = await db.get_one(Pass, bought.pass_id)
    code = pass_.code
    later = await book(db, booking_request(ids[1:3], pass_code=code), clock.now())
    await db.refresh(pass_)
    assert pass_.credits_left == 7
    await lifecycle.cancel(db, booking=later, now=clock.now(), deadline_hours=12)
    await db.commit()
    await db.refresh(pass_)
    assert pass_.credits_left == 9 and pass_.status == PassStatus.active
    assert await seats_taken(db, ids[1]) == 0
    with pytest.raises(AppError) as twice:
        await lifecycle.cancel(db, booking=later, now=clock.now())
    assert twice.value.code == "not_cancellable"


async def test_clients_cannot_cancel_after_the_deadline_but_the_coach_can(
    db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    tonight = (await next_sessions(db, course.id))[0].id
    booking = await book(
        db, booking_request([tonight], offer_id=offer.id, payment_method="on_site"), clock.now()
    )
    with pytest.raises(AppError) as late:  # 10:00, class at 18:30, deadline 12 h
        await lifecycle.cancel(db, booking=booking, now=clock.now(), deadline_hours=12)
    assert late.value.code == "cancel_too_late" and "12 h" in late.value.translated()
    await lifecycle.cancel(db, booking=booking, now=clock.now(), actor=None)
    assert booking.status == BookingStatus.cancelled


async def test_an_unpaid_card_purchase_cancelled_cancels_the_card(
    db: AsyncSession, clock: FixedClock
) -> None:
    card = await make_offer(
        db, now=clock.now(), kind=OfferKind.pack, price_cents=15000, credits=10, name="Carte 10"
    )
    course = await make_course(db, now=clock.now())
    ids = [s.id for s in await next_sessions(db, course.id)]
    bought = await book(
        db, booking_request(ids[1:2], offer_id=card.id, payment_method="link"), clock.now()
    )
    clock.advance(timedelta(days=3))
    await lifecycle.expire_due(db, clock.now())
    await db.commit()
    assert (await db.get_one(Pass, bought.pass_id, populate_existing=True)).status == "cancelled"
