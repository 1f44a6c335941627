"""Runs each registered job in its own transaction, every few seconds.

Jobs are plain async functions of (session, now) over domain rows with a status and a due
time; each claims its rows with a conditional UPDATE, so two workers never do the same work.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coachdesk.booking import idempotency, lifecycle, reminders, waitlist
from coachdesk.campaigns import sending
from coachdesk.catalog import schedule
from coachdesk.db import unit_of_work
from coachdesk.emails import delivery
from coachdesk.integrations.email import EmailSender, OutboxSender
from coachdesk.integrations.whatsapp import Endpoints, whatsapp_sender
from coachdesk.kit.clock import Clock
from coachdesk.limits import service as limits
from coachdesk.notifications import delivery as notice_delivery
from coachdesk.realtime.hub import COACH, Hub
from coachdesk.site import service as site_service

log = logging.getLogger("coachdesk.worker")


@dataclass(frozen=True)
class WorkContext:
    now: datetime
    email: EmailSender
    base_url: str  # for links written into messages
    secret: str = ""  # signs the unsubscribe links
    campaign_per_minute: int = 0  # campaign e-mails per minute (0 = no limit)
    whatsapp: Endpoints = field(default_factory=Endpoints)
    hub: Hub | None = None  # where progress is told (Coach Mode listens)
    data_dir: Path | None = None  # the VAPID keys for Web Push (None: no push)
    push_contact: str = "mailto:no-reply@localhost"


Job = Callable[[AsyncSession, WorkContext], Awaitable[int]]


async def extend_schedule(session: AsyncSession, work: WorkContext) -> int:
    """Keeps the next N weeks of sessions generated as time moves on."""
    settings = await site_service.load(session)
    return await schedule.extend_all(session, now=work.now, weeks=settings.weeks_ahead)


async def expire_unpaid(session: AsyncSession, work: WorkContext) -> int:
    """Unpaid bookings past their time give their seats (and credits) back."""
    return await lifecycle.expire_due(session, work.now)


async def lapse_waitlist_offers(session: AsyncSession, work: WorkContext) -> int:
    """Seats offered from a waiting list and not taken in time pass to the next."""
    return await waitlist.lapse_due(session, work.now)


async def queue_reminders(session: AsyncSession, work: WorkContext) -> int:
    settings = await site_service.load(session)
    return await reminders.queue_due(session, work.now, hours=settings.reminder_hours)


async def deliver_emails(session: AsyncSession, work: WorkContext) -> int:
    return await delivery.deliver_due(
        session, sender=work.email, base_url=work.base_url, now=work.now, secret=work.secret
    )


async def start_campaigns(session: AsyncSession, work: WorkContext) -> int:
    """Campaign sends that are due write their delivery rows."""
    started: list[int] = []
    count = await sending.start_due(session, work.now, started)
    await session.commit()  # Coach Mode reads the rows when told
    for campaign_id in started:
        await _tell(work, campaign_id)
    return count


async def _tell(work: WorkContext, campaign_id: int) -> None:
    """Open Coach Mode pages hear that this campaign moved on."""
    if work.hub is None:
        return
    try:
        await work.hub.publish(COACH, {"type": "campaign", "campaign_id": campaign_id})
    except Exception:  # progress is a courtesy; the work goes on
        log.warning("could not tell the progress of campaign %s", campaign_id)


async def deliver_campaigns(session: AsyncSession, work: WorkContext) -> int:
    """A batch of campaign messages (e-mail, WhatsApp), each marked as it goes."""

    async def progress(campaign_id: int) -> None:
        await _tell(work, campaign_id)

    site = await site_service.load(session)
    outlet = sending.outlet_for(
        email=work.email,
        base_url=work.base_url,
        secret=work.secret,
        site=site,
        endpoints=work.whatsapp,
        progress=progress,
    )
    return await sending.deliver_due(
        session, outlet=outlet, now=work.now, per_minute=work.campaign_per_minute
    )


async def deliver_notices(session: AsyncSession, work: WorkContext) -> int:
    """The coach's notices by Web Push, e-mail and WhatsApp, as chosen in the settings."""
    site = await site_service.load(session)
    channels = notice_delivery.Channels(
        base_url=work.base_url,
        data_dir=work.data_dir,
        push_contact=work.push_contact,
        whatsapp=whatsapp_sender(site, work.whatsapp),
    )
    return await notice_delivery.deliver_due(session, site=site, channels=channels, now=work.now)


async def housekeeping(session: AsyncSession, work: WorkContext) -> int:
    """Counters of tries long over and booking keys past their 24 hours are deleted."""
    return await limits.forget_old(session, now=work.now) + await idempotency.forget_old(
        session, work.now
    )


JOBS: dict[str, Job] = {
    "extend_schedule": extend_schedule,
    "expire_unpaid": expire_unpaid,
    "lapse_waitlist_offers": lapse_waitlist_offers,
    "queue_reminders": queue_reminders,
    "deliver_emails": deliver_emails,
    "start_campaigns": start_campaigns,
    "deliver_campaigns": deliver_campaigns,
    "deliver_notices": deliver_notices,
    "housekeeping": housekeeping,
}


BUSY = ("deliver_emails", "deliver_campaigns", "deliver_notices")  # jobs that work through a queue


class Worker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        interval: float = 30.0,
        *,
        email: EmailSender | None = None,
        base_url: str = "http://127.0.0.1:8000",
        secret: str = "",
        campaign_per_minute: int = 0,
        whatsapp: Endpoints | None = None,
        hub: Hub | None = None,
        data_dir: Path | None = None,
        push_contact: str = "mailto:no-reply@localhost",
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.interval = interval
        self.email = email or OutboxSender()
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.campaign_per_minute = campaign_per_minute
        self.whatsapp = whatsapp or Endpoints()
        self.hub = hub
        self.data_dir = data_dir
        self.push_contact = push_contact

    async def run_once(self) -> dict[str, int]:
        done: dict[str, int] = {}
        for name, job in JOBS.items():
            try:
                work = WorkContext(
                    self.clock.now(),
                    self.email,
                    self.base_url,
                    self.secret,
                    self.campaign_per_minute,
                    self.whatsapp,
                    self.hub,
                    self.data_dir,
                    self.push_contact,
                )
                async with unit_of_work(self.sessions) as session:
                    done[name] = await job(session, work)
            except Exception:
                log.exception("job %s failed; it runs again next round", name)
        return done

    async def run_forever(self) -> None:
        while True:
            done = await self.run_once()
            if not any(done.get(name) for name in BUSY):  # more is likely waiting: go on
                await asyncio.sleep(self.interval)
