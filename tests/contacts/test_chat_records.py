"""A person's conversations follow their contact card: merged with it (and back on undo),
in its history and its data export, and gone with it when it is erased."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.contacts import crm, gdpr, merge, timeline
from coachdesk.contacts.crm import ContactIn
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Contact, Conversation, Message, VisitorDevice
from tests.factories import make_coach


async def chatting(client: httpx.AsyncClient, email: str, body: str) -> str:
    started = await client.post(
        "/api/v1/chat/start", json={"name": "Léa", "email": email, "accept": True}
    )
    token = str(started.json()["token"])
    sent = await client.post(
        "/api/v1/chat/messages", json={"body": body}, headers={"X-Chat-Token": token}
    )
    assert sent.status_code == 200, sent.text
    return token


async def history(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get("/api/v1/chat/me", headers={"X-Chat-Token": token})


async def test_merging_moves_the_conversations_and_the_device_and_undo_brings_them_back(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    token = await chatting(client, "lea.perso@example.ch", "Bonjour, il reste de la place ?")
    gone = await db.scalar(select(Contact).where(Contact.email == "lea.perso@example.ch"))
    assert gone is not None
    kept = await crm.create(
        db,
        data=ContactIn(name="Léa Martin", email="lea@example.ch"),
        actor=coach,
        now=clock.now(),
    )
    await db.commit()
    kept_id, gone_id = kept.id, gone.id

    done = await merge.merge(db, kept=kept, merged=gone, actor=coach, now=clock.now())
    await db.commit()
    assert set(await db.scalars(select(Conversation.contact_id))) == {kept_id}
    assert set(await db.scalars(select(VisitorDevice.contact_id))) == {kept_id}
    mine = (await history(client, token)).json()
    assert mine["name"] == "Léa"  # the name this device gave, whatever the card says
    assert "Bonjour, il reste de la place ?" in json.dumps(mine, ensure_ascii=False)
    moments = (await timeline.dossier(db, kept)).timeline()
    assert "Conversation" in [m.what for m in moments]

    await merge.undo(db, merge_id=done.id, actor=coach, now=clock.now())
    await db.commit()
    assert set(await db.scalars(select(Conversation.contact_id))) == {gone_id}
    assert set(
        await db.scalars(select(Message.contact_id).where(Message.contact_id.is_not(None)))
    ) == {gone_id}
    assert (await history(client, token)).json()["name"] == "Léa"


async def test_the_export_holds_the_messages_and_erasing_deletes_them(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    token = await chatting(client, "lea@example.ch", "Mon genou me fait mal, je peux venir ?")
    await chatting(client, "marc@example.ch", "Salut !")
    lea = await db.scalar(select(Contact).where(Contact.email == "lea@example.ch"))
    assert lea is not None
    exported = json.dumps(await gdpr.export(db, lea), ensure_ascii=False)
    assert "Mon genou me fait mal" in exported

    await gdpr.erase(db, contact=lea, actor=coach, now=clock.now())
    await db.commit()
    bodies = list(await db.scalars(select(Message.body)))
    assert not any("genou" in body for body in bodies)
    assert "Salut !" in bodies  # nobody else's conversation is touched
    assert await db.scalar(select(func.count(Conversation.id))) == 1
    assert (await history(client, token)).status_code in (401, 403)
