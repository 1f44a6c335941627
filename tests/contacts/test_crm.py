"""The contact book: consents with history, filters, merge and undo, GDPR export and erase."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking import lifecycle
from coachdesk.contacts import crm, gdpr, merge
from coachdesk.contacts.crm import ContactFilter, ContactIn
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, Contact, EmailMessage
from coachdesk.worker.loop import Worker
from tests.booking.conftest import book
from tests.factories import (
    booking_request,
    confirm_consents,
    make_coach,
    make_course,
    make_offer,
    next_sessions,
)


async def booked(db: AsyncSession, clock: FixedClock, **fields: object) -> Booking:
    offer = await make_offer(db, now=clock.now(), name=f"Offre {fields.get('email', '')}")
    course = await make_course(db, now=clock.now())
    ids = [s.id for s in await next_sessions(db, course.id)]
    data = booking_request(ids[:1], offer_id=offer.id, payment_method="on_site", **fields)
    return await book(db, data, clock.now())


async def test_consent_from_the_booking_form_is_kept_with_its_history(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    booking = await booked(db, clock, consent_email=True)
    contact = await db.get_one(Contact, booking.contact_id)
    assert not contact.consent_email  # the typed address must confirm it first
    assert await confirm_consents(db, clock.now()) == 1
    await db.refresh(contact)
    assert contact.consent_email and not contact.consent_whatsapp
    clock.advance(timedelta(days=2))
    data = ContactIn(name=contact.name, email=contact.email or "", consent_email=False)
    await crm.update(db, contact=contact, data=data, actor=coach, now=clock.now())
    dossier = await gdpr.export(db, contact)
    assert [(c["granted"], c["how"]) for c in dossier["consent_history"]] == [
        (False, "saisi par le coach"),
        (True, "formulaire de réservation, confirmé par e-mail"),
    ]


async def test_filters_by_text_tag_source_consent_and_activity(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    lea = await crm.create(
        db,
        data=ContactIn(name="Léa Martin", email="lea@example.ch", consent_email=True),
        actor=coach,
        now=clock.now(),
    )
    await crm.add_tag(db, contact=lea, tag="  VIP  ")
    clock.advance(timedelta(days=40))
    marc = await crm.create(
        db, data=ContactIn(name="Marc_100%", phone="079 000 00 01"), actor=coach, now=clock.now()
    )

    async def names(**wanted: object) -> list[str]:
        found = await crm.search(db, ContactFilter(**wanted), now=clock.now())  # type: ignore[arg-type]
        return [c.name for c in found]

    assert await names(text="lea") == ["Léa Martin"]
    assert await names(text="100%") == ["Marc_100%"]
    assert await names(text="%") == ["Marc_100%"]
    assert await names(tag="vip") == ["Léa Martin"]
    assert await names(consent="email") == ["Léa Martin"]
    assert await names(active_days=30) == ["Marc_100%"]
    assert sorted(await names(source="manual")) == ["Léa Martin", "Marc_100%"]
    assert marc.id != lea.id


async def test_a_contact_needs_an_address_and_a_free_email(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    await crm.create(
        db, data=ContactIn(name="A", email="a@example.ch"), actor=coach, now=clock.now()
    )
    for data, code in [
        (ContactIn(name="B"), "email_or_phone"),
        (ContactIn(name="C", email="A@example.ch"), "email_taken"),
        (ContactIn(name="D", phone="12"), "invalid_phone"),
    ]:
        with pytest.raises(AppError) as caught:
            await crm.create(db, data=data, actor=coach, now=clock.now())
        assert caught.value.code == code


async def test_merge_moves_everything_and_undo_puts_it_back(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    first = await booked(db, clock, email="a@example.ch", phone="079 123 45 67")
    second = await booked(
        db, clock, email="b@example.ch", phone="079 123 45 67", consent_whatsapp=True
    )
    await confirm_consents(db, clock.now())
    groups = await merge.suspects(db)
    assert [[c.id for c in g] for g in groups] == [[first.contact_id, second.contact_id]]
    kept = await db.get_one(Contact, first.contact_id)
    gone = await db.get_one(Contact, second.contact_id)
    done = await merge.merge(db, kept=kept, merged=gone, actor=coach, now=clock.now())
    await db.commit()
    owners = set(await db.scalars(select(Booking.contact_id)))
    assert owners == {kept.id} and kept.consent_whatsapp and gone.merged_into_id == kept.id
    assert await merge.suspects(db) == []
    await merge.undo(db, merge_id=done.id, actor=coach, now=clock.now())
    await db.commit()
    await db.refresh(second)
    assert second.contact_id == gone.id and gone.email == "b@example.ch"
    assert not kept.consent_whatsapp and gone.merged_into_id is None
    with pytest.raises(AppError):
        await merge.undo(db, merge_id=done.id, actor=coach, now=clock.now())


async def test_erase_keeps_the_accounting_and_forgets_the_person(
    app: object, db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    booking = await booked(db, clock, consent_email=True)
    await Worker(app.state.core.sessions, clock).run_once()  # type: ignore[attr-defined]
    contact = await db.get_one(Contact, booking.contact_id, populate_existing=True)
    exported = json.dumps(await gdpr.export(db, contact))
    assert "lea@example.ch" in exported and booking.code in exported
    await gdpr.erase(db, contact=contact, actor=coach, now=clock.now())
    await db.commit()
    assert (contact.name, contact.email, contact.phone) == ("", None, None)
    assert await db.scalar(select(func.count(Booking.id))) == 1
    emails = list(await db.scalars(select(EmailMessage.to_address)))
    assert emails and set(emails) == {""}
    cancelled = await db.get_one(Booking, booking.id)
    await lifecycle.cancel(db, booking=cancelled, now=clock.now(), actor=coach)
    assert await crm.search(db, ContactFilter(), now=clock.now()) == []
