"""WhatsApp without a provider: the coach steps through the waiting messages, each one a
wa.me link with the text already typed, and marks it sent (or skips it) after the tap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.campaigns.sending import Outlet, finish_sends, recipients, whatsapp_text
from coachdesk.errors import Conflict
from coachdesk.integrations.whatsapp import wa_me_link
from coachdesk.kit.i18n import N_
from coachdesk.models import (
    Campaign,
    CampaignSend,
    CampaignStatus,
    Coach,
    ConsentChannel,
    Delivery,
    DeliveryStatus,
)

BY_COACH = "by_coach"  # the reason kept when the coach skips a message
NOT_WAITING = N_("Ce message n'attend plus d'être envoyé.")


@dataclass(frozen=True)
class Step:
    delivery: Delivery
    text: str
    link: str  # opens WhatsApp on the number, text typed
    left: int  # messages still to send by hand, this one included


def _waiting(campaign_id: int) -> list[ColumnElement[bool]]:
    """WhatsApp rows still to send of this campaign, while it is being sent."""
    sends = (
        select(CampaignSend.id)
        .join(Campaign)
        .where(Campaign.id == campaign_id, Campaign.status == CampaignStatus.sending)
    )
    return [
        Delivery.send_id.in_(sends),
        Delivery.channel == ConsentChannel.whatsapp,
        Delivery.status == DeliveryStatus.pending,
    ]


async def waiting_count(session: AsyncSession, campaign_id: int) -> int:
    """WhatsApp messages of this campaign waiting to be sent (by hand, without provider)."""
    return await session.scalar(select(func.count(Delivery.id)).where(*_waiting(campaign_id))) or 0


async def next_step(
    session: AsyncSession, campaign_id: int, outlet: Outlet, now: datetime
) -> Step | None:
    """The next WhatsApp message waiting to be sent by hand, ready to open."""
    waiting = _waiting(campaign_id)
    left = await waiting_count(session, campaign_id)
    row = (
        await session.scalars(select(Delivery).where(*waiting).order_by(Delivery.id).limit(1))
    ).first()
    if row is None:
        return None
    person = (await recipients(session, {row.contact_id: row.contact.name}, outlet.base_url, now))[
        row.contact_id
    ]
    campaign = (await session.get_one(CampaignSend, row.send_id)).campaign
    leave = outlet.unsubscribe_url(row.contact_id, row.channel.value)
    text = whatsapp_text(campaign, person, leave, row.contact.language)
    if campaign.media_url:  # a wa.me link carries text only: the picture goes as a link
        text = f"{text}\n\n{campaign.media_url}"
    return Step(delivery=row, text=text, link=wa_me_link(row.address, text), left=left or 0)


async def mark(
    session: AsyncSession,
    *,
    campaign_id: int,
    delivery_id: int,
    sent: bool,
    actor: Coach,
    now: datetime,
) -> None:
    """Sent (the coach tapped send in WhatsApp) or skipped; only a waiting row moves."""
    values = (
        {"status": DeliveryStatus.sent, "sent_at": now, "provider_id": "wa.me"}
        if sent
        else {"status": DeliveryStatus.skipped, "reason": BY_COACH}
    )
    moved = await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, *_waiting(campaign_id))
        .values(claimed_at=now, attempts=Delivery.attempts + 1, **values)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(NOT_WAITING, code="not_waiting")
    action = "campaign.whatsapp_sent_by_hand" if sent else "campaign.whatsapp_skipped_by_hand"
    campaign = await session.get_one(Campaign, campaign_id)
    await record(
        session, actor=actor, action=action, obj=campaign, now=now, data={"delivery": delivery_id}
    )
    await finish_sends(session, now)
