"""Pay-on-site seats the client never confirms are released, when the coach asks for it
(issue 11 #10)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking import lifecycle
from coachdesk.booking.placing import place_booking
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, BookingStatus, CourseSession
from tests.booking.conftest import ALL_METHODS, SITE
from tests.factories import booking_request, make_course, make_offer, next_sessions


async def test_unconfirmed_on_site_seats_go_back_and_confirmed_ones_stay(
    db: AsyncSession, clock: FixedClock
) -> None:
    site = SITE.model_copy(update={"on_site_confirm_hours": 2})
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    target = (await next_sessions(db, course.id))[0].id
    made = []
    for email in ("ghost@example.ch", "lea@example.ch"):
        data = booking_request([target], offer_id=offer.id, payment_method="on_site", email=email)
        booking = await place_booking(
            db, data=data, now=clock.now(), site=site, payments=ALL_METHODS
        )
        made.append(booking.id)
    await db.commit()
    kept = await db.get_one(Booking, made[1])
    assert await lifecycle.keep_on_site(db, booking=kept, now=clock.now())
    await db.commit()
    clock.advance(timedelta(hours=2, minutes=1))
    assert await lifecycle.expire_due(db, clock.now()) == 1
    await db.commit()
    ghost = await db.get_one(Booking, made[0], populate_existing=True)
    lea = await db.get_one(Booking, made[1], populate_existing=True)
    assert ghost.status == BookingStatus.expired and lea.status == BookingStatus.pending
    seats = (await db.get_one(CourseSession, target, populate_existing=True)).seats_taken
    assert seats == 1


async def test_off_by_default_an_on_site_seat_waits_for_the_coach(
    db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    target = (await next_sessions(db, course.id))[0].id
    data = booking_request([target], offer_id=offer.id, payment_method="on_site")
    await place_booking(db, data=data, now=clock.now(), site=SITE, payments=ALL_METHODS)
    await db.commit()
    clock.advance(timedelta(days=5))
    assert await lifecycle.expire_due(db, clock.now()) == 0
