"""Placing bookings: prices from the server, passes, refusals that change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking.lifecycle import confirm_payment
from coachdesk.booking.placing import Payments
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import (
    Booking,
    BookingStatus,
    Contact,
    CourseSession,
    OfferKind,
    Pass,
    PassStatus,
    PaymentMethod,
    SessionStatus,
)
from tests.booking.conftest import book
from tests.factories import booking_request, make_course, make_offer, next_sessions


async def setup(db: AsyncSession, clock: FixedClock, capacity: int = 20):  # type: ignore[no-untyped-def]
    single = await make_offer(db, now=clock.now(), price_cents=3000)
    card = await make_offer(
        db,
        now=clock.now(),
        name="Carte 10 cours",
        kind=OfferKind.pack,
        price_cents=15000,
        credits=10,
        validity_days=183,
    )
    course = await make_course(db, now=clock.now(), capacity=capacity)
    return single, card, await next_sessions(db, course.id)


async def test_single_sessions_cost_the_price_each_and_hold_seats_until_paid(
    db: AsyncSession, clock: FixedClock
) -> None:
    single, _, sessions = await setup(db, clock)
    booking = await book(
        db,
        booking_request([s.id for s in sessions[:2]], offer_id=single.id, payment_method="link"),
        clock.now(),
    )
    assert booking.total_cents == 6000 and booking.status == BookingStatus.pending
    assert booking.code.startswith("SDF-") and len(booking.code) == 10
    assert not set(booking.code[4:]) & set("01OI")
    assert booking.expires_at == clock.now() + timedelta(hours=48)
    for occurrence in sessions[:2]:
        await db.refresh(occurrence)
        assert occurrence.seats_taken == 1


async def test_a_total_sent_by_the_client_is_ignored(db: AsyncSession, clock: FixedClock) -> None:
    single, _, sessions = await setup(db, clock)
    data = booking_request(
        [sessions[0].id], offer_id=single.id, payment_method="on_site", total_cents=0, price_cents=1
    )
    booking = await book(db, data, clock.now())
    assert booking.total_cents == 3000 and booking.status == BookingStatus.pending


async def test_buying_a_card_creates_a_pass_that_pays_now_and_later(
    db: AsyncSession, clock: FixedClock
) -> None:
    _, card, sessions = await setup(db, clock)
    session_ids = [s.id for s in sessions]
    bought = await book(
        db,
        booking_request(session_ids[:2], offer_id=card.id, payment_method="on_site"),
        clock.now(),
    )
    assert bought.total_cents == 15000 and bought.bought_pass
    pass_ = await db.get_one(Pass, bought.pass_id)
    bought_id, pass_code = bought.id, pass_.code
    assert (pass_.credits_left, pass_.status) == (8, PassStatus.pending)
    with pytest.raises(AppError) as unpaid:
        await book(db, booking_request([session_ids[2]], pass_code=pass_code), clock.now())
    assert unpaid.value.code == "pass_unpaid"
    await db.rollback()
    bought = await db.get_one(Booking, bought_id)
    await confirm_payment(db, booking=bought, now=clock.now())
    await db.commit()
    later = await book(
        db, booking_request([session_ids[2]], pass_code=pass_code.lower()), clock.now()
    )
    assert later.total_cents == 0 and later.status == BookingStatus.confirmed
    assert later.payment_method == PaymentMethod.with_pass
    await db.refresh(pass_)
    assert pass_.credits_left == 7


async def test_a_pass_is_only_found_with_its_owner_email(
    db: AsyncSession, clock: FixedClock
) -> None:
    _, card, sessions = await setup(db, clock)
    bought = await book(
        db,
        booking_request([sessions[0].id], offer_id=card.id, payment_method="on_site"),
        clock.now(),
    )
    pass_ = await db.get_one(Pass, bought.pass_id)
    with pytest.raises(AppError) as caught:
        await book(
            db,
            booking_request([sessions[1].id], pass_code=pass_.code, email="thief@example.ch"),
            clock.now(),
        )
    assert caught.value.code == "pass_not_found"


async def test_a_card_cannot_pay_more_sessions_than_its_credits(
    db: AsyncSession, clock: FixedClock
) -> None:
    card = await make_offer(
        db, now=clock.now(), name="Carte 2", kind=OfferKind.pack, price_cents=5000, credits=2
    )
    course = await make_course(db, now=clock.now(), weeks=4)
    sessions = await next_sessions(db, course.id)
    with pytest.raises(AppError) as caught:
        await book(
            db,
            booking_request(
                [s.id for s in sessions[:3]], offer_id=card.id, payment_method="on_site"
            ),
            clock.now(),
        )
    assert caught.value.code == "not_enough_credits"


async def test_a_free_offer_books_directly(db: AsyncSession, clock: FixedClock) -> None:
    free = await make_offer(db, now=clock.now(), name="Cours d'essai", price_cents=0)
    course = await make_course(db, now=clock.now())
    sessions = await next_sessions(db, course.id)
    booking = await book(
        db,
        booking_request([sessions[0].id], offer_id=free.id),
        clock.now(),
        payments=Payments(stripe=False, link=False, on_site=False),
    )
    assert booking.status == BookingStatus.confirmed and booking.payment_method == "free"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("past", "session_past"),
        ("cancelled", "session_cancelled"),
        ("full", "session_full"),
        ("unknown", "unknown_session"),
        ("terms", "terms_required"),
        ("offer_elsewhere", "offer_not_applicable"),
        ("no_method", "payment_method_required"),
    ],
)
async def test_refusals_have_a_reason_and_change_nothing(
    db: AsyncSession, clock: FixedClock, change: str, code: str
) -> None:
    single, card, sessions = await setup(db, clock, capacity=1)
    target = sessions[0]
    fields: dict[str, object] = {"offer_id": single.id, "payment_method": "on_site"}
    if change == "past":
        clock.advance(timedelta(hours=8, minutes=31))  # 18:31: tonight's class has begun
    elif change == "cancelled":
        target.status = SessionStatus.cancelled
    elif change == "full":
        target.seats_taken = 1
    elif change == "terms":
        fields["accept_terms"] = False
    elif change == "offer_elsewhere":
        other = await make_course(db, now=clock.now(), name="Autre", offer_ids=[card.id])
        target = (await next_sessions(db, other.id))[0]
    elif change == "no_method":
        fields.pop("payment_method")
    await db.commit()
    ids = [999_999] if change == "unknown" else [target.id]
    with pytest.raises(AppError) as caught:
        await book(db, booking_request(ids, **fields), clock.now())
    assert caught.value.code == code and caught.value.translated()
    await db.rollback()
    assert await db.scalar(select(func.count(Booking.id))) == 0
    assert await db.scalar(select(func.count(Contact.id))) == 0


def test_a_request_must_name_an_offer_or_a_pass() -> None:
    with pytest.raises(ValidationError):
        booking_request([1])
    with pytest.raises(ValidationError):
        booking_request([1], offer_id=1, pass_code="ABC")
    with pytest.raises(ValidationError):
        booking_request([], offer_id=1)


async def test_today_s_session_is_bookable_until_it_starts(
    db: AsyncSession, clock: FixedClock
) -> None:
    single, _, sessions = await setup(db, clock)
    clock.advance(timedelta(hours=8, minutes=29))  # 18:29
    booking = await book(
        db,
        booking_request([sessions[0].id], offer_id=single.id, payment_method="on_site"),
        clock.now(),
    )
    occurrence = await db.get_one(CourseSession, sessions[0].id)
    assert booking.seats[0].session_id == occurrence.id
