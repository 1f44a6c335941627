"""Codes in bookings: checked again on the server, used in the booking's transaction, given
back on cancellation, and max uses holding under concurrency (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking import lifecycle
from coachdesk.booking.placing import place_booking
from coachdesk.db import unit_of_work
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, BookingStatus, OfferKind, PromoCode, PromoKind
from tests.booking.conftest import ALL_METHODS, SITE, book
from tests.factories import booking_request, make_course, make_offer, next_sessions
from tests.promo.conftest import make_code


async def sessions(db: AsyncSession, clock: FixedClock, capacity: int = 20) -> list[int]:
    course = await make_course(db, now=clock.now(), capacity=capacity)
    return [s.id for s in await next_sessions(db, course.id)]


async def uses(db: AsyncSession, code_id: int) -> int:
    return (await db.get_one(PromoCode, code_id, populate_existing=True)).uses


async def test_the_discount_is_computed_and_the_use_counted(
    db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now(), price_cents=3000)
    code = await make_code(db, now=clock.now(), max_uses=5)
    ids = await sessions(db, clock)
    booking = await book(
        db,
        booking_request(
            ids[:2], offer_id=offer.id, promo_code=" summer20", payment_method="on_site"
        ),
        clock.now(),
    )
    assert (booking.subtotal_cents, booking.discount_cents, booking.total_cents) == (
        6000,
        1200,
        4800,
    )
    assert booking.promo_code == "SUMMER20" and await uses(db, code.id) == 1
    await lifecycle.cancel(db, booking=booking, now=clock.now(), actor=None)
    await db.commit()
    assert await uses(db, code.id) == 0


async def test_a_pack_is_discounted_once_and_a_free_code_books_directly(
    db: AsyncSession, clock: FixedClock
) -> None:
    card = await make_offer(
        db, now=clock.now(), kind=OfferKind.pack, price_cents=15000, credits=10, name="Carte 10"
    )
    await make_code(db, now=clock.now(), code="TENOFF", kind=PromoKind.amount, value=1000)
    await make_code(db, now=clock.now(), code="GIFT", kind=PromoKind.free, value=0)
    ids = await sessions(db, clock)
    pack = await book(
        db,
        booking_request(ids[:3], offer_id=card.id, promo_code="tenoff", payment_method="on_site"),
        clock.now(),
    )
    assert pack.total_cents == 14000
    gift = await book(
        db,
        booking_request(
            ids[3:4], offer_id=card.id, promo_code="gift", email="g@example.ch", phone=""
        ),
        clock.now(),
    )
    assert gift.total_cents == 0 and gift.status == BookingStatus.confirmed


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ({"active": False}, "promo_inactive"),
        ({"valid_until": date(2026, 11, 17)}, "promo_expired"),
        ({"max_uses": 0}, "promo_used_up"),
    ],
)
async def test_a_refused_code_refuses_the_booking_and_changes_nothing(
    db: AsyncSession, clock: FixedClock, setup: dict[str, object], code: str
) -> None:
    offer = await make_offer(db, now=clock.now())
    await make_code(db, now=clock.now(), **setup)  # type: ignore[arg-type]
    ids = await sessions(db, clock)
    with pytest.raises(AppError) as caught:
        await book(
            db,
            booking_request(
                ids[:1], offer_id=offer.id, promo_code="SUMMER20", payment_method="on_site"
            ),
            clock.now(),
        )
    assert caught.value.code == code and caught.value.field == "promo_code"
    await db.rollback()
    assert await db.scalar(select(func.count(Booking.id))) == 0


async def test_a_code_for_one_person_only_works_for_them(
    db: AsyncSession, clock: FixedClock
) -> None:
    offer_id = (await make_offer(db, now=clock.now())).id
    ids = await sessions(db, clock)
    lea = await book(
        db, booking_request(ids[:1], offer_id=offer_id, payment_method="on_site"), clock.now()
    )
    await make_code(db, now=clock.now(), code="LEAONLY", beneficiary_id=lea.contact_id)
    with pytest.raises(AppError) as other:
        await book(
            db,
            booking_request(
                ids[1:2],
                offer_id=offer_id,
                promo_code="LEAONLY",
                payment_method="on_site",
                email="marc@example.ch",
                phone="",
            ),
            clock.now(),
        )
    assert other.value.code == "promo_other_beneficiary"
    await db.rollback()
    mine = await book(
        db,
        booking_request(
            ids[1:2], offer_id=offer_id, promo_code="LEAONLY", payment_method="on_site"
        ),
        clock.now(),
    )
    assert mine.discount_cents == 600


async def test_max_uses_hold_under_concurrency(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now())
    code = await make_code(db, now=clock.now(), code="FIRST5", max_uses=5)
    ids = await sessions(db, clock, capacity=200)

    async def attempt(n: int) -> str:
        data = booking_request(
            ids[:1],
            offer_id=offer.id,
            promo_code="FIRST5",
            payment_method="on_site",
            email=f"p{n}@example.ch",
            phone="",
        )
        try:
            async with unit_of_work(app.state.core.sessions) as session:
                await place_booking(
                    session, data=data, now=clock.now(), site=SITE, payments=ALL_METHODS
                )
        except AppError as error:
            return error.code
        return "booked"

    outcomes = await asyncio.gather(*(attempt(n) for n in range(60)))
    assert outcomes.count("booked") == 5
    assert set(outcomes) == {"booked", "promo_used_up"}
    assert await uses(db, code.id) == 5


async def test_confirmed_payment_sends_the_confirmation(
    db: AsyncSession, clock: FixedClock
) -> None:
    from coachdesk.models import EmailMessage

    offer = await make_offer(db, now=clock.now())
    ids = await sessions(db, clock)
    booking = await book(
        db, booking_request(ids[:1], offer_id=offer.id, payment_method="stripe"), clock.now()
    )
    clock.advance(timedelta(minutes=5))
    await lifecycle.confirm_payment(db, booking=booking, now=clock.now())
    await db.commit()
    kinds = list(await db.scalars(select(EmailMessage.kind)))
    assert kinds == ["booking_confirmed"]
