"""A real `coachdesk worker` process is killed in the middle of a campaign, then started
again: no e-mail reaches anyone twice, and every row is either sent or left in "sending"
(reported as interrupted once its lease is over) — none lost without a trace."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from coachdesk.campaigns import sending, service
from coachdesk.campaigns.service import CampaignIn
from coachdesk.db import make_engine, make_session_factory
from coachdesk.kit.clock import SystemClock
from coachdesk.models import Coach, CoachRole, Contact
from tests.fakes.smtp import smtp_server
from tests.servers import coachdesk, environment

PEOPLE = 300


async def prepare(url: str) -> None:
    """Contacts who all agreed to e-mails, and a campaign launched now."""
    engine = make_engine(url)
    now = SystemClock().now()
    async with make_session_factory(engine)() as db:
        coach = Coach(
            email="c@example.ch", name="C", password_hash="x", role=CoachRole.owner, created_at=now
        )
        db.add(coach)
        for n in range(PEOPLE):
            db.add(
                Contact(
                    name=f"P{n}",
                    email=f"p{n}@example.ch",
                    consent_email=True,
                    first_seen_at=now,
                    last_seen_at=now,
                    tags=[],
                )
            )
        await db.flush()
        data = CampaignIn(name="Crash", body="Salut {prénom}")
        campaign = await service.create(db, data=data, actor=coach, now=now)
        await service.launch(db, campaign=campaign, times=[], actor=coach, now=now)
        await db.commit()
    await engine.dispose()


async def interrupted(url: str) -> int:
    engine = make_engine(url)
    later = SystemClock().now() + sending.LEASE + timedelta(minutes=1)
    async with make_session_factory(engine)() as db:
        count = await sending.mark_interrupted(db, later)
        await db.commit()
    await engine.dispose()
    return count


def until(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "coachdesk", "worker"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def rows(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as db:
        return dict(db.execute("SELECT address, status FROM campaign_deliveries").fetchall())


def test_killing_the_worker_mid_campaign_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    database = tmp_path / "coachdesk.db"
    url = f"sqlite+aiosqlite:///{database}"
    with smtp_server() as (inbox, port):
        env = environment(
            tmp_path,
            COACHDESK_SMTP_HOST="127.0.0.1",
            COACHDESK_SMTP_PORT=str(port),
            COACHDESK_SMTP_STARTTLS="false",
            COACHDESK_WORKER_INTERVAL_SECONDS="0.05",
        )
        coachdesk("migrate", env=env)
        asyncio.run(prepare(url))
        first = worker(env, tmp_path / "worker.log")
        until(lambda: len(inbox.messages) >= PEOPLE // 3)
        first.kill()  # SIGKILL: no clean-up of any kind
        first.wait()
        at_kill = len(inbox.messages)
        assert at_kill < PEOPLE, "the campaign finished before the kill: nothing was tested"

        second = worker(env, tmp_path / "worker.log")
        try:
            until(lambda: "pending" not in rows(database).values())
        finally:
            second.terminate()
            second.wait(timeout=10)

    received = [str(m["To"]) for m in inbox.messages]
    assert len(received) == len(set(received)), "someone got the campaign twice"
    state = rows(database)
    sent = {a for a, s in state.items() if s == "sent"}
    caught = {a for a, s in state.items() if s == "sending"}
    assert sent <= set(received) <= sent | caught
    assert len(sent) + len(caught) == PEOPLE  # every row accounted for
    assert asyncio.run(interrupted(url)) == len(caught)  # shown to the coach, not resent
    assert set(rows(database).values()) <= {"sent", "interrupted"}
