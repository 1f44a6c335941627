"""The booking API: prices from the server, clear machine-readable refusals, ticket data."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import CourseSession
from tests.factories import make_course, make_offer, next_sessions


async def setup(db: AsyncSession, clock: FixedClock) -> tuple[int, list[int]]:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now(), capacity=1)
    return offer.id, [s.id for s in await next_sessions(db, course.id)]


def body(ids: list[int], offer_id: int, **extra: object) -> dict[str, object]:
    return {
        "session_ids": ids,
        "offer_id": offer_id,
        "name": "Léa",
        "email": "lea@example.ch",
        "phone": "+41 79 123 45 67",
        "accept_terms": True,
        "payment_method": "on_site",
        **extra,
    }


async def test_book_through_the_api_and_read_the_ticket(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    offer_id, ids = await setup(db, clock)
    created = await client.post(
        "/api/v1/bookings", json=body(ids[:2], offer_id, total_cents=0, price_cents=1)
    )
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["total_cents"] == 6000 and data["status"] == "pending" and not data["paid"]
    assert [s["starts_at"] for s in data["seats"]] == [
        "2026-11-18T17:30:00Z",
        "2026-11-25T17:30:00Z",
    ]
    token = data["ticket_url"].rsplit("/", 1)[1]
    ticket = await client.get(f"/api/v1/bookings/{token}")
    assert ticket.json()["code"] == data["code"]
    assert (await client.get(f"/api/v1/bookings/{data['code']}")).status_code == 404


async def test_refusals_are_machine_readable(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    offer_id, ids = await setup(db, clock)
    await client.post("/api/v1/bookings", json=body(ids[:1], offer_id))
    full = await client.post(
        "/api/v1/bookings", json=body(ids[:1], offer_id, email="b@example.ch", phone="")
    )
    assert full.status_code == 409 and full.json()["error"]["code"] == "session_full"
    assert "Complet" in full.json()["error"]["message"]
    unknown = await client.post("/api/v1/bookings", json=body([999_999], offer_id))
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_session"
    bad_phone = await client.post("/api/v1/bookings", json=body(ids[1:2], offer_id, phone="12"))
    assert bad_phone.status_code == 422 and bad_phone.json()["error"]["field"] == "phone"
    german = await client.post(
        "/api/v1/bookings", json=body(ids[1:2], 424242), headers={"Accept-Language": "de"}
    )
    assert german.json()["error"] == {
        "code": "unknown_offer",
        "message": "Unbekanntes Angebot.",
        "field": "offer_id",
    }
    occurrence = await db.get_one(CourseSession, ids[1], populate_existing=True)
    assert occurrence.seats_taken == 0
