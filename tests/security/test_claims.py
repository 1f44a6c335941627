"""An unproved claim never changes a card (issue 11 #3, #4)."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import Contact, EmailMessage
from tests.factories import login, make_coach, make_course, make_offer, next_sessions

VICTIM_PHONE = "+41791112233"


async def test_a_whatsapp_only_card_never_takes_a_claimed_email(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    victim = {"name": "Victoire", "phone": "079 111 22 33", "accept": True}
    started = (await client.post("/api/v1/chat/start", json=victim)).json()
    said = {"body": "Mon dos me fait mal"}
    await client.post(
        "/api/v1/chat/messages", json=said, headers={"X-Chat-Token": started["token"]}
    )
    offer = await make_offer(db, now=clock.now(), price_cents=3000)
    course = await make_course(db, now=clock.now())
    session_id = (await next_sessions(db, course.id))[0].id
    claim = {
        "session_ids": [session_id], "offer_id": offer.id, "name": "Mallory",
        "email": "mallory@example.ch", "phone": "079 111 22 33", "accept_terms": True,
        "payment_method": "on_site",
    }  # fmt: skip
    booked = await client.post("/api/v1/bookings", json=claim)
    assert booked.status_code == 201 and "Victoire" not in booked.text
    chatted = await client.post(
        "/api/v1/chat/start",
        json={"name": "Mallory", "email": "mallory@example.ch", "phone": "079 111 22 33",
              "accept": True},
    )  # fmt: skip
    assert "Victoire" not in chatted.text and "Mon dos" not in chatted.text
    if chatted.json()["code_sent"]:  # a code to her own address proves her own card only
        sent = await db.scalar(
            select(EmailMessage)
            .where(EmailMessage.kind == "chat_code")
            .order_by(EmailMessage.id.desc())
        )
        assert sent is not None and sent.to_address == "mallory@example.ch"
        proved = await client.post(
            "/api/v1/chat/verify",
            json={"code": sent.identity_code},
            headers={"X-Chat-Token": chatted.json()["token"]},
        )
        assert proved.status_code == 200
        assert "Mon dos" not in proved.text and "Victoire" not in proved.text
    card = await db.scalar(
        select(Contact).where(Contact.phone == VICTIM_PHONE).order_by(Contact.id).limit(1)
    )
    assert card is not None and card.name == "Victoire" and card.email in (None, "")


async def test_a_member_s_email_alone_opens_no_community(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    headers = {"X-CSRF-Token": await login(client)}
    link = await client.post(
        "/api/v1/admin/chat-links", json={"title": "Groupe", "community": True}, headers=headers
    )
    token = link.json()["token"]
    ana = {"name": "Ana", "email": "ana@example.ch", "accept": True}
    member = (await client.post("/api/v1/chat/start", json={**ana, "link": token})).json()
    group = next(c for c in member["conversations"] if c["mode"] == "community")
    await client.post(
        "/api/v1/chat/messages",
        json={"body": "Bonjour le groupe", "conversation_id": group["id"]},
        headers={"X-Chat-Token": member["token"]},
    )
    stranger = (await client.post("/api/v1/chat/start", json=ana)).json()
    assert all(c["mode"] != "community" for c in stranger["conversations"])
    assert "Bonjour le groupe" not in str(stranger)
    peek = await client.post(
        "/api/v1/chat/messages",
        json={"body": "je lis ?", "conversation_id": group["id"]},
        headers={"X-Chat-Token": stranger["token"]},
    )
    assert peek.status_code in (403, 404)


async def test_a_message_without_a_thread_goes_to_the_sender_s_own(
    client: httpx.AsyncClient,
) -> None:
    """Issue 11 #5: a stranger typed Léa's e-mail first; Léa's message never lands there."""
    lea = {"name": "Léa", "email": "lea@example.ch", "accept": True}
    stranger = (await client.post("/api/v1/chat/start", json=lea)).json()
    real = (await client.post("/api/v1/chat/start", json=lea)).json()
    await client.post(
        "/api/v1/chat/messages",
        json={"body": "Mon message privé"},
        headers={"X-Chat-Token": real["token"]},
    )
    seen = await client.get("/api/v1/chat/me", headers={"X-Chat-Token": stranger["token"]})
    assert seen.status_code == 200 and "Mon message privé" not in seen.text
    mine = await client.get("/api/v1/chat/me", headers={"X-Chat-Token": real["token"]})
    assert "Mon message privé" in mine.text
