"""The public booking flow and the ticket, as a visitor without JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from icalendar import Calendar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, CourseSession, OfferKind
from coachdesk.site import service as site_service
from tests.conftest import csrf_token
from tests.factories import make_course, make_offer, next_sessions

TICKET = re.compile(r"/t/([A-Za-z0-9_-]{20,})")


async def studio(db: AsyncSession, clock: FixedClock) -> tuple[int, int, list[int]]:
    await site_service.change(
        db,
        changes={"booking_code_prefix": "SDF-", "twint_link": "https://twint.example/pay"},
        actor=None,
        now=clock.now(),
    )
    single = await make_offer(db, now=clock.now())
    card = await make_offer(
        db,
        now=clock.now(),
        name="Carte 10 cours",
        kind=OfferKind.pack,
        price_cents=15000,
        credits=10,
        validity_days=183,
    )
    course = await make_course(db, now=clock.now(), capacity=2)
    await db.commit()
    return single.id, card.id, [s.id for s in await next_sessions(db, course.id)]


def form(token: str, ids: list[int], **fields: str) -> dict[str, object]:
    return {
        "csrf_token": token,
        "s": [str(i) for i in ids],
        "name": "Léa Martin",
        "email": "lea@example.ch",
        "phone": "079 123 45 67",
        "accept_terms": "1",
        "payment_method": "on_site",
        **fields,
    }


async def test_book_two_sessions_and_get_the_ticket(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    single, _, ids = await studio(db, clock)
    page = await client.get("/book", params={"s": ids[:2]})
    assert page.status_code == 200 and "CHF 60.–" in page.text  # 2 × 30, computed here
    token = await csrf_token(client, f"/book?s={ids[0]}")
    done = await client.post(
        "/book", data=form(token, ids[:2], choice=f"offer:{single}", total_cents="0")
    )
    assert done.status_code == 303
    ticket = await client.get(done.headers["location"])
    assert "En attente de paiement" in ticket.text and "CHF 60.–" in ticket.text
    assert "À régler sur place" in ticket.text and "<svg" in ticket.text
    assert re.search(r"SDF-[A-HJ-NP-Z2-9]{6}", ticket.text)
    assert ticket.headers["cache-control"] == "private, no-store"


async def test_link_payment_shows_the_coach_s_link(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    single, _, ids = await studio(db, clock)
    token = await csrf_token(client, f"/book?s={ids[0]}")
    done = await client.post(
        "/book", data=form(token, ids[:1], choice=f"offer:{single}", payment_method="link")
    )
    ticket = await client.get(done.headers["location"])
    assert "https://twint.example/pay" in ticket.text and "la place est libérée" in ticket.text


async def test_buying_a_card_then_booking_with_it(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    _, card, ids = await studio(db, clock)
    token = await csrf_token(client, f"/book?s={ids[0]}")
    bought = await client.post("/book", data=form(token, ids[:1], choice=f"offer:{card}"))
    page = (await client.get(bought.headers["location"])).text
    pass_code = re.search(r'class="pass-code">([A-Z0-9]+)<', page)
    assert pass_code and "9 cours restants" in page
    booking = await db.scalar(select(Booking))
    assert booking
    booking.paid_at = booking.confirmed_at = clock.now()
    booking.status = "confirmed"  # type: ignore[assignment]
    assert booking.pass_
    booking.pass_.status = "active"  # type: ignore[assignment]
    await db.commit()
    again = await client.post(
        "/book", data=form(token, ids[1:2], choice="pass", pass_code=pass_code.group(1).lower())
    )
    ticket = (await client.get(again.headers["location"])).text
    assert "Confirmé" in ticket and "8 cours restants" in ticket


async def test_errors_are_shown_in_place_and_nothing_is_booked(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    single, _, ids = await studio(db, clock)
    token = await csrf_token(client, f"/book?s={ids[0]}")
    bad = await client.post(
        "/book",
        data=form(
            token, ids[:1], choice=f"offer:{single}", email="lea@", phone="12", accept_terms=""
        ),
    )
    assert bad.status_code == 422 and "Adresse e-mail invalide." in bad.text
    assert 'value="lea@"' in bad.text  # what was typed stays
    no_choice = await client.post("/book", data=form(token, ids[:1]))
    assert no_choice.status_code == 422 and "Choisissez une formule" in no_choice.text
    terms = await client.post(
        "/book", data=form(token, ids[:1], choice=f"offer:{single}", accept_terms="")
    )
    assert "accepter les conditions" in terms.text
    assert await db.scalar(select(func.count(Booking.id))) == 0


async def test_full_and_past_sessions_cannot_be_booked(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    _, _, ids = await studio(db, clock)
    occurrence = await db.get_one(CourseSession, ids[1])
    occurrence.seats_taken = occurrence.capacity
    await db.commit()
    full = await client.get("/book", params={"s": ids[1]})
    assert full.status_code == 409 and "Complet" in full.text
    clock.advance(timedelta(hours=9))  # tonight's class has started
    past = await client.get("/book", params={"s": ids[0]})
    assert past.status_code == 422 and "déjà commencé" in past.text


async def test_calendar_file_picture_and_self_cancel(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    single, _, ids = await studio(db, clock)
    token = await csrf_token(client, f"/book?s={ids[1]}")
    done = await client.post("/book", data=form(token, ids[1:2], choice=f"offer:{single}"))
    path = done.headers["location"].split("?")[0]
    ics = await client.get(f"{path}/calendar.ics")
    event = next(iter(Calendar.from_ical(ics.content).walk("VEVENT")))
    assert event["summary"].startswith("Silent Disco Cardio")
    assert event.decoded("dtstart").isoformat() == "2026-11-25T17:30:00+00:00"
    png = await client.get(f"{path}/ticket.png")
    assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
    cancelled = await client.post(f"{path}/cancel", data={"csrf_token": token})
    assert cancelled.status_code == 303
    assert "Annulé" in (await client.get(path)).text
    occurrence = await db.get_one(CourseSession, ids[1], populate_existing=True)
    assert occurrence.seats_taken == 0


async def test_an_unknown_or_guessed_ticket_is_a_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/t/AAAAAAAAAAAAAAAAAAAAAAAA")).status_code == 404
    assert (await client.get("/t/x")).status_code == 404


async def test_landing_offers_booking_for_open_sessions_only(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    _, _, ids = await studio(db, clock)
    occurrence = await db.get_one(CourseSession, ids[0])
    occurrence.seats_taken = occurrence.capacity
    await db.commit()
    page = (await client.get("/")).text
    assert f'href="/book?s={ids[1]}"' in page and f'href="/book?s={ids[0]}"' not in page
    assert TICKET.search(page) is None
