"""Hundreds of simultaneous bookings on one session: exactly `capacity` succeed, the others
get a clean "complet" — on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking.placing import place_booking
from coachdesk.db import unit_of_work
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import CourseSession
from tests.booking.conftest import ALL_METHODS, SITE
from tests.factories import booking_request, make_course, make_offer, next_sessions

ATTEMPTS = 200
CAPACITY = 20


async def test_simultaneous_bookings_never_overfill_a_session(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now(), capacity=CAPACITY)
    target = (await next_sessions(db, course.id))[0].id
    factory = app.state.core.sessions

    async def attempt(n: int) -> str:
        data = booking_request(
            [target],
            offer_id=offer.id,
            payment_method="on_site",
            email=f"guest{n}@example.ch",
            phone="",
        )
        try:
            async with unit_of_work(factory) as session:
                await place_booking(
                    session, data=data, now=clock.now(), site=SITE, payments=ALL_METHODS
                )
        except AppError as error:
            return error.code
        return "booked"

    outcomes = await asyncio.gather(*(attempt(n) for n in range(ATTEMPTS)))
    assert outcomes.count("booked") == CAPACITY
    assert outcomes.count("session_full") == ATTEMPTS - CAPACITY
    occurrence = await db.get_one(CourseSession, target, populate_existing=True)
    assert occurrence.seats_taken == CAPACITY
