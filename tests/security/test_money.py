"""A pass pays only where its offer is accepted (issue 11 #12)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking.lifecycle import confirm_payment
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, OfferKind, Pass
from tests.booking.conftest import book
from tests.factories import booking_request, make_course, make_offer, next_sessions


async def test_a_card_does_not_pay_for_a_course_that_excludes_its_offer(
    db: AsyncSession, clock: FixedClock
) -> None:
    card = await make_offer(
        db, now=clock.now(), name="Carte 10", kind=OfferKind.pack, price_cents=15000,
        credits=10, validity_days=183,
    )  # fmt: skip
    single = await make_offer(db, now=clock.now(), name="Séance", price_cents=3000)
    open_course = await make_course(db, now=clock.now(), name="Cardio")
    workshop = await make_course(db, now=clock.now(), name="Atelier", offer_ids=[single.id])
    first = (await next_sessions(db, open_course.id))[0]
    bought = await book(
        db, booking_request([first.id], offer_id=card.id, payment_method="on_site"), clock.now()
    )
    await confirm_payment(db, booking=await db.get_one(Booking, bought.id), now=clock.now())
    await db.commit()
    code = (await db.get_one(Pass, bought.pass_id)).code
    closed = (await next_sessions(db, workshop.id))[0]
    with pytest.raises(AppError) as refused:
        await book(db, booking_request([closed.id], pass_code=code), clock.now())
    assert refused.value.code == "offer_not_applicable"
