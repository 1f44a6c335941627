"""Runs each registered job in its own transaction, every few seconds.

Jobs are plain async functions of (session, now) over domain rows with a status and a due
time; each claims its rows with a conditional UPDATE, so two workers never do the same work.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coachdesk.booking import lifecycle
from coachdesk.catalog import schedule
from coachdesk.db import unit_of_work
from coachdesk.kit.clock import Clock
from coachdesk.site import service as site_service

log = logging.getLogger("coachdesk.worker")
Job = Callable[[AsyncSession, datetime], Awaitable[int]]


async def extend_schedule(session: AsyncSession, now: datetime) -> int:
    """Keeps the next N weeks of sessions generated as time moves on."""
    settings = await site_service.load(session)
    return await schedule.extend_all(session, now=now, weeks=settings.weeks_ahead)


async def expire_unpaid(session: AsyncSession, now: datetime) -> int:
    """Unpaid bookings past their time give their seats (and credits) back."""
    return await lifecycle.expire_due(session, now)


JOBS: dict[str, Job] = {"extend_schedule": extend_schedule, "expire_unpaid": expire_unpaid}


class Worker:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, interval: float = 30.0
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.interval = interval

    async def run_once(self) -> dict[str, int]:
        done: dict[str, int] = {}
        for name, job in JOBS.items():
            try:
                async with unit_of_work(self.sessions) as session:
                    done[name] = await job(session, self.clock.now())
            except Exception:
                log.exception("job %s failed; it runs again next round", name)
        return done

    async def run_forever(self) -> None:
        while True:
            await self.run_once()
            await asyncio.sleep(self.interval)
