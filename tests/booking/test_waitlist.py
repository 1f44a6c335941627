"""The waiting list: a freed seat goes to the first in line, held, then passed on."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking import lifecycle, waitlist
from coachdesk.contacts.matching import Identity
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import (
    Booking,
    CourseSession,
    EmailMessage,
    WaitlistEntry,
    WaitlistStatus,
)
from tests.booking.conftest import book
from tests.conftest import csrf_token
from tests.factories import booking_request, make_course, make_offer, next_sessions


def person(n: int) -> Identity:
    return Identity.parse(name=f"Waiting {n}", email=f"w{n}@example.ch", phone="", language="fr")


async def full_session(db: AsyncSession, clock: FixedClock) -> tuple[Booking, CourseSession]:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now(), capacity=1)
    target = (await next_sessions(db, course.id))[1]
    booking = await book(
        db, booking_request([target.id], offer_id=offer.id, payment_method="on_site"), clock.now()
    )
    await db.refresh(target)
    return booking, target


async def seats_taken(db: AsyncSession, occurrence: CourseSession) -> int:
    return (await db.get_one(CourseSession, occurrence.id, populate_existing=True)).seats_taken


async def entries(db: AsyncSession) -> list[WaitlistEntry]:
    query = select(WaitlistEntry).order_by(WaitlistEntry.id)
    return list((await db.scalars(query.execution_options(populate_existing=True))).all())


async def test_joining_only_when_full_and_only_once(db: AsyncSession, clock: FixedClock) -> None:
    booking, target = await full_session(db, clock)
    first = await waitlist.join(db, occurrence=target, identity=person(1), now=clock.now())
    second = await waitlist.join(db, occurrence=target, identity=person(2), now=clock.now())
    assert [await waitlist.position(db, e) for e in (first, second)] == [1, 2]
    with pytest.raises(AppError) as twice:
        await waitlist.join(db, occurrence=target, identity=person(1), now=clock.now())
    assert twice.value.code == "already_waiting"
    await lifecycle.cancel(db, booking=booking, now=clock.now(), actor=None)
    await db.commit()
    await db.refresh(target)
    assert target.seats_left == 0  # the freed seat went to person 1: still full for others
    third = await waitlist.join(db, occurrence=target, identity=person(3), now=clock.now())
    assert await waitlist.position(db, third) == 2


async def test_a_freed_seat_is_held_for_the_first_then_passed_on_then_released(
    db: AsyncSession, clock: FixedClock
) -> None:
    booking, target = await full_session(db, clock)
    await waitlist.join(db, occurrence=target, identity=person(1), now=clock.now())
    await waitlist.join(db, occurrence=target, identity=person(2), now=clock.now())
    await lifecycle.cancel(db, booking=booking, now=clock.now(), actor=None)
    await db.commit()
    first, second = await entries(db)
    assert first.status == WaitlistStatus.offered and second.status == WaitlistStatus.waiting
    assert first.hold_until == clock.now() + timedelta(hours=2)
    assert await seats_taken(db, target) == 1  # held for person 1, not for the public
    offers = await db.scalars(select(EmailMessage.kind))
    assert "waitlist_offer" in list(offers)
    clock.advance(timedelta(hours=2))
    assert await waitlist.lapse_due(db, clock.now()) == 1
    await db.commit()
    first, second = await entries(db)
    assert first.status == WaitlistStatus.lapsed and second.status == WaitlistStatus.offered
    clock.advance(timedelta(hours=2))
    await waitlist.lapse_due(db, clock.now())
    await db.commit()
    assert await seats_taken(db, target) == 0  # nobody left in line: back to the public


async def test_the_offered_person_books_the_held_seat_without_counting_it_twice(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    booking, target = await full_session(db, clock)
    entry = await waitlist.join(db, occurrence=target, identity=person(1), now=clock.now())
    await lifecycle.cancel(db, booking=booking, now=clock.now(), actor=None)
    await db.commit()
    page = await client.get(f"/w/{entry.token}")
    assert (page.status_code == 200 and "Une place s&#39;est libérée" in page.text) or (
        "Une place s'est libérée" in page.text
    )
    token = await csrf_token(client, f"/w/{entry.token}")
    offer_id = booking.offer_id
    claimed = await client.post(
        f"/w/{entry.token}",
        data={
            "csrf_token": token,
            "choice": f"offer:{offer_id}",
            "name": "Waiting 1",
            "email": "someone.else@example.ch",
            "payment_method": "on_site",
            "accept_terms": "1",
        },
    )
    assert claimed.status_code == 303 and "/t/" in claimed.headers["location"]
    assert await seats_taken(db, target) == 1
    [entry] = await entries(db)
    assert entry.status == WaitlistStatus.claimed
    new = await db.get_one(Booking, entry.booking_id)
    assert new.contact.email == "w1@example.ch"  # the offer is personal
    again = await client.get(f"/w/{entry.token}")
    assert again.status_code == 422


async def test_a_full_session_offers_the_waiting_list_on_the_public_page(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    _, target = await full_session(db, clock)
    landing = await client.get("/")
    assert f'href="/waitlist?s={target.id}"' in landing.text
    token = await csrf_token(client, f"/waitlist?s={target.id}")
    joined = await client.post(
        "/waitlist",
        data={"csrf_token": token, "s": str(target.id), "name": "Nina", "email": "nina@example.ch"},
    )
    assert joined.status_code == 200 and "Position 1" in joined.text
    twice = await client.post(
        "/waitlist",
        data={"csrf_token": token, "s": str(target.id), "name": "Nina", "email": "nina@example.ch"},
    )
    assert twice.status_code == 409 and "déjà sur la liste" in twice.text
