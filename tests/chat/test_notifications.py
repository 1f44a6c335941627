"""What the coach's open Coach Mode hears: each visitor message as soon as it is saved
(before the assistant answers), then the reply; a hand-over is announced on its own."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.chat import threads
from coachdesk.models import Conversation
from coachdesk.realtime.hub import COACH

LEA = {"name": "Léa", "email": "lea@example.ch", "accept": True}


async def received(queue: asyncio.Queue[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    return [await asyncio.wait_for(queue.get(), 5) for _ in range(count)]


async def test_the_coach_hears_the_message_then_the_reply_then_the_hand_over(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    hub = app.state.core.hub
    async with hub.listen(COACH) as queue:
        token = (await client.post("/api/v1/chat/start", json=LEA)).json()["token"]
        headers = {"X-Chat-Token": token}
        await client.post("/api/v1/chat/messages", json={"body": "Vos prix ?"}, headers=headers)
        await client.post(
            "/api/v1/chat/messages", json={"body": "Je veux parler au coach"}, headers=headers
        )
        events = await received(queue, 6)
    kinds = [(e["type"], e.get("author"), e.get("alert")) for e in events]
    assert kinds == [
        ("conversation", None, None),
        ("message", "visitor", False),
        ("message", "assistant", False),
        ("message", "visitor", False),
        ("message", "assistant", False),
        ("handover", None, None),
    ]
    assert events[-1]["name"] == "Léa" and events[-1]["body"] == "Je veux parler au coach"

    async with hub.listen(COACH) as queue:  # now in the coach's hands: every message alerts
        await client.post("/api/v1/chat/messages", json={"body": "Allô ?"}, headers=headers)
        events = await received(queue, 1)
    assert [(e["author"], e["alert"]) for e in events] == [("visitor", True)]


async def test_a_long_conversation_shows_its_latest_messages(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    token = (await client.post("/api/v1/chat/start", json=LEA)).json()["token"]
    headers = {"X-Chat-Token": token}
    for n in range(4):
        await client.post("/api/v1/chat/messages", json={"body": f"m{n}"}, headers=headers)
    thread = await db.scalar(select(Conversation))
    assert thread is not None
    latest = await threads.history(db, thread, last=3)  # of m0, a, m1, a, m2, a, m3, a
    assert [(m.author.value, m.body if m.author.value == "visitor" else "") for m in latest] == [
        ("assistant", ""),
        ("visitor", "m3"),
        ("assistant", ""),
    ]
