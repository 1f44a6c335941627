"""Promo codes from the visitor's side: live check, booking with a code, plain-text input."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, PromoCode
from tests.conftest import csrf_token
from tests.factories import make_course, make_offer, next_sessions
from tests.promo.conftest import make_code


async def setup(db: AsyncSession, clock: FixedClock) -> tuple[int, list[int]]:
    offer = await make_offer(db, now=clock.now(), price_cents=3000)
    await make_code(db, now=clock.now(), code="SUMMER20", max_uses=10)
    course = await make_course(db, now=clock.now())
    return offer.id, [s.id for s in await next_sessions(db, course.id)]


async def test_live_check_gives_the_new_total(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    offer_id, ids = await setup(db, clock)
    ok = await client.post(
        "/api/v1/promo-codes/validate",
        json={"code": " summer20 ", "session_ids": ids[:2], "offer_id": offer_id},
    )
    assert ok.json() == {
        "valid": True,
        "code": "SUMMER20",
        "subtotal_cents": 6000,
        "discount_cents": 1200,
        "total_cents": 4800,
        "reason": None,
        "message": "Code appliqué.",
    }


@pytest.mark.parametrize(
    "typed", [".*", "%", "_", "SUMMER%", "'; DROP TABLE x; --", "😀", "S" * 10_000]
)
async def test_patterns_quotes_and_junk_are_plain_text(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, typed: str
) -> None:
    offer_id, ids = await setup(db, clock)
    response = await client.post(
        "/api/v1/promo-codes/validate",
        json={"code": typed[:200], "session_ids": ids[:1], "offer_id": offer_id},
    )
    assert response.json()["valid"] is False
    assert response.json()["message"] == "Code promo inconnu."


async def test_guessing_codes_is_limited_per_address(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    offer_id, ids = await setup(db, clock)
    for n in range(20):
        await client.post(
            "/api/v1/promo-codes/validate",
            json={"code": f"GUESS{n}", "session_ids": ids[:1], "offer_id": offer_id},
        )
    blocked = await client.post(
        "/api/v1/promo-codes/validate",
        json={"code": "SUMMER20", "session_ids": ids[:1], "offer_id": offer_id},
    )
    assert blocked.status_code == 429


async def test_booking_with_a_code_in_the_form(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    offer_id, ids = await setup(db, clock)
    token = await csrf_token(client, f"/book?s={ids[0]}")
    form = {
        "csrf_token": token,
        "s": [str(ids[0])],
        "choice": f"offer:{offer_id}",
        "name": "Léa",
        "email": "lea@example.ch",
        "accept_terms": "1",
        "payment_method": "on_site",
    }
    wrong = await client.post("/book", data={**form, "promo_code": "nope"})
    assert wrong.status_code == 422 and "Code promo inconnu." in wrong.text
    assert 'value="nope"' in wrong.text
    done = await client.post("/book", data={**form, "promo_code": "summer20"})
    ticket = await client.get(done.headers["location"])
    assert "CHF 24.–" in ticket.text
    booking = await db.scalar(select(Booking))
    assert booking and booking.promo_code == "SUMMER20" and booking.discount_cents == 600
    code = await db.scalar(select(PromoCode).execution_options(populate_existing=True))
    assert code and code.uses == 1
