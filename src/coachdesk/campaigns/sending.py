"""The worker's side of campaigns: a due send writes one delivery row per person and
channel (in the same transaction that claims it), then rows are claimed in small chunks,
sent over one SMTP connection and marked. A row left in "sending" by a crash becomes
"interrupted" for the coach to resend or drop: it is never sent again on its own."""

from __future__ import annotations

import contextlib
import html
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns import unsubscribe
from coachdesk.campaigns.audience import members, plan
from coachdesk.campaigns.message import Recipient, render
from coachdesk.campaigns.service import audience_of
from coachdesk.db import upsert_insert
from coachdesk.errors import Conflict
from coachdesk.integrations.email import DeliveryError, EmailSender, OutgoingEmail
from coachdesk.integrations.whatsapp import (
    Endpoints,
    ManualWhatsApp,
    Refused,
    WhatsAppMessage,
    WhatsAppSender,
    whatsapp_sender,
)
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
    ThrottleWindow,
)
from coachdesk.site.registry import SiteSettings

LEASE = timedelta(minutes=10)  # a claimed row not marked within this was interrupted
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
CAP_LOCK = "campaign-email-cap"  # the row workers take turns on under the cap
BATCH = 500  # rows per worker round
CHUNK = 20  # rows claimed at once
OPEN = (DeliveryStatus.pending, DeliveryStatus.sending)
UNSUBSCRIBE_TEXT = N_("Ne plus recevoir ces messages : %(link)s")
UNSUBSCRIBE_LABEL = N_("Se désabonner")
NOT_INTERRUPTED = N_("Seul un envoi interrompu peut être renvoyé ou abandonné.")


@dataclass(frozen=True)
class Outlet:
    """Where campaign messages go, and the links written into them."""

    email: EmailSender
    base_url: str
    unsubscribe_url: Callable[[int, str], str]  # (contact id, channel) → one-click link
    whatsapp: WhatsAppSender = field(default_factory=ManualWhatsApp)
    progress: Callable[[int], Awaitable[None]] | None = None  # told as a campaign moves on

    def sender(self, channel: ConsentChannel) -> EmailSender | WhatsAppSender:
        return self.email if channel == ConsentChannel.email else self.whatsapp


def outlet_for(
    *,
    email: EmailSender,
    base_url: str,
    secret: str,
    site: SiteSettings,
    endpoints: Endpoints,
    progress: Callable[[int], Awaitable[None]] | None = None,
) -> Outlet:
    """The outlet as configured: the e-mail sender, the coach's WhatsApp provider, signed
    unsubscribe links — the same for the worker and for previews and tests in Coach Mode."""
    return Outlet(
        email=email,
        base_url=base_url,
        unsubscribe_url=unsubscribe.links(base_url, secret),
        whatsapp=whatsapp_sender(site, endpoints),
        progress=progress,
    )


async def start_due(
    session: AsyncSession, now: datetime, started_campaigns: list[int] | None = None
) -> int:
    """Each due send of a running campaign: claimed, and its delivery rows written (the
    campaigns concerned are added to ``started_campaigns`` when given)."""
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
        if started_campaigns is not None:
            started_campaigns.append(send.campaign_id)
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


