"""The Bookings tab: filters, search as plain text, CSV for Excel, paid, cancel, trash."""

from __future__ import annotations

import csv
import io

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import AuditEntry, Booking, BookingStatus, CourseSession
from coachdesk.worker.loop import Worker
from tests.booking.conftest import book
from tests.factories import (
    booking_request,
    login,
    make_coach,
    make_course,
    make_offer,
    next_sessions,
)


async def two_bookings(db: AsyncSession, clock: FixedClock) -> tuple[Booking, Booking]:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    ids = [s.id for s in await next_sessions(db, course.id)]
    first = await book(
        db, booking_request(ids[:1], offer_id=offer.id, payment_method="on_site"), clock.now()
    )
    second = await book(
        db,
        booking_request(
            ids[1:2],
            offer_id=offer.id,
            payment_method="on_site",
            name="Marc_100% Dupont",
            email="marc@example.ch",
            phone="",
        ),
        clock.now(),
    )
    return first, second


async def owner(client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock) -> str:
    await make_coach(db, now=clock.now())
    return await login(client)


async def test_search_is_plain_text_and_filters_combine(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await owner(client, db, clock)
    first, second = await two_bookings(db, clock)
    everyone = await client.get("/coach/bookings")
    assert first.code in everyone.text and second.code in everyone.text
    for text, expected in [
        ("lea@", first.code),
        ("100%", second.code),
        ("_1", second.code),
        ("79 123", None),
        (".*", None),
    ]:
        page = (await client.get("/coach/bookings", params={"q": text})).text
        if expected:
            assert expected in page, text
        else:
            assert first.code not in page and second.code not in page, text
    tonight = await client.get("/coach/bookings", params={"from": "2026-11-18", "to": "2026-11-18"})
    assert first.code in tonight.text and second.code not in tonight.text
    confirmed = await client.get("/coach/bookings", params={"status": "confirmed"})
    assert first.code not in confirmed.text


async def test_csv_opens_in_excel(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await owner(client, db, clock)
    first, _ = await two_bookings(db, clock)
    response = await client.get("/coach/bookings.csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["code", "statut", "créée"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code[first.code][3] == "Léa Martin" and by_code[first.code][8] == "30.00"
    assert "18.11.2026 18:30 Silent Disco Cardio" in by_code[first.code][7]


async def test_mark_paid_cancel_trash_and_restore_are_audited(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner(client, db, clock)
    first, second = await two_bookings(db, clock)
    await client.post(f"/coach/bookings/{first.id}/paid", data={"csrf_token": token})
    await client.post(f"/coach/bookings/{second.id}/delete", data={"csrf_token": token})
    listing = (await client.get("/coach/bookings")).text
    assert second.code not in listing
    trash = (await client.get("/coach/bookings", params={"deleted": "1"})).text
    assert second.code in trash
    await client.post(f"/coach/bookings/{second.id}/restore", data={"csrf_token": token})
    await db.refresh(first)
    await db.refresh(second)
    assert first.status == BookingStatus.confirmed and second.status == BookingStatus.cancelled
    assert second.deleted_at is None
    occurrence = await db.get_one(CourseSession, second.seats[0].session_id, populate_existing=True)
    assert occurrence.seats_taken == 0
    actions = set(await db.scalars(select(AuditEntry.action)))
    assert {"booking.paid", "booking.cancelled", "booking.deleted", "booking.restored"} <= actions
    detail = await client.get(f"/coach/bookings/{first.id}")
    assert "payé le" in detail.text


async def test_the_outbox_shows_what_was_written(
    app: object, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await owner(client, db, clock)
    await two_bookings(db, clock)
    await Worker(app.state.core.sessions, clock).run_once()  # type: ignore[attr-defined]
    page = await client.get("/coach/outbox")
    assert "Réservation enregistrée" in page.text and "Conservé (non envoyé)" in page.text
    assert "Aucun serveur d&#39;envoi" in page.text or "Aucun serveur d'envoi" in page.text
