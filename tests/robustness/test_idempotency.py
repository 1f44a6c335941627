"""A booking sent twice with the same key is one booking (issue 12 #8): the API's
Idempotency-Key header and the public form's hidden key, one after the other and at once."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, CourseSession
from tests.conftest import csrf_token
from tests.factories import make_course, make_offer, next_sessions


async def bookings(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Booking)) or 0)


async def a_session(db: AsyncSession, clock: FixedClock) -> tuple[int, int]:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now(), capacity=20, offer_ids=[offer.id])
    target = (await next_sessions(db, course.id))[0].id
    await db.commit()
    return offer.id, target


def request(offer: int, target: int, email: str = "lea@example.ch") -> dict[str, object]:
    return {
        "session_ids": [target],
        "offer_id": offer,
        "name": "Léa",
        "email": email,
        "payment_method": "on_site",
        "accept_terms": True,
    }


async def test_the_same_key_returns_the_same_booking_for_a_day(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    offer, target = await a_session(db, clock)
    key = {"Idempotency-Key": "3f1c2a9e-retry-key"}
    first = await client.post("/api/v1/bookings", json=request(offer, target), headers=key)
    again = await client.post("/api/v1/bookings", json=request(offer, target), headers=key)
    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["code"] == first.json()["code"]
    assert await bookings(db) == 1
    seats = await db.get_one(CourseSession, target, populate_existing=True)
    assert seats.seats_taken == 1
    other = await client.post(
        "/api/v1/bookings", json=request(offer, target, "marc@example.ch"), headers=key
    )
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    short = await client.post(
        "/api/v1/bookings", json=request(offer, target), headers={"Idempotency-Key": "x"}
    )
    assert short.status_code == 422
    clock.advance(timedelta(hours=24, seconds=1))  # the key is forgotten: a new booking
    week_after = (await next_sessions(db, seats.course_id))[-1].id
    later = await client.post("/api/v1/bookings", json=request(offer, week_after), headers=key)
    assert later.status_code == 201, later.text
    assert later.json()["code"] != first.json()["code"] and await bookings(db) == 2


async def test_the_same_key_sent_at_once_books_once(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    offer, target = await a_session(db, clock)
    key = {"Idempotency-Key": "double-click-0001"}
    answers = await asyncio.gather(
        *(
            client.post("/api/v1/bookings", json=request(offer, target), headers=key)
            for _ in range(5)
        )
    )
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["code"] for a in answers}) == 1
    assert await bookings(db) == 1


async def test_the_form_sent_twice_makes_one_booking(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    offer, target = await a_session(db, clock)
    page = await client.get(f"/book?s={target}")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert key is not None
    form = {
        "csrf_token": await csrf_token(client, "/"),
        "idempotency_key": key.group(1),
        "s": str(target),
        "choice": f"offer:{offer}",
        "name": "Léa Martin",
        "email": "lea@example.ch",
        "accept_terms": "1",
        "payment_method": "on_site",
    }
    first = await client.post("/book", data=form)
    again = await client.post("/book", data=form)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert await bookings(db) == 1
