"""Stripe Checkout through the real `stripe` client against a local stand-in of its API."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.integrations.stripe_gateway import StripeGateway
from coachdesk.kit.clock import FixedClock
from coachdesk.models import AuditEntry, Booking, BookingStatus, CourseSession, PaymentEvent
from coachdesk.site import service as site_service
from tests.conftest import csrf_token
from tests.factories import login, make_coach, make_course, make_offer, next_sessions
from tests.fakes.server import serving
from tests.fakes.stripe_api import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    FakeStripe,
    signed,
)

WEBHOOK = "/api/v1/payments/stripe/webhook"


@pytest.fixture(scope="module")
def stripe_api() -> Iterator[tuple[FakeStripe, str]]:
    fake = FakeStripe()
    with serving(fake.app()) as url:
        yield fake, url


@pytest.fixture
async def stripe_app(
    app: FastAPI, db: AsyncSession, clock: FixedClock, stripe_api: tuple[FakeStripe, str]
) -> FakeStripe:
    fake, url = stripe_api
    fake.reset()
    app.state.core.payments = StripeGateway(
        secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET, api_base=url
    )
    await site_service.change(
        db,
        changes={"stripe_enabled": True, "pay_on_site_enabled": False},
        actor=None,
        now=clock.now(),
    )
    await db.commit()
    return fake


async def book_online(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, capacity: int = 20
) -> tuple[httpx.Response, int]:
    offer = await make_offer(db, now=clock.now(), price_cents=3000)
    course = await make_course(db, now=clock.now(), capacity=capacity)
    target = (await next_sessions(db, course.id))[0].id
    token = await csrf_token(client, f"/book?s={target}")
    response = await client.post(
        "/book",
        data={
            "csrf_token": token,
            "s": [str(target)],
            "choice": f"offer:{offer.id}",
            "name": "Léa",
            "email": "lea@example.ch",
            "accept_terms": "1",
            "total_cents": "1",
        },
    )
    return response, target


async def current(db: AsyncSession) -> Booking:
    booking = await db.scalar(select(Booking).execution_options(populate_existing=True))
    assert booking is not None
    return booking


async def test_booking_online_goes_to_stripe_with_the_server_price(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, stripe_app: FakeStripe
) -> None:
    response, _ = await book_online(client, db, clock)
    assert response.status_code == 303
    assert response.headers["location"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
    sent = next(iter(stripe_app.checkouts.values()))
    assert sent["line_items[0][price_data][unit_amount]"] == "3000"
    assert sent["line_items[0][price_data][currency]"] == "chf"
    assert {sent["payment_method_types[0]"], sent["payment_method_types[1]"]} == {"card", "twint"}
    booking = await current(db)
    assert booking.status == BookingStatus.pending and sent["client_reference_id"] == booking.code
    assert int(sent["expires_at"]) >= int((clock.now() + timedelta(minutes=30)).timestamp())


async def test_a_forged_return_url_confirms_nothing(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, stripe_app: FakeStripe
) -> None:
    await book_online(client, db, clock)
    booking = await current(db)
    page = await client.get(f"/t/{booking.ticket_token}", params={"paid": "1", "status": "success"})
    assert "En attente de paiement" in page.text
    assert (await current(db)).status == BookingStatus.pending


@pytest.mark.parametrize("signature", [None, "t=1,v1=deadbeef", "wrong-secret"])
async def test_unsigned_or_badly_signed_webhooks_are_refused(
    client: httpx.AsyncClient,
    db: AsyncSession,
    clock: FixedClock,
    stripe_app: FakeStripe,
    signature: str | None,
) -> None:
    await book_online(client, db, clock)
    checkout = next(iter(stripe_app.checkouts))
    body, good = signed(
        stripe_app.paid(checkout), secret="whsec_other" if signature else WEBHOOK_SECRET
    )
    headers = {"Stripe-Signature": good if signature == "wrong-secret" else signature or ""}
    response = await client.post(WEBHOOK, content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_signature"
    assert (await current(db)).status == BookingStatus.pending
    assert await db.scalar(select(func.count(PaymentEvent.id))) == 0


async def test_a_signed_webhook_confirms_once_and_a_replay_changes_nothing(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, stripe_app: FakeStripe
) -> None:
    await book_online(client, db, clock)
    checkout = next(iter(stripe_app.checkouts))
    body, signature = signed(stripe_app.paid(checkout))
    first = await client.post(WEBHOOK, content=body, headers={"Stripe-Signature": signature})
    assert first.json() == {"received": True, "outcome": "confirmed"}
    booking = await current(db)
    assert booking.status == BookingStatus.confirmed and booking.paid_at is not None
    replay = await client.post(WEBHOOK, content=body, headers={"Stripe-Signature": signature})
    assert replay.status_code == 200 and replay.json()["outcome"] == "duplicate"
    paid = select(func.count(AuditEntry.id)).where(AuditEntry.action == "booking.paid")
    assert await db.scalar(paid) == 1
    ticket = await client.get(f"/t/{booking.ticket_token}")
    assert "Confirmé" in ticket.text


async def test_an_unpaid_completion_does_not_confirm(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, stripe_app: FakeStripe
) -> None:
    await book_online(client, db, clock)
    checkout = next(iter(stripe_app.checkouts))
    body, signature = signed(stripe_app.paid(checkout, payment_status="unpaid"))
    response = await client.post(WEBHOOK, content=body, headers={"Stripe-Signature": signature})
    assert response.json()["outcome"] == "not_paid_yet"
    assert (await current(db)).status == BookingStatus.pending


async def test_a_stripe_outage_keeps_the_booking_and_offers_to_retry(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, stripe_app: FakeStripe
) -> None:
    stripe_app.failures_left = 10
    response, target = await book_online(client, db, clock)
    assert "msg=checkout_failed" in response.headers["location"]
    page = await client.get(response.headers["location"])
    assert "n'a pas pu démarrer" in page.text and "Payer maintenant" in page.text
    occurrence = await db.get_one(CourseSession, target, populate_existing=True)
    assert occurrence.seats_taken == 1
    stripe_app.failures_left = 0
    booking = await current(db)
    token = await csrf_token(client, f"/t/{booking.ticket_token}")
    again = await client.post(f"/t/{booking.ticket_token}/pay", data={"csrf_token": token})
    assert again.headers["location"].startswith("https://checkout.stripe.test/")


async def test_the_coach_refunds_through_stripe(
    app: FastAPI,
    client: httpx.AsyncClient,
    db: AsyncSession,
    clock: FixedClock,
    stripe_app: FakeStripe,
) -> None:
    await book_online(client, db, clock)
    checkout = next(iter(stripe_app.checkouts))
    body, signature = signed(stripe_app.paid(checkout))
    await client.post(WEBHOOK, content=body, headers={"Stripe-Signature": signature})
    await make_coach(db, now=clock.now())
    booking = await current(db)
    token = await login(client)
    url = f"/coach/bookings/{booking.id}/refund"
    too_much = await client.post(url, data={"amount": "50", "csrf_token": token})
    assert too_much.status_code == 422 and "CHF 30.–" in too_much.text
    done = await client.post(url, data={"amount": "30", "csrf_token": token})
    assert done.status_code == 303
    assert stripe_app.refunds == [
        {"payment_intent": "pi_test_1", "amount": "3000", "metadata[booking]": booking.code}
    ]
    assert (await current(db)).refunded_cents == 3000


async def test_two_refunds_at_once_never_exceed_what_was_paid(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, stripe_app: FakeStripe
) -> None:
    """Issue 11 #14: two 20.– refunds sent together on a 30.– booking: one reaches Stripe."""
    await book_online(client, db, clock)
    body, signature = signed(stripe_app.paid(next(iter(stripe_app.checkouts))))
    await client.post(WEBHOOK, content=body, headers={"Stripe-Signature": signature})
    await make_coach(db, now=clock.now())
    booking = await current(db)
    token = await login(client)
    url = f"/coach/bookings/{booking.id}/refund"
    answers = await asyncio.gather(
        *(client.post(url, data={"amount": "20", "csrf_token": token}) for _ in range(2))
    )
    assert sorted(a.status_code for a in answers)[0] == 303
    assert sum(int(r["amount"]) for r in stripe_app.refunds) <= 3000
    assert len(stripe_app.refunds) == 1
    assert (await current(db)).refunded_cents == 2000


