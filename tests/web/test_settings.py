"""The coach switches payment methods and booking rules; bad values change nothing."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.site import service as site_service
from tests.factories import login, make_coach, make_course, make_offer, next_sessions

FORM = {
    "booking_code_prefix": "afr-",
    "weeks_ahead": "4",
    "pending_minutes": "30",
    "link_pending_hours": "48",
    "cancel_deadline_hours": "12",
    "reminder_hours": "24",
    "waitlist_hold_hours": "2",
    "paypal_link": "https://paypal.me/coach",
    "twint_link": "",
    "pay_on_site_enabled": "1",
}


async def test_switching_payment_methods_changes_the_booking_form(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await login(client)
    await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    target = (await next_sessions(db, course.id))[0].id
    saved = await client.post("/coach/settings", data={**FORM, "csrf_token": token})
    assert saved.status_code == 303
    terms = {"csrf_token": token, "app_name": "Studio", "terms_text": "Conditions du studio"}
    assert (await client.post("/coach/appearance", data=terms)).status_code == 303
    site = await site_service.load(db)
    assert site.booking_code_prefix == "AFR-" and site.paypal_link == "https://paypal.me/coach"
    form = (await client.get("/book", params={"s": target})).text
    assert "Lien PayPal / TWINT" in form and "Sur place, avant le cours" in form
    assert "Conditions du studio" in form
    await client.post(
        "/coach/settings", data={**FORM, "pay_on_site_enabled": "", "csrf_token": token}
    )
    assert "Sur place, avant le cours" not in (await client.get("/book", params={"s": target})).text


async def test_bad_values_are_refused_in_place_and_nothing_changes(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await login(client)
    bad = {
        **FORM,
        "pending_minutes": "1",
        "paypal_link": "javascript:alert(1)",
        "booking_code_prefix": "<b>",
        "csrf_token": token,
    }
    response = await client.post("/coach/settings", data=bad)
    assert response.status_code == 422
    assert "Doit être au moins 5." in response.text and "Format invalide" in response.text
    site = await site_service.load(db)
    assert site.pending_minutes == 30 and site.paypal_link == ""
    assert "Stripe n&#39;est pas configuré" in response.text or (
        "Stripe n'est pas configuré" in response.text
    )
