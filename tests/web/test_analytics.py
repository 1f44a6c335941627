"""The Statistiques tab: a month with bookings, a promo code, a check-in and a no-show, a
chat that led to a booking — the figures, the SVG charts and the CSV say the same."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk import demo
from coachdesk.analytics.report import Period, build
from coachdesk.kit.clock import FixedClock, to_local
from coachdesk.models import (
    Contact,
    Conversation,
    ConversationMode,
    Course,
    Offer,
    OfferKind,
    PaymentMethod,
)
from coachdesk.promo.admin import create_code
from coachdesk.promo.schemas import PromoCodeIn
from tests.booking.conftest import book
from tests.factories import booking_request, login, make_coach, next_sessions


async def month(db: AsyncSession, clock: FixedClock) -> None:
    coach = await make_coach(db, now=clock.now())
    await demo.load_demo(db, now=clock.now())
    await create_code(
        db, data=PromoCodeIn(code="DIX", kind="amount", value=1000), actor=coach, now=clock.now()
    )
    await db.commit()
    course = await db.scalar(select(Course).order_by(Course.id))
    single = await db.scalar(select(Offer).where(Offer.kind == OfferKind.single))
    assert course and single
    first = (await next_sessions(db, course.id))[0]
    people = (("Léa", "lea@example.ch", "DIX"), ("Marc", "marc@example.ch", None))
    for name, email, code in people:
        booking = await book(
            db,
            booking_request(
                [first.id],
                offer_id=single.id,
                name=name,
                email=email,
                phone="",
                promo_code=code,
                payment_method=PaymentMethod.on_site,
            ),
            clock.now(),
        )
        booking.status, booking.paid_at = booking.status.confirmed, clock.now()
    lea = await db.scalar(select(Contact).where(Contact.email == "lea@example.ch"))
    assert lea is not None
    db.add(
        Conversation(
            mode=ConversationMode.ai,
            contact_id=lea.id,
            created_at=clock.now() - timedelta(hours=1),
            last_message_at=clock.now(),
        )
    )
    await db.commit()


async def test_the_months_figures(db: AsyncSession, clock: FixedClock) -> None:
    await month(db, clock)
    today = to_local(clock.now()).date()
    later = clock.now() + timedelta(days=10)  # the first session is over by then
    period = Period(today.replace(day=1), today + timedelta(days=10), "week")
    figures = await build(db, period, later)
    assert sum(int(row.values[0]) for row in figures.timeline) == 2
    assert sum(int(row.values[1]) for row in figures.timeline) == 3000 + 2000  # 30 + (30 − 10)
    assert [(row.label, row.values) for row in figures.offers] == [("Cours à l'unité", [2, 5000])]
    assert [(row.label, row.values) for row in figures.promo] == [("DIX", [1, 1000])]
    assert figures.chat[0].values == [1, 1, 100.0]  # Léa talked, then booked
    assert figures.attendance[0].values == [2, 0, 100.0]  # nobody checked in
    booked = [row for row in figures.sessions if row.values[0]]
    assert len(booked) == 1 and booked[0].values[0] == 2
    assert sorted(row.label for row in figures.sources) == ["booking"]


async def test_the_tab_draws_charts_and_exports_the_same_rows(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await month(db, clock)
    await login(client)
    page = await client.get("/coach/analytics")
    assert page.status_code == 200
    assert page.text.count('<svg class="chart"') == 2
    assert 'aria-label="Réservations par période"' in page.text
    assert "CHF 50.–" in page.text  # the month's revenue
    csv = await client.get("/coach/analytics/offers.csv")
    assert csv.content.decode("utf-8-sig").splitlines() == [
        "offre;réservations;revenu CHF",
        "Cours à l'unité;2;50.00",
    ]
    monthly = await client.get(
        "/coach/analytics", params={"unit": "month", "from": "2026-01-01", "to": "2026-12-31"}
    )
    assert monthly.text.count('<th scope="row">2026-') >= 12  # a row per month
    wrong = await client.get("/coach/analytics", params={"from": "2026-12-01", "to": "2026-01-01"})
    assert "Période invalide" in wrong.text
    assert (await client.get("/coach/analytics/nothing.csv")).status_code == 404
