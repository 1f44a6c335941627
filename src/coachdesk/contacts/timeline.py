"""Everything about one contact, for their page: bookings, passes, codes, and a timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.i18n import N_
from coachdesk.models import (
    Booking,
    Campaign,
    CampaignSend,
    ConsentChannel,
    ConsentEvent,
    Contact,
    Conversation,
    Delivery,
    DeliveryStatus,
    EmailMessage,
    Message,
    Pass,
    PromoCode,
    WaitlistEntry,
)


@dataclass(frozen=True)
class Moment:
    at: datetime
    what: str  # a French message id, translated where shown
    detail: str = ""
    link: str = ""


@dataclass(frozen=True)
class DeliveryLine:
    campaign_id: int
    campaign_name: str
    channel: ConsentChannel
    status: DeliveryStatus
    sent_at: datetime | None


@dataclass
class Dossier:
    contact: Contact
    bookings: list[Booking]
    passes: list[Pass]
    codes: list[PromoCode]
    waiting: list[WaitlistEntry]
    consents: list[ConsentEvent]
    emails: list[EmailMessage]
    conversations: list[Conversation]
    messages: list[Message]  # in the person's own conversations, and theirs elsewhere
    deliveries: list[DeliveryLine]

    def timeline(self) -> list[Moment]:
        moments = [Moment(self.contact.first_seen_at, N_("Premier contact"), self.contact.source)]
        for b in self.bookings:
            moments.append(
                Moment(b.created_at, N_("Réservation"), b.code, f"/coach/bookings/{b.id}")
            )
            if b.cancelled_at:
                moments.append(Moment(b.cancelled_at, N_("Annulation"), b.code))
            moments += [
                Moment(s.checked_in_at, N_("Entrée validée"), s.session.course.name)
                for s in b.seats
                if s.checked_in_at
            ]
        moments += [
            Moment(
                c.at,
                N_("Accord marketing") if c.granted else N_("Retrait"),
                f"{c.channel.value} · {c.how}",
            )
            for c in self.consents
        ]
        moments += [Moment(e.created_at, N_("E-mail"), e.subject or e.kind) for e in self.emails]
        moments += [
            Moment(w.created_at, N_("Liste d'attente"), w.session.course.name) for w in self.waiting
        ]
        moments += [
            Moment(c.created_at, N_("Conversation"), c.title or f"#{c.id}", f"/coach/inbox/{c.id}")
            for c in self.conversations
        ]
        return sorted(moments, key=lambda m: m.at, reverse=True)


async def dossier(session: AsyncSession, contact: Contact) -> Dossier:
    me = contact.id
    bookings = await session.scalars(
        select(Booking).where(Booking.contact_id == me).order_by(Booking.created_at.desc())
    )
    passes = await session.scalars(select(Pass).where(Pass.contact_id == me))
    codes = await session.scalars(select(PromoCode).where(PromoCode.beneficiary_id == me))
    waiting = await session.scalars(select(WaitlistEntry).where(WaitlistEntry.contact_id == me))
    consents = await session.scalars(
        select(ConsentEvent)
        .where(ConsentEvent.contact_id == me)
        .order_by(ConsentEvent.at.desc(), ConsentEvent.id.desc())
    )
    emails: list[EmailMessage] = []
    if contact.email:
        emails = list(
            await session.scalars(
                select(EmailMessage).where(EmailMessage.to_address == contact.email)
            )
        )
    conversations = list(
        await session.scalars(
            select(Conversation)
            .where(Conversation.contact_id == me)
            .order_by(Conversation.created_at.desc())
        )
    )
    own = [c.id for c in conversations]
    messages = await session.scalars(
        select(Message)
        .where((Message.contact_id == me) | Message.conversation_id.in_(own))
        .order_by(Message.id)
    )
    return Dossier(
        contact,
        list(bookings),
        list(passes),
        list(codes),
        list(waiting),
        list(consents),
        emails,
        conversations,
        list(messages),
        await _deliveries(session, me),
    )


async def _deliveries(session: AsyncSession, contact_id: int) -> list[DeliveryLine]:
    rows = await session.execute(
        select(
            Campaign.id,
            Campaign.name,
            Delivery.channel,
            Delivery.status,
            Delivery.sent_at,
        )
        .join(CampaignSend, CampaignSend.id == Delivery.send_id)
        .join(Campaign, Campaign.id == CampaignSend.campaign_id)
        .where(Delivery.contact_id == contact_id)
        .order_by(Delivery.id.desc())
        .limit(200)
    )
    return [DeliveryLine(*row) for row in rows.all()]
