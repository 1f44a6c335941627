"""Confirmation, payment-instruction and reminder e-mails: queued by the domain, written in the
contact's language at delivery, kept in the outbox by default or sent over real SMTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.integrations.email import SmtpSender
from coachdesk.kit.clock import FixedClock
from coachdesk.models import EmailMessage, EmailStatus
from coachdesk.worker.loop import Worker
from tests.booking.conftest import book
from tests.factories import booking_request, make_course, make_offer, next_sessions
from tests.fakes.smtp import Inbox, smtp_server


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


async def outbox(db: AsyncSession) -> list[EmailMessage]:
    query = select(EmailMessage).order_by(EmailMessage.id).execution_options(populate_existing=True)
    return list((await db.scalars(query)).all())


async def a_booking(db: AsyncSession, clock: FixedClock, **fields: object) -> int:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    ids = [s.id for s in await next_sessions(db, course.id)]
    booking = await book(
        db,
        booking_request(ids[1:2], offer_id=offer.id, payment_method="on_site", **fields),
        clock.now(),
    )
    return booking.id


def worker(app: FastAPI, clock: FixedClock, sender: object = None) -> Worker:
    return Worker(
        app.state.core.sessions,
        clock,
        email=sender,  # type: ignore[arg-type]
        base_url="https://studio.example",
    )


async def test_a_booking_to_pay_on_site_is_kept_in_the_outbox_by_default(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    await a_booking(db, clock)
    done = await worker(app, clock).run_once()
    assert done["deliver_emails"] == 1
    [message] = await outbox(db)
    assert message.status == EmailStatus.kept and message.kind == "booking_received"
    assert message.subject.startswith("Réservation enregistrée · ")
    assert "À régler sur place, avant le cours : CHF 30.–." in message.text
    assert "https://studio.example/t/" in message.text


async def test_sent_over_smtp_with_text_html_and_calendar_in_the_contact_language(
    app: FastAPI, db: AsyncSession, clock: FixedClock, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    inbox.messages.clear()
    free = await make_offer(db, now=clock.now(), name="Essai", price_cents=0)
    course = await make_course(db, now=clock.now())
    target = (await next_sessions(db, course.id))[1].id
    await book(db, booking_request([target], offer_id=free.id, language="de"), clock.now())
    sender = SmtpSender(
        host="127.0.0.1",
        port=port,
        sender="studio@example.ch",
        sender_name="Silent Disco Fit",
        starttls=False,
    )
    await worker(app, clock, sender).run_once()
    [received] = inbox.messages
    assert received["To"] == "lea@example.ch"
    assert received["Subject"].startswith("Buchung bestätigt")
    kinds = [part.get_content_type() for part in received.walk()]
    assert "text/plain" in kinds and "text/html" in kinds and "text/calendar" in kinds
    text = received.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Hallo Léa Martin" in text or "Léa Martin" in text
    assert "Mittwoch, 25. November" in text
    [message] = await outbox(db)
    assert message.status == EmailStatus.sent


async def test_smtp_refusals_are_retried_with_backoff_then_reported(
    app: FastAPI, db: AsyncSession, clock: FixedClock, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    inbox.messages.clear()
    inbox.refuse = True
    try:
        await a_booking(db, clock)
        sender = SmtpSender(host="127.0.0.1", port=port, sender="studio@example.ch", starttls=False)
        run = worker(app, clock, sender)
        await run.run_once()
        [message] = await outbox(db)
        assert message.status == EmailStatus.pending and message.attempts == 1
        assert "451" in message.error
        assert (await run.run_once())["deliver_emails"] == 0  # not before its backoff
        for wait in (1, 5, 30, 120):
            clock.advance(timedelta(minutes=wait))
            await run.run_once()
        [message] = await outbox(db)
        assert message.status == EmailStatus.failed and message.attempts == 5
        assert inbox.messages == []
    finally:
        inbox.refuse = False


async def test_one_reminder_per_seat_the_day_before(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    await a_booking(db, clock)  # next week's session, 25 Nov 18:30
    run = worker(app, clock)
    await run.run_once()
    clock.advance(timedelta(days=6, hours=8, minutes=29))  # 24 Nov 18:29: 24 h + 1 min before
    await run.run_once()
    assert [m.kind for m in await outbox(db)] == ["booking_received"]
    clock.advance(timedelta(minutes=2))
    await run.run_once()
    await run.run_once()
    messages = await outbox(db)
    assert [m.kind for m in messages] == ["booking_received", "reminder"]
    assert messages[1].subject.startswith("Rappel : Silent Disco Cardio, mercredi 25 novembre")