@pytest.mark.parametrize("forged", [{"amount_total": 1}, {"currency": "eur"}])
async def test_a_signed_payment_of_another_amount_or_currency_confirms_nothing(
    client: httpx.AsyncClient,
    db: AsyncSession,
    clock: FixedClock,
    stripe_app: FakeStripe,
    forged: dict[str, object],
) -> None:
    """Issue 11 #13: the amount and currency must be the booking's; a mismatch is recorded."""
    await book_online(client, db, clock)
    event = stripe_app.paid(next(iter(stripe_app.checkouts)), **forged)
    body, signature = signed(event)
    answer = await client.post(WEBHOOK, content=body, headers={"Stripe-Signature": signature})
    assert answer.status_code == 200  # acknowledged, so Stripe stops sending it
    assert (await current(db)).status == BookingStatus.pending
    logged = await db.scalar(
        select(func.count()).where(AuditEntry.action == "payment.amount_mismatch")
    )
    assert logged == 1


async def test_a_signed_but_unreadable_webhook_answers_400(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, stripe_app: FakeStripe
) -> None:
    """Issue 11 #15: correctly signed, but not the shape of an event: 400, not 500."""
    for broken in ({"type": "checkout.session.completed"}, {"id": "evt_x", "data": "x"}):
        body, signature = signed(broken)  # type: ignore[arg-type]
        answer = await client.post(WEBHOOK, content=body, headers={"Stripe-Signature": signature})
        assert answer.status_code == 400, answer.text
