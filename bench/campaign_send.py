"""Campaign e-mail: 10,000 recipients sent by a `coachdesk worker` process to a local SMTP
server (aiosmtpd): messages per second and the worker's peak memory (targets ≥ 300 msg/s,
< 200 MB), next to a bare aiosmtplib send loop to the same server in the same run.

Run: .venv/bin/python -m bench.campaign_send [--recipients 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
from aiosmtpd.controller import Controller
from sqlalchemy import insert, select

from bench.results import write_section
from bench.servers import WORK, free_port, prepare_demo
from coachdesk.campaigns import service
from coachdesk.campaigns.service import CampaignIn
from coachdesk.db import make_engine, make_session_factory
from coachdesk.kit.clock import SystemClock
from coachdesk.models import Coach, Contact


class Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


async def launch(database: Path, recipients: int) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{database}")
    now = SystemClock().now()
    people = [
        {
            "name": f"Personne {n}",
            "email": f"p{n}@example.ch",
            "consent_email": True,
            "first_seen_at": now,
            "last_seen_at": now,
            "source": "bench",
        }
        for n in range(recipients)
    ]
    async with make_session_factory(engine)() as db:
        await db.execute(insert(Contact), people)
        owner = await db.scalar(select(Coach).limit(1))
        assert owner is not None
        data = CampaignIn(name="Bench", subject="Bench", body="Salut {prénom} !\n\nÀ mercredi.")
        campaign = await service.create(db, data=data, actor=owner, now=now)
        await service.launch(db, campaign=campaign, times=[], actor=owner, now=now)
        await db.commit()
    await engine.dispose()


def sent_rows(database: Path) -> int:
    with sqlite3.connect(database) as db:
        query = "SELECT count(*) FROM campaign_deliveries WHERE status = 'sent'"
        return int(db.execute(query).fetchone()[0])


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def run_worker(env: dict[str, str], database: Path, recipients: int) -> tuple[float, int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "coachdesk", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started, peak = time.perf_counter(), 0
    try:
        while sent_rows(database) < recipients:
            peak = max(peak, peak_kib(process.pid))
            if time.perf_counter() - started > 600:
                raise RuntimeError("the campaign did not finish in 10 minutes")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        peak = max(peak, peak_kib(process.pid))
    finally:
        process.terminate()
        process.wait(timeout=10)
    return elapsed, peak


async def bare_loop(port: int, count: int) -> float:
    started = time.perf_counter()
    for n in range(count):
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@example.ch", f"p{n}@ex.ch", "B"
        message.set_content(f"Salut P{n} !")
        await aiosmtplib.send(message, hostname="127.0.0.1", port=port)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    args = parser.parse_args()
    counter, port = Counter(), free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        bare = asyncio.run(bare_loop(port, min(args.recipients, 2000)))
        bare_rate = min(args.recipients, 2000) / bare
        env = prepare_demo(
            WORK / "campaign",
            extra_env={
                "COACHDESK_SMTP_HOST": "127.0.0.1",
                "COACHDESK_SMTP_PORT": str(port),
                "COACHDESK_SMTP_STARTTLS": "false",
                "COACHDESK_WORKER_INTERVAL_SECONDS": "0.1",
                "COACHDESK_NEW_PASSWORD": "bench password 123",
            },
            then=(["create-coach", "bench@example.ch"],),
        )
        database = WORK / "campaign" / "coachdesk.db"
        asyncio.run(launch(database, args.recipients))
        elapsed, peak = run_worker(env, database, args.recipients)
    finally:
        controller.stop()
    rate = args.recipients / elapsed
    body = "\n".join(
        [
            f"{args.recipients} campaign e-mails (text + HTML, one-click unsubscribe) sent by "
            "one `coachdesk worker` process to a local aiosmtpd server, SQLite, one SMTP "
            "connection per chunk of 20 rows; time from the worker's start to the last row "
            "marked sent. The baseline opens one connection per message.\n",
            "| measure | messages | seconds | messages/s | worker peak memory |",
            "|---|---:|---:|---:|---:|",
            f"| bare aiosmtplib send loop (baseline) | {min(args.recipients, 2000)} | "
            f"{bare:.1f} | {bare_rate:.0f} | – |",
            f"| coachdesk worker (targets ≥ 300 msg/s, < 200 MB) | {args.recipients} | "
            f"{elapsed:.1f} | {rate:.0f} | {peak / 1024:.0f} MB |",
        ]
    )
    write_section("campaign-send", body)
    print(body)


if __name__ == "__main__":
    main()
