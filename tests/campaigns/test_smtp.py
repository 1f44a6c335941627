"""A campaign end to end through a real SMTP server on loopback (aiosmtpd): sent by the
worker at its time, text and HTML parts, {prénom} replaced, one-click unsubscribe."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.integrations.email import SmtpSender
from coachdesk.kit.clock import FixedClock
from coachdesk.worker.loop import Worker
from tests.campaigns.test_sending import launched
from tests.conftest import BASE_URL
from tests.fakes.smtp import Inbox, smtp_server


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


async def test_a_scheduled_campaign_reaches_the_smtp_server_personalised(
    app: FastAPI,
    client: httpx.AsyncClient,
    db: AsyncSession,
    clock: FixedClock,
    smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    inbox.messages.clear()
    await launched(db, clock, delay=timedelta(minutes=2))
    sender = SmtpSender(
        host="127.0.0.1",
        port=port,
        sender="studio@example.ch",
        sender_name="Silent Disco Fit",
        starttls=False,
    )
    core = app.state.core
    worker = Worker(core.sessions, clock, email=sender, base_url=BASE_URL, secret=core.secret)
    await worker.run_once()
    assert inbox.messages == []  # not before its time
    clock.advance(timedelta(minutes=2))
    await worker.run_once()
    assert sorted(m["To"] for m in inbox.messages) == ["lea@example.ch", "nina@example.ch"]
    lea = next(m for m in inbox.messages if m["To"] == "lea@example.ch")
    assert lea["Subject"] == "C'est la rentrée"
    assert lea["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = lea.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = lea.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert text.startswith("Salut Léa !") and "Salut Léa !" in html
    assert "Ne plus recevoir ces messages : https://" in text and "Se désabonner</a>" in html
    link = str(lea["List-Unsubscribe"]).strip().strip("<>").removeprefix(BASE_URL)
    done = await client.post(link, content=b"List-Unsubscribe=One-Click")
    assert done.status_code == 200 and "C'est fait" in done.text
    await worker.run_once()
    assert len(inbox.messages) == 2  # nobody twice
