"""Duplicate suspects, and merging two contacts — recorded so that it can be undone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from coachdesk.audit.service import record
from coachdesk.errors import Invalid, NotFound
from coachdesk.kit.i18n import N_
from coachdesk.models import (
    Booking,
    Coach,
    ConsentEvent,
    ConsentRequest,
    Contact,
    ContactMerge,
    ContactTag,
    Conversation,
    ConversationMember,
    Delivery,
    IdentityCode,
    Message,
    Pass,
    PromoCode,
    VisitorDevice,
    WaitlistEntry,
)

CANNOT_MERGE = N_("Ces deux fiches ne peuvent pas être fusionnées.")
MERGE_NOT_FOUND = N_("Cette fusion n'existe pas ou a déjà été annulée.")
# (table's model, its column pointing to the contact, its key)
REFERENCES: dict[str, tuple[Any, Any, Any]] = {
    "bookings": (Booking, Booking.contact_id, Booking.id),
    "passes": (Pass, Pass.contact_id, Pass.id),
    "waitlist_entries": (WaitlistEntry, WaitlistEntry.contact_id, WaitlistEntry.id),
    "promo_codes": (PromoCode, PromoCode.beneficiary_id, PromoCode.id),
    "consent_events": (ConsentEvent, ConsentEvent.contact_id, ConsentEvent.id),
    "consent_requests": (ConsentRequest, ConsentRequest.contact_id, ConsentRequest.id),
    "conversations": (Conversation, Conversation.contact_id, Conversation.id),
    "messages": (Message, Message.contact_id, Message.id),
    "visitor_devices": (VisitorDevice, VisitorDevice.contact_id, VisitorDevice.token_hash),
    "identity_codes": (IdentityCode, IdentityCode.contact_id, IdentityCode.id),
    "community_members": (ConversationMember, ConversationMember.contact_id, ConversationMember.id),
    "campaign_deliveries": (Delivery, Delivery.contact_id, Delivery.id),
}
FIELDS = ("name", "email", "phone", "consent_email", "consent_whatsapp", "notes")


async def suspects(session: AsyncSession) -> list[list[Contact]]:
    """Groups of live contacts sharing a phone number (e-mails are unique)."""
    live = (Contact.merged_into_id.is_(None), Contact.erased_at.is_(None))
    phones = (
        select(Contact.phone)
        .where(Contact.phone.is_not(None), *live)
        .group_by(Contact.phone)
        .having(func.count(Contact.id) > 1)
    )
    query = (
        select(Contact).where(Contact.phone.in_(phones), *live).order_by(Contact.phone, Contact.id)
    )
    groups: dict[str, list[Contact]] = {}
    for contact in await session.scalars(query):
        groups.setdefault(contact.phone or "", []).append(contact)
    return list(groups.values())


def _movable(model: Any, column: Any, key: Any, source: int, target: int) -> Any:
    query = select(key).where(column == source)
    if model is ConversationMember:  # a community both were in keeps the kept one only
        joined = select(ConversationMember.conversation_id).where(column == target)
        query = query.where(ConversationMember.conversation_id.not_in(joined))
    if model is Delivery:  # a send both received on a channel: each card keeps its row
        twin = aliased(Delivery)
        query = query.where(
            ~exists().where(
                twin.contact_id == target,
                twin.send_id == Delivery.send_id,
                twin.channel == Delivery.channel,
            )
        )
    return query


async def _point(session: AsyncSession, name: str, keys: list[Any], contact_id: int) -> None:
    model, column, key = REFERENCES[name]
    if keys:
        await session.execute(update(model).where(key.in_(keys)).values({column.key: contact_id}))


async def _move(session: AsyncSession, source: int, target: int) -> dict[str, list[Any]]:
    moved = {}
    for name, (model, column, key) in REFERENCES.items():
        keys = list(await session.scalars(_movable(model, column, key, source, target)))
        await _point(session, name, keys, target)
        moved[name] = keys
    return moved


async def merge(
    session: AsyncSession, *, kept: Contact, merged: Contact, actor: Coach, now: datetime
) -> ContactMerge:
    """Everything of ``merged`` goes to ``kept``; ``kept`` fills its blanks from it."""
    if kept.id == merged.id or any(c.merged_into_id or c.erased_at for c in (kept, merged)):
        raise Invalid(CANNOT_MERGE, code="cannot_merge")
    before = {
        "kept": {f: getattr(kept, f) for f in FIELDS},
        "merged": {f: getattr(merged, f) for f in FIELDS},
    }
    moved: dict[str, Any] = await _move(session, merged.id, kept.id)
    added = [t.tag for t in merged.tags if t.tag not in kept.tag_names]
    kept.tags += [ContactTag(tag=tag) for tag in added]
    email, phone = merged.email, merged.phone
    merged.email = None
    merged.merged_into_id = kept.id
    await session.flush()  # the e-mail is unique: free it before it moves
    kept.email, kept.phone = kept.email or email, kept.phone or phone
    kept.name = kept.name or merged.name
    kept.consent_email = kept.consent_email or merged.consent_email
    kept.consent_whatsapp = kept.consent_whatsapp or merged.consent_whatsapp
    kept.notes = "\n\n".join(n for n in (kept.notes, merged.notes) if n)
    moved.update(before=before, tags_added=added)
    done = ContactMerge(
        kept_id=kept.id, merged_id=merged.id, moved=moved, at=now, actor=actor.email
    )
    session.add(done)
    await session.flush()
    await record(
        session, actor=actor, action="contact.merged", obj=kept, now=now, data={"merged": merged.id}
    )
    return done


async def undo(session: AsyncSession, *, merge_id: int, actor: Coach, now: datetime) -> None:
    done = await session.get(ContactMerge, merge_id)
    if done is None or done.undone_at is not None:
        raise NotFound(MERGE_NOT_FOUND)
    kept = await session.get_one(Contact, done.kept_id)
    merged = await session.get_one(Contact, done.merged_id)
    for name in REFERENCES:
        await _point(session, name, done.moved.get(name, []), merged.id)
    kept.tags = [t for t in kept.tags if t.tag not in done.moved.get("tags_added", [])]
    for field, value in done.moved["before"]["kept"].items():
        setattr(kept, field, value)
    await session.flush()  # the e-mail goes back: free it on the kept contact first
    for field, value in done.moved["before"]["merged"].items():
        setattr(merged, field, value)
    merged.merged_into_id = None
    done.undone_at = now
    await record(
        session,
        actor=actor,
        action="contact.merge_undone",
        obj=kept,
        now=now,
        data={"merged": merged.id},
    )


async def merges(session: AsyncSession) -> list[ContactMerge]:
    query = select(ContactMerge).order_by(ContactMerge.at.desc()).limit(100)
    return list((await session.scalars(query)).all())
