"""The worker's side of notices: each new one goes by Web Push, e-mail and WhatsApp as the
coach chose in the settings (Coach Mode has already shown it live)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.integrations.email import DeliveryError
from coachdesk.integrations.whatsapp import WhatsAppMessage, WhatsAppSender
from coachdesk.models import (
    Coach,
    CoachNotice,
    CoachRole,
    EmailMessage,
    NoticeStatus,
    PushSubscription,
)
from coachdesk.notifications import push
from coachdesk.site.registry import SiteSettings

log = logging.getLogger(__name__)
KIND = "coach_notice"  # e-mails written when queued (see emails.delivery.compose)
BATCH = 50


@dataclass(frozen=True)
class Channels:
    base_url: str
    data_dir: Path | None  # where the VAPID keys live (None: no push)
    push_contact: str  # mailto:… given to push services
    whatsapp: WhatsAppSender


async def deliver_due(
    session: AsyncSession, *, site: SiteSettings, channels: Channels, now: datetime
) -> int:
    due = await session.scalars(
        select(CoachNotice)
        .where(CoachNotice.status == NoticeStatus.pending)
        .order_by(CoachNotice.id)
        .limit(BATCH)
    )
    done = 0
    for notice in list(due.all()):
        claimed = await session.execute(
            update(CoachNotice)
            .where(CoachNotice.id == notice.id, CoachNotice.status == NoticeStatus.pending)
            .values(status=NoticeStatus.sending)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another worker has it
        errors = await _tell(session, notice, site, channels, now)
        notice.status, notice.sent_at = NoticeStatus.done, now
        notice.error = "; ".join(errors)[:500]
        done += 1
    return done


async def _tell(
    session: AsyncSession,
    notice: CoachNotice,
    site: SiteSettings,
    channels: Channels,
    now: datetime,
) -> list[str]:
    """Each channel on its own: one that fails is noted on the notice, the others go on."""
    event, errors = notice.event.value, []
    if event in site.notify_push and channels.data_dir is not None:
        errors += await _step("push", _push(session, notice, channels))
    if event in site.notify_email:
        errors += await _step("e-mail", _email(session, notice, channels.base_url, now))
    if event in site.notify_whatsapp and site.coach_whatsapp and channels.whatsapp.delivers:
        text = f"{notice.title}\n{notice.body}\n{channels.base_url}{notice.url}"
        message = WhatsAppMessage(to=site.coach_whatsapp, text=text)
        errors += await _step("WhatsApp", _whatsapp(channels.whatsapp, message))
    return errors


async def _step(channel: str, sending: Awaitable[list[str] | None]) -> list[str]:
    try:
        return (await sending) or []
    except DeliveryError as exc:
        return [f"{channel}: {exc}"]
    except Exception as exc:  # a broken channel never keeps the others (or the queue) waiting
        log.exception("coach notice by %s failed", channel)
        return [f"{channel}: {type(exc).__name__}"]


async def _whatsapp(sender: WhatsAppSender, message: WhatsAppMessage) -> None:
    await sender.send(message)


async def _push(session: AsyncSession, notice: CoachNotice, channels: Channels) -> list[str]:
    subscriptions = list(await session.scalars(select(PushSubscription)))
    if not subscriptions or channels.data_dir is None:
        return []
    vapid = push.keys(channels.data_dir)
    outcome = await push.send(notice, subscriptions, vapid, channels.push_contact)
    if outcome.gone:
        await session.execute(delete(PushSubscription).where(PushSubscription.id.in_(outcome.gone)))
    return [f"push: {error}" for error in outcome.errors]


async def _email(session: AsyncSession, notice: CoachNotice, base_url: str, now: datetime) -> None:
    owners = await session.scalars(
        select(Coach.email).where(Coach.role == CoachRole.owner, Coach.is_active.is_(True))
    )
    text = f"{notice.body}\n\n{base_url}{notice.url}"
    for address in owners.all():
        session.add(
            EmailMessage(
                kind=KIND,
                to_address=address,
                subject=notice.title,
                text=text,
                created_at=now,
                due_at=now,
            )
        )
