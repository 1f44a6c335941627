"""Analytics on a year of a busy studio: 8 courses twice a week (832 sessions), 4,000
contacts, 20,000 bookings with their seats (a third checked in), 2,000 promo uses, 1,500
conversations, 24 campaigns with 72,000 deliveries. Times the whole Statistiques report for
the year and for one month, on SQLite and PostgreSQL, next to a bare COUNT(*) over the
bookings measured in the same run.

Run: .venv/bin/python -m bench.analytics
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bench import postgres
from bench.results import write_section
from coachdesk import migrate
from coachdesk.analytics.report import Period, build
from coachdesk.db import make_engine, make_session_factory
from coachdesk.kit.clock import ZURICH
from coachdesk.models import (
    Booking,
    BookingSeat,
    BookingStatus,
    Campaign,
    CampaignSend,
    CampaignStatus,
    ConsentChannel,
    Contact,
    Conversation,
    ConversationMode,
    Course,
    CourseSession,
    Delivery,
    DeliveryStatus,
    PaymentMethod,
    PromoCode,
    PromoKind,
    PromoRedemption,
    SendStatus,
)

YEAR_START = datetime(2026, 1, 1, tzinfo=ZURICH)
NOW = datetime(2026, 12, 31, 23, 0, tzinfo=ZURICH)
CONTACTS, BOOKINGS, CAMPAIGNS = 4000, 20_000, 24
RUNS = 5


async def seed(url: str) -> None:
    rng = random.Random(7)
    engine = make_engine(url)
    async with make_session_factory(engine)() as db:
        await db.execute(
            insert(Contact),
            [
                {
                    "name": f"Personne {n}",
                    "email": f"p{n}@example.ch",
                    "source": rng.choice(["booking", "chat", "import", "instagram"]),
                    "first_seen_at": YEAR_START + timedelta(hours=rng.randrange(8700)),
                    "last_seen_at": NOW,
                }
                for n in range(CONTACTS)
            ],
        )
        await db.execute(
            insert(Course),
            [
                {
                    "name": f"Cours {n}",
                    "weekday": n % 7,
                    "start_time": datetime(2026, 1, 1, 18, 30).time(),
                    "capacity": 20,
                    "created_at": YEAR_START,
                    "updated_at": YEAR_START,
                }
                for n in range(8)
            ],
        )
        courses = list(await db.scalars(select(Course.id)))
        sessions = [
            {
                "course_id": course,
                "starts_at": YEAR_START + timedelta(days=week * 7 + half * 3 + index % 3, hours=18),
                "duration_minutes": 60,
                "capacity": 20,
            }
            for index, course in enumerate(courses)
            for week in range(52)
            for half in range(2)
        ]
        await db.execute(insert(CourseSession), sessions)
        session_rows = (await db.execute(select(CourseSession.id, CourseSession.starts_at))).all()
        contacts = list(await db.scalars(select(Contact.id)))
        bookings = []
        for n in range(BOOKINGS):
            status = rng.choices(list(BookingStatus), weights=[1, 16, 2, 1])[0]
            bookings.append(
                {
                    "code": f"B{n:06d}",
                    "ticket_token": f"t{n:063d}",
                    "contact_id": rng.choice(contacts),
                    "offer_name": rng.choice(["Cours à l'unité", "Carte 10 cours", "Abonnement"]),
                    "status": status,
                    "payment_method": PaymentMethod.on_site,
                    "total_cents": rng.choice([3000, 25000, 9000]),
                    "created_at": YEAR_START + timedelta(minutes=rng.randrange(525_000)),
                }
            )
        for start in range(0, BOOKINGS, 2000):
            await db.execute(insert(Booking), bookings[start : start + 2000])
        booking_ids = list(await db.scalars(select(Booking.id)))
        seats = [
            {
                "booking_id": booking,
                "session_id": (chosen := rng.choice(session_rows))[0],
                "checked_in_at": chosen[1] if rng.random() < 0.33 else None,
            }
            for booking in booking_ids
        ]
        for start in range(0, len(seats), 2000):
            await db.execute(insert(BookingSeat), seats[start : start + 2000])
        db.add(
            PromoCode(
                code="BENCH",
                kind=PromoKind.amount,
                value=500,
                created_at=YEAR_START,
                updated_at=YEAR_START,
            )
        )
        await db.flush()
        code = await db.scalar(select(PromoCode.id))
        await db.execute(
            insert(PromoRedemption),
            [
                {
                    "promo_code_id": code,
                    "booking_id": booking,
                    "discount_cents": 500,
                    "created_at": YEAR_START + timedelta(hours=rng.randrange(8700)),
                }
                for booking in booking_ids[:2000]
            ],
        )
        await db.execute(
            insert(Conversation),
            [
                {
                    "mode": ConversationMode.ai,
                    "contact_id": contact,
                    "created_at": (at := YEAR_START + timedelta(hours=rng.randrange(8700))),
                    "last_message_at": at,
                }
                for contact in rng.sample(contacts, 1500)
            ],
        )
        for n in range(CAMPAIGNS):
            due = YEAR_START + timedelta(days=15 * n)
            campaign = Campaign(
                name=f"Campagne {n}", status=CampaignStatus.sent, created_at=due, updated_at=due
            )
            db.add(campaign)
            await db.flush()
            send = CampaignSend(campaign_id=campaign.id, due_at=due, status=SendStatus.sent)
            db.add(send)
            await db.flush()
            await db.execute(
                insert(Delivery),
                [
                    {
                        "send_id": send.id,
                        "contact_id": contact,
                        "channel": ConsentChannel.email,
                        "address": "x@example.ch",
                        "status": rng.choices(list(DeliveryStatus)[:5], [0, 0, 90, 3, 7])[0],
                    }
                    for contact in contacts[:3000]
                ],
            )
        await db.commit()
    await engine.dispose()


async def timings(url: str) -> dict[str, float]:
    engine = make_engine(url)
    year = Period(date(2026, 1, 1), date(2026, 12, 31), "month")
    month = Period(date(2026, 6, 1), date(2026, 6, 30), "week")
    measured: dict[str, list[float]] = {"count": [], "year": [], "month": []}
    async with make_session_factory(engine)() as db:
        for _ in range(RUNS):
            started = time.perf_counter()
            await db.scalar(select(func.count(Booking.id)))
            measured["count"].append(time.perf_counter() - started)
            for name, period in (("year", year), ("month", month)):
                started = time.perf_counter()
                await build(db, period, NOW)
                measured[name].append(time.perf_counter() - started)
    await engine.dispose()
    return {name: statistics.median(values) * 1000 for name, values in measured.items()}


def run(label: str, url: str) -> str:
    migrate.upgrade(url)
    started = time.perf_counter()
    asyncio.run(seed(url))
    seeded = time.perf_counter() - started
    ms = asyncio.run(timings(url))
    return (
        f"| {label} | {ms['count']:.1f} | {ms['year']:.0f} | {ms['month']:.0f} | {seeded:.0f} s |"
    )


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        rows.append(run("SQLite", f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"))
    with contextlib.ExitStack() as stack:
        if postgres.available():
            rows.append(run("PostgreSQL", stack.enter_context(postgres.fresh_database())))
    body = "\n".join(
        [
            f"The whole *Statistiques* report (9 sections) over a year of a busy studio: "
            f"{CONTACTS:,} contacts, 832 sessions, {BOOKINGS:,} bookings with seats, 2,000 promo "
            f"uses, 1,500 conversations, {CAMPAIGNS} campaigns with 72,000 deliveries. Median of "
            f"{RUNS} runs, next to a bare `COUNT(*)` over the bookings in the same run.\n",
            "| database | COUNT(*) baseline ms | year, by month ms | one month, by week ms "
            "| seeding |",
            "|---|---:|---:|---:|---:|",
            *rows,
        ]
    )
    write_section("analytics", body)
    print(body)


if __name__ == "__main__":
    main()
