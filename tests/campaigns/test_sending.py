"""The worker sends a campaign at its time: one row per person and channel, {prénom}
filled in, a one-click unsubscribe; provider errors retried later; a row caught by a
crash between "sending" and "sent" is reported as interrupted and never resent."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from unittest.mock import ANY

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns import sending, service
from coachdesk.campaigns.message import Recipient
from coachdesk.campaigns.service import CampaignIn
from coachdesk.contacts import crm, gdpr, merge
from coachdesk.contacts.crm import ContactIn
from coachdesk.integrations.email import DeliveryError, OutgoingEmail
from coachdesk.kit.clock import FixedClock
from coachdesk.models import (
    Campaign,
    CampaignStatus,
    ConsentChannel,
    Contact,
    Delivery,
    DeliveryStatus,
    PromoCode,
    PromoKind,
)
from coachdesk.worker.loop import Worker
from tests.booking.conftest import book
from tests.conftest import BASE_URL as BASE
from tests.factories import booking_request, make_coach, make_course, make_offer, next_sessions


class Recorder:
    """Stands in for the e-mail channel: keeps what it is given, or refuses it."""

    delivers = True

    def __init__(self, refuse: int = 0) -> None:
        self.sent: list[OutgoingEmail] = []
        self.refuse = refuse

    async def send(self, email: OutgoingEmail) -> None:
        if self.refuse:
            self.refuse -= 1
            raise DeliveryError("451 try again later")
        self.sent.append(email)


def outlet(recorder: Recorder) -> sending.Outlet:
    return sending.Outlet(
        email=recorder,
        base_url="https://studio.ch",
        unsubscribe_url=lambda contact_id, channel: f"https://studio.ch/u/{contact_id}-{channel}",
    )


async def launched(db: AsyncSession, clock: FixedClock, delay: timedelta | None = None) -> int:
    coach = await make_coach(db, now=clock.now())
    for name, email, consent in (
        ("Léa Martin", "lea@example.ch", True),
        ("Marc", "marc@example.ch", False),
        ("Nina", "nina@example.ch", True),
    ):
        await crm.create(
            db,
            data=ContactIn(name=name, email=email, consent_email=consent),
            actor=coach,
            now=clock.now(),
        )
    data = CampaignIn(name="Rentrée", subject="C'est la rentrée", body="Salut {prénom} !")
    campaign = await service.create(db, data=data, actor=coach, now=clock.now())
    times = [clock.now() + delay] if delay else []
    await service.launch(db, campaign=campaign, times=times, actor=coach, now=clock.now())
    await db.commit()
    return campaign.id


async def statuses(db: AsyncSession) -> dict[str, str]:
    rows = await db.scalars(select(Delivery).order_by(Delivery.id))
    return {row.address: row.status.value for row in rows.all()}


async def test_sent_at_its_time_with_the_first_name_and_an_unsubscribe_link(
    db: AsyncSession, clock: FixedClock
) -> None:
    campaign_id = await launched(db, clock, delay=timedelta(minutes=2))
    recorder = Recorder()
    assert await sending.start_due(db, clock.now()) == 0  # not yet
    clock.advance(timedelta(minutes=2))
    assert await sending.start_due(db, clock.now()) == 1
    await db.commit()
    assert await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now()) == 2
    await db.commit()
    assert sorted(e.to for e in recorder.sent) == ["lea@example.ch", "nina@example.ch"]
    lea = next(e for e in recorder.sent if e.to == "lea@example.ch")
    assert lea.text.startswith("Salut Léa !") and "{prénom}" not in lea.text
    assert lea.subject == "C'est la rentrée"
    assert lea.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert lea.headers["List-Unsubscribe"].startswith("<https://studio.ch/u/")
    assert await statuses(db) == {
        "lea@example.ch": "sent",
        "marc@example.ch": "skipped",  # no consent: never sent marketing
        "nina@example.ch": "sent",
    }
    campaign = await db.get_one(Campaign, campaign_id, populate_existing=True)
    assert campaign.status == CampaignStatus.sent


async def test_a_refused_message_is_tried_again_later(db: AsyncSession, clock: FixedClock) -> None:
    await launched(db, clock)
    recorder = Recorder(refuse=1)
    await sending.start_due(db, clock.now())
    await db.commit()
    await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now())
    row = await db.scalar(select(Delivery).where(Delivery.address == "lea@example.ch"))
    assert row is not None and row.status == DeliveryStatus.pending
    assert row.error == "451 try again later"
    assert await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now()) == 0
    clock.advance(timedelta(minutes=1))
    assert await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now()) == 1
    assert (await statuses(db))["lea@example.ch"] == "sent"
    assert len(recorder.sent) == 2  # each person once


async def test_a_row_caught_by_a_crash_is_interrupted_never_resent(
    db: AsyncSession, clock: FixedClock
) -> None:
    await launched(db, clock)
    await sending.start_due(db, clock.now())
    await db.commit()
    # the worker dies right after claiming a row
    claimed = await sending._claim(db, clock.now(), 1, ConsentChannel.email)
    await db.commit()
    assert len(claimed) == 1
    recorder = Recorder()
    clock.advance(timedelta(minutes=1))
    await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now())
    assert len(recorder.sent) == 1  # the other person; the claimed row is left alone
    clock.advance(sending.LEASE)
    await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now())
    assert sorted((await statuses(db)).values()) == ["interrupted", "sent", "skipped"]
    assert len(recorder.sent) == 1


async def test_a_paused_campaign_sends_nothing_until_resumed(
    db: AsyncSession, clock: FixedClock
) -> None:
    campaign_id = await launched(db, clock)
    await sending.start_due(db, clock.now())
    await db.commit()
    campaign = await db.get_one(Campaign, campaign_id)
    coach = await make_coach(db, now=clock.now(), email="other@example.ch")
    await service.pause(db, campaign=campaign, actor=coach, now=clock.now())
    await db.commit()
    recorder = Recorder()
    assert await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now()) == 0
    await service.resume(db, campaign=campaign, actor=coach, now=clock.now())
    await db.commit()
    assert await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now()) == 2


async def test_without_an_email_server_nothing_is_marked_sent(
    db: AsyncSession, clock: FixedClock
) -> None:
    await launched(db, clock)
    await sending.start_due(db, clock.now())
    await db.commit()
    recorder = Recorder()
    recorder.delivers = False
    assert await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now()) == 0
    assert sorted((await statuses(db)).values()) == ["pending", "pending", "skipped"]


async def test_the_worker_sends_due_campaigns_with_a_working_unsubscribe_link(
    app: object, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await launched(db, clock, delay=timedelta(minutes=2))
    recorder = Recorder()
    core = app.state.core  # type: ignore[attr-defined]
    worker = Worker(core.sessions, clock, email=recorder, base_url=BASE, secret=core.secret)
    assert (await worker.run_once())["start_campaigns"] == 0
    clock.advance(timedelta(minutes=2))
    await worker.run_once()
    assert sorted(e.to for e in recorder.sent) == ["lea@example.ch", "nina@example.ch"]
    lea = next(e for e in recorder.sent if e.to == "lea@example.ch")
    leave = lea.headers["List-Unsubscribe"].strip("<>").removeprefix(BASE)
    page = await client.get(leave)
    assert page.status_code == 200 and "Me désabonner" in page.text
    one_click = await client.post(leave, content=b"List-Unsubscribe=One-Click")
    assert one_click.status_code == 200 and "C'est fait" in one_click.text
    contact = await db.scalar(
        select(Contact)
        .where(Contact.email == "lea@example.ch")
        .execution_options(populate_existing=True)
    )
    assert contact is not None and contact.consent_email is False
    forged = await client.post(leave[:-4] + "0000")
    assert forged.status_code == 404


async def test_ticket_and_promo_code_variables_are_the_person_own(
    db: AsyncSession, clock: FixedClock
) -> None:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    sessions = await next_sessions(db, course.id)
    data = booking_request([sessions[0].id], offer_id=offer.id, payment_method="on_site")
    booking = await book(db, data, clock.now())
    db.add(
        PromoCode(
            code="LEA-MERCI",
            kind=PromoKind.percent,
            value=10,
            beneficiary_id=booking.contact_id,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
    )
    await db.flush()
    person = (await sending.recipients(db, {booking.contact_id: "Léa"}, BASE, clock.now()))[
        booking.contact_id
    ]
    assert person.ticket_url == f"{BASE}/t/{booking.ticket_token}"
    assert person.promo_code == "LEA-MERCI"
    nobody = (await sending.recipients(db, {booking.contact_id + 99: "X"}, BASE, clock.now()))[
        booking.contact_id + 99
    ]
    assert (nobody.ticket_url, nobody.promo_code) == ("", "")
    clock.advance(timedelta(days=60))  # the session is past: no ticket to point to
    later = (await sending.recipients(db, {booking.contact_id: "Léa"}, BASE, clock.now()))[
        booking.contact_id
    ]
    assert later.ticket_url == ""


async def test_the_per_minute_limit_holds_back_the_rest(
    db: AsyncSession, clock: FixedClock
) -> None:
    await launched(db, clock)
    await sending.start_due(db, clock.now())
    await db.commit()
    recorder = Recorder()
    sent = await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now(), per_minute=1)
    assert sent == 1
    again = await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now(), per_minute=1)
    assert again == 0
    clock.advance(timedelta(minutes=1, seconds=1))
    later = await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now(), per_minute=1)
    assert later == 1 and len(recorder.sent) == 2


def test_the_unsubscribe_footer_speaks_the_person_language() -> None:
    campaign = Campaign(name="Rentrée", subject="", body="Hallo {prénom}!", media_url="")
    anna = Contact(id=7, name="Anna Keller", language="de")
    row = Delivery(contact=anna, contact_id=7, channel=ConsentChannel.email, address="a@x.ch")
    email = sending.campaign_email(row, campaign, outlet(Recorder()), Recipient(name="Anna Keller"))
    assert email.text.startswith("Hallo Anna!")
    assert "Diese Nachrichten nicht mehr erhalten: https://studio.ch/u/7-email" in email.text
    assert ">Abmelden</a>" in email.html and email.subject == "Rentrée"


async def test_the_contact_card_lists_campaigns_and_erasure_blanks_the_address(
    db: AsyncSession, clock: FixedClock
) -> None:
    await launched(db, clock)
    await sending.start_due(db, clock.now())
    await db.commit()
    await sending.deliver_due(db, outlet=outlet(Recorder()), now=clock.now())
    lea = await db.scalar(select(Contact).where(Contact.email == "lea@example.ch"))
    assert lea is not None
    exported = await gdpr.export(db, lea)
    assert exported["campaign_deliveries"] == [
        {"campaign": "Rentrée", "channel": "email", "status": "sent", "sent_at": ANY}
    ]
    coach = await make_coach(db, now=clock.now(), email="other@example.ch")
    await gdpr.erase(db, contact=lea, actor=coach, now=clock.now())
    await db.commit()
    addresses = set(await db.scalars(select(Delivery.address)))
    assert "lea@example.ch" not in addresses and "" in addresses


async def test_merging_two_cards_moves_their_deliveries_without_a_clash(
    db: AsyncSession, clock: FixedClock
) -> None:
    await launched(db, clock)  # Léa and Nina both receive it
    await sending.start_due(db, clock.now())
    await db.commit()
    lea = await db.scalar(select(Contact).where(Contact.email == "lea@example.ch"))
    nina = await db.scalar(select(Contact).where(Contact.email == "nina@example.ch"))
    marc = await db.scalar(select(Contact).where(Contact.email == "marc@example.ch"))
    assert lea and nina and marc
    coach = await make_coach(db, now=clock.now(), email="merger@example.ch")
    # Nina and Léa are one person: the same send reached both cards on the same channel
    done = await merge.merge(db, kept=lea, merged=nina, actor=coach, now=clock.now())
    owners = await db.execute(select(Delivery.address, Delivery.contact_id))
    assert dict(owners.all())["nina@example.ch"] == nina.id  # each card keeps its own row
    # Marc's row has no twin on a card made after the send: it moves, and back on undo
    zoe = await crm.create(
        db, data=ContactIn(name="Zoé", email="zoe@example.ch"), actor=coach, now=clock.now()
    )
    moved = await merge.merge(db, kept=zoe, merged=marc, actor=coach, now=clock.now())
    owners = await db.execute(select(Delivery.address, Delivery.contact_id))
    assert dict(owners.all())["marc@example.ch"] == zoe.id
    await merge.undo(db, merge_id=moved.id, actor=coach, now=clock.now())
    await merge.undo(db, merge_id=done.id, actor=coach, now=clock.now())
    await db.commit()
    owners = await db.execute(select(Delivery.address, Delivery.contact_id))
    assert dict(owners.all())["marc@example.ch"] == marc.id


async def test_the_per_minute_limit_holds_for_workers_sending_at_once(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    """Issue 12 #6: three workers (as in three processes) share the cap exactly."""
    coach = await make_coach(db, now=clock.now())
    for n in range(12):
        await crm.create(
            db,
            data=ContactIn(name=f"P{n}", email=f"p{n}@example.ch", consent_email=True),
            actor=coach,
            now=clock.now(),
        )
    data = CampaignIn(name="Cap", subject="Cap", body="Salut {prénom} !")
    campaign = await service.create(db, data=data, actor=coach, now=clock.now())
    await service.launch(db, campaign=campaign, times=[], actor=coach, now=clock.now())
    await sending.start_due(db, clock.now())
    await db.commit()
    recorder = Recorder()

    async def worker() -> int:
        async with app.state.core.sessions() as session:
            return await sending.deliver_due(
                session, outlet=outlet(recorder), now=clock.now(), per_minute=5
            )

    assert sum(await asyncio.gather(worker(), worker(), worker())) == 5
    assert len(recorder.sent) == 5
    clock.advance(timedelta(seconds=61))
    assert sum(await asyncio.gather(worker(), worker(), worker())) == 5
