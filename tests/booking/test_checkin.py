"""Check-in at the door: every outcome, double scans, frames decoded on the server."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

import httpx
import pytest
import segno
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking import lifecycle
from coachdesk.booking.checkin import check_in
from coachdesk.db import unit_of_work
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, CoachRole
from tests.booking.conftest import book
from tests.factories import (
    booking_request,
    login,
    make_coach,
    make_course,
    make_offer,
    next_sessions,
)


async def tonight(db: AsyncSession, clock: FixedClock, **fields: object) -> Booking:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    ids = [s.id for s in await next_sessions(db, course.id)]
    data = booking_request(ids[:1], offer_id=offer.id, **{"payment_method": "on_site", **fields})
    return await book(db, data, clock.now())


async def at_the_door(clock: FixedClock) -> None:
    clock.advance(timedelta(hours=8, minutes=15))  # 18:15, class at 18:30


@pytest.mark.parametrize("how", ["code", "lower-case code", "url", "token"])
async def test_a_paid_ticket_is_valid_once_then_already_checked_in(
    db: AsyncSession, clock: FixedClock, how: str
) -> None:
    coach = await make_coach(db, now=clock.now(), email="ana@example.ch", role=CoachRole.staff)
    booking = await tonight(db, clock)
    await lifecycle.confirm_payment(db, booking=booking, now=clock.now())
    await at_the_door(clock)
    scanned = {
        "code": booking.code,
        "lower-case code": booking.code.lower(),
        "url": f"https://studio.example/t/{booking.ticket_token}",
        "token": booking.ticket_token,
    }[how]
    first = await check_in(db, scanned=scanned, now=clock.now(), actor=coach)
    assert first.outcome == "valid"
    clock.advance(timedelta(minutes=3))
    second = await check_in(db, scanned=scanned, now=clock.now(), actor=coach)
    assert second.outcome == "already"
    assert second.previous_by == "ana@example.ch"
    assert second.previous_at == clock.now() - timedelta(minutes=3)


async def test_unpaid_tickets_do_not_pass_until_cash_is_taken(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    booking = await tonight(db, clock)
    await at_the_door(clock)
    unpaid = await check_in(db, scanned=booking.code, now=clock.now(), actor=coach)
    assert unpaid.outcome == "unpaid"
    paid = await check_in(db, scanned=booking.code, now=clock.now(), actor=coach, mark_paid=True)
    assert paid.outcome == "valid" and paid.booking and paid.booking.paid_at == clock.now()


async def test_other_day_cancelled_and_unknown_tickets_are_refused(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    booking = await tonight(db, clock)
    await lifecycle.confirm_payment(db, booking=booking, now=clock.now())
    clock.advance(timedelta(days=1))
    assert (
        await check_in(db, scanned=booking.code, now=clock.now(), actor=coach)
    ).outcome == "other_date"
    clock.advance(timedelta(days=-1))
    await lifecycle.cancel(db, booking=booking, now=clock.now(), actor=coach)
    assert (
        await check_in(db, scanned=booking.code, now=clock.now(), actor=coach)
    ).outcome == "cancelled"
    for scanned in ["", "NOPE12", "https://evil.example/t/aaaaaaaaaaaaaaaaaaaaaaaa", "%" * 400]:
        assert (
            await check_in(db, scanned=scanned, now=clock.now(), actor=coach)
        ).outcome == "unknown"


async def test_two_scanners_at_once_validate_a_ticket_only_once(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    booking = await tonight(db, clock)
    await lifecycle.confirm_payment(db, booking=booking, now=clock.now())
    await db.commit()
    await at_the_door(clock)
    code = booking.code

    async def scan() -> str:
        async with unit_of_work(app.state.core.sessions) as session:
            actor = await session.get_one(type(coach), coach.id)
            return (await check_in(session, scanned=code, now=clock.now(), actor=actor)).outcome

    outcomes = await asyncio.gather(*(scan() for _ in range(8)))
    assert sorted(outcomes) == ["already"] * 7 + ["valid"]


async def test_the_scanner_api_reads_a_camera_frame(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now(), email="ana@example.ch", role=CoachRole.staff)
    booking = await tonight(db, clock)
    await lifecycle.confirm_payment(db, booking=booking, now=clock.now())
    await db.commit()
    await at_the_door(clock)
    token = await login(client, email="ana@example.ch")
    frame = io.BytesIO()
    segno.make(f"https://testserver/t/{booking.ticket_token}").save(frame, kind="png", scale=6)
    headers = {"X-CSRF-Token": token, "Content-Type": "image/png"}
    first = await client.post("/api/v1/checkins/frame", content=frame.getvalue(), headers=headers)
    assert first.json()["outcome"] == "valid" and first.json()["message"] == "Entrée validée"
    second = await client.post("/api/v1/checkins/frame", content=frame.getvalue(), headers=headers)
    assert second.json()["outcome"] == "already"
    assert second.json()["message"].startswith("Déjà validé à 18:15 par ana@example.ch")
    blank = await client.post("/api/v1/checkins/frame", content=b"not an image", headers=headers)
    assert blank.json()["outcome"] == "no_code"


async def test_manual_entry_works_without_javascript(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    booking = await tonight(db, clock)
    await db.commit()
    await at_the_door(clock)
    token = await login(client)
    unpaid = await client.post("/coach/scan", data={"csrf_token": token, "code": booking.code})
    assert "Non payé : CHF 30.– à encaisser" in unpaid.text
    paid = await client.post(
        "/coach/scan", data={"csrf_token": token, "code": booking.code, "mark_paid": "1"}
    )
    assert "Entrée validée" in paid.text and "outcome-valid" in paid.text
    today = await client.get("/coach/today")
    assert "Léa Martin" in today.text and "✓ 18:15" in today.text
