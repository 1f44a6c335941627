"""One budget of promo-code guesses, whichever route a code is tried by (issue 11 #8)."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.limits.budgets import PROMO_GUESSES
from tests.factories import make_course, make_offer, next_sessions


async def test_guesses_made_through_bookings_spend_the_live_check_s_budget(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now(), price_cents=3000)
    course = await make_course(db, now=clock.now())
    session_id = (await next_sessions(db, course.id))[0].id
    booking = {
        "session_ids": [session_id], "offer_id": offer.id, "name": "Léa",
        "email": "lea@example.ch", "accept_terms": True, "payment_method": "on_site",
    }  # fmt: skip
    answers = []
    for n in range(PROMO_GUESSES.limit):
        tried = await client.post("/api/v1/bookings", json={**booking, "promo_code": f"G{n}X"})
        answers.append(tried.status_code)
    assert set(answers) == {422}  # each an unknown code, each counted
    check = {"code": "ANOTHER", "session_ids": [session_id], "offer_id": offer.id}
    live = await client.post("/api/v1/promo-codes/validate", json=check)
    assert live.status_code == 429  # the same address has no guess left
    again = await client.post("/api/v1/bookings", json={**booking, "promo_code": "LAST1"})
    assert again.status_code == 429
