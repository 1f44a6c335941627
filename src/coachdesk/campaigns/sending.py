"""The worker's side of campaigns: a due send writes one delivery row per person and
channel (in the same transaction that claims it), then rows are claimed in small chunks,
sent over one SMTP connection and marked. A row left in "sending" by a crash becomes
"interrupted" for the coach to resend or drop: it is never sent again on its own."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns.audience import members, plan
from coachdesk.campaigns.message import Recipient, render
from coachdesk.campaigns.service import audience_of
from coachdesk.errors import Conflict
from coachdesk.integrations.email import DeliveryError, EmailSender, OutgoingEmail
from coachdesk.kit.i18n import N_, gettext
from coachdesk.models import (
    Booking,
    BookingSeat,
    BookingStatus,
    Campaign,
    CampaignSend,
    CampaignStatus,
    ConsentChannel,
    CourseSession,
    Delivery,
    DeliveryStatus,
    PromoCode,
    SendStatus,
)

LEASE = timedelta(minutes=10)  # a claimed row not marked within this was interrupted
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
BATCH = 500  # rows per worker round
CHUNK = 20  # rows claimed at once
OPEN = (DeliveryStatus.pending, DeliveryStatus.sending)
UNSUBSCRIBE_TEXT = N_("Ne plus recevoir ces messages : %(link)s")
UNSUBSCRIBE_LABEL = N_("Se désabonner")
NOT_INTERRUPTED = N_("Seul un envoi interrompu peut être renvoyé ou abandonné.")


@dataclass(frozen=True)
class Outlet:
    """Where campaign e-mails go, and the links written into them."""

    email: EmailSender
    base_url: str
    unsubscribe_url: Callable[[int, str], str]  # (contact id, channel) → one-click link


async def start_due(session: AsyncSession, now: datetime) -> int:
    """Each due send of a running campaign: claimed, and its delivery rows written."""
    due = await session.scalars(
        select(CampaignSend)
        .join(Campaign)
        .where(
            CampaignSend.status == SendStatus.scheduled,
            CampaignSend.due_at <= now,
            Campaign.status.in_((CampaignStatus.scheduled, CampaignStatus.sending)),
        )
        .order_by(CampaignSend.due_at)
    )
    started = 0
    for send in list(due.all()):
        claimed = await session.execute(
            update(CampaignSend)
            .where(CampaignSend.id == send.id, CampaignSend.status == SendStatus.scheduled)
            .values(status=SendStatus.sending, started_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another worker took it
        await _write_rows(session, send, now)
        send.campaign.status = CampaignStatus.sending
        started += 1
    return started


async def _write_rows(session: AsyncSession, send: CampaignSend, now: datetime) -> None:
    campaign = send.campaign
    people = await members(session, audience_of(campaign), now)
    rows = [
        {
            "send_id": send.id,
            "contact_id": row.contact.id,
            "channel": row.channel,
            "address": (
                row.contact.email if row.channel == ConsentChannel.email else row.contact.phone
            )
            or "",
            "status": DeliveryStatus.skipped if row.skip else DeliveryStatus.pending,
            "reason": row.skip.value if row.skip else "",
        }
        for row in plan(people, campaign.channels)
    ]
    for start in range(0, len(rows), 1000):
        await session.execute(insert(Delivery), rows[start : start + 1000])


async def mark_interrupted(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.sending, Delivery.claimed_at < now - LEASE)
        .values(status=DeliveryStatus.interrupted)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def _claim(session: AsyncSession, now: datetime, limit: int) -> list[int]:
    ready = (
        select(Delivery.id)
        .join(CampaignSend)
        .join(Campaign)
        .where(
            Delivery.status == DeliveryStatus.pending,
            Delivery.channel == ConsentChannel.email,  # WhatsApp rows wait for their channel
            (Delivery.next_attempt_at.is_(None)) | (Delivery.next_attempt_at <= now),
            Campaign.status == CampaignStatus.sending,
        )
        .order_by(Delivery.id)
        .limit(limit)
    )
    ids = list(await session.scalars(ready))
    if not ids:
        return []
    claimed = await session.scalars(
        update(Delivery)
        .where(Delivery.id.in_(ids), Delivery.status == DeliveryStatus.pending)
        .values(status=DeliveryStatus.sending, claimed_at=now, attempts=Delivery.attempts + 1)
        .returning(Delivery.id)
    )
    return sorted(claimed.all())  # only the rows this worker flipped


async def recipients(
    session: AsyncSession, names: dict[int, str], base_url: str, now: datetime
) -> dict[int, Recipient]:
    """What the variables say for each person: their next ticket, their own promo code."""
    ids = list(names)
    tickets = await session.execute(
        select(Booking.contact_id, Booking.ticket_token)
        .join(BookingSeat)
        .join(CourseSession, CourseSession.id == BookingSeat.session_id)
        .where(
            Booking.contact_id.in_(ids),
            Booking.status.in_((BookingStatus.pending, BookingStatus.confirmed)),
            CourseSession.starts_at >= now,
        )
        .order_by(CourseSession.starts_at.desc())  # the soonest is written last, and kept
    )
    codes = await session.execute(
        select(PromoCode.beneficiary_id, PromoCode.code)
        .where(PromoCode.beneficiary_id.in_(ids), PromoCode.active.is_(True))
        .order_by(PromoCode.id)  # the newest is written last, and kept
    )
    ticket_of = {contact: token for contact, token in tickets.all()}
    code_of = {contact: code for contact, code in codes.all()}
    return {
        contact: Recipient(
            name=name,
            ticket_url=f"{base_url}/t/{ticket_of[contact]}" if contact in ticket_of else "",
            booking_url=f"{base_url}/#seances",
            promo_code=code_of.get(contact, ""),
        )
        for contact, name in names.items()
    }


def campaign_email(
    delivery: Delivery, campaign: Campaign, outlet: Outlet, person: Recipient
) -> OutgoingEmail:
    text = render(campaign.body, person)
    leave = outlet.unsubscribe_url(delivery.contact_id, delivery.channel.value)
    media = f"\n\n{campaign.media_url}" if campaign.media_url else ""
    language = delivery.contact.language
    footer = "\n\n—\n" + gettext(UNSUBSCRIBE_TEXT, language, link=leave)
    paragraphs = "".join(
        f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in text.split("\n\n")
    )
    picture = (
        f'<p><img src="{html.escape(campaign.media_url)}" alt="" style="max-width:100%"></p>'
        if campaign.media_url
        else ""
    )
    label = html.escape(gettext(UNSUBSCRIBE_LABEL, language))
    unsubscribe = f'<p style="font-size:12px"><a href="{html.escape(leave)}">{label}</a></p>'
    return OutgoingEmail(
        to=delivery.address,
        subject=campaign.subject or campaign.name,
        text=text + media + footer,
        html=f"<html><body>{paragraphs}{picture}{unsubscribe}</body></html>",
        headers={
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


async def _send_one(
    session: AsyncSession, delivery: Delivery, outlet: Outlet, person: Recipient, now: datetime
) -> None:
    campaign = (await session.get_one(CampaignSend, delivery.send_id)).campaign
    try:
        await outlet.email.send(campaign_email(delivery, campaign, outlet, person))
    except DeliveryError as exc:
        delivery.error = str(exc)[:500]
        if delivery.attempts <= len(BACKOFF):
            delivery.status = DeliveryStatus.pending
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        else:
            delivery.status = DeliveryStatus.failed
    else:
        delivery.status, delivery.sent_at, delivery.error = DeliveryStatus.sent, now, ""


async def deliver_due(
    session: AsyncSession,
    *,
    outlet: Outlet,
    now: datetime,
    limit: int = BATCH,
    per_minute: int = 0,
) -> int:
    """Claims a batch (committed), then sends and marks each row (committed one by one).
    Without a real e-mail server the rows wait: nothing is marked sent that did not leave."""
    await mark_interrupted(session, now)
    if not outlet.email.delivers:
        return 0
    if per_minute:  # the SMTP server's (or its provider's) limit, counted in the database
        recent = await session.scalar(
            select(func.count(Delivery.id)).where(
                Delivery.channel == ConsentChannel.email,
                Delivery.claimed_at > now - timedelta(minutes=1),
                Delivery.status.in_((DeliveryStatus.sending, DeliveryStatus.sent)),
            )
        )
        limit = min(limit, max(per_minute - (recent or 0), 0))
        if not limit:
            return 0
    done = 0
    while done < limit:  # small chunks: a crash interrupts at most one chunk
        ids = await _claim(session, now, min(CHUNK, limit - done))
        await session.commit()
        if not ids:
            break
        chunk = list(
            (await session.scalars(select(Delivery).where(Delivery.id.in_(ids)))).unique().all()
        )
        names = {row.contact_id: row.contact.name for row in chunk}
        people = await recipients(session, names, outlet.base_url, now)
        async with _connection(outlet.email):
            for delivery in sorted(chunk, key=lambda row: row.id):
                await _send_one(session, delivery, outlet, people[delivery.contact_id], now)
        await session.commit()  # a crash before this leaves the chunk "sending": interrupted
        done += len(ids)
    await finish_sends(session, now)
    return done


def _connection(email: EmailSender) -> contextlib.AbstractAsyncContextManager[None]:
    """One SMTP connection for a chunk when the sender offers it."""
    opener = getattr(email, "connection", None)
    return opener() if opener else contextlib.nullcontext()


async def finish_sends(session: AsyncSession, now: datetime) -> int:
    """A send with nothing left to try is sent; a campaign with all sends done too."""
    running = await session.scalars(
        select(CampaignSend).where(CampaignSend.status == SendStatus.sending)
    )
    finished = 0
    for send in list(running.all()):
        open_rows = await session.scalar(
            select(func.count(Delivery.id)).where(
                Delivery.send_id == send.id,
                Delivery.status.in_(OPEN),
            )
        )
        if open_rows:
            continue
        send.status, send.finished_at = SendStatus.sent, now
        finished += 1
        campaign = send.campaign
        states = await session.scalars(
            select(CampaignSend.status).where(CampaignSend.campaign_id == campaign.id)
        )
        done = all(state in (SendStatus.sent, SendStatus.cancelled) for state in states)
        if done and campaign.status == CampaignStatus.sending:
            campaign.status = CampaignStatus.sent
    return finished


async def settle_interrupted(
    session: AsyncSession, *, delivery_id: int, resend: bool, now: datetime
) -> Delivery:
    """The coach's choice for a row caught by a crash: send it again, or drop it."""
    delivery = await session.get(Delivery, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.interrupted:
        raise Conflict(NOT_INTERRUPTED, code="not_interrupted")
    if resend:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.pending, now
        send = await session.get_one(CampaignSend, delivery.send_id)
        if send.status == SendStatus.sent:  # reopen it so the worker picks the row up
            send.status, send.finished_at = SendStatus.sending, None
            if send.campaign.status == CampaignStatus.sent:
                send.campaign.status = CampaignStatus.sending
    else:
        delivery.status = DeliveryStatus.dropped
    await session.flush()
    return delivery


async def report(session: AsyncSession, campaign_id: int) -> dict[str, dict[str, int]]:
    """Counts per channel and status, for progress and the final report."""
    rows = await session.execute(
        select(Delivery.channel, Delivery.status, func.count(Delivery.id))
        .join(CampaignSend)
        .where(CampaignSend.campaign_id == campaign_id)
        .group_by(Delivery.channel, Delivery.status)
    )
    counts: dict[str, dict[str, int]] = {}
    for channel, status, count in rows.all():
        counts.setdefault(channel.value, {})[status.value] = count
    return counts


async def deliveries(
    session: AsyncSession,
    campaign_id: int,
    *,
    status: DeliveryStatus | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[Delivery]:
    query = (
        select(Delivery)
        .join(CampaignSend)
        .where(CampaignSend.campaign_id == campaign_id)
        .order_by(Delivery.id)
        .limit(limit)
        .offset(offset)
    )
    if status is not None:
        query = query.where(Delivery.status == status)
    return list((await session.scalars(query)).unique().all())
