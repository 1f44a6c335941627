"""Strangers cannot fill a session with anonymous seats (issue 11 #10)."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from tests.factories import make_course, make_offer, next_sessions


async def test_bookings_are_limited_per_address_and_per_email(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now(), price_cents=3000)
    course = await make_course(db, now=clock.now(), capacity=40)
    session_id = (await next_sessions(db, course.id))[0].id

    async def book(email: str) -> int:
        data = {
            "session_ids": [session_id], "offer_id": offer.id, "name": "X", "email": email,
            "accept_terms": True, "payment_method": "on_site",
        }  # fmt: skip
        return (await client.post("/api/v1/bookings", json=data)).status_code

    same_person = [await book("lea@example.ch") for _ in range(7)]
    assert same_person == [201] * 6 + [429]  # 6 per e-mail and hour
    others = [await book(f"p{n}@example.ch") for n in range(5)]
    assert others == [201] * 4 + [429]  # 10 per address and hour, whatever the e-mails
