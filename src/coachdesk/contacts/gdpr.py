"""A person's data: everything as JSON on request, or erased (the accounting is kept)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.contacts.timeline import dossier
from coachdesk.models import (
    Booking,
    Coach,
    ConsentEvent,
    ConsentRequest,
    Contact,
    Conversation,
    ConversationMember,
    Delivery,
    EmailMessage,
    IdentityCode,
    Message,
    PromoCode,
    VisitorDevice,
    WaitlistEntry,
)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export(session: AsyncSession, contact: Contact) -> dict[str, Any]:
    found = await dossier(session, contact)
    return {
        "contact": {
            "name": contact.name,
            "email": contact.email,
            "phone": contact.phone,
            "language": contact.language,
            "source": contact.source,
            "notes": contact.notes,
            "first_seen_at": _when(contact.first_seen_at),
            "last_seen_at": _when(contact.last_seen_at),
            "tags": contact.tag_names,
            "consent_email": contact.consent_email,
            "consent_whatsapp": contact.consent_whatsapp,
        },
        "consent_history": [
            {"channel": c.channel.value, "granted": c.granted, "how": c.how, "at": _when(c.at)}
            for c in found.consents
        ],
        "bookings": [
            {
                "code": b.code,
                "status": b.status.value,
                "offer": b.offer_name,
                "total_cents": b.total_cents,
                "discount_cents": b.discount_cents,
                "promo_code": b.promo_code,
                "created_at": _when(b.created_at),
                "paid_at": _when(b.paid_at),
                "sessions": [
                    {
                        "course": s.session.course.name,
                        "starts_at": _when(s.session.starts_at),
                        "status": s.status.value,
                        "checked_in_at": _when(s.checked_in_at),
                    }
                    for s in b.seats
                ],
            }
            for b in found.bookings
        ],
        "passes": [
            {
                "code": p.code,
                "name": p.name,
                "credits_left": p.credits_left,
                "valid_until": _when(p.valid_until),
                "status": p.status.value,
            }
            for p in found.passes
        ],
        "promo_codes": [
            {"code": c.code, "kind": c.kind.value, "value": c.value} for c in found.codes
        ],
        "waiting_lists": [
            {
                "course": w.session.course.name,
                "starts_at": _when(w.session.starts_at),
                "status": w.status.value,
            }
            for w in found.waiting
        ],
        "emails": [
            {
                "kind": e.kind,
                "subject": e.subject,
                "status": e.status.value,
                "created_at": _when(e.created_at),
            }
            for e in found.emails
        ],
        "campaign_deliveries": [
            {
                "campaign": d.campaign_name,
                "channel": d.channel.value,
                "status": d.status.value,
                "sent_at": _when(d.sent_at),
            }
            for d in found.deliveries
        ],
        "messages": [
            {
                "conversation": m.conversation_id,
                "author": m.author.value,
                "body": m.body,
                "created_at": _when(m.created_at),
                "deleted_at": _when(m.deleted_at),
            }
            for m in found.messages
        ],
    }


async def _erase_chat(session: AsyncSession, contact_id: int) -> None:
    """The person's conversations go entirely; what they wrote in a community goes too."""
    own = select(Conversation.id).where(Conversation.contact_id == contact_id)
    await session.execute(
        delete(Message).where((Message.contact_id == contact_id) | Message.conversation_id.in_(own))
    )
    await session.execute(delete(Conversation).where(Conversation.contact_id == contact_id))
    for model in (ConversationMember, VisitorDevice, IdentityCode):
        await session.execute(delete(model).where(model.contact_id == contact_id))


async def erase(session: AsyncSession, *, contact: Contact, actor: Coach, now: datetime) -> None:
    """Anonymises the person. Bookings and payments stay (the accounting needs them), but
    nothing in them points to who it was anymore."""
    if contact.email:
        await session.execute(
            update(EmailMessage)
            .where(EmailMessage.to_address == contact.email)
            .values(to_address="", subject="", text="", html="")
        )
    await session.execute(delete(WaitlistEntry).where(WaitlistEntry.contact_id == contact.id))
    await _erase_chat(session, contact.id)
    await session.execute(
        update(Delivery).where(Delivery.contact_id == contact.id).values(address="", error="")
    )
    for model in (ConsentEvent, ConsentRequest):
        await session.execute(delete(model).where(model.contact_id == contact.id))
    await session.execute(
        update(Booking).where(Booking.contact_id == contact.id).values(name="", phone=None)
    )
    await session.execute(
        update(PromoCode)
        .where(PromoCode.beneficiary_id == contact.id)
        .values(beneficiary_id=None, active=False)
    )
    contact.name, contact.email, contact.phone, contact.notes = "", None, None, ""
    contact.consent_email = contact.consent_whatsapp = False
    contact.tags = []
    contact.erased_at = now
    await record(session, actor=actor, action="contact.erased", obj=contact, now=now)