async def _claim(
    session: AsyncSession, now: datetime, limit: int, channel: ConsentChannel
) -> list[int]:
    ready = (
        select(Delivery.id)
        .join(CampaignSend)
        .join(Campaign)
        .where(
            Delivery.status == DeliveryStatus.pending,
            Delivery.channel == channel,
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


def whatsapp_text(campaign: Campaign, person: Recipient, leave: str, language: str) -> str:
    """The WhatsApp message: the text, then how to stop receiving them."""
    return render(campaign.body, person) + "\n\n" + gettext(UNSUBSCRIBE_TEXT, language, link=leave)


def campaign_whatsapp(
    delivery: Delivery, campaign: Campaign, outlet: Outlet, person: Recipient
) -> WhatsAppMessage:
    leave = outlet.unsubscribe_url(delivery.contact_id, delivery.channel.value)
    text = whatsapp_text(campaign, person, leave, delivery.contact.language)
    return WhatsAppMessage(to=delivery.address, text=text, media_url=campaign.media_url)


async def _hand_over(
    delivery: Delivery, campaign: Campaign, outlet: Outlet, person: Recipient
) -> str:
    """Gives the message to its channel's provider; the provider's id when it has one."""
    if delivery.channel == ConsentChannel.email:
        await outlet.email.send(campaign_email(delivery, campaign, outlet, person))
        return ""
    return await outlet.whatsapp.send(campaign_whatsapp(delivery, campaign, outlet, person))


async def _send_one(
    delivery: Delivery, campaign: Campaign, outlet: Outlet, person: Recipient, now: datetime
) -> None:
    try:
        provider_id = await _hand_over(delivery, campaign, outlet, person)
    except DeliveryError as exc:
        delivery.error = str(exc)[:500]
        if isinstance(exc, Refused):  # refused for good: retrying would not help
            delivery.status = DeliveryStatus.failed
        elif delivery.attempts <= len(BACKOFF):
            delivery.status = DeliveryStatus.pending
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        else:
            delivery.status = DeliveryStatus.failed
    else:
        delivery.status, delivery.sent_at, delivery.error = DeliveryStatus.sent, now, ""
        delivery.provider_id = provider_id[:120]


async def deliver_due(
    session: AsyncSession,
    *,
    outlet: Outlet,
    now: datetime,
    limit: int = BATCH,
    per_minute: int = 0,
) -> int:
    """Claims rows (committed), then sends and marks them (committed chunk by chunk), per
    channel whose provider is there. Without a real e-mail server or WhatsApp provider the
    rows wait: nothing is marked sent that did not leave."""
    await mark_interrupted(session, now)
    done = 0
    if outlet.email.delivers:
        done += await _deliver_channel(
            session, ConsentChannel.email, outlet, now, limit, per_minute=per_minute
        )
    if outlet.whatsapp.delivers:
        done += await _deliver_channel(session, ConsentChannel.whatsapp, outlet, now, limit)
    await finish_sends(session, now)
    return done


async def _room_this_minute(session: AsyncSession, now: datetime, per_minute: int) -> int:
    """How many more e-mails may be claimed under the per-minute cap. The lock row is
    written first, so workers in every process take their turn here until they commit
    their claim: the count they read already holds everyone else's claims."""
    await session.execute(
        upsert_insert(session, ThrottleWindow)
        .values(bucket=CAP_LOCK, key_hash="", window=0, hits=0)
        .on_conflict_do_nothing()
    )
    await session.execute(
        update(ThrottleWindow)
        .where(ThrottleWindow.bucket == CAP_LOCK, ThrottleWindow.window == 0)
        .values(hits=1)  # a write: the turn is ours until the claim commits
    )
    recent = await session.scalar(
        select(func.count(Delivery.id)).where(
            Delivery.channel == ConsentChannel.email,
            Delivery.claimed_at > now - timedelta(minutes=1),
        )
    )
    return max(per_minute - (recent or 0), 0)


async def _deliver_channel(
    session: AsyncSession,
    channel: ConsentChannel,
    outlet: Outlet,
    now: datetime,
    limit: int,
    *,
    per_minute: int = 0,
) -> int:
    done, told = 0, time.monotonic()
    moved: set[int] = set()
    while done < limit:  # small chunks: a crash interrupts at most one chunk
        wanted = min(CHUNK, limit - done)
        if per_minute:
            wanted = min(wanted, await _room_this_minute(session, now, per_minute))
        ids = await _claim(session, now, wanted, channel) if wanted else []
        await session.commit()
        if not ids:
            break
        chunk = list(
            (await session.scalars(select(Delivery).where(Delivery.id.in_(ids)))).unique().all()
        )
        names = {row.contact_id: row.contact.name for row in chunk}
        people = await recipients(session, names, outlet.base_url, now)
        campaigns = await _campaigns_of(session, {row.send_id for row in chunk})
        async with _connection(outlet.sender(channel)):
            for row in sorted(chunk, key=lambda row: row.id):
                campaign = campaigns[row.send_id]
                await _send_one(row, campaign, outlet, people[row.contact_id], now)
        await session.commit()  # a crash before this leaves the chunk "sending": interrupted
        done += len(ids)
        moved.update(row.send_id for row in chunk)
        if time.monotonic() - told > 1:  # live progress, about once a second
            await _tell(session, outlet, moved)
            told = time.monotonic()
    await _tell(session, outlet, moved)
    return done


async def _campaigns_of(session: AsyncSession, send_ids: set[int]) -> dict[int, Campaign]:
    """The campaign of each send, read once per chunk."""
    sends = await session.scalars(select(CampaignSend).where(CampaignSend.id.in_(send_ids)))
    return {send.id: send.campaign for send in sends.unique().all()}


async def _tell(session: AsyncSession, outlet: Outlet, send_ids: set[int]) -> None:
    """Coach Mode hears that these campaigns moved on (it then reads their report)."""
    if outlet.progress is None or not send_ids:
        return
    campaigns = await session.scalars(
        select(CampaignSend.campaign_id).where(CampaignSend.id.in_(send_ids)).distinct()
    )
    for campaign_id in sorted(campaigns.all()):
        await outlet.progress(campaign_id)


def _connection(
    sender: EmailSender | WhatsAppSender,
) -> contextlib.AbstractAsyncContextManager[None]:
    """One connection (SMTP or HTTP) for a chunk when the sender offers it."""
    opener = getattr(sender, "connection", None)
    return opener() if opener else contextlib.nullcontext()


async def finish_sends(session: AsyncSession, now: datetime) -> int:
    """A send with nothing left to try is sent; a campaign with all sends done too."""
    running = await session.scalars(
        select(CampaignSend)
        .where(CampaignSend.status == SendStatus.sending)
        .execution_options(populate_existing=True)  # as stored, whatever this session held
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
        if done:
            await session.execute(
                update(Campaign)
                .where(Campaign.id == campaign.id, Campaign.status == CampaignStatus.sending)
                .values(status=CampaignStatus.sent)
            )
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
