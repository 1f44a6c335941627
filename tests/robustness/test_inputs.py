"""No input gives a 500: the same new address twice at once, ids past what the database
stores, days at the edge of the calendar, NUL characters (issue 12 #1, #3, #4, #5)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking.placing import place_booking
from coachdesk.db import unit_of_work
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, Contact
from tests.booking.conftest import ALL_METHODS, SITE
from tests.factories import (
    booking_request,
    login,
    make_coach,
    make_course,
    make_offer,
    next_sessions,
)

TOO_BIG = 2**31  # one past PostgreSQL's integer
HUGE = 2**63  # one past SQLite's


async def test_the_same_new_address_booked_ten_times_at_once_gives_one_card(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now(), capacity=30)
    target = (await next_sessions(db, course.id))[0].id
    factory = app.state.core.sessions

    async def attempt() -> str:
        data = booking_request(
            [target], offer_id=offer.id, payment_method="on_site", email="new@example.ch"
        )
        try:
            async with unit_of_work(factory) as session:
                await place_booking(
                    session, data=data, now=clock.now(), site=SITE, payments=ALL_METHODS
                )
        except AppError as error:
            return error.code
        return "booked"

    outcomes = await asyncio.gather(*(attempt() for _ in range(10)))
    assert "booked" in outcomes and set(outcomes) <= {"booked", "already_booked"}, outcomes
    cards = await db.scalar(
        select(func.count()).select_from(Contact).where(Contact.email == "new@example.ch")
    )
    assert cards == 1


@pytest.mark.parametrize("big", [TOO_BIG, HUGE])
async def test_ids_past_what_the_database_stores_are_refused_not_a_500(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, big: int
) -> None:
    await make_coach(db, now=clock.now())
    offer = await make_offer(db, now=clock.now())
    await db.commit()
    booking = {
        "session_ids": [big],
        "offer_id": offer.id,
        "name": "Léa",
        "email": "lea@example.ch",
        "payment_method": "on_site",
        "accept_terms": True,
    }
    assert (await client.post("/api/v1/bookings", json=booking)).status_code == 422
    promo = {"code": "X", "session_ids": [1], "offer_id": big}
    assert (await client.post("/api/v1/promo-codes/validate", json=promo)).status_code == 422
    token = await login(client)
    headers = {"X-CSRF-Token": token}
    for path in (f"/api/v1/admin/contacts/{big}", f"/api/v1/admin/courses/{big}"):
        assert (await client.get(path)).status_code == 422, path
    drop = await client.post(f"/api/v1/admin/campaigns/deliveries/{big}/drop", headers=headers)
    assert drop.status_code == 422
    page = await client.get(f"/coach/bookings/{big}")
    assert page.status_code in (404, 422) and "<html" in page.text.lower()
    assert (await client.get(f"/coach/bookings?course={big}")).status_code == 200
    assert await db.scalar(select(func.count()).select_from(Booking)) == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
async def test_days_at_the_edge_of_the_calendar_are_refused_or_ignored(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, day: str
) -> None:
    await make_coach(db, now=clock.now())
    await db.commit()
    assert (await client.get(f"/api/v1/sessions?from={day}")).status_code == 422
    await login(client)
    listed = await client.get(f"/api/v1/admin/sessions?day_from={day}&day_to={day}")
    assert listed.status_code == 422
    for path in (
        f"/coach/bookings?from={day}",
        f"/coach/bookings?to={day}",
        f"/coach/bookings.csv?from={day}&to={day}",
        f"/coach/analytics?from={day}&to={day}",
    ):
        assert (await client.get(path)).status_code == 200, path


async def test_a_nul_character_is_refused_in_words_and_nothing_is_kept(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    answer = await client.post(
        "/api/v1/chat/start",
        json={"name": "Lé\x00a", "email": "nul@example.ch", "accept": True},
        headers={"Accept-Language": "de"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_text"
    assert "ungültiges Zeichen" in answer.json()["error"]["message"]
    assert await db.scalar(select(func.count()).select_from(Contact)) == 0
