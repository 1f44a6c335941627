"""Audiences: the segments a coach picks, and per person and channel whether a message
may go — never marketing without that channel's consent, whatever the audience."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns.audience import (
    Audience,
    AudienceKind,
    members,
    plan,
    summarise,
)
from coachdesk.contacts import crm
from coachdesk.contacts.crm import ContactIn
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import (
    BookingSeat,
    ChatLink,
    ConsentChannel,
    Contact,
    Conversation,
    ConversationMode,
    OfferKind,
    Pass,
    PassStatus,
)
from tests.booking.conftest import book
from tests.factories import (
    booking_request,
    confirm_consents,
    make_coach,
    make_course,
    make_offer,
    next_sessions,
)

EMAIL, WHATSAPP = ConsentChannel.email, ConsentChannel.whatsapp


async def studio(db: AsyncSession, clock: FixedClock) -> dict[str, int]:
    """Léa booked and came to class; Marc (landline) and Nina (no phone) never booked."""
    coach = await make_coach(db, now=clock.now())
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    sessions = await next_sessions(db, course.id)
    booking = await book(
        db,
        booking_request(
            [sessions[0].id], offer_id=offer.id, payment_method="on_site", consent_email=True
        ),
        clock.now(),
    )
    await confirm_consents(db, clock.now())
    seat = booking.seats[0]
    assert isinstance(seat, BookingSeat)
    seat.checked_in_at = clock.now()
    marc = await crm.create(
        db,
        data=ContactIn(
            name="Marc", email="marc@example.ch", phone="032 725 00 00", consent_whatsapp=True
        ),
        actor=coach,
        now=clock.now(),
    )
    nina = await crm.create(
        db,
        data=ContactIn(
            name="Nina", email="nina@example.ch", consent_email=True, consent_whatsapp=True
        ),
        actor=coach,
        now=clock.now(),
    )
    await crm.add_tag(db, contact=nina, tag="danse")
    db.add(
        Pass(
            code="CARTE1",
            contact_id=nina.id,
            name="Abonnement",
            kind=OfferKind.subscription,
            valid_from=clock.now() - timedelta(days=25),
            valid_until=clock.now() + timedelta(days=5),
            status=PassStatus.active,
            created_at=clock.now(),
        )
    )
    link = ChatLink(token="t" * 24, title="Flyer", community=False, created_at=clock.now())
    db.add(link)
    await db.flush()
    db.add(
        Conversation(
            mode=ConversationMode.ai,
            contact_id=marc.id,
            link_id=link.id,
            created_at=clock.now(),
            last_message_at=clock.now(),
        )
    )
    await db.commit()
    return {
        "lea": booking.contact_id,
        "marc": marc.id,
        "nina": nina.id,
        "course": course.id,
        "link": link.id,
    }


async def ids(db: AsyncSession, clock: FixedClock, **audience: object) -> list[int]:
    found = await members(db, Audience(**audience), clock.now())  # type: ignore[arg-type]
    return [c.id for c in found]


async def test_segments_pick_the_right_people(db: AsyncSession, clock: FixedClock) -> None:
    who = await studio(db, clock)
    lea, marc, nina = who["lea"], who["marc"], who["nina"]
    assert await ids(db, clock, kind=AudienceKind.everyone) == [lea, marc, nina]
    assert await ids(db, clock, kind=AudienceKind.contacts, contact_ids=(nina, lea)) == [lea, nina]
    assert await ids(db, clock, kind=AudienceKind.tags, tags=("danse",)) == [nina]
    assert await ids(db, clock, kind=AudienceKind.booked_within, days=30) == [lea]
    assert await ids(db, clock, kind=AudienceKind.never_booked) == [marc, nina]
    assert await ids(db, clock, kind=AudienceKind.attended, course_id=who["course"]) == [lea]
    assert await ids(db, clock, kind=AudienceKind.chat_link, link_id=who["link"]) == [marc]
    assert await ids(db, clock, kind=AudienceKind.pass_expiring, days=7) == [nina]
    assert await ids(db, clock, kind=AudienceKind.pass_expiring, days=3) == []
    clock.advance(timedelta(days=40))
    assert await ids(db, clock, kind=AudienceKind.booked_within, days=30) == []


async def test_without_consent_or_a_usable_address_a_person_is_skipped_with_the_reason(
    db: AsyncSession, clock: FixedClock
) -> None:
    await studio(db, clock)
    everyone = await members(db, Audience(AudienceKind.everyone), clock.now())
    planned = plan(everyone, [EMAIL, WHATSAPP])
    reasons = {(row.contact.name, row.channel.value): row.skip for row in planned}
    assert reasons == {
        ("Léa Martin", "email"): None,
        ("Léa Martin", "whatsapp"): "no_consent",
        ("Marc", "email"): "no_consent",
        ("Marc", "whatsapp"): "invalid_number",  # a landline: WhatsApp cannot reach it
        ("Nina", "email"): None,
        ("Nina", "whatsapp"): "no_address",
    }
    summary = summarise(planned)
    assert summary.recipients == 2 and summary.per_channel == {"email": 2}
    assert summary.skipped == {"no_consent": 2, "invalid_number": 1, "no_address": 1}


async def test_an_incomplete_audience_is_refused(db: AsyncSession, clock: FixedClock) -> None:
    for audience, code in [
        (Audience(AudienceKind.contacts), "bad_audience"),
        (Audience(AudienceKind.tags), "bad_audience"),
        (Audience(AudienceKind.attended), "bad_audience"),
        (Audience(AudienceKind.booked_within), "bad_days"),
        (Audience(AudienceKind.pass_expiring, days=0), "bad_days"),
    ]:
        with pytest.raises(AppError) as caught:
            await members(db, audience, clock.now())
        assert caught.value.code == code
    assert await db.get(Contact, 1) is None  # nothing was written
