"""Who a campaign reaches: the audience the coach picks, then, per person and channel,
whether it can be sent — never marketing without the consent for that channel."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import phonenumbers
from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.errors import Invalid
from coachdesk.kit.i18n import N_
from coachdesk.kit.phone import normalise_phone
from coachdesk.models import (
    Booking,
    BookingSeat,
    BookingStatus,
    ConsentChannel,
    Contact,
    ContactTag,
    Conversation,
    ConversationMember,
    CourseSession,
    Pass,
    PassStatus,
)

BAD_AUDIENCE = N_("Choisissez à qui envoyer la campagne.")
NEEDS_DAYS = N_("Indiquez un nombre de jours entre 1 et 3650.")


class AudienceKind(enum.StrEnum):
    everyone = "everyone"  # every contact (those without consent are skipped)
    contacts = "contacts"  # chosen by hand
    tags = "tags"  # any of these tags
    booked_within = "booked_within"  # a booking (not cancelled or lapsed) in the last N days
    never_booked = "never_booked"
    pass_expiring = "pass_expiring"  # noqa: S105 — an active pass ending within N days
    attended = "attended"  # checked in at a session of this course
    chat_link = "chat_link"  # came through this chat link


class Skip(enum.StrEnum):
    no_consent = "no_consent"
    no_address = "no_address"
    invalid_number = "invalid_number"


@dataclass(frozen=True)
class Audience:
    kind: AudienceKind
    contact_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    days: int | None = None
    course_id: int | None = None
    link_id: int | None = None

    def checked(self) -> Audience:
        needs = {
            AudienceKind.contacts: bool(self.contact_ids),
            AudienceKind.tags: bool(self.tags),
            AudienceKind.attended: self.course_id is not None,
            AudienceKind.chat_link: self.link_id is not None,
        }
        if not needs.get(self.kind, True):
            raise Invalid(BAD_AUDIENCE, code="bad_audience", field="audience")
        timed = self.kind in (AudienceKind.booked_within, AudienceKind.pass_expiring)
        if timed and not (self.days and 1 <= self.days <= 3650):
            raise Invalid(NEEDS_DAYS, code="bad_days", field="days")
        return self


@dataclass(frozen=True)
class Planned:
    """One person on one channel: sent to, or skipped with the reason."""

    contact: Contact
    channel: ConsentChannel
    skip: Skip | None = None


@dataclass
class Summary:
    recipients: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    per_channel: Counter[str] = field(default_factory=Counter)


def _condition(audience: Audience, now: datetime) -> ColumnElement[bool] | None:
    mine = Booking.contact_id == Contact.id
    held = Booking.status.in_((BookingStatus.pending, BookingStatus.confirmed))  # not lapsed
    days = timedelta(days=audience.days or 0)
    match audience.kind:
        case AudienceKind.contacts:
            return Contact.id.in_(audience.contact_ids)
        case AudienceKind.tags:
            tagged = ContactTag.contact_id == Contact.id
            return exists().where(tagged, ContactTag.tag.in_(audience.tags))
        case AudienceKind.booked_within:
            recent = Booking.created_at >= now - days
            return exists().where(mine, recent, held)
        case AudienceKind.never_booked:
            return ~exists().where(mine, held)
        case AudienceKind.pass_expiring:
            ending = Pass.valid_until.between(now, now + days)
            return exists().where(
                Pass.contact_id == Contact.id, Pass.status == PassStatus.active, ending
            )
        case AudienceKind.attended:
            return exists().where(
                mine,
                BookingSeat.booking_id == Booking.id,
                BookingSeat.checked_in_at.is_not(None),
                CourseSession.id == BookingSeat.session_id,
                CourseSession.course_id == audience.course_id,
            )
        case AudienceKind.chat_link:
            own = exists().where(
                Conversation.contact_id == Contact.id, Conversation.link_id == audience.link_id
            )
            grouped = exists().where(
                ConversationMember.contact_id == Contact.id,
                Conversation.id == ConversationMember.conversation_id,
                Conversation.link_id == audience.link_id,
            )
            return own | grouped
    return None


def members_query(audience: Audience, now: datetime) -> Select[Contact]:
    query = select(Contact).where(Contact.merged_into_id.is_(None), Contact.erased_at.is_(None))
    condition = _condition(audience.checked(), now)
    if condition is not None:
        query = query.where(condition)
    return query.order_by(Contact.id)


async def members(session: AsyncSession, audience: Audience, now: datetime) -> list[Contact]:
    return list((await session.scalars(members_query(audience, now))).unique().all())


def whatsapp_ready(phone: str | None) -> bool:
    """A number WhatsApp can reach: valid, and a mobile (or possibly one)."""
    try:
        number = phonenumbers.parse(phone or "", None)
    except phonenumbers.NumberParseException:
        return False
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in kinds


def judge(contact: Contact, channel: ConsentChannel) -> Skip | None:
    if channel == ConsentChannel.email:
        if not contact.consent_email:
            return Skip.no_consent
        return None if contact.email else Skip.no_address
    if not contact.consent_whatsapp:
        return Skip.no_consent
    if not contact.phone:
        return Skip.no_address
    return None if whatsapp_ready(contact.phone) else Skip.invalid_number


def plan(contacts: list[Contact], channels: list[ConsentChannel]) -> list[Planned]:
    return [Planned(c, channel, judge(c, channel)) for c in contacts for channel in channels]


def summarise(planned: list[Planned]) -> Summary:
    summary = Summary()
    for row in planned:
        if row.skip:
            summary.skipped[row.skip.value] += 1
        else:
            summary.per_channel[row.channel.value] += 1
    summary.recipients = len({row.contact.id for row in planned if row.skip is None})
    return summary


async def contacts_named(session: AsyncSession, entries: list[str]) -> tuple[list[int], list[str]]:
    """Contacts chosen by e-mail or phone (as typed, Swiss numbers normalised); the entries
    matching nobody are returned for the coach to correct."""
    ids: list[int] = []
    unknown: list[str] = []
    for entry in dict.fromkeys(e.strip() for e in entries if e.strip()):
        found = await session.scalar(
            select(Contact.id).where(
                Contact.merged_into_id.is_(None),
                Contact.erased_at.is_(None),
                _identity(entry),
            )
        )
        if found is None:
            unknown.append(entry)
        elif found not in ids:
            ids.append(found)
    return ids, unknown


def _identity(entry: str) -> ColumnElement[bool]:
    if "@" in entry:
        return Contact.email == entry.lower()
    try:
        return Contact.phone == normalise_phone(entry)
    except ValueError:
        return Contact.phone == entry


async def contact_labels(session: AsyncSession, ids: tuple[int, ...]) -> list[str]:
    """How chosen contacts are shown back in the form: e-mail, else phone."""
    rows = await session.execute(
        select(Contact.email, Contact.phone).where(Contact.id.in_(ids)).order_by(Contact.id)
    )
    return [email or phone or "" for email, phone in rows.all() if email or phone]
